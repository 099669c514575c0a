// Each row is treated as a chain of surface samples. A source pixel x lands at
// t(x) = x + dx(depth(x)); two neighbours whose landing points stay close are joined by a
// linear segment, and every target pixel centre inside the segment takes the linearly
// interpolated colour and depth (the exact inverse of a piecewise-linear warp, so a uniform
// shift by a fraction f gives the same weights as bilinear sampling). Where neighbours are
// torn apart (a depth edge), each keeps its own half-pixel footprint and the gap becomes a
// hole. A depth buffer keeps, per target pixel, the nearest contribution.
#include "parallax/forward_warp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "core/parallel.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace s3d::parallax {
namespace {

constexpr float kEmpty = -std::numeric_limits<float>::infinity();

inline bool joined(float spacing) { return std::abs(spacing - 1.0f) < kMaxShiftStepPx; }

// ceil(t) clamped to [0, w]: the first target pixel centre at or after t.
inline int first_centre(float t, int w) {
  const float clamped = std::min(std::max(t, 0.0f), static_cast<float>(w));
  const int truncated = static_cast<int>(clamped);
  return truncated + (clamped > static_cast<float>(truncated));
}

// dst = (a * (256 - wb) + b * wb + 128) / 256 per channel; a and b are adjacent source
// pixels (b = a + CN).
template <int CN>
inline void blend(const uchar* a, const uchar* b, int wb, uchar* dst) {
#if defined(__SSE2__)
  if constexpr (CN == 3) {
    // Three channels at once in 16-bit lanes. Loads stay inside the two pixels: a[0..3]
    // ends at b[0], and b is read as b[-1..2] and shifted.
    uint32_t ra, rb;
    std::memcpy(&ra, a, 4);
    std::memcpy(&rb, b - 1, 4);
    const __m128i zero = _mm_setzero_si128();
    const __m128i va = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(ra)), zero);
    const __m128i vb = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(rb >> 8)), zero);
    const __m128i sum = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(va, _mm_set1_epi16(static_cast<short>(256 - wb))),
                                                    _mm_mullo_epi16(vb, _mm_set1_epi16(static_cast<short>(wb)))),
                                      _mm_set1_epi16(128));
    const uint32_t out = static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_packus_epi16(_mm_srli_epi16(sum, 8), zero)));
    dst[0] = static_cast<uchar>(out);
    dst[1] = static_cast<uchar>(out >> 8);
    dst[2] = static_cast<uchar>(out >> 16);
    return;
  }
#endif
  for (int k = 0; k < CN; ++k) dst[k] = static_cast<uchar>((a[k] * (256 - wb) + b[k] * wb + 128) >> 8);
}

// Index of the first empty target pixel at or after `a` (w if none): four at a time, since
// most of a row is covered.
inline int next_empty(const float* z, int a, int w) {
#if defined(__SSE2__)
  const __m128i empty = _mm_castps_si128(_mm_set1_ps(kEmpty));
  for (; a + 4 <= w; a += 4) {
    const int mask = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(z + a)), empty)));
    if (mask != 0) return a + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  while (a < w && z[a] != kEmpty) ++a;
  return a;
}

// The first index at or after `i` (w if none) where flags[i] is 0: sixteen at a time, as
// fast-path runs are long.
inline int run_end(const uint8_t* flags, int i, int w) {
#if defined(__SSE2__)
  for (; i + 16 <= w; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(flags + i));
    const int zeros = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
    if (zeros != 0) return i + __builtin_ctz(static_cast<unsigned>(zeros));
  }
#endif
  while (i < w && flags[i]) ++i;
  return i;
}

template <int CN>
class RowWarper {
 public:
  RowWarper(int width, ViewShift shift)
      : w_(width), shift_(shift), pos_(width + 1), first_(width + 1), joins_(width + 1), z_(width),
        weight_(width), centre_z_(width), simple_(width),
        blended_(size_t(width) * CN) {}

  // `fast`: the segments holding exactly one target centre (the common case: neighbours
  // joined, shift nearly constant) take their blend weight, depth and colour from vectorized
  // passes over the whole row; the others go through the general loop. Same output either way.
  void warp(const uchar* __restrict src, const float* __restrict depth, uchar* __restrict dst, bool fast = true) {
    // Local restrict pointers: stores through uchar* may alias anything, so member data
    // would be reloaded after every pixel written.
    const int w = w_;
    float* __restrict pos = pos_.data();
    int* __restrict first = first_.data();
    uint8_t* __restrict joins = joins_.data();
    float* __restrict z = z_.data();
    const float gain = shift_.gain, offset = -shift_.gain * shift_.convergence;
    for (int x = 0; x < w; ++x) {  // vectorized: landing points and their first centres
      pos[x] = static_cast<float>(x) + (gain * depth[x] + offset);
      first[x] = first_centre(pos[x], w);
      z[x] = kEmpty;
    }
    first[w] = w;
    if (fast) {
      blend_first_centres(src, depth);
    } else {
      for (int x = 0; x + 1 < w; ++x) joins[x] = joined(pos[x + 1] - pos[x]);  // vectorized too
    }
    joins[w - 1] = 0;
    const float* __restrict centre_z = centre_z_.data();
    const uchar* __restrict blended = blended_.data();

    // Source pixel x alone over the target centres [c0, c1): its own colour and depth.
    const auto splat_flat = [&](int x, int c0, int c1) {
      const float d = depth[x];
      for (int c = c0; c < c1; ++c) {
        if (d <= z[c]) continue;
        z[c] = d;
        for (int k = 0; k < CN; ++k) dst[c * CN + k] = src[x * CN + k];
      }
    };
    const uint8_t* __restrict simple = simple_.data();
    bool joined_left = false;
    for (int x = 0; x < w; ++x) {
      const bool joined_right = joins[x];
      if (fast && simple[x]) {
        // The common case, inside a surface: one target centre per segment, consecutive
        // along the run, so whole runs are scattered at once.
        const int end = run_end(simple, x + 1, w);
        scatter_run(x, end, first[x], dst);
        x = end - 1;  // the last one is joined on both sides
        continue;
      }
      if (!joined_left) splat_flat(x, first_centre(pos[x] - 0.5f, w), first[x]);
      if (!joined_right) {
        splat_flat(x, first[x], first_centre(pos[x] + 0.5f, w));
      } else if (first[x] < first[x + 1]) {
        int c = first[x];
        if (fast) {  // the segment's first centre was computed in blend_first_centres()
          if (centre_z[x] > z[c]) {
            z[c] = centre_z[x];
            std::memcpy(dst + c * CN, blended + x * CN, CN);
          }
          if (++c == first[x + 1]) {
            joined_left = joined_right;
            continue;
          }
        }
        // The segment joining x and x + 1 over [pos(x), pos(x + 1)); f256 = 256 * the
        // fraction of the way at centre c. Colours blend in 8-bit fixed point.
        const float t0 = pos[x], scale256 = 256.0f / (pos[x + 1] - t0);
        const float z0 = depth[x], dz256 = (depth[x + 1] - z0) * (1.0f / 256.0f);
        const uchar* a = src + x * CN;
        const uchar* b = a + CN;
        for (; c < first[x + 1]; ++c) {
          const float f256 = (static_cast<float>(c) - t0) * scale256;
          const float zc = z0 + f256 * dz256;
          if (zc <= z[c]) continue;
          z[c] = zc;
          blend<CN>(a, b, static_cast<int>(f256 + 0.5f), dst + c * CN);
        }
      }
      joined_left = joined_right;
    }
    fill_holes(src, dst);
  }

 private:
  // Source pixels [x0, x1) of a fast-path run land on the centres c0, c0 + 1, ... each with
  // its precomputed depth and colour, kept where nearer than what is there (usually nothing).
  void scatter_run(int x0, int x1, int c0, uchar* __restrict dst) {
    const float* __restrict centre_z = centre_z_.data();
    const uchar* __restrict blended = blended_.data();
    float* __restrict z = z_.data();
    int x = x0, c = c0;
#if defined(__SSE2__)
    for (; x + 4 <= x1; x += 4, c += 4) {
      const __m128 cz = _mm_loadu_ps(centre_z + x);
      if (_mm_movemask_ps(_mm_cmpgt_ps(cz, _mm_loadu_ps(z + c))) != 0xF) break;  // rare: per pixel below
      _mm_storeu_ps(z + c, cz);
      std::memcpy(dst + c * CN, blended + x * CN, 4 * CN);
    }
#endif
    for (; x < x1; ++x, ++c) {
      if (centre_z[x] <= z[c]) continue;
      z[c] = centre_z[x];
      std::memcpy(dst + c * CN, blended + x * CN, CN);
    }
  }

  // For every joined segment x (source pixels x, x + 1): the depth and colour at its first
  // target centre first[x], with the same float operations as the general loop, so the
  // results are identical. Each loop is branch-free over the row and vectorizes.
  void blend_first_centres(const uchar* __restrict src, const float* __restrict depth) {
    const int w = w_;
    const float* __restrict pos = pos_.data();
    const int* __restrict first = first_.data();
    uint8_t* __restrict joins = joins_.data();
    int* __restrict weight = weight_.data();
    float* __restrict centre_z = centre_z_.data();
    uint8_t* __restrict simple = simple_.data();  // joined on both sides, one centre
    int x = 0;
#if defined(__SSE2__)
    // Four segments at a time (GCC does not vectorize the scalar loop below); the same
    // IEEE operations in the same order, so the same results.
    const __m128 one = _mm_set1_ps(1.0f), max_step = _mm_set1_ps(kMaxShiftStepPx), zero = _mm_setzero_ps();
    const __m128 full = _mm_set1_ps(256.0f), half = _mm_set1_ps(0.5f), inv256 = _mm_set1_ps(1.0f / 256.0f);
    const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7FFFFFFF));
    static const uint32_t kBytes[16] = {0x00000000, 0x00000001, 0x00000100, 0x00000101, 0x00010000, 0x00010001,
                                        0x00010100, 0x00010101, 0x01000000, 0x01000001, 0x01000100, 0x01000101,
                                        0x01010000, 0x01010001, 0x01010100, 0x01010101};  // bit k -> byte k
    int joined_before = 0;  // whether segment x - 1 is joined
    for (; x + 4 < w; x += 4) {
      const __m128 p0 = _mm_loadu_ps(pos + x), spacing = _mm_sub_ps(_mm_loadu_ps(pos + x + 1), p0);
      const __m128 is_joined = _mm_cmplt_ps(_mm_and_ps(_mm_sub_ps(spacing, one), abs_mask), max_step);
      const int bits = _mm_movemask_ps(is_joined);
      std::memcpy(joins + x, &kBytes[bits], 4);
      const __m128i f0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first + x));
      const __m128i centres = _mm_sub_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(first + x + 1)), f0);
      const int one_centre = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(centres, _mm_set1_epi32(1))));
      std::memcpy(simple + x, &kBytes[bits & ((bits << 1) | joined_before) & one_centre], 4);
      joined_before = bits >> 3;
      const __m128 safe = _mm_or_ps(_mm_and_ps(is_joined, spacing), _mm_andnot_ps(is_joined, one));
      const __m128 scale256 = _mm_div_ps(full, safe);
      const __m128 z0 = _mm_loadu_ps(depth + x);
      const __m128 dz256 = _mm_mul_ps(_mm_sub_ps(_mm_loadu_ps(depth + x + 1), z0), inv256);
      const __m128 c = _mm_cvtepi32_ps(f0);
      const __m128 f256 = _mm_min_ps(_mm_max_ps(_mm_mul_ps(_mm_sub_ps(c, p0), scale256), zero), full);
      _mm_storeu_ps(centre_z + x, _mm_add_ps(z0, _mm_mul_ps(f256, dz256)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(weight + x), _mm_cvttps_epi32(_mm_add_ps(f256, half)));
    }
#endif
    const int vector_end = x;
    for (; x + 1 < w; ++x) {
      const float spacing = pos[x + 1] - pos[x];
      joins[x] = joined(spacing);
      // Unjoined segments are not used; a unit spacing keeps their values finite.
      const float scale256 = 256.0f / (joined(spacing) ? spacing : 1.0f);
      const float z0 = depth[x], dz256 = (depth[x + 1] - z0) * (1.0f / 256.0f);
      const float f256 = std::min(std::max((static_cast<float>(first[x]) - pos[x]) * scale256, 0.0f), 256.0f);
      centre_z[x] = z0 + f256 * dz256;
      weight[x] = static_cast<int>(f256 + 0.5f);
    }
    joins[w - 1] = 0;
    for (int i = vector_end; i < w; ++i)
      simple[i] = i > 0 && joins[i - 1] && joins[i] && first[i + 1] - first[i] == 1;
    // colour = (a * (256 - wb) + b * wb + 128) >> 8 per byte, a and b the two pixels:
    // at most 255 * 256 + 128, so 16-bit lanes suffice.
    uchar* __restrict blended = blended_.data();
    int i = 0;
#if defined(__SSE2__)
    if constexpr (CN == 3) {
      // Eight pixels (24 bytes) per step; each weight spread over its pixel's three lanes.
      const __m128i zero = _mm_setzero_si128(), full = _mm_set1_epi16(256), round = _mm_set1_epi16(128);
      const auto blend8 = [&](int byte, __m128i wb) {
        const __m128i a = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + byte)), zero);
        const __m128i b = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + byte + 3)), zero);
        const __m128i sum = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(a, _mm_sub_epi16(full, wb)), _mm_mullo_epi16(b, wb)), round);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(blended + byte), _mm_packus_epi16(_mm_srli_epi16(sum, 8), zero));
      };
      const auto low_high = [](__m128i low, __m128i high) {  // low quadword of one, high of the other
        return _mm_castpd_si128(_mm_move_sd(_mm_castsi128_pd(high), _mm_castsi128_pd(low)));
      };
      for (int x = 0; x + 8 < w; x += 8, i += 24) {
        const __m128i w8 = _mm_packs_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(weight + x)),
                                           _mm_loadu_si128(reinterpret_cast<const __m128i*>(weight + x + 4)));
        const __m128i w0123 = _mm_unpacklo_epi64(w8, w8), w4567 = _mm_unpackhi_epi64(w8, w8);
        // lanes w0 w0 w0 w1 w1 w1 w2 w2 | w2 w3 w3 w3 w4 w4 w4 w5 | w5 w5 w6 w6 w6 w7 w7 w7
        blend8(i, _mm_shufflehi_epi16(_mm_shufflelo_epi16(w0123, _MM_SHUFFLE(1, 0, 0, 0)), _MM_SHUFFLE(2, 2, 1, 1)));
        blend8(i + 8, low_high(_mm_shufflelo_epi16(w0123, _MM_SHUFFLE(3, 3, 3, 2)),
                               _mm_shufflehi_epi16(w4567, _MM_SHUFFLE(1, 0, 0, 0))));
        blend8(i + 16, _mm_shufflehi_epi16(_mm_shufflelo_epi16(w4567, _MM_SHUFFLE(2, 2, 1, 1)), _MM_SHUFFLE(3, 3, 3, 2)));
      }
    }
#endif
    for (const int n = (w - 1) * CN; i < n; ++i) {
      const int wb = weight[i / CN];
      blended[i] = static_cast<uchar>((src[i] * (256 - wb) + src[i + CN] * wb + 128) >> 8);
    }
  }

  // A hole is what the far surface would show if it continued behind the near one: it is
  // filled from whichever border of the run is farther. Runs touching a frame edge have one
  // border only, so edges are extended rather than left black.
  void fill_holes(const uchar* src, uchar* dst) {
    for (int a = next_empty(z_.data(), 0, w_); a < w_; a = next_empty(z_.data(), a, w_)) {
      int b = a;
      while (b < w_ && z_[b] == kEmpty) ++b;
      if (a == 0 && b == w_) {  // nothing landed in this row: keep the source row
        std::copy(src, src + w_ * CN, dst);
        return;
      }
      int side, step;
      if (a == 0) {
        side = b, step = 1;
      } else if (b == w_) {
        side = a - 1, step = -1;
      } else if (z_[a - 1] <= z_[b]) {
        side = a - 1, step = -1;
      } else {
        side = b, step = 1;
      }
      float colour[CN];
      background_colour(dst, side, step, colour);
      for (int c = a; c < b; ++c)
        for (int k = 0; k < CN; ++k) dst[c * CN + k] = static_cast<uchar>(colour[k] + 0.5f);
      a = b;
    }
  }

  // The colour of the far surface at a hole: the mean of the hole's border pixel and the
  // next ones along the row (kHoleFillSamples), as far as they lie on the same surface (their
  // shift within one step of the border's): the mean of a few samples is a better estimate
  // of unseen background than any single, noisy pixel, and stays local.
  void background_colour(const uchar* dst, int side, int step, float* colour) const {
    float sum[CN] = {};
    int n = 0;
    for (int p = side; n < kHoleFillSamples && p >= 0 && p < w_ && z_[p] != kEmpty; p += step, ++n) {
      if (n > 0 && std::abs(shift_.gain * (z_[p] - z_[side])) >= kMaxShiftStepPx) break;
      for (int k = 0; k < CN; ++k) sum[k] += dst[p * CN + k];
    }
    for (int k = 0; k < CN; ++k) colour[k] = sum[k] / n;
  }

  int w_;
  ViewShift shift_;
  std::vector<float> pos_;      // landing point of each source pixel
  std::vector<int> first_;      // first target centre at or after it
  std::vector<uint8_t> joins_;  // whether source pixel x is joined to x + 1
  std::vector<float> z_;        // nearest depth written to each target pixel, kEmpty if none
  // Fast path, per joined segment x: at its first target centre, the blend weight of x + 1
  // (0..256), the depth and the colour.
  std::vector<int> weight_;
  std::vector<float> centre_z_;
  std::vector<uint8_t> simple_;  // joined on both sides with exactly one centre: the fast path
  std::vector<uchar> blended_;
};

// One view to make: its shift and where it goes.
struct ViewJob {
  ViewShift shift;
  cv::Mat* out;
};

// Rows [y0, y1) of every view, row by row: the views of one source row are made while its
// pixels and depth are in cache.
template <int CN>
void warp_rows(const cv::Mat& image, const cv::Mat& depth, const std::vector<ViewJob>& views, int y0, int y1, bool fast) {
  std::vector<RowWarper<CN>> warpers;
  for (const ViewJob& view : views) warpers.emplace_back(image.cols, view.shift);
  for (int y = y0; y < y1; ++y)
    for (size_t v = 0; v < views.size(); ++v)
      warpers[v].warp(image.ptr<uchar>(y), depth.ptr<float>(y), views[v].out->ptr<uchar>(y), fast);
}

void warp_image(const cv::Mat& image, const cv::Mat& depth, const std::vector<ViewJob>& views, int threads, bool fast) {
  CV_Assert(image.type() == CV_8UC1 || image.type() == CV_8UC3);
  CV_Assert(depth.type() == CV_32FC1 && depth.size() == image.size());
  for (const ViewJob& view : views) {
    CV_Assert(view.out->data == nullptr || view.out->data != image.data);
    view.out->create(image.size(), image.type());
  }
  const int bands = std::min(resolve_threads(threads), std::max(1, image.rows / 16));
  const auto run_band = [&](int64_t band) {
    const int y0 = static_cast<int>(image.rows * band / bands), y1 = static_cast<int>(image.rows * (band + 1) / bands);
    if (image.channels() == 3) {
      warp_rows<3>(image, depth, views, y0, y1, fast);
    } else {
      warp_rows<1>(image, depth, views, y0, y1, fast);
    }
  };
  if (bands <= 1) {
    run_band(0);
  } else {
    parallel_for(bands, bands, run_band);
  }
}

}  // namespace

cv::Mat forward_warp(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int threads) {
  cv::Mat out;
  warp_image(image, depth, {{shift, &out}}, threads, true);
  return out;
}

void forward_warp_pair(const cv::Mat& image, const cv::Mat& depth, ViewShift shift_a, ViewShift shift_b, int threads,
                       cv::Mat& out_a, cv::Mat& out_b) {
  CV_Assert(&out_a != &out_b);
  warp_image(image, depth, {{shift_a, &out_a}, {shift_b, &out_b}}, threads, true);
}

cv::Mat forward_warp_reference(const cv::Mat& image, const cv::Mat& depth, ViewShift shift) {
  cv::Mat out;
  warp_image(image, depth, {{shift, &out}}, 1, false);
  return out;
}

}  // namespace s3d::parallax
