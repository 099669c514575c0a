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
// S3D_DAV2_KERNELS=reference selects the plain LibTorch ops instead (for comparisons).
#pragma once
#include <torch/types.h>

namespace s3d::dav2 {

// Whether `x` (an activation) takes these kernels: CPU, float32, contiguous, and enabled
// (the default unless S3D_DAV2_KERNELS=reference).
bool use_cpu_kernels(const torch::Tensor& x);
// Turns the kernels on or off for the whole process (tests compare both paths).
void set_cpu_kernels_enabled(bool enabled);

// y = x W^T + b for x [..., in], W [out, in]; rows of x split across the intra-op threads.
torch::Tensor linear_cpu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// softmax((q * scale) k^T) v per head from the qkv projection [B, N, 3D] ([q | k | v],
// head-major) -> [B, N, D].
torch::Tensor attention_cpu(const torch::Tensor& qkv, int64_t heads, double scale);

}  // namespace s3d::dav2
