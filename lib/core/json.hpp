// JSON documents: the one writer (and its escaping) and the one reader of s3d — for probe
// output, depth sidecars and the reference data the tests read. Objects keep their keys in
// insertion order, so written files are stable and diff well. Numbers: integers that fit
// int64 stay integers; other numbers are doubles written in the shortest form that reads
// back exactly.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s3d::json {

class Value {
 public:
  enum class Type { kNull, kBool, kInt, kReal, kString, kArray, kObject };

  Value() = default;  // null
  Value(bool b) : type_(Type::kBool), bool_(b) {}
  Value(int i) : type_(Type::kInt), int_(i) {}
  Value(int64_t i) : type_(Type::kInt), int_(i) {}
  Value(double d) : type_(Type::kReal), real_(d) {}
  Value(const char* s) : type_(Type::kString), string_(s) {}
  Value(std::string s) : type_(Type::kString), string_(std::move(s)) {}
  static Value array();
  static Value object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_number() const { return type_ == Type::kInt || type_ == Type::kReal; }

  // Objects: sets `key` (replacing an existing one in place); returns *this for chaining.
  Value& set(std::string key, Value value);
  // Arrays: appends.
  Value& push(Value value);

  // The member `key` of an object, or nullptr (also for a non-object).
  const Value* find(std::string_view key) const;
  const std::vector<std::pair<std::string, Value>>& members() const { return members_; }
  const std::vector<Value>& items() const { return items_; }

  // Typed reads; s3d::Error "expected <type>, got <what this is>" on a mismatch.
  bool as_bool() const;
  int64_t as_int() const;   // also a real with an integral value
  double as_real() const;   // also an integer
  const std::string& as_string() const;

  // "a string", "an object", ... for messages.
  std::string describe() const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double real_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> members_;
};

// The document as text: two-space indentation, one member or item per line, trailing newline.
std::string dump(const Value& value);
// A JSON string literal, e.g. "a\"b" (control characters as \uXXXX, UTF-8 passed through).
std::string quote(std::string_view text);
// Parses one document; s3d::Error "<source>: not valid JSON: expected X at byte N" otherwise.
Value parse(std::string_view text, const std::string& source);
// Reads and parses a file; s3d::Error naming it when it cannot be read.
Value parse_file(const std::string& path, const std::string& what);

// Reading the members of an object with errors that name the document and the key:
// "depth sidecar 'x.json': key 'lo': expected a number, got a string".
class ObjectReader {
 public:
  ObjectReader(const Value& object, std::string what);  // Error unless `object` is an object

  const Value& at(std::string_view key) const;  // Error "<what>: missing key '<key>'"
  bool has(std::string_view key) const { return object_.find(key) != nullptr; }
  std::string string(std::string_view key) const;
  double real(std::string_view key) const;
  int64_t integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  ObjectReader object(std::string_view key) const;
  const std::string& what() const { return what_; }

 private:
  template <class F>
  auto typed(std::string_view key, F read) const -> decltype(read(std::declval<const Value&>()));

  const Value& object_;
  std::string what_;
};

}  // namespace s3d::json
