#include "depth_anything_v2/dinov2_layers.hpp"

#include "depth_anything_v2/cpu_kernels.hpp"

#include <algorithm>
#include <cmath>

namespace s3d::dav2 {

namespace F = torch::nn::functional;
constexpr double kLayerNormEps = 1e-6;

PatchEmbedImpl::PatchEmbedImpl(int patch_size, int embed_dim) {
  proj = register_module("proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, embed_dim, patch_size).stride(patch_size)));
}

torch::Tensor PatchEmbedImpl::forward(const torch::Tensor& image) {
  return proj(image).flatten(2).transpose(1, 2);  // [B, D, ph, pw] -> [B, ph*pw, D]
}

LayerScaleImpl::LayerScaleImpl(int dim) { gamma = register_parameter("gamma", torch::ones({dim})); }

AttentionImpl::AttentionImpl(int dim, int heads) : num_heads(heads) {
  qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
  proj = register_module("proj", torch::nn::Linear(dim, dim));
}

namespace {

// The reference op order: q scaled, softmax(q k^T) v for all heads at once.
torch::Tensor attention_reference(const torch::Tensor& qkv_out, int64_t heads, double scale) {
  const int64_t B = qkv_out.size(0), N = qkv_out.size(1), D = qkv_out.size(2) / 3;
  // [B, N, 3D] -> [3, B, heads, N, hd]; channels are laid out [q | k | v], head-major.
  auto qkv_heads = qkv_out.reshape({B, N, 3, heads, D / heads}).permute({2, 0, 3, 1, 4});
  auto attn = (qkv_heads[0] * scale).matmul(qkv_heads[1].transpose(-2, -1)).softmax(-1);
  return attn.matmul(qkv_heads[2]).transpose(1, 2).reshape({B, N, D});
}

torch::Tensor linear(torch::nn::Linear layer, const torch::Tensor& x) {
  return use_cpu_kernels(x) ? linear_cpu(x, layer->weight, layer->bias) : layer->forward(x);
}

}  // namespace

torch::Tensor AttentionImpl::forward(const torch::Tensor& x) {
  const int64_t hd = x.size(2) / num_heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  auto qkv_out = linear(qkv, x);
  auto heads_out = use_cpu_kernels(qkv_out) ? attention_cpu(qkv_out, num_heads, scale)
                   : use_sdpa(qkv_out)      ? attention_sdpa(qkv_out, num_heads, scale)
                                            : attention_reference(qkv_out, num_heads, scale);
  return linear(proj, heads_out);
}

MlpImpl::MlpImpl(int dim, int hidden) {
  fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
  fc2 = register_module("fc2", torch::nn::Linear(hidden, dim));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) { return linear(fc2, F::gelu(linear(fc1, x))); }

SwiGLUFFNImpl::SwiGLUFFNImpl(int dim, int hidden) {
  w12 = register_module("w12", torch::nn::Linear(dim, 2 * hidden));
  w3 = register_module("w3", torch::nn::Linear(hidden, dim));
}

torch::Tensor SwiGLUFFNImpl::forward(const torch::Tensor& x) {
  auto halves = linear(w12, x).chunk(2, -1);
  return linear(w3, F::silu(halves[0]) * halves[1]);
}

BlockImpl::BlockImpl(int dim, int num_heads, int ffn_hidden, bool swiglu) {
  const auto ln = torch::nn::LayerNormOptions({dim}).eps(kLayerNormEps);
  norm1 = register_module("norm1", torch::nn::LayerNorm(ln));
  attn = register_module("attn", Attention(dim, num_heads));
  ls1 = register_module("ls1", LayerScale(dim));
  norm2 = register_module("norm2", torch::nn::LayerNorm(ln));
  if (swiglu) swiglu_mlp = register_module("mlp", SwiGLUFFN(dim, ffn_hidden));
  else mlp = register_module("mlp", Mlp(dim, ffn_hidden));
  ls2 = register_module("ls2", LayerScale(dim));
}

torch::Tensor BlockImpl::forward(torch::Tensor x) {
  x = x + ls1(attn(norm1(x)));
  auto h = norm2(x);
  return x + ls2(mlp ? mlp(h) : swiglu_mlp(h));
}

}  // namespace s3d::dav2
