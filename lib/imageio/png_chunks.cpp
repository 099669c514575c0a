#include "imageio/png_chunks.hpp"

#include <array>
#include <cstring>

#include "core/errors.hpp"

namespace s3d::png {
namespace {

// Eight bytes per step with eight tables ("slicing by 8").
class Crc32Table {
 public:
  Crc32Table() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t_[0][i] = c;
    }
    for (int s = 1; s < 8; ++s)
      for (int i = 0; i < 256; ++i) t_[s][i] = (t_[s - 1][i] >> 8) ^ t_[0][t_[s - 1][i] & 0xFF];
  }
  uint32_t operator()(uint32_t crc, const uint8_t* p, size_t n) const {
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
      const uint32_t lo = crc ^ (uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24);
      crc = t_[7][lo & 0xFF] ^ t_[6][(lo >> 8) & 0xFF] ^ t_[5][(lo >> 16) & 0xFF] ^ t_[4][lo >> 24] ^ t_[3][p[4]] ^
            t_[2][p[5]] ^ t_[1][p[6]] ^ t_[0][p[7]];
    }
    for (; n > 0; --n, ++p) crc = t_[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
    return ~crc;
  }

 private:
  std::array<std::array<uint32_t, 256>, 8> t_;
};

}  // namespace

std::optional<Header> read_header(const uint8_t* data, size_t size) {
  // signature (8), IHDR length (4) and type (4), then width, height, depth, colour, compression, filter, interlace
  if (size < 29 || std::memcmp(data, kSignature, 8) != 0 || std::memcmp(data + 12, "IHDR", 4) != 0)
    return std::nullopt;
  Header h;
  h.width = read_be32(data + 16);
  h.height = read_be32(data + 20);
  h.bit_depth = data[24];
  h.colour_type = data[25];
  h.interlace = data[28];
  return h;
}

bool for_each_chunk(const uint8_t* data, size_t size, const std::function<bool(const Chunk&)>& visit) {
  if (size < 8 || std::memcmp(data, kSignature, 8) != 0) return false;
  for (size_t p = 8; p + 12 <= size;) {
    const ChunkHeader h = parse_chunk_header(data + p);
    if (h.length > size - p - 12) return false;  // truncated
    if (!visit(Chunk{std::string_view(h.type, 4), data + p + 8, h.length})) return true;
    if (h.is("IEND")) return true;
    p += 12 + static_cast<size_t>(h.length);
  }
  return false;  // no IEND
}

ChunkHeader parse_chunk_header(const uint8_t* bytes) {
  ChunkHeader h{read_be32(bytes), {}};
  std::memcpy(h.type, bytes + 4, 4);
  return h;
}

bool read_png_from_stream(const std::function<size_t(void*, size_t)>& read, std::string& png,
                          const std::string& source) {
  png.assign(8, '\0');
  const size_t got = read(png.data(), 8);
  if (got == 0) return false;
  if (got < 8) throw Error(source + ": the PNG stream ended inside a file signature");
  if (std::memcmp(png.data(), kSignature, 8) != 0) throw Error(source + ": not a PNG stream (bad signature)");
  for (;;) {
    uint8_t bytes[8];
    if (read(bytes, 8) != 8) throw Error(source + ": the PNG stream ended inside a chunk header");
    const ChunkHeader header = parse_chunk_header(bytes);
    if (header.length > kMaxChunkLength) throw Error(source + ": corrupt PNG chunk length in the stream");
    const size_t start = png.size();
    png.append(reinterpret_cast<const char*>(bytes), 8);
    png.resize(start + 8 + header.length + 4);  // data + CRC
    if (read(png.data() + start + 8, header.length + 4) != header.length + 4)
      throw Error(source + ": the PNG stream ended inside a chunk");
    if (header.is("IEND")) return true;
  }
}

uint32_t crc32(uint32_t crc, const uint8_t* data, size_t size) {
  static const Crc32Table table;
  return table(crc, data, size);
}

uint8_t* close_chunk(uint8_t* out, const char type[4], size_t size) {
  write_be32(out, static_cast<uint32_t>(size));
  std::memcpy(out + 4, type, 4);
  return write_be32(out + 8 + size, crc32(0, out + 4, size + 4));
}

}  // namespace s3d::png
