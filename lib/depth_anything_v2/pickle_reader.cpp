#include "depth_anything_v2/pickle_reader.hpp"

#include <cstring>
#include <sstream>

#include "core/errors.hpp"

namespace s3d::dav2 {

const char* PickleValue::kind_name() const {
  switch (kind) {
    case Kind::kNone: return "None";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "str";
    case Kind::kBytes: return "bytes";
    case Kind::kTuple: return "tuple";
    case Kind::kList: return "list";
    case Kind::kDict: return "dict";
    case Kind::kGlobal: return "global";
    case Kind::kTensor: return "tensor";
    case Kind::kStorage: return "storage";
  }
  return "?";
}

namespace {

using Kind = PickleValue::Kind;

class Unpickler {
 public:
  Unpickler(std::string_view data, const PickleHooks& hooks, const std::string& what)
      : data_(data), hooks_(hooks), what_(what) {}

  PickleValuePtr run() {
    while (true) {
      op_pos_ = pos_;
      const uint8_t op = read_u8();
      switch (op) {
        case 0x80: read_u8(); break;                          // PROTO
        case 0x95: read_bytes(8); break;                      // FRAME (length only)
        case '.': return finish();                            // STOP
        case '(': marks_.push_back(stack_.size()); break;     // MARK
        case '0': pop(); break;                               // POP
        case '1': pop_mark(); break;                          // POP_MARK
        case '2': push(top()); break;                         // DUP
        case 'N': push(PickleValue::make(Kind::kNone)); break;
        case 0x88: push(make_bool(true)); break;              // NEWTRUE
        case 0x89: push(make_bool(false)); break;             // NEWFALSE
        case 'J': push(make_int(static_cast<int32_t>(read_le(4)))); break;  // BININT
        case 'K': push(make_int(read_u8())); break;                        // BININT1
        case 'M': push(make_int(static_cast<int64_t>(read_le(2)))); break; // BININT2
        case 0x8a: push(make_int(read_long(read_u8()))); break;            // LONG1
        case 'G': push(make_float(read_be_double())); break;               // BINFLOAT
        case 'X': push(make_text(Kind::kString, read_le(4))); break;       // BINUNICODE
        case 0x8c: push(make_text(Kind::kString, read_u8())); break;       // SHORT_BINUNICODE
        case 0x8d: push(make_text(Kind::kString, read_le(8))); break;      // BINUNICODE8
        case 'T': push(make_text(Kind::kString, read_le(4))); break;       // BINSTRING
        case 'U': push(make_text(Kind::kString, read_u8())); break;        // SHORT_BINSTRING
        case 'B': push(make_text(Kind::kBytes, read_le(4))); break;        // BINBYTES
        case 'C': push(make_text(Kind::kBytes, read_u8())); break;         // SHORT_BINBYTES
        case 0x8e: push(make_text(Kind::kBytes, read_le(8))); break;       // BINBYTES8
        case ')': push(PickleValue::make(Kind::kTuple)); break;            // EMPTY_TUPLE
        case 't': push(make_seq(Kind::kTuple, pop_mark())); break;         // TUPLE
        case 0x85: push(make_seq(Kind::kTuple, pop_n(1))); break;          // TUPLE1
        case 0x86: push(make_seq(Kind::kTuple, pop_n(2))); break;          // TUPLE2
        case 0x87: push(make_seq(Kind::kTuple, pop_n(3))); break;          // TUPLE3
        case ']': push(PickleValue::make(Kind::kList)); break;             // EMPTY_LIST
        case 'l': push(make_seq(Kind::kList, pop_mark())); break;          // LIST
        case 'a': append(pop_n(1)); break;                                 // APPEND
        case 'e': append(pop_mark()); break;                               // APPENDS
        case '}': push(PickleValue::make(Kind::kDict)); break;             // EMPTY_DICT
        case 'd': {                                                        // DICT
          auto dict = PickleValue::make(Kind::kDict);
          set_items(*dict, pop_mark());
          push(dict);
          break;
        }
        case 's': {                                                        // SETITEM
          auto dict = expect_dict_below(2);
          set_items(*dict, pop_n(2));
          break;
        }
        case 'u': {                                                        // SETITEMS
          auto items = pop_mark();
          set_items(*expect_dict_below(0), std::move(items));
          break;
        }
        case 'c': {                                                        // GLOBAL
          std::string module = read_line();
          std::string name = read_line();
          push(make_global(module + "." + name));
          break;
        }
        case 0x93: {                                                       // STACK_GLOBAL
          auto name = pop(), module = pop();
          if (module->kind != Kind::kString || name->kind != Kind::kString) fail("STACK_GLOBAL expects two strings");
          push(make_global(module->text + "." + name->text));
          break;
        }
        case 'R':                                                          // REDUCE
        case 0x81: {                                                       // NEWOBJ
          auto args = pop(), callable = pop();
          if (callable->kind != Kind::kGlobal) fail(std::string("cannot call a ") + callable->kind_name());
          if (args->kind != Kind::kTuple) fail("call arguments are not a tuple");
          push(call_hook(*callable, *args));
          break;
        }
        case 'b': {                                                        // BUILD
          auto state = pop();
          const auto& obj = top();
          // A dict's state is its attributes (OrderedDict._metadata); a tensor's is its
          // Python-side attributes. Neither matters for the weights.
          if (obj->kind != Kind::kDict && obj->kind != Kind::kTensor)
            fail(std::string("BUILD on a ") + obj->kind_name());
          break;
        }
        case 'Q': {                                                        // BINPERSID
          auto pid = pop();
          if (!hooks_.persistent_load) fail("unexpected persistent id");
          push(guard([&] { return hooks_.persistent_load(*pid); }));
          break;
        }
        case 'q': memo_put(read_u8()); break;                              // BINPUT
        case 'r': memo_put(read_le(4)); break;                             // LONG_BINPUT
        case 0x94: memo_put(memo_.size()); break;                          // MEMOIZE
        case 'h': push(memo_get(read_u8())); break;                        // BINGET
        case 'j': push(memo_get(read_le(4))); break;                       // LONG_BINGET
        default: {
          std::ostringstream msg;
          msg << "unsupported pickle opcode 0x" << std::hex << int(op);
          fail(msg.str());
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(what_ + ": " + problem + " (pickle byte " + std::to_string(op_pos_) + " of " +
                std::to_string(data_.size()) + ")");
  }

  template <typename F>
  PickleValuePtr guard(F&& f) {
    try {
      auto v = f();
      if (!v) fail("hook returned nothing");
      return v;
    } catch (const Error& e) {
      fail(e.what());
    }
  }

  PickleValuePtr call_hook(const PickleValue& callable, const PickleValue& args) {
    if (!hooks_.call) fail("unexpected call of " + callable.text);
    return guard([&] { return hooks_.call(callable, args); });
  }

  std::string_view read_bytes(uint64_t n) {
    if (n > data_.size() - pos_) fail("truncated data (wanted " + std::to_string(n) + " more bytes)");
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint8_t read_u8() { return static_cast<uint8_t>(read_bytes(1)[0]); }
  uint64_t read_le(int n) {
    auto s = read_bytes(n);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[i]);
    return v;
  }
  int64_t read_long(int n) {  // little-endian two's complement, as LONG1 stores it
    if (n > 8) fail("integer wider than 64 bits");
    if (n == 0) return 0;
    uint64_t v = read_le(n);
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
    return static_cast<int64_t>(v);
  }
  double read_be_double() {
    auto s = read_bytes(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<uint8_t>(s[i]);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  std::string read_line() {
    auto end = data_.find('\n', pos_);
    if (end == std::string_view::npos) fail("truncated data (unterminated GLOBAL name)");
    std::string line(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return line;
  }

  void push(PickleValuePtr v) { stack_.push_back(std::move(v)); }
  const PickleValuePtr& top() const {
    if (stack_.empty()) fail("stack underflow");
    return stack_.back();
  }
  PickleValuePtr pop() {
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back())) fail("stack underflow");
    auto v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  std::vector<PickleValuePtr> pop_n(size_t n) {
    const size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() < floor + n) fail("stack underflow");
    std::vector<PickleValuePtr> v(stack_.end() - n, stack_.end());
    stack_.resize(stack_.size() - n);
    return v;
  }
  std::vector<PickleValuePtr> pop_mark() {
    if (marks_.empty()) fail("MARK missing");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<PickleValuePtr> v(stack_.begin() + m, stack_.end());
    stack_.resize(m);
    return v;
  }
  // The dict that SETITEM(S) updates: below `extra` values still on the stack.
  PickleValuePtr expect_dict_below(size_t extra) {
    if (stack_.size() < extra + 1) fail("stack underflow");
    auto d = stack_[stack_.size() - 1 - extra];
    if (d->kind != Kind::kDict) fail(std::string("SETITEM on a ") + d->kind_name());
    return d;
  }
  void set_items(PickleValue& dict, std::vector<PickleValuePtr> kv) {
    if (kv.size() % 2) fail("odd number of dict items");
    for (size_t i = 0; i < kv.size(); i += 2) dict.entries.emplace_back(kv[i], kv[i + 1]);
  }
  void append(std::vector<PickleValuePtr> values) {
    auto& list = top();
    if (list->kind != Kind::kList) fail(std::string("APPEND on a ") + list->kind_name());
    for (auto& v : values) list->items.push_back(std::move(v));
  }
  void memo_put(uint64_t index) {
    if (index > (1u << 26)) fail("memo index out of range");
    if (memo_.size() <= index) memo_.resize(index + 1);
    memo_[index] = top();
  }
  PickleValuePtr memo_get(uint64_t index) {
    if (index >= memo_.size() || !memo_[index]) fail("memo entry " + std::to_string(index) + " is not set");
    return memo_[index];
  }
  PickleValuePtr finish() {
    if (stack_.size() != 1 || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " values on the stack");
    if (pos_ != data_.size()) fail("data after STOP");
    return stack_.back();
  }

  static PickleValuePtr make_bool(bool b) {
    auto v = PickleValue::make(Kind::kBool);
    v->integer = b;
    return v;
  }
  static PickleValuePtr make_int(int64_t i) {
    auto v = PickleValue::make(Kind::kInt);
    v->integer = i;
    return v;
  }
  static PickleValuePtr make_float(double d) {
    auto v = PickleValue::make(Kind::kFloat);
    v->real = d;
    return v;
  }
  PickleValuePtr make_text(Kind kind, uint64_t length) {
    auto v = PickleValue::make(kind);
    v->text = std::string(read_bytes(length));
    return v;
  }
  static PickleValuePtr make_global(std::string name) {
    auto v = PickleValue::make(Kind::kGlobal);
    v->text = std::move(name);
    return v;
  }
  static PickleValuePtr make_seq(Kind kind, std::vector<PickleValuePtr> items) {
    auto v = PickleValue::make(kind);
    v->items = std::move(items);
    return v;
  }

  std::string_view data_;
  const PickleHooks& hooks_;
  const std::string& what_;
  size_t pos_ = 0, op_pos_ = 0;
  std::vector<PickleValuePtr> stack_;
  std::vector<size_t> marks_;
  std::vector<PickleValuePtr> memo_;
};

}  // namespace

PickleValuePtr read_pickle(std::string_view data, const PickleHooks& hooks, const std::string& what) {
  return Unpickler(data, hooks, what).run();
}

}  // namespace s3d::dav2
