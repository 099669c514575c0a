// The DPT depth head (dpt.py DPTHead + util/blocks.py), use_bn=False, use_clstoken=False.
#pragma once
#include <torch/nn.h>
#include <optional>
#include <vector>

#include "depth_anything_v2/dav2_config.hpp"

namespace s3d::dav2 {

// relu -> conv1 -> relu -> conv2, plus the un-ReLU'd input.
struct ResidualConvUnitImpl : torch::nn::Module {
  explicit ResidualConvUnitImpl(int features);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(ResidualConvUnit);

// [a + resConfUnit1(b)] -> resConfUnit2 -> bilinear (align_corners) upsample -> out_conv.
struct FeatureFusionBlockImpl : torch::nn::Module {
  explicit FeatureFusionBlockImpl(int features);
  // `skip` may be undefined (refinenet4); `size` is the output size, else twice the input.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip, std::optional<std::vector<int64_t>> size);
  ResidualConvUnit resConfUnit1{nullptr}, resConfUnit2{nullptr};
  torch::nn::Conv2d out_conv{nullptr};
};
TORCH_MODULE(FeatureFusionBlock);

// The `scratch` container of DPTHead: per-level 3x3 convs, fusion blocks and output convs.
struct DPTScratchImpl : torch::nn::Module {
  DPTScratchImpl(int features, const std::array<int, 4>& out_channels);
  std::vector<torch::nn::Conv2d> layer_rn;       // layer1_rn .. layer4_rn (no bias)
  std::vector<FeatureFusionBlock> refinenet;     // refinenet1 .. refinenet4
  torch::nn::Conv2d output_conv1{nullptr};
  torch::nn::Sequential output_conv2{nullptr};   // conv3x3, ReLU, conv1x1, ReLU, Identity
};
TORCH_MODULE(DPTScratch);

struct DPTHeadImpl : torch::nn::Module {
  explicit DPTHeadImpl(const Dav2Config& config);
  // Four [B, ph*pw, D] token maps -> depth [B, 1, 14*ph, 14*pw] (after the final ReLU of output_conv2).
  torch::Tensor forward(const std::vector<torch::Tensor>& features, int64_t ph, int64_t pw);
  torch::nn::ModuleList projects{nullptr}, resize_layers{nullptr};
  std::vector<torch::nn::Conv2d> project_list;
  torch::nn::ConvTranspose2d resize0{nullptr}, resize1{nullptr};
  torch::nn::Conv2d resize3{nullptr};  // resize_layers.2 is Identity
  DPTScratch scratch{nullptr};
  int patch_size;  // output is patch_size x the token grid
};
TORCH_MODULE(DPTHead);

}  // namespace s3d::dav2
