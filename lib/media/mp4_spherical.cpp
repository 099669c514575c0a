#include "media/mp4_spherical.hpp"

#include <cstring>
#include <fstream>
#include <vector>

#include "core/errors.hpp"

namespace s3d::media {
namespace {

namespace fs = std::filesystem;

// One box (ISO/IEC 14496-12 4.2) of a buffer: 32-bit size (1 = a 64-bit size follows, 0 = to
// the end), 4-character type; [payload, end) is its content.
struct Box {
  size_t start = 0, payload = 0, end = 0;
  std::string type;
  bool large = false;  // a 64-bit size field
};

uint64_t be(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
  return v;
}

void put_be(std::string& buf, size_t at, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, v >>= 8) buf[at + i] = static_cast<char>(v & 0xff);
}

std::string be_bytes(uint64_t v, int bytes) {
  std::string s(bytes, '\0');
  put_be(s, 0, v, bytes);
  return s;
}

// The boxes directly inside [begin, end) of `buf`.
std::vector<Box> children(const std::string& buf, size_t begin, size_t end, const std::string& file) {
  std::vector<Box> boxes;
  const auto* p = reinterpret_cast<const unsigned char*>(buf.data());
  for (size_t pos = begin; pos + 8 <= end;) {
    Box b;
    b.start = pos;
    b.type.assign(buf, pos + 4, 4);
    uint64_t size = be(p + pos, 4);
    b.payload = pos + 8;
    if (size == 1) {
      if (pos + 16 > end) break;
      size = be(p + pos + 8, 8);
      b.payload = pos + 16;
      b.large = true;
    } else if (size == 0) {
      size = end - pos;
    }
    if (size < b.payload - pos || size > end - pos)
      throw Error("'" + file + "': a corrupt MP4 box '" + b.type + "' at byte " + std::to_string(pos) + " of its parent");
    b.end = pos + size;
    boxes.push_back(b);
    pos = b.end;
  }
  return boxes;
}

// The first box of `type` directly inside `parent`.
std::optional<Box> child(const std::string& buf, const Box& parent, const std::string& type, const std::string& file) {
  for (const Box& b : children(buf, parent.payload, parent.end, file))
    if (b.type == type) return b;
  return std::nullopt;
}

// The top-level boxes of the file, from their headers.
std::vector<Box> top_level(std::ifstream& f, uint64_t size, const std::string& file) {
  std::vector<Box> boxes;
  for (uint64_t pos = 0; pos + 8 <= size;) {
    unsigned char h[16];
    f.seekg(static_cast<std::streamoff>(pos));
    if (!f.read(reinterpret_cast<char*>(h), 8)) break;
    Box b;
    b.start = pos;
    b.type.assign(reinterpret_cast<const char*>(h + 4), 4);
    uint64_t box_size = be(h, 4);
    b.payload = pos + 8;
    if (box_size == 1) {
      if (!f.read(reinterpret_cast<char*>(h + 8), 8)) break;
      box_size = be(h + 8, 8);
      b.payload = pos + 16;
      b.large = true;
    } else if (box_size == 0) {
      box_size = size - pos;
    }
    if (box_size < b.payload - pos || box_size > size - pos)
      throw Error("'" + file + "': a corrupt MP4 box '" + b.type + "' at byte " + std::to_string(pos));
    b.end = pos + box_size;
    boxes.push_back(b);
    pos = b.end;
  }
  return boxes;
}

// The video track's boxes from moov down to its first sample entry.
struct VideoEntry {
  std::vector<Box> chain;  // moov, trak, mdia, minf, stbl, stsd (in the moov buffer)
  Box entry;               // the visual sample entry
  size_t first_child = 0;  // where its child boxes start
};

// A visual sample entry's fixed fields after the box header (SampleEntry 8 + VisualSampleEntry 70).
constexpr size_t kVisualSampleEntryFields = 78;

VideoEntry find_video_entry(const std::string& moov, const std::string& file) {
  const Box moov_box = children(moov, 0, moov.size(), file).at(0);
  for (const Box& trak : children(moov, moov_box.payload, moov_box.end, file)) {
    if (trak.type != "trak") continue;
    const auto mdia = child(moov, trak, "mdia", file);
    if (!mdia) continue;
    const auto hdlr = child(moov, *mdia, "hdlr", file);
    // Full box: version + flags (4), pre_defined (4), handler_type (4).
    if (!hdlr || hdlr->end < hdlr->payload + 12 || moov.compare(hdlr->payload + 8, 4, "vide") != 0) continue;
    const auto minf = child(moov, *mdia, "minf", file);
    const auto stbl = minf ? child(moov, *minf, "stbl", file) : std::nullopt;
    const auto stsd = stbl ? child(moov, *stbl, "stsd", file) : std::nullopt;
    if (!stsd) throw Error("'" + file + "': its video track has no sample description (stsd)");
    // stsd: version + flags (4), entry_count (4), then the entries.
    const auto entries = children(moov, stsd->payload + 8, stsd->end, file);
    if (entries.empty() || entries[0].end < entries[0].payload + kVisualSampleEntryFields)
      throw Error("'" + file + "': its video track has no visual sample entry");
    VideoEntry v{{moov_box, trak, *mdia, *minf, *stbl, *stsd}, entries[0], entries[0].payload + kVisualSampleEntryFields};
    return v;
  }
  throw Error("'" + file + "': expected an MP4 with a video track, found none");
}

std::string box(const std::string& type, const std::string& payload) {
  return be_bytes(8 + payload.size(), 4) + type + payload;
}
std::string full_box(const std::string& type, const std::string& payload) {
  return box(type, std::string(4, '\0') + payload);
}

struct Moov {
  std::string bytes;
  uint64_t start = 0;
  bool last = false;  // nothing after it in the file
};

Moov read_moov(const fs::path& path) {
  const std::string file = path.string();
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error("cannot open '" + file + "' to read its MP4 boxes");
  f.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(f.tellg());
  const auto boxes = top_level(f, size, file);
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (boxes[i].type != "moov") continue;
    Moov m;
    m.start = boxes[i].start;
    m.last = i + 1 == boxes.size() && boxes[i].end == size;
    m.bytes.resize(boxes[i].end - boxes[i].start);
    f.seekg(static_cast<std::streamoff>(m.start));
    if (!f.read(m.bytes.data(), static_cast<std::streamsize>(m.bytes.size())))
      throw Error("cannot read the moov box of '" + file + "'");
    return m;
  }
  throw Error("'" + file + "': expected an MP4 file (a moov box), found none");
}

}  // namespace

void write_mp4_spherical(const fs::path& path, Mp4StereoMode stereo, const stereo::EquirectBounds& bounds) {
  const std::string file = path.string();
  Moov moov = read_moov(path);
  if (!moov.last)
    throw Error("'" + file + "': its moov box is not at the end (written with +faststart?); the spherical boxes "
                "are written into an MP4 whose moov comes last, so that no chunk offset moves");
  const VideoEntry v = find_video_entry(moov.bytes, file);

  // The entry's own fields and children, without any st3d / sv3d, then the new ones.
  std::string entry = moov.bytes.substr(v.entry.start, v.first_child - v.entry.start);
  for (const Box& b : children(moov.bytes, v.first_child, v.entry.end, file))
    if (b.type != "st3d" && b.type != "sv3d") entry += moov.bytes.substr(b.start, b.end - b.start);
  entry += full_box("st3d", std::string(1, static_cast<char>(stereo)));
  const std::string prhd = full_box("prhd", be_bytes(0, 4) + be_bytes(0, 4) + be_bytes(0, 4));  // yaw, pitch, roll
  const std::string equi = full_box("equi", be_bytes(bounds.top, 4) + be_bytes(bounds.bottom, 4) +
                                                be_bytes(bounds.left, 4) + be_bytes(bounds.right, 4));
  entry += box("sv3d", full_box("svhd", std::string("s3d", 4)) + box("proj", prhd + equi));
  if (v.entry.large)
    put_be(entry, 8, entry.size(), 8);
  else
    put_be(entry, 0, entry.size(), 4);

  // Splice it in and grow every box around it by the difference.
  const int64_t delta = static_cast<int64_t>(entry.size()) - static_cast<int64_t>(v.entry.end - v.entry.start);
  std::string out = moov.bytes.substr(0, v.entry.start) + entry + moov.bytes.substr(v.entry.end);
  for (const Box& b : v.chain) {
    const uint64_t size = b.end - b.start + delta;
    if (b.large)
      put_be(out, b.start + 8, size, 8);
    else if (size > 0xffffffffu)
      throw Error("'" + file + "': the " + b.type + " box would outgrow its 32-bit size");
    else
      put_be(out, b.start, size, 4);
  }

  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!f) throw Error("cannot open '" + file + "' to write its spherical video boxes");
    f.seekp(static_cast<std::streamoff>(moov.start));
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    f.flush();
    if (!f) throw Error("cannot write the spherical video boxes of '" + file + "'");
  }
  if (delta < 0) fs::resize_file(path, moov.start + out.size());
}

Mp4Spherical read_mp4_spherical(const fs::path& path) {
  const std::string file = path.string();
  const Moov moov = read_moov(path);
  const VideoEntry v = find_video_entry(moov.bytes, file);
  const auto* p = reinterpret_cast<const unsigned char*>(moov.bytes.data());
  const auto bad = [&](const std::string& what) { return Error("'" + file + "': a corrupt " + what + " box"); };
  Mp4Spherical result;
  for (const Box& b : children(moov.bytes, v.first_child, v.entry.end, file)) {
    if (b.type == "st3d") {
      if (b.end < b.payload + 5) throw bad("st3d");
      result.stereo = static_cast<Mp4StereoMode>(p[b.payload + 4]);
    } else if (b.type == "sv3d") {
      const auto svhd = child(moov.bytes, b, "svhd", file);
      const auto proj = child(moov.bytes, b, "proj", file);
      if (!svhd || !proj) throw bad("sv3d (expected svhd and proj)");
      if (svhd->end < svhd->payload + 4) throw bad("svhd");
      result.metadata_source = std::string(moov.bytes.data() + svhd->payload + 4,
                                           strnlen(moov.bytes.data() + svhd->payload + 4, svhd->end - svhd->payload - 4));
      if (const auto prhd = child(moov.bytes, *proj, "prhd", file)) {
        if (prhd->end < prhd->payload + 16) throw bad("prhd");
        result.yaw = static_cast<int32_t>(be(p + prhd->payload + 4, 4));
        result.pitch = static_cast<int32_t>(be(p + prhd->payload + 8, 4));
        result.roll = static_cast<int32_t>(be(p + prhd->payload + 12, 4));
      }
      if (const auto equi = child(moov.bytes, *proj, "equi", file)) {
        if (equi->end < equi->payload + 20) throw bad("equi");
        stereo::EquirectBounds e;
        e.top = static_cast<uint32_t>(be(p + equi->payload + 4, 4));
        e.bottom = static_cast<uint32_t>(be(p + equi->payload + 8, 4));
        e.left = static_cast<uint32_t>(be(p + equi->payload + 12, 4));
        e.right = static_cast<uint32_t>(be(p + equi->payload + 16, 4));
        result.equirect = e;
      }
    }
  }
  return result;
}

}  // namespace s3d::media
