#include "media/mp4_tracks.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>

#include "core/errors.hpp"

namespace s3d::media {
namespace {

// One box (ISO/IEC 14496-12 4.2): 32-bit size (1 = a 64-bit size follows, 0 = to the end),
// 4-character type; `payload` is where its content starts.
struct Box {
  uint64_t start = 0, size = 0, payload = 0;
  char type[5] = {};
};

uint64_t be(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
  return v;
}

// The boxes directly inside [begin, end).
std::vector<Box> children(std::fstream& f, uint64_t begin, uint64_t end, const std::string& file) {
  std::vector<Box> boxes;
  for (uint64_t pos = begin; pos + 8 <= end;) {
    unsigned char h[16];
    f.seekg(static_cast<std::streamoff>(pos));
    if (!f.read(reinterpret_cast<char*>(h), 8)) break;
    Box b;
    b.start = pos;
    b.size = be(h, 4);
    std::memcpy(b.type, h + 4, 4);
    b.payload = pos + 8;
    if (b.size == 1) {
      if (!f.read(reinterpret_cast<char*>(h + 8), 8)) break;
      b.size = be(h + 8, 8);
      b.payload = pos + 16;
    } else if (b.size == 0) {
      b.size = end - pos;
    }
    if (b.size < b.payload - pos || pos + b.size > end)
      throw Error("'" + file + "': a corrupt MP4 box '" + std::string(b.type) + "' at byte " + std::to_string(pos));
    boxes.push_back(b);
    pos += b.size;
  }
  return boxes;
}

}  // namespace

void set_mp4_tracks_enabled(const std::filesystem::path& path, const std::vector<bool>& enabled) {
  const std::string file = path.string();
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) throw Error("cannot open '" + file + "' to set its tracks");
  f.seekg(0, std::ios::end);
  const uint64_t size = static_cast<uint64_t>(f.tellg());
  std::vector<Box> traks;
  for (const Box& top : children(f, 0, size, file))
    if (std::string(top.type) == "moov")
      for (const Box& b : children(f, top.payload, top.start + top.size, file))
        if (std::string(b.type) == "trak") traks.push_back(b);
  if (traks.size() < enabled.size())
    throw Error("'" + file + "': expected an MP4 with " + std::to_string(enabled.size()) + " tracks, found " +
                std::to_string(traks.size()));
  for (size_t i = 0; i < enabled.size(); ++i) {
    bool done = false;
    for (const Box& b : children(f, traks[i].payload, traks[i].start + traks[i].size, file)) {
      if (std::string(b.type) != "tkhd") continue;
      // Full box: version (1 byte), flags (3 bytes); bit 0 of the flags = track enabled.
      unsigned char flags = 0;
      f.seekg(static_cast<std::streamoff>(b.payload + 3));
      f.read(reinterpret_cast<char*>(&flags), 1);
      flags = enabled[i] ? flags | 1 : flags & ~1;
      f.seekp(static_cast<std::streamoff>(b.payload + 3));
      f.write(reinterpret_cast<const char*>(&flags), 1);
      done = true;
    }
    if (!done) throw Error("'" + file + "': track " + std::to_string(i) + " has no tkhd box");
  }
  f.flush();
  if (!f) throw Error("cannot write the track flags of '" + file + "'");
}

}  // namespace s3d::media
