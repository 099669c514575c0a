// Depth-Anything-V2's image2tensor and the final resize of infer_image, reproduced exactly:
// BGR -> RGB, /255 in float64, cubic resize in float64 to a multiple of 14 whose short side is
// `input_size`, ImageNet normalization, float32 CHW; and bilinear (align_corners) back.
#pragma once
#include <opencv2/core.hpp>
#include <torch/types.h>
#include <vector>

namespace s3d::dav2 {

constexpr int kPatchSize = 14;
constexpr int kDefaultInputSize = 518;

// Network input size for a frame: both sides scaled by the larger of input/H and input/W,
// each rounded to a multiple of 14 (half to even, as numpy), raised to >= input_size.
cv::Size network_input_size(cv::Size frame, int input_size);

// An 8-bit BGR frame -> normalized float32 RGB tensor [3, H, W] at network_input_size.
torch::Tensor image_to_tensor(const cv::Mat& bgr, int input_size);

// The same preprocessing for a batch of equal-size 8-bit BGR frames, computed on `device`:
// the frames go there as 8-bit (a quarter of the float bytes; from pinned memory,
// asynchronously, on CUDA), and the conversion, PyTorch's bicubic resize (a = -0.75 and
// pixel centres, as OpenCV's INTER_CUBIC) and the normalization run there, in float32.
// -> [B, 3, H, W] of `dtype`. Matches image_to_tensor within 1e-4 (tested on the CPU).
torch::Tensor frames_to_tensor(const std::vector<cv::Mat>& bgr, int input_size, torch::Device device,
                               torch::Dtype dtype);

// Raw network output [B, h, w] -> [B, frame.height, frame.width] (bilinear, align_corners=True).
torch::Tensor resize_to_frame(const torch::Tensor& depth, cv::Size frame);

}  // namespace s3d::dav2
