#include "depthmap/depth_sidecar.hpp"

#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/errors.hpp"
#include "common/frame_store.hpp"

namespace s3d::depthmap {
namespace {

std::string number(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
  return std::string(buf, res.ptr);
}

// A flat JSON object: key -> (is_string, text). Enough for the files sidecar_to_json writes.
class FlatJson {
 public:
  FlatJson(const std::string& text, const std::string& source) : text_(text), source_(source) {
    skip_space();
    expect('{');
    skip_space();
    if (peek() == '}') return;
    for (;;) {
      skip_space();
      const std::string key = parse_string();
      skip_space();
      expect(':');
      skip_space();
      if (peek() == '"') {
        values_[key] = {true, parse_string()};
      } else {
        const size_t start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                       text_[pos_] == '-' || text_[pos_] == '+' || text_[pos_] == '.'))
          ++pos_;
        if (pos_ == start) fail("a value for key '" + key + "'");
        values_[key] = {false, text_.substr(start, pos_ - start)};
      }
      skip_space();
      if (peek() == ',') { ++pos_; continue; }
      expect('}');
      return;
    }
  }

  std::string string(const std::string& key) const {
    const auto& v = get(key);
    if (!v.first) bad(key, "a string", v.second);
    return v.second;
  }
  double real(const std::string& key) const {
    const auto& v = get(key);
    double out = 0;
    auto res = std::from_chars(v.second.data(), v.second.data() + v.second.size(), out);
    if (v.first || res.ec != std::errc() || res.ptr != v.second.data() + v.second.size()) bad(key, "a number", v.second);
    return out;
  }
  int64_t integer(const std::string& key) const {
    const auto& v = get(key);
    int64_t out = 0;
    auto res = std::from_chars(v.second.data(), v.second.data() + v.second.size(), out);
    if (v.first || res.ec != std::errc() || res.ptr != v.second.data() + v.second.size()) bad(key, "an integer", v.second);
    return out;
  }
  bool boolean(const std::string& key) const {
    const auto& v = get(key);
    if (v.first || (v.second != "true" && v.second != "false")) bad(key, "true or false", v.second);
    return v.second == "true";
  }

 private:
  const std::pair<bool, std::string>& get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw Error("depth sidecar '" + source_ + "': missing key '" + key + "'");
    return it->second;
  }
  [[noreturn]] void bad(const std::string& key, const std::string& expected, const std::string& got) const {
    throw Error("depth sidecar '" + source_ + "': key '" + key + "': expected " + expected + ", got '" + got + "'");
  }
  [[noreturn]] void fail(const std::string& expected) const {
    throw Error("depth sidecar '" + source_ + "': not valid JSON: expected " + expected + " at byte " +
                std::to_string(pos_));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("'") + c + "'");
    ++pos_;
  }
  std::string parse_string() {
    expect('"');
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;  // keys/values never need more
      out += text_[pos_++];
    }
    expect('"');
    return out;
  }

  const std::string& text_;
  std::string source_;
  size_t pos_ = 0;
  std::map<std::string, std::pair<bool, std::string>> values_;
};

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

fs::path depth_png_path(const fs::path& out_dir, int64_t index) { return frame_path(out_dir, index, ".png"); }
fs::path sidecar_path(const fs::path& out_dir, int64_t index) { return frame_path(out_dir, index, ".json"); }

bool depth_frame_done(const fs::path& out_dir, int64_t index) {
  std::error_code ec;
  return fs::is_regular_file(depth_png_path(out_dir, index), ec) && fs::is_regular_file(sidecar_path(out_dir, index), ec);
}

std::string sidecar_to_json(const DepthSidecar& s) {
  std::ostringstream out;
  out << "{\n"
      << "  \"format\": " << quoted(kSidecarFormat) << ",\n"
      << "  \"frame\": " << s.frame << ",\n"
      << "  \"model\": " << quoted(s.model) << ",\n"
      << "  \"normalize\": " << quoted(normalize_name(s.normalize)) << ",\n"
      << "  \"width\": " << s.width << ",\n"
      << "  \"height\": " << s.height << ",\n"
      << "  \"raw_min\": " << number(s.raw.lo) << ",\n"
      << "  \"raw_max\": " << number(s.raw.hi) << ",\n"
      << "  \"lo\": " << number(s.mapped.lo) << ",\n"
      << "  \"hi\": " << number(s.mapped.hi) << ",\n"
      << "  \"scene_cut\": " << (s.scene_cut ? "true" : "false") << "\n"
      << "}\n";
  return out.str();
}

DepthSidecar sidecar_from_json(const std::string& text, const std::string& source) {
  const FlatJson json(text, source);
  const std::string format = json.string("format");
  if (format != kSidecarFormat)
    throw Error("depth sidecar '" + source + "': key 'format': expected '" + kSidecarFormat + "', got '" + format + "'");
  DepthSidecar s;
  s.frame = json.integer("frame");
  s.model = json.string("model");
  try {
    s.normalize = parse_normalize(json.string("normalize"));
  } catch (const UsageError&) {
    throw Error("depth sidecar '" + source + "': key 'normalize': expected frame, ema or global, got '" +
                json.string("normalize") + "'");
  }
  s.width = static_cast<int>(json.integer("width"));
  s.height = static_cast<int>(json.integer("height"));
  s.raw = {json.real("raw_min"), json.real("raw_max")};
  s.mapped = {json.real("lo"), json.real("hi")};
  s.scene_cut = json.boolean("scene_cut");
  if (s.width <= 0 || s.height <= 0 || s.raw.lo > s.raw.hi || s.mapped.lo > s.mapped.hi)
    throw Error("depth sidecar '" + source + "': expected a positive size and lo <= hi, got " +
                std::to_string(s.width) + "x" + std::to_string(s.height) + ", raw " + number(s.raw.lo) + ".." +
                number(s.raw.hi) + ", mapped " + number(s.mapped.lo) + ".." + number(s.mapped.hi));
  return s;
}

void write_sidecar(const fs::path& path, const DepthSidecar& sidecar) {
  write_file_atomic(path, sidecar_to_json(sidecar));
}

DepthSidecar read_sidecar(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open depth sidecar '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return sidecar_from_json(text.str(), path.string());
}

}  // namespace s3d::depthmap
