// PNG = signature, IHDR, IDAT (a zlib stream), IEND; each chunk carries a CRC-32. The zlib
// stream here is one final deflate block of type 2 (dynamic Huffman, RFC 1951 3.2.7) holding
// only literals and the end-of-block symbol, then the Adler-32 of the filtered bytes.
#include "imageio/png_encoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <queue>

#include "imageio/png_chunks.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace s3d {
namespace {

// Adler-32 (RFC 1950). Per 16-byte block: a += sum(p), b += 16 * a_before + sum((16 - i) * p[i]),
// with SSE2 sums; reduced modulo 65521 before the 32-bit lanes can overflow.
uint32_t adler32(const uint8_t* p, size_t n) {
  constexpr uint32_t kMod = 65521;
  uint32_t a = 1, b = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i w_lo = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9), w_hi = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
  const auto lanes_sum = [](__m128i v) {
    alignas(16) uint32_t l[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(l), v);
    return uint64_t(l[0]) + l[1] + l[2] + l[3];
  };
  while (n >= 16) {
    const size_t blocks = std::min<size_t>(n / 16, 5552 / 16);  // keeps every lane below 2^32
    __m128i sum_a = zero, prefix = zero, weighted = zero;      // 32-bit lanes
    for (size_t k = 0; k < blocks; ++k, p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      prefix = _mm_add_epi32(prefix, sum_a);
      sum_a = _mm_add_epi32(sum_a, _mm_sad_epu8(v, zero));
      weighted = _mm_add_epi32(weighted, _mm_add_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(v, zero), w_lo),
                                                       _mm_madd_epi16(_mm_unpackhi_epi8(v, zero), w_hi)));
    }
    const uint64_t block_sum = lanes_sum(sum_a);
    b = static_cast<uint32_t>((b + uint64_t(a) * 16 * blocks + 16 * lanes_sum(prefix) + lanes_sum(weighted)) % kMod);
    a = static_cast<uint32_t>((a + block_sum) % kMod);
    n -= 16 * blocks;
  }
#endif
  while (n > 0) {
    const size_t chunk = std::min<size_t>(n, 5552);  // largest run before b can overflow
    for (size_t i = 0; i < chunk; ++i) {
      a += p[i];
      b += a;
    }
    a %= kMod;
    b %= kMod;
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

// Least-significant-bit-first bit stream. Codes are at most kMaxCodeBits long, so four of
// them plus 7 pending bits fit a 64-bit accumulator: whole bytes are flushed with one
// unaligned 8-byte store, without branches (the buffer has 8 bytes of slack).
constexpr int kMaxCodeBits = 12;
class BitWriter {
 public:
  explicit BitWriter(uint8_t* out) : out_(out) {}
  void add(uint32_t bits, int count) {  // at most 56 bits between flushes
    acc_ |= uint64_t(bits) << used_;
    used_ += count;
  }
  void flush() {
    std::memcpy(out_, &acc_, 8);
    out_ += used_ >> 3;
    acc_ >>= used_ & ~7;  // < 64: at most 7 + 4 * 12 or 7 + 32 bits were pending
    used_ &= 7;
  }
  void put(uint32_t bits, int count) {  // count <= 32
    add(bits, count);
    flush();
  }
  // Writes the last partial byte; returns the end of the stream.
  uint8_t* finish() {
    flush();
    if (used_ > 0) *out_++ = static_cast<uint8_t>(acc_);
    return out_;
  }

 private:
  uint8_t* out_;
  uint64_t acc_ = 0;
  int used_ = 0;
};

// Rows as PNG stores them (RGB order), each prefixed with filter type 1 (SUB: the
// difference to the same channel of the pixel on the left), into `out`. Counts the bytes of
// every fourth row into `histogram`: enough to build a good code, at a quarter of the cost.
void sub_filter_rows(const cv::Mat& image, cv::Mat& rgb, uint8_t* out, std::array<uint64_t, 256>& histogram) {
  const int w = image.cols, cn = image.channels();
  const size_t row_bytes = size_t(w) * cn + 1;
  const cv::Mat* pixels = &image;
  if (cn == 3) {
    cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);  // vectorized by OpenCV
    pixels = &rgb;
  }
  std::array<std::array<uint32_t, 256>, 4> part{};  // four counters: no store-to-load stalls
  for (int y = 0; y < image.rows; ++y) {
    const uint8_t* src = pixels->ptr<uint8_t>(y);
    uint8_t* dst = out + row_bytes * y;
    dst[0] = 1;
    for (int i = 0; i < cn; ++i) dst[1 + i] = src[i];
    for (size_t i = cn; i < size_t(w) * cn; ++i) dst[1 + i] = static_cast<uint8_t>(src[i] - src[i - cn]);  // vectorized
    if (y % 4 != 0) continue;
    size_t i = 0;
    for (; i + 4 <= row_bytes; i += 4)
      for (int k = 0; k < 4; ++k) ++part[k][dst[i + k]];
    for (; i < row_bytes; ++i) ++part[0][dst[i]];
    if (y % 16384 == 0) {  // 32-bit counts cannot overflow in 4096 sampled rows
      for (int s = 0; s < 256; ++s) histogram[s] += uint64_t(part[0][s]) + part[1][s] + part[2][s] + part[3][s];
      part = {};
    }
  }
  for (int s = 0; s < 256; ++s) histogram[s] += uint64_t(part[0][s]) + part[1][s] + part[2][s] + part[3][s];
  // Bytes only in unsampled rows still need a code: every byte value gets one.
  for (auto& count : histogram) ++count;
}

// 16-bit gray rows as PNG stores them (big-endian samples), SUB-filtered per byte at two
// bytes per pixel; histogram as sub_filter_rows.
void sub_filter_rows16(const cv::Mat& image, uint8_t* out, std::array<uint64_t, 256>& histogram) {
  const int w = image.cols;
  const size_t row_bytes = size_t(w) * 2 + 1;
  for (int y = 0; y < image.rows; ++y) {
    const uint16_t* src = image.ptr<uint16_t>(y);
    uint8_t* dst = out + row_bytes * y;
    dst[0] = 1;
    uint8_t hi_prev = 0, lo_prev = 0;
    for (int x = 0; x < w; ++x) {
      const uint8_t hi = static_cast<uint8_t>(src[x] >> 8), lo = static_cast<uint8_t>(src[x]);
      dst[1 + 2 * x] = static_cast<uint8_t>(hi - hi_prev);
      dst[2 + 2 * x] = static_cast<uint8_t>(lo - lo_prev);
      hi_prev = hi;
      lo_prev = lo;
    }
    for (size_t i = 0; i < row_bytes; ++i) ++histogram[dst[i]];
  }
  for (auto& count : histogram) ++count;
}

// Writes the zlib stream (RFC 1950) of one dynamic-Huffman, literals-only deflate block of
// `data` at `out` (room for the worst case: kMaxCodeBits per byte + 1 KiB); returns its end.
uint8_t* zlib_literals(const uint8_t* data, size_t size, const std::array<uint64_t, 256>& histogram, uint8_t* out) {
  constexpr int kEndOfBlock = 256;
  std::vector<uint64_t> freq(histogram.begin(), histogram.end());
  freq.push_back(1);  // kEndOfBlock
  const std::vector<int> lit_len = huffman_lengths(freq, kMaxCodeBits);
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

  out[0] = 0x78;  // deflate, 32K window
  out[1] = 0x01;  // fastest; header check bits make 0x7801 a multiple of 31
  BitWriter bits(out + 2);
  bits.put(1, 1);          // final block
  bits.put(2, 2);          // dynamic Huffman
  bits.put(257 - 257, 5);  // HLIT
  bits.put(1 - 1, 5);      // HDIST
  bits.put(19 - 4, 4);     // HCLEN: all 19 code-length code lengths follow
  for (int k = 0; k < 19; ++k) bits.put(cl_len[kOrder[k]], 3);
  for (int l : all_lengths) bits.put(cl_code[l], cl_len[l]);
  std::array<uint32_t, 256> code;
  std::array<uint8_t, 256> length;
  for (int s = 0; s < 256; ++s) code[s] = lit_code[s], length[s] = static_cast<uint8_t>(lit_len[s]);
  size_t i = 0;
  for (; i + 4 <= size; i += 4) {
    for (int k = 0; k < 4; ++k) bits.add(code[data[i + k]], length[data[i + k]]);
    bits.flush();
  }
  for (; i < size; ++i) bits.put(code[data[i]], length[data[i]]);
  bits.put(lit_code[kEndOfBlock], lit_len[kEndOfBlock]);
  return png::write_be32(bits.finish(), adler32(data, size));
}

}  // namespace

uint8_t* ScratchBytes::reserve(size_t size) {
  if (size > capacity_) {
    data_.reset(new uint8_t[size]);  // uninitialized: every byte used is written first
    capacity_ = size;
  }
  return data_.get();
}

FastPngEncoder::Bytes FastPngEncoder::encode(const cv::Mat& image) {
  CV_Assert(image.type() == CV_8UC1 || image.type() == CV_8UC3 || image.type() == CV_16UC1);
  const bool wide = image.depth() == CV_16U;
  const size_t filtered_size = (size_t(image.cols) * image.channels() * (wide ? 2 : 1) + 1) * image.rows;
  std::array<uint64_t, 256> histogram{};
  if (wide) {
    sub_filter_rows16(image, filtered_.reserve(filtered_size), histogram);
  } else {
    sub_filter_rows(image, rgb_, filtered_.reserve(filtered_size), histogram);
  }

  const size_t idat_room = filtered_size * kMaxCodeBits / 8 + 1024;
  uint8_t* png = png_.reserve(idat_room + 1024);
  std::memcpy(png, png::kSignature, 8);
  uint8_t* ihdr = png + 8;
  uint8_t* p = png::write_be32(png::write_be32(ihdr + 8, static_cast<uint32_t>(image.cols)), static_cast<uint32_t>(image.rows));
  // 8-bit RGB/gray or 16-bit gray
  const uint8_t format[5] = {static_cast<uint8_t>(wide ? 16 : 8), static_cast<uint8_t>(image.channels() == 3 ? 2 : 0), 0, 0, 0};
  std::memcpy(p, format, 5);
  uint8_t* idat = png::close_chunk(ihdr, "IHDR", 13);
  const uint8_t* idat_end = zlib_literals(filtered_.data(), filtered_size, histogram, idat + 8);
  uint8_t* iend = png::close_chunk(idat, "IDAT", static_cast<size_t>(idat_end - (idat + 8)));
  const uint8_t* end = png::close_chunk(iend, "IEND", 0);
  return {png, static_cast<size_t>(end - png)};
}

std::vector<uint8_t> encode_png_fast(const cv::Mat& image) {
  FastPngEncoder encoder;
  const auto bytes = encoder.encode(image);
  return std::vector<uint8_t>(bytes.data, bytes.data + bytes.size);
}

}  // namespace s3d
