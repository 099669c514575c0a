#include "core/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/value_parsers.hpp"

namespace s3d::json {

Value Value::array() {
  Value v;
  v.type_ = Type::kArray;
  return v;
}

Value Value::object() {
  Value v;
  v.type_ = Type::kObject;
  return v;
}

Value& Value::set(std::string key, Value value) {
  if (type_ != Type::kObject) throw Error("json: set('" + key + "') on " + describe());
  for (auto& [k, v] : members_)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Value& Value::push(Value value) {
  if (type_ != Type::kArray) throw Error("json: push() on " + describe());
  items_.push_back(std::move(value));
  return *this;
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : members_)
    if (k == key) return &v;
  return nullptr;
}

std::string Value::describe() const {
  switch (type_) {
    case Type::kNull: return "null";
    case Type::kBool: return bool_ ? "true" : "false";
    case Type::kInt: return "the integer " + std::to_string(int_);
    case Type::kReal: return "the number " + format_real(real_);
    case Type::kString: return "the string " + quote(string_);
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "?";
}

bool Value::as_bool() const {
  if (type_ != Type::kBool) throw Error("expected true or false, got " + describe());
  return bool_;
}

int64_t Value::as_int() const {
  if (type_ == Type::kInt) return int_;
  if (type_ == Type::kReal && std::nearbyint(real_) == real_ && std::abs(real_) < 9.2e18)
    return static_cast<int64_t>(real_);
  throw Error("expected an integer, got " + describe());
}

double Value::as_real() const {
  if (type_ == Type::kReal) return real_;
  if (type_ == Type::kInt) return static_cast<double>(int_);
  throw Error("expected a number, got " + describe());
}

const std::string& Value::as_string() const {
  if (type_ != Type::kString) throw Error("expected a string, got " + describe());
  return string_;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through unchanged
        }
    }
  }
  return out + "\"";
}

namespace {

void write(const Value& v, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent) + 2, ' ');
  switch (v.type()) {
    case Value::Type::kNull: out += "null"; return;
    case Value::Type::kBool: out += v.as_bool() ? "true" : "false"; return;
    case Value::Type::kInt: out += std::to_string(v.as_int()); return;
    case Value::Type::kReal:
      if (!std::isfinite(v.as_real())) throw Error("json: cannot write the non-finite number " + v.describe());
      out += format_real(v.as_real());
      return;
    case Value::Type::kString: out += quote(v.as_string()); return;
    case Value::Type::kArray:
      if (v.items().empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (size_t i = 0; i < v.items().size(); ++i) {
        out += pad;
        write(v.items()[i], indent + 2, out);
        out += i + 1 < v.items().size() ? ",\n" : "\n";
      }
      out += std::string(static_cast<size_t>(indent), ' ') + "]";
      return;
    case Value::Type::kObject:
      if (v.members().empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (size_t i = 0; i < v.members().size(); ++i) {
        out += pad + quote(v.members()[i].first) + ": ";
        write(v.members()[i].second, indent + 2, out);
        out += i + 1 < v.members().size() ? ",\n" : "\n";
      }
      out += std::string(static_cast<size_t>(indent), ' ') + "}";
      return;
  }
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Value document() {
    Value v = value(0);
    space();
    if (pos_ != text_.size()) fail("the end of the document");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 200;

  [[noreturn]] void fail(const std::string& expected) const {
    throw Error(source_ + ": not valid JSON: expected " + expected + " at byte " + std::to_string(pos_));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("'") + c + "'");
    ++pos_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Value value(int depth) {
    if (depth > kMaxDepth) fail("at most " + std::to_string(kMaxDepth) + " levels of nesting");
    space();
    const char c = peek();
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return Value(string());
    if (literal("true")) return Value(true);
    if (literal("false")) return Value(false);
    if (literal("null")) return Value();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    fail("a value");
  }

  Value object(int depth) {
    expect('{');
    Value v = Value::object();
    space();
    if (peek() == '}') {
      ++pos_;
      return v;
    }
    for (;;) {
      space();
      std::string key = string();
      space();
      expect(':');
      v.set(std::move(key), value(depth + 1));
      space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return v;
    }
  }

  Value array(int depth) {
    expect('[');
    Value v = Value::array();
    space();
    if (peek() == ']') {
      ++pos_;
      return v;
    }
    for (;;) {
      v.push(value(depth + 1));
      space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return v;
    }
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  uint32_t hex4() {
    if (pos_ + 4 > text_.size()) fail("four hex digits");
    uint32_t cp = 0;
    const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, cp, 16);
    if (ec != std::errc() || end != text_.data() + pos_ + 4) fail("four hex digits");
    pos_ += 4;
    return cp;
  }

  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) fail("the end of a string ('\"')");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("no control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && literal("\\u")) {  // a surrogate pair
            const uint32_t low = hex4();
            if (low >= 0xDC00 && low < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: --pos_; fail("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
  }

  Value number() {
    const size_t start = pos_;
    if (peek() == '-') ++pos_;
    bool integral = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        ++pos_;
      } else {
        break;
      }
    }
    const std::string_view digits = text_.substr(start, pos_ - start);
    if (integral) {
      int64_t i = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      if (ec == std::errc() && end == digits.data() + digits.size()) return Value(i);
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      pos_ = start;
      fail("a number");
    }
    return Value(d);
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace

std::string dump(const Value& value) {
  std::string out;
  write(value, 0, out);
  return out + "\n";
}

Value parse(std::string_view text, const std::string& source) { return Parser(text, source).document(); }

Value parse_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error("cannot read " + what);
  return parse(text.str(), what);
}

ObjectReader::ObjectReader(const Value& object, std::string what) : object_(object), what_(std::move(what)) {
  if (object_.type() != Value::Type::kObject) throw Error(what_ + ": expected an object, got " + object_.describe());
}

const Value& ObjectReader::at(std::string_view key) const {
  const Value* v = object_.find(key);
  if (!v) throw Error(what_ + ": missing key '" + std::string(key) + "'");
  return *v;
}

template <class F>
auto ObjectReader::typed(std::string_view key, F read) const -> decltype(read(std::declval<const Value&>())) {
  const Value& v = at(key);
  try {
    return read(v);
  } catch (const Error& e) {
    throw Error(what_ + ": key '" + std::string(key) + "': " + e.what());
  }
}

std::string ObjectReader::string(std::string_view key) const {
  return typed(key, [](const Value& v) { return v.as_string(); });
}
double ObjectReader::real(std::string_view key) const {
  return typed(key, [](const Value& v) { return v.as_real(); });
}
int64_t ObjectReader::integer(std::string_view key) const {
  return typed(key, [](const Value& v) { return v.as_int(); });
}
bool ObjectReader::boolean(std::string_view key) const {
  return typed(key, [](const Value& v) { return v.as_bool(); });
}
ObjectReader ObjectReader::object(std::string_view key) const {
  const Value& v = at(key);
  if (v.type() != Value::Type::kObject)
    throw Error(what_ + ": key '" + std::string(key) + "': expected an object, got " + v.describe());
  return ObjectReader(v, what_ + " [" + std::string(key) + "]");
}

}  // namespace s3d::json
