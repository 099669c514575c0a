// Comparing images against expectations, with the tolerance policy of docs/testing.md (after
// OpenImageIO's idiff): a per-value threshold `fail`, the fraction of values allowed past it
// `fail_fraction`, and `hard_fail`, past which a single value fails the comparison. Every
// image comparison in the suite names one of the policies below (or states its own).
#pragma once
#include <limits>
#include <opencv2/core.hpp>
#include <string>

namespace s3d::test {

struct Tolerance {
  double fail = 0;           // a value (pixel channel) differing by more than this counts as failed
  double fail_fraction = 0;  // at most this fraction of all values may fail, 0..1
  double hard_fail = std::numeric_limits<double>::infinity();  // any value beyond this fails outright
  const char* name = "custom";
};

// The shared policies, in the images' own units (8-bit levels; 16-bit levels; raw floats).
inline constexpr Tolerance kExact{0, 0, 0, "exact"};  // lossless paths: decode, copy, pad, full packs
// One 8-bit level where two correct implementations round differently (INTER_AREA vs
// round-half-up averaging; JPEG-free paths only).
inline constexpr Tolerance kRounding8{1, 0, 1, "rounding (1 level)"};
// 16-bit depth maps from float depth that matches its reference to 1e-4 (golden data): 1e-4 of a
// ~3.7 raw range is 1.8 levels, plus 0.5 for rounding.
inline constexpr Tolerance kGoldenDepth16{2.5, 0, 2.5, "golden depth (2.5 of 65535)"};
// Raw network outputs against the official implementation (values O(1)): golden.json's hint.
inline constexpr Tolerance kGoldenFloat{1e-4, 0, 1e-4, "golden float (1e-4)"};

struct Comparison {
  double max_diff = 0;         // largest absolute difference of any value
  double mean_diff = 0;        // mean absolute difference
  double failed_fraction = 0;  // values differing by more than `fail`
  bool passed = false;
  std::string report;          // one line for INFO(): the numbers and the policy
};

// Compares two images of the same size and channel count (any depth; compared as doubles).
Comparison compare_images(const cv::Mat& expected, const cv::Mat& actual, const Tolerance& tolerance);

}  // namespace s3d::test

// REQUIREs that `actual` matches `expected` under `tolerance`, reporting the numbers.
#define S3D_REQUIRE_IMAGES_MATCH(expected, actual, tolerance)                              \
  do {                                                                                      \
    const auto s3d_cmp_ = s3d::test::compare_images((expected), (actual), (tolerance));    \
    INFO(s3d_cmp_.report);                                                                  \
    REQUIRE(s3d_cmp_.passed);                                                               \
  } while (false)
#define S3D_CHECK_IMAGES_MATCH(expected, actual, tolerance)                                \
  do {                                                                                      \
    const auto s3d_cmp_ = s3d::test::compare_images((expected), (actual), (tolerance));    \
    INFO(s3d_cmp_.report);                                                                  \
    CHECK(s3d_cmp_.passed);                                                                 \
  } while (false)
