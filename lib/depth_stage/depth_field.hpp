// Depth at the estimator's own resolution, and how it becomes the frame's size. This is what
// the pipeline keeps: Depth-Anything-V2's network output (about 924x518 for any 16:9 frame)
// or the heuristic's guided-filter model (320x180, two planes), 16-bit — several times
// smaller than a frame-sized map — and s3d-parallax redoes the upsampling exactly, from the
// frame it warps anyway. See docs/depth-maps.md ("fields").
#pragma once
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>

#include "core/enum_names.hpp"
#include "depth_stage/normalization.hpp"

namespace s3d::depth_stage {

struct DepthField {
  enum class Kind {
    // raw = `a` upsampled bilinearly with corners aligned (PyTorch's align_corners=True, as
    // Depth-Anything-V2's infer_image resizes its output); `a` may have the frame's size
    kBilinear,
    // raw = A * G + B: A, B = `a`, `b` upsampled bilinearly (pixel centres), G = the frame's
    // gray (BT.601) blurred by a 5x5 Gaussian of sigma 1, in 0..1 — the heuristic's guided filter
    kGuided,
  };
  Kind kind = Kind::kBilinear;
  cv::Mat a, b;  // CV_32FC1; `b` for kGuided only, of `a`'s size
};

const EnumNames<DepthField::Kind>& field_kind_names();  // bilinear guided

// The raw depth of `field` at the size of `frame` (8-bit BGR; kBilinear uses only its size).
cv::Mat render_field(const DepthField& field, const cv::Mat& frame);
// The raw depth of `field` on its own grid (`a`'s size): `a` itself for kBilinear; kGuided
// rendered with the frame shrunk to that size (area average). Its range stands in for the
// frame-sized rendering's when a stored field is normalized, at a fraction of the cost.
cv::Mat render_on_grid(const DepthField& field, const cv::Mat& frame);
// The same for kBilinear fields, whose rendering needs no picture.
cv::Mat render_bilinear(const cv::Mat& a, cv::Size size);

// How a field is stored: one 16-bit gray image — `a`, or `a` and `b` side by side — each
// plane mapped linearly from its [lo, hi] onto 0..65535 (a flat plane stores 0).
struct FieldEncoding {
  DepthField::Kind kind = DepthField::Kind::kBilinear;
  cv::Size size;    // one plane's size
  DepthRange a, b;  // each plane's stored range
};
// Quantizes `field` into its stored image; fills `encoding`.
cv::Mat encode_field(const DepthField& field, FieldEncoding& encoding);
// The field an image stores (exactly what encode_field's output decodes to). Throws Error
// naming `name` when the image does not fit the encoding.
DepthField decode_field(const cv::Mat& image16, const FieldEncoding& encoding, const std::string& name);

// Whether frame `index` of the depth store `dir` is stored as a field (its sidecar says so).
bool is_field_frame(const std::filesystem::path& dir, int64_t index);
// The normalized depth of a field frame of `dir` (0 = far .. 1 = near by the frame's mapping,
// clamped to [0, 1] as a png16 map's quantization clamps it) at the size of
// `picture`, into `depth` (CV_32FC1, memory reused). `picture` is the frame the field was
// made for (`frame_size`, checked against the sidecar), or that frame resized (e.g. squeezed
// for a half-width eye). Throws Error naming the file.
void read_field_depth(const std::filesystem::path& dir, int64_t index, cv::Size frame_size, const cv::Mat& picture,
                      cv::Mat& depth);

}  // namespace s3d::depth_stage
