// Faster CPU fp32 versions of the encoder's two hot spots, same arithmetic as the reference
// ops per output element: the linear layers and the attention core (~95% of the encoder).
//
// Why: LibTorch runs its own ops on OpenMP threads but the matrix products on OpenBLAS's
// thread pool; alternating between the two pools every few milliseconds leaves each pool
// spinning on cores the other needs. Here BLAS runs single-threaded inside OpenMP work
// items (rows of tokens, or blocks of query rows per head; threads take the next free item),
// so only one pool exists; the
// attention block also never materializes the [heads, N, N] score tensor (143 MB per vits
// block at 1080p) — each block of scores stays in cache and is soft-maxed in place.
// Which attention and linear implementation runs is one process-wide choice (Kernels):
// S3D_DAV2_KERNELS=custom|sdpa|reference. The default is the fastest measured on a CPU:
// sdpa where LibTorch has it (2.x), else reference — these kernels lost to both at 2
// threads on an idle machine (docs/depth.md, "CPU speed") and stay for comparison. On CUDA
// the custom kernels never run: there scaled_dot_product_attention (flash /
// memory-efficient attention) is used unless `reference` is chosen.
#pragma once
#include <torch/types.h>

namespace s3d::dav2 {

enum class Kernels {
  kCustom,     // these CPU kernels (CPU float32; elsewhere the plain ops)
  kSdpa,       // at::scaled_dot_product_attention + LibTorch's linear (LibTorch >= 2.0)
  kReference,  // the reference op order with plain LibTorch ops
};

// Whether this LibTorch has scaled_dot_product_attention (2.0 and later).
bool sdpa_available();
// The process's choice (S3D_DAV2_KERNELS, read once, else the default above; kSdpa falls back
// to kReference where SDPA is missing).
Kernels kernels();
// Sets it for the whole process (tests and benches compare the paths).
void set_kernels(Kernels k);

// Whether `x` (an activation) takes the custom CPU kernels: CPU, float32, contiguous, kCustom.
bool use_cpu_kernels(const torch::Tensor& x);
// Whether attention on `x` runs through scaled_dot_product_attention: SDPA available, and
// kSdpa chosen, or `x` off the CPU and the choice is not kReference.
bool use_sdpa(const torch::Tensor& x);

// y = x W^T + b for x [..., in], W [out, in]; rows of x split across the intra-op threads.
torch::Tensor linear_cpu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// softmax((q * scale) k^T) v per head from the qkv projection [B, N, 3D] ([q | k | v],
// head-major) -> [B, N, D].
torch::Tensor attention_cpu(const torch::Tensor& qkv, int64_t heads, double scale);
// The same through at::scaled_dot_product_attention (requires sdpa_available()).
torch::Tensor attention_sdpa(const torch::Tensor& qkv, int64_t heads, double scale);

}  // namespace s3d::dav2
