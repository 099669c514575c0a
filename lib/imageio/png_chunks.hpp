// The PNG container (PNG spec, section 5): an 8-byte signature, then chunks of a 4-byte
// big-endian length, a 4-byte type, the data and a CRC-32 of type + data; IHDR first, IEND
// last. The one place s3d reads or writes that framing — for header-only size reads, the fast
// decoder and encoder, and the stream of PNGs ffmpeg pipes to s3d-extract.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace s3d::png {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
// A chunk longer than this is corrupt (the spec's limit is 2^31 - 1).
constexpr uint32_t kMaxChunkLength = 0x7FFFFFFFu;

inline uint32_t read_be32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}
inline uint8_t* write_be32(uint8_t* p, uint32_t v) {
  for (int i = 3; i >= 0; --i) *p++ = static_cast<uint8_t>(v >> (8 * i));
  return p;
}

// IHDR's fields.
struct Header {
  uint32_t width = 0, height = 0;
  int bit_depth = 0;    // 1, 2, 4, 8 or 16
  int colour_type = 0;  // 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA
  int interlace = 0;    // 0 none, 1 Adam7
};

// The header of the PNG file starting at `data` (at least its first 29 bytes), or nothing
// when it is not a PNG (wrong signature, IHDR not first).
std::optional<Header> read_header(const uint8_t* data, size_t size);

// One chunk of a file in memory.
struct Chunk {
  std::string_view type;  // e.g. "IDAT"
  const uint8_t* data;
  uint32_t length;
};

// Calls `visit` for each chunk of the whole PNG file `data`, up to and including IEND,
// while `visit` returns true. False when the data is not a PNG or ends inside a chunk.
bool for_each_chunk(const uint8_t* data, size_t size, const std::function<bool(const Chunk&)>& visit);

// A chunk header read from a stream: 8 bytes, length then type.
struct ChunkHeader {
  uint32_t length;
  char type[4];
  bool is(std::string_view t) const { return std::string_view(type, 4) == t; }
};
ChunkHeader parse_chunk_header(const uint8_t* bytes);

// Reads one PNG file from a stream of concatenated PNG files (what ffmpeg's image2pipe muxer
// writes): the signature and the chunks up to IEND, into `png`. `read(buffer, size)` returns
// how many bytes it delivered (fewer than asked only at the end of the stream). Returns false
// at a clean end of the stream; throws s3d::Error naming `source` when the stream is not PNG
// or ends inside a file.
bool read_png_from_stream(const std::function<size_t(void*, size_t)>& read, std::string& png,
                          const std::string& source);

// CRC-32 of the PNG/zlib polynomial, continuing from `crc` (0 to start).
uint32_t crc32(uint32_t crc, const uint8_t* data, size_t size);

// Completes the chunk whose `size` data bytes are already at out + 8: writes its length and
// type before them and the CRC after. Returns the end of the chunk.
uint8_t* close_chunk(uint8_t* out, const char type[4], size_t size);

}  // namespace s3d::png
