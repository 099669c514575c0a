// PNG = signature, IHDR, IDAT (a zlib stream), IEND; each chunk carries a CRC-32. The zlib
// stream here is one final deflate block of type 2 (dynamic Huffman, RFC 1951 3.2.7) holding
// only literals and the end-of-block symbol, then the Adler-32 of the filtered bytes.
#include "parallax/fast_png.hpp"

#include <algorithm>
#include <array>
#include <queue>

namespace s3d::parallax {
namespace {

// CRC-32 (PNG/zlib polynomial), eight bytes per step with eight tables.
class Crc32 {
 public:
  Crc32() {
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

const Crc32& crc32() {
  static const Crc32 table;
  return table;
}

uint32_t adler32(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  while (n > 0) {
    const size_t chunk = std::min<size_t>(n, 5552);  // largest run before b can overflow
    for (size_t i = 0; i < chunk; ++i) {
      a += p[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
    p += chunk;
    n -= chunk;
  }
  return b << 16 | a;
}

// Code lengths of a Huffman code for `freq`, none longer than `max_bits`. Symbols with zero
// frequency get no code; at least two symbols get one (a complete code, as inflate wants).
std::vector<int> huffman_lengths(std::vector<uint64_t> freq, int max_bits) {
  const int n = static_cast<int>(freq.size());
  int used = 0;
  for (auto f : freq) used += f > 0;
  for (int s = 0; used < 2 && s < n; ++s)
    if (freq[s] == 0) freq[s] = 1, ++used;
  for (;;) {
    // Nodes 0..n-1 are symbols; internal nodes follow. parent[] gives the depths.
    std::vector<int> parent(2 * n, -1);
    using Node = std::pair<uint64_t, int>;
    std::priority_queue<Node, std::vector<Node>, std::greater<Node>> heap;
    for (int s = 0; s < n; ++s)
      if (freq[s] > 0) heap.push({freq[s], s});
    int next = n;
    while (heap.size() > 1) {
      const Node a = heap.top();
      heap.pop();
      const Node b = heap.top();
      heap.pop();
      parent[a.second] = parent[b.second] = next;
      heap.push({a.first + b.first, next++});
    }
    std::vector<int> lengths(n, 0);
    int longest = 0;
    for (int s = 0; s < n; ++s) {
      if (freq[s] == 0) continue;
      for (int p = parent[s]; p != -1; p = parent[p]) ++lengths[s];
      longest = std::max(longest, lengths[s]);
    }
    if (longest <= max_bits) return lengths;
    for (auto& f : freq)  // flatten the distribution and retry
      if (f > 0) f = (f >> 1) | 1;
  }
}

// Canonical codes (RFC 1951 3.2.2), bit-reversed because deflate sends Huffman codes
// most significant bit first into a least-significant-bit-first stream.
std::vector<uint32_t> canonical_codes(const std::vector<int>& lengths) {
  int count[16] = {}, next[16] = {};
  for (int l : lengths) ++count[l];
  count[0] = 0;
  for (int bits = 1, code = 0; bits < 16; ++bits) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = code;
  }
  std::vector<uint32_t> codes(lengths.size(), 0);
  for (size_t s = 0; s < lengths.size(); ++s) {
    const int l = lengths[s];
    if (l == 0) continue;
    uint32_t c = next[l]++, r = 0;
    for (int i = 0; i < l; ++i) r |= ((c >> i) & 1u) << (l - 1 - i);
    codes[s] = r;
  }
  return codes;
}

// Least-significant-bit-first bit stream into a buffer sized for the worst case.
class BitWriter {
 public:
  explicit BitWriter(uint8_t* out) : out_(out) {}
  void put(uint32_t bits, int count) {  // count <= 32
    acc_ |= uint64_t(bits) << used_;
    used_ += count;
    if (used_ >= 32) {
      for (int i = 0; i < 4; ++i) out_[i] = static_cast<uint8_t>(acc_ >> (8 * i));
      out_ += 4;
      acc_ >>= 32;
      used_ -= 32;
    }
  }
  // Writes the last partial byte; returns the end of the stream.
  uint8_t* finish() {
    for (; used_ > 0; used_ -= 8, acc_ >>= 8) *out_++ = static_cast<uint8_t>(acc_);
    return out_;
  }

 private:
  uint8_t* out_;
  uint64_t acc_ = 0;
  int used_ = 0;
};

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_chunk(std::vector<uint8_t>& png, const char* type, const uint8_t* data, size_t size) {
  put_be32(png, static_cast<uint32_t>(size));
  const size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data, data + size);
  put_be32(png, crc32()(0, png.data() + start, size + 4));
}

// Rows as PNG stores them (RGB order), each prefixed with filter type 1 (SUB: the
// difference to the same channel of the pixel on the left).
std::vector<uint8_t> sub_filtered_rows(const cv::Mat& image) {
  const int w = image.cols, cn = image.channels();
  const size_t row_bytes = size_t(w) * cn + 1;
  std::vector<uint8_t> out(row_bytes * image.rows);
  std::vector<uint8_t> rgb(size_t(w) * cn);
  for (int y = 0; y < image.rows; ++y) {
    const uint8_t* src = image.ptr<uint8_t>(y);
    if (cn == 3) {
      for (int x = 0; x < w; ++x) {
        rgb[3 * x] = src[3 * x + 2];
        rgb[3 * x + 1] = src[3 * x + 1];
        rgb[3 * x + 2] = src[3 * x];
      }
      src = rgb.data();
    }
    uint8_t* dst = out.data() + row_bytes * y;
    dst[0] = 1;
    for (int i = 0; i < cn; ++i) dst[1 + i] = src[i];
    for (size_t i = cn; i < size_t(w) * cn; ++i) dst[1 + i] = static_cast<uint8_t>(src[i] - src[i - cn]);
  }
  return out;
}

// zlib stream (RFC 1950) of one dynamic-Huffman, literals-only deflate block.
std::vector<uint8_t> zlib_literals(const std::vector<uint8_t>& data) {
  constexpr int kEndOfBlock = 256;
  std::vector<uint64_t> freq(257, 0);
  {
    std::array<std::array<uint64_t, 256>, 4> part{};  // four counters: no store-to-load stalls
    size_t i = 0;
    for (; i + 4 <= data.size(); i += 4)
      for (int k = 0; k < 4; ++k) ++part[k][data[i + k]];
    for (; i < data.size(); ++i) ++part[0][data[i]];
    for (int s = 0; s < 256; ++s) freq[s] = part[0][s] + part[1][s] + part[2][s] + part[3][s];
  }
  freq[kEndOfBlock] = 1;
  const std::vector<int> lit_len = huffman_lengths(freq, 15);
  const std::vector<uint32_t> lit_code = canonical_codes(lit_len);

  // The code lengths (257 literal/length + 1 distance code of length 0: no distances) are
  // sent with the code-length code, using its symbols 0..15 only (no run-length symbols).
  std::vector<int> all_lengths(lit_len);
  all_lengths.push_back(0);
  std::vector<uint64_t> cl_freq(19, 0);
  for (int l : all_lengths) ++cl_freq[l];
  const std::vector<int> cl_len = huffman_lengths(cl_freq, 7);
  const std::vector<uint32_t> cl_code = canonical_codes(cl_len);
  static const int kOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

  // Worst case: 15 bits per byte, plus the headers.
  std::vector<uint8_t> out(data.size() * 15 / 8 + 1024);
  out[0] = 0x78;  // deflate, 32K window
  out[1] = 0x01;  // fastest; header check bits make 0x7801 a multiple of 31
  BitWriter bits(out.data() + 2);
  bits.put(1, 1);       // final block
  bits.put(2, 2);       // dynamic Huffman
  bits.put(257 - 257, 5);  // HLIT
  bits.put(1 - 1, 5);      // HDIST
  bits.put(19 - 4, 4);     // HCLEN: all 19 code-length code lengths follow
  for (int k = 0; k < 19; ++k) bits.put(cl_len[kOrder[k]], 3);
  for (int l : all_lengths) bits.put(cl_code[l], cl_len[l]);
  std::array<uint32_t, 256> code;
  std::array<int, 256> length;
  for (int s = 0; s < 256; ++s) code[s] = lit_code[s], length[s] = lit_len[s];
  for (uint8_t b : data) bits.put(code[b], length[b]);
  bits.put(lit_code[kEndOfBlock], lit_len[kEndOfBlock]);
  out.resize(bits.finish() - out.data());
  put_be32(out, adler32(data.data(), data.size()));
  return out;
}

}  // namespace

std::vector<uint8_t> encode_png_fast(const cv::Mat& image) {
  CV_Assert(image.type() == CV_8UC1 || image.type() == CV_8UC3);
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  put_be32(ihdr, static_cast<uint32_t>(image.cols));
  put_be32(ihdr, static_cast<uint32_t>(image.rows));
  ihdr.insert(ihdr.end(), {8, static_cast<uint8_t>(image.channels() == 3 ? 2 : 0), 0, 0, 0});  // 8-bit RGB/gray
  put_chunk(png, "IHDR", ihdr.data(), ihdr.size());
  const std::vector<uint8_t> idat = zlib_literals(sub_filtered_rows(image));
  put_chunk(png, "IDAT", idat.data(), idat.size());
  put_chunk(png, "IEND", nullptr, 0);
  return png;
}

}  // namespace s3d::parallax
