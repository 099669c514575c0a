#include "depth_stage/depth_sidecar.hpp"

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "core/json.hpp"
#include "core/value_parsers.hpp"
#include "imageio/atomic_file.hpp"

namespace s3d::depth_stage {

fs::path depth_png_path(const fs::path& out_dir, int64_t index) { return frame_path(out_dir, index, ".png"); }
fs::path sidecar_path(const fs::path& out_dir, int64_t index) { return frame_path(out_dir, index, ".json"); }

bool depth_frame_done(const fs::path& out_dir, int64_t index) {
  std::error_code ec;
  return fs::is_regular_file(depth_png_path(out_dir, index), ec) && fs::is_regular_file(sidecar_path(out_dir, index), ec);
}

std::string sidecar_to_json(const DepthSidecar& s) {
  json::Value doc = json::Value::object();
  doc.set("format", kSidecarFormat)
      .set("frame", s.frame)
      .set("model", s.model)
      .set("normalize", normalize_names().name(s.normalize))
      .set("width", s.width)
      .set("height", s.height)
      .set("raw_min", s.raw.lo)
      .set("raw_max", s.raw.hi)
      .set("lo", s.mapped.lo)
      .set("hi", s.mapped.hi)
      .set("scene_cut", s.scene_cut);
  if (s.field) {
    const auto range = [](const DepthRange& r) { return json::Value::array().push(r.lo).push(r.hi); };
    doc.set("field", json::Value::object()
                         .set("kind", field_kind_names().name(s.field->kind))
                         .set("width", s.field->size.width)
                         .set("height", s.field->size.height)
                         .set("a", range(s.field->a))
                         .set("b", range(s.field->b)));
  }
  return json::dump(doc);
}

DepthSidecar sidecar_from_json(const std::string& text, const std::string& source) {
  const std::string what = "depth sidecar '" + source + "'";
  const json::Value doc = json::parse(text, what);
  const json::ObjectReader json(doc, what);
  const std::string format = json.string("format");
  if (format != kSidecarFormat)
    throw Error(what + ": key 'format': expected '" + kSidecarFormat + "', got '" + format + "'");
  DepthSidecar s;
  s.frame = json.integer("frame");
  s.model = json.string("model");
  try {
    s.normalize = normalize_names().parse(json.string("normalize"), "normalize");
  } catch (const UsageError&) {
    throw Error(what + ": key 'normalize': expected " + normalize_names().alternatives() + ", got '" +
                json.string("normalize") + "'");
  }
  s.width = static_cast<int>(json.integer("width"));
  s.height = static_cast<int>(json.integer("height"));
  s.raw = {json.real("raw_min"), json.real("raw_max")};
  s.mapped = {json.real("lo"), json.real("hi")};
  s.scene_cut = json.boolean("scene_cut");
  if (json.has("field")) {
    const json::ObjectReader f = json.object("field");
    FieldEncoding e;
    try {
      e.kind = field_kind_names().parse(f.string("kind"), "kind");
    } catch (const UsageError&) {
      throw Error(what + ": key 'field.kind': expected " + field_kind_names().alternatives() + ", got '" +
                  f.string("kind") + "'");
    }
    e.size = {static_cast<int>(f.integer("width")), static_cast<int>(f.integer("height"))};
    const auto range = [&](const char* key) {
      const auto& items = f.at(key).items();
      if (items.size() != 2) throw Error(what + ": key 'field." + std::string(key) + "': expected [lo, hi]");
      return DepthRange{items[0].as_real(), items[1].as_real()};
    };
    e.a = range("a");
    e.b = range("b");
    if (e.size.width <= 0 || e.size.height <= 0 || e.a.lo > e.a.hi || e.b.lo > e.b.hi)
      throw Error(what + ": key 'field': expected a positive size and lo <= hi");
    s.field = e;
  }
  if (s.width <= 0 || s.height <= 0 || s.raw.lo > s.raw.hi || s.mapped.lo > s.mapped.hi)
    throw Error(what + ": expected a positive size and lo <= hi, got " + std::to_string(s.width) + "x" +
                std::to_string(s.height) + ", raw " + format_real(s.raw.lo) + ".." + format_real(s.raw.hi) +
                ", mapped " + format_real(s.mapped.lo) + ".." + format_real(s.mapped.hi));
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

}  // namespace s3d::depth_stage
