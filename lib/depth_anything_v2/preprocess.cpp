#include "depth_anything_v2/preprocess.hpp"

#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <torch/nn/functional.h>

#include "core/errors.hpp"

namespace s3d::dav2 {

namespace {

// util/transform.py Resize.constrain_to_multiple_of with min_val = input size, no max.
int constrain_to_multiple(double x, int min_val) {
  double y = std::nearbyint(x / kPatchSize) * kPatchSize;  // numpy round: half to even
  if (y < min_val) y = std::ceil(x / kPatchSize) * kPatchSize;
  return static_cast<int>(y);
}

}  // namespace

cv::Size network_input_size(cv::Size frame, int input_size) {
  double sh = static_cast<double>(input_size) / frame.height;
  double sw = static_cast<double>(input_size) / frame.width;
  // keep_aspect_ratio + lower_bound: the larger scale wins, so the short side maps to input_size.
  if (sw > sh) sh = sw;
  else sw = sh;
  return {constrain_to_multiple(sw * frame.width, input_size), constrain_to_multiple(sh * frame.height, input_size)};
}

torch::Tensor image_to_tensor(const cv::Mat& bgr, int input_size) {
  if (bgr.type() != CV_8UC3 || bgr.empty()) throw Error("Depth-Anything-V2 input must be a non-empty 8-bit BGR image");
  // float64 like numpy's img / 255.0 (a true division, not a multiplication by 1/255).
  cv::Mat rgb(bgr.size(), CV_64FC3);
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* src = bgr.ptr<cv::Vec3b>(y);
    auto* dst = rgb.ptr<cv::Vec3d>(y);
    for (int x = 0; x < bgr.cols; ++x)
      dst[x] = cv::Vec3d(src[x][2] / 255.0, src[x][1] / 255.0, src[x][0] / 255.0);
  }
  const cv::Size size = network_input_size(bgr.size(), input_size);
  cv::Mat resized;
  cv::resize(rgb, resized, size, 0, 0, cv::INTER_CUBIC);  // cubic overshoot is kept, as the reference

  static const double kMean[3] = {0.485, 0.456, 0.406}, kStd[3] = {0.229, 0.224, 0.225};
  auto tensor = torch::empty({3, size.height, size.width}, torch::kFloat);
  float* out = tensor.data_ptr<float>();
  const int64_t plane = static_cast<int64_t>(size.width) * size.height;
  for (int y = 0; y < size.height; ++y) {
    const auto* row = resized.ptr<cv::Vec3d>(y);
    for (int x = 0; x < size.width; ++x)
      for (int c = 0; c < 3; ++c)
        out[c * plane + static_cast<int64_t>(y) * size.width + x] = static_cast<float>((row[x][c] - kMean[c]) / kStd[c]);
  }
  return tensor;
}

torch::Tensor frames_to_tensor(const std::vector<cv::Mat>& bgr, int input_size, torch::Device device,
                               torch::Dtype dtype) {
  namespace F = torch::nn::functional;
  if (bgr.empty()) throw Error("Depth-Anything-V2: an empty batch");
  const cv::Size frame = bgr.front().size();
  for (const auto& image : bgr)
    if (image.type() != CV_8UC3 || image.empty() || image.size() != frame)
      throw Error("Depth-Anything-V2 batch input must be non-empty 8-bit BGR images of one size");
  const auto batch = static_cast<int64_t>(bgr.size());
  auto host = torch::empty({batch, frame.height, frame.width, 3},
                           torch::TensorOptions(torch::kUInt8).pinned_memory(device.is_cuda()));
  const size_t row = static_cast<size_t>(frame.width) * 3;
  auto* dst = host.data_ptr<uint8_t>();
  for (const auto& image : bgr)
    for (int y = 0; y < frame.height; ++y, dst += row) std::memcpy(dst, image.ptr(y), row);
  const cv::Size size = network_input_size(frame, input_size);
  // BGR -> RGB, HWC -> CHW, 0..1, on the device.
  auto x = host.to(device, /*non_blocking=*/true).flip({3}).permute({0, 3, 1, 2}).to(torch::kFloat).div_(255.0);
  x = F::interpolate(x, F::InterpolateFuncOptions()
                            .size(std::vector<int64_t>{size.height, size.width})
                            .mode(torch::kBicubic)
                            .align_corners(false));
  const auto options = torch::TensorOptions(torch::kFloat).device(device);
  const auto mean = torch::tensor({0.485f, 0.456f, 0.406f}, options).view({1, 3, 1, 1});
  const auto std = torch::tensor({0.229f, 0.224f, 0.225f}, options).view({1, 3, 1, 1});
  return x.sub_(mean).div_(std).to(dtype).contiguous();
}

torch::Tensor resize_to_frame(const torch::Tensor& depth, cv::Size frame) {
  namespace F = torch::nn::functional;
  return F::interpolate(depth.unsqueeze(1), F::InterpolateFuncOptions()
                                                .size(std::vector<int64_t>{frame.height, frame.width})
                                                .mode(torch::kBilinear)
                                                .align_corners(true))
      .squeeze(1);
}

}  // namespace s3d::dav2
