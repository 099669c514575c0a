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

#include "common/parallel.hpp"

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

template <int CN>
class RowWarper {
 public:
  RowWarper(int width, ViewShift shift)
      : w_(width), shift_(shift), pos_(width + 1), first_(width + 1), joins_(width + 1), z_(width) {}

  void warp(const uchar* __restrict src, const float* __restrict depth, uchar* __restrict dst) {
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
    for (int x = 0; x + 1 < w; ++x) joins[x] = joined(pos[x + 1] - pos[x]);  // vectorized too
    joins[w - 1] = 0;
    // Source pixel x alone over the target centres [c0, c1): its own colour and depth.
    const auto splat_flat = [&](int x, int c0, int c1) {
      const float d = depth[x];
      for (int c = c0; c < c1; ++c) {
        if (d <= z[c]) continue;
        z[c] = d;
        for (int k = 0; k < CN; ++k) dst[c * CN + k] = src[x * CN + k];
      }
    };
    bool joined_left = false;
    for (int x = 0; x < w; ++x) {
      const bool joined_right = joins[x];
      if (!joined_left) splat_flat(x, first_centre(pos[x] - 0.5f, w), first[x]);
      if (!joined_right) {
        splat_flat(x, first[x], first_centre(pos[x] + 0.5f, w));
      } else if (first[x] < first[x + 1]) {
        // The segment joining x and x + 1 over [pos(x), pos(x + 1)); f256 = 256 * the
        // fraction of the way at centre c. Colours blend in 8-bit fixed point.
        const float t0 = pos[x], scale256 = 256.0f / (pos[x + 1] - t0);
        const float z0 = depth[x], dz256 = (depth[x + 1] - z0) * (1.0f / 256.0f);
        const uchar* a = src + x * CN;
        const uchar* b = a + CN;
        for (int c = first[x]; c < first[x + 1]; ++c) {
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
  // A hole is what the far surface would show if it continued behind the near one: it is
  // filled from whichever border of the run is farther. Runs touching a frame edge have one
  // border only, so edges are extended rather than left black.
  void fill_holes(const uchar* src, uchar* dst) {
    for (int a = 0; a < w_;) {
      if (z_[a] != kEmpty) {
        ++a;
        continue;
      }
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
  std::vector<float> pos_;   // landing point of each source pixel
  std::vector<int> first_;   // first target centre at or after it
  std::vector<uint8_t> joins_;  // whether source pixel x is joined to x + 1
  std::vector<float> z_;     // nearest depth written to each target pixel, kEmpty if none
};

template <int CN>
void warp_rows(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, cv::Mat& out, int y0, int y1) {
  RowWarper<CN> warper(image.cols, shift);
  for (int y = y0; y < y1; ++y) warper.warp(image.ptr<uchar>(y), depth.ptr<float>(y), out.ptr<uchar>(y));
}

}  // namespace

cv::Mat forward_warp(const cv::Mat& image, const cv::Mat& depth, ViewShift shift, int threads) {
  CV_Assert(image.type() == CV_8UC1 || image.type() == CV_8UC3);
  CV_Assert(depth.type() == CV_32FC1 && depth.size() == image.size());
  cv::Mat out(image.size(), image.type());
  const int bands = std::min(resolve_threads(threads), std::max(1, image.rows / 16));
  const auto run_band = [&](int64_t band) {
    const int y0 = static_cast<int>(image.rows * band / bands), y1 = static_cast<int>(image.rows * (band + 1) / bands);
    if (image.channels() == 3) {
      warp_rows<3>(image, depth, shift, out, y0, y1);
    } else {
      warp_rows<1>(image, depth, shift, out, y0, y1);
    }
  };
  if (bands <= 1) {
    run_band(0);
  } else {
    parallel_for(bands, bands, run_band);
  }
  return out;
}

}  // namespace s3d::parallax
