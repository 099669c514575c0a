// The DINOv2 building blocks (dinov2_layers/*.py), one LibTorch module per Python class,
// registered under the Python attribute names so that parameter names equal checkpoint keys.
#pragma once
#include <torch/nn.h>

namespace s3d::dav2 {

// patch_embed: Conv2d(3, D, k=patch, s=patch) then flatten to tokens [B, ph*pw, D] (row-major).
struct PatchEmbedImpl : torch::nn::Module {
  PatchEmbedImpl(int patch_size, int embed_dim);
  torch::Tensor forward(const torch::Tensor& image);
  torch::nn::Conv2d proj{nullptr};
};
TORCH_MODULE(PatchEmbed);

// ls1 / ls2: per-channel scale `gamma`.
struct LayerScaleImpl : torch::nn::Module {
  explicit LayerScaleImpl(int dim);
  torch::Tensor forward(const torch::Tensor& x) { return x * gamma; }
  torch::Tensor gamma;
};
TORCH_MODULE(LayerScale);

// attn: qkv Linear(D, 3D) -> softmax((q * hd^-0.5) k^T) v per head -> proj Linear(D, D).
struct AttentionImpl : torch::nn::Module {
  AttentionImpl(int dim, int num_heads);
  torch::Tensor forward(const torch::Tensor& x);
  int num_heads;
  torch::nn::Linear qkv{nullptr}, proj{nullptr};
};
TORCH_MODULE(Attention);

// mlp (vits/b/l): fc1 -> exact (erf) GELU -> fc2.
struct MlpImpl : torch::nn::Module {
  MlpImpl(int dim, int hidden);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Mlp);

// mlp (vitg): w12 -> silu(first half) * second half -> w3.
struct SwiGLUFFNImpl : torch::nn::Module {
  SwiGLUFFNImpl(int dim, int hidden);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear w12{nullptr}, w3{nullptr};
};
TORCH_MODULE(SwiGLUFFN);

// One pre-norm transformer block with LayerScale:
// x += ls1(attn(norm1(x))); x += ls2(mlp(norm2(x))).
struct BlockImpl : torch::nn::Module {
  BlockImpl(int dim, int num_heads, int ffn_hidden, bool swiglu);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  Attention attn{nullptr};
  LayerScale ls1{nullptr}, ls2{nullptr};
  Mlp mlp{nullptr};              // set unless swiglu
  SwiGLUFFN swiglu_mlp{nullptr};  // set if swiglu (registered as "mlp" too)
};
TORCH_MODULE(Block);

}  // namespace s3d::dav2
