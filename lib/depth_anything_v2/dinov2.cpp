#include "depth_anything_v2/dinov2.hpp"

#include "core/errors.hpp"

namespace s3d::dav2 {

namespace F = torch::nn::functional;

namespace {
constexpr double kInterpolateOffset = 0.1;  // dinov2 interpolate_offset
}

DinoVisionTransformerImpl::DinoVisionTransformerImpl(const Dav2Config& cfg) : config(cfg) {
  const int D = cfg.embed_dim;
  cls_token = register_parameter("cls_token", torch::zeros({1, 1, D}));
  pos_embed = register_parameter("pos_embed", torch::zeros({1, cfg.pos_grid * cfg.pos_grid + 1, D}));
  mask_token = register_parameter("mask_token", torch::zeros({1, D}));
  patch_embed = register_module("patch_embed", PatchEmbed(cfg.patch_size, D));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < cfg.depth; ++i) {
    block_list.emplace_back(D, cfg.num_heads, cfg.ffn_hidden, cfg.swiglu);
    blocks->push_back(block_list.back());
  }
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({D}).eps(1e-6)));
}

torch::Tensor DinoVisionTransformerImpl::interpolate_pos_encoding(int64_t ph, int64_t pw) {
  const int64_t g = config.pos_grid, D = config.embed_dim;
  if (ph == g && pw == g) return pos_embed;
  auto grid = pos_embed.slice(1, 1).reshape({1, g, g, D}).permute({0, 3, 1, 2});
  // The reference passes scale factors, and PyTorch maps coordinates with them (not with
  // g / ph): passing the output size instead would shift the samples.
  const std::vector<double> scale = {(ph + kInterpolateOffset) / g, (pw + kInterpolateOffset) / g};
  auto resized = F::interpolate(grid, F::InterpolateFuncOptions()
                                          .mode(torch::kBicubic)
                                          .align_corners(false)
                                          .recompute_scale_factor(false)
                                          .scale_factor(scale));
  if (resized.size(2) != ph || resized.size(3) != pw)
    throw Error("position grid resampled to " + std::to_string(resized.size(2)) + "x" + std::to_string(resized.size(3)) +
                ", expected " + std::to_string(ph) + "x" + std::to_string(pw));
  auto patches = resized.permute({0, 2, 3, 1}).reshape({1, ph * pw, D});
  return torch::cat({pos_embed.slice(1, 0, 1), patches}, 1);
}

std::vector<torch::Tensor> DinoVisionTransformerImpl::get_intermediate_layers(const torch::Tensor& image,
                                                                              const std::vector<int>& layers) {
  const int64_t B = image.size(0);
  const int64_t ph = image.size(2) / config.patch_size, pw = image.size(3) / config.patch_size;
  auto x = patch_embed(image);
  x = torch::cat({cls_token.expand({B, 1, config.embed_dim}).to(x.dtype()), x}, 1);
  x = x + interpolate_pos_encoding(ph, pw).to(x.dtype());

  std::vector<torch::Tensor> outputs;
  size_t next = 0;
  for (int i = 0; i < config.depth && next < layers.size(); ++i) {
    x = block_list[i](x);
    if (i == layers[next]) {
      outputs.push_back(norm(x).slice(1, 1));  // the class token is not used by the head
      ++next;
    }
  }
  return outputs;
}

}  // namespace s3d::dav2
