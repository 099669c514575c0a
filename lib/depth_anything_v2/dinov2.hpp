// The DINOv2 ViT encoder (dinov2.py DinoVisionTransformer), eval path, no register tokens.
#pragma once
#include <torch/nn.h>
#include <vector>

#include "depth_anything_v2/dav2_config.hpp"
#include "depth_anything_v2/dinov2_layers.hpp"

namespace s3d::dav2 {

struct DinoVisionTransformerImpl : torch::nn::Module {
  explicit DinoVisionTransformerImpl(const Dav2Config& config);

  // The position table for a ph x pw patch grid: [1, 1 + ph*pw, D] (row 0 = class token).
  // Bicubic resampling of the stored grid with scale factors (ph + 0.1) / g, (pw + 0.1) / g,
  // except for the stored grid size itself (g x g), which is used as is.
  torch::Tensor interpolate_pos_encoding(int64_t ph, int64_t pw);

  // Normalized (final norm) patch tokens [B, ph*pw, D] after each block of `layers`
  // (0-based, ascending), class token dropped. `image` is [B, 3, 14*ph, 14*pw].
  std::vector<torch::Tensor> get_intermediate_layers(const torch::Tensor& image, const std::vector<int>& layers);

  Dav2Config config;
  torch::Tensor cls_token, pos_embed, mask_token;  // mask_token: only used for masked training
  PatchEmbed patch_embed{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  std::vector<Block> block_list;  // the same modules as `blocks`, typed
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(DinoVisionTransformer);

}  // namespace s3d::dav2
