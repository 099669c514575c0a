#include "depth_anything_v2/cpu_kernels.hpp"

#include <ATen/Parallel.h>
#include <torch/version.h>
#if TORCH_VERSION_MAJOR >= 2
#include <ATen/ops/scaled_dot_product_attention.h>
#endif
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>

namespace s3d::dav2 {

namespace {

std::atomic<Kernels>& chosen_kernels() {
  static std::atomic<Kernels> chosen = [] {
    const char* env = std::getenv("S3D_DAV2_KERNELS");
    const std::string name = env ? env : "";
    if (name == "custom" || name == "s3d") return Kernels::kCustom;  // ("s3d": its former name)
    if (name == "reference") return Kernels::kReference;
    // Unset or "sdpa": the fastest measured (bench/depth_speed.sh, vits 1080p, 2 threads, an
    // idle 2-core machine): LibTorch 2.15 sdpa 1.49 s/frame, custom 1.67, reference 3.38;
    // LibTorch 1.13 (no SDPA) reference 6.84, custom 8.40.
    return sdpa_available() ? Kernels::kSdpa : Kernels::kReference;
  }();
  return chosen;
}

// OpenBLAS's own threads would compete with the OpenMP workers that call it. Looked up at
// run time: with another BLAS (reference, MKL) there is nothing to do.
void make_blas_single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] {
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  });
}

constexpr int64_t kScoreBytes = 1 << 20;  // ~1 MB of scores per work item: stays in L2
constexpr int64_t kLinearRows = 128;       // rows of tokens per linear work item

// Runs item(i) for i in [0, count) on the intra-op threads, each taking the next unclaimed
// item (not a fixed share), so a thread the OS preempts on a busy machine delays the others
// by one item at most. setup() runs once per thread and returns its per-thread state.
template <typename Setup, typename Item>
void parallel_items(int64_t count, Setup setup, Item item) {
  std::atomic<int64_t> next{0};
  at::parallel_for(0, at::get_num_threads(), 1, [&](int64_t, int64_t) {
    auto state = setup();
    for (int64_t i = next++; i < count; i = next++) item(state, i);
  });
}

}  // namespace

bool sdpa_available() { return TORCH_VERSION_MAJOR >= 2; }

Kernels kernels() { return chosen_kernels(); }

void set_kernels(Kernels k) { chosen_kernels() = (k == Kernels::kSdpa && !sdpa_available()) ? Kernels::kReference : k; }

bool use_cpu_kernels(const torch::Tensor& x) {
  return x.device().is_cpu() && x.scalar_type() == torch::kFloat && x.is_contiguous() && kernels() == Kernels::kCustom;
}

bool use_sdpa(const torch::Tensor& x) {
  if (!sdpa_available()) return false;
  return kernels() == Kernels::kSdpa || (!x.device().is_cpu() && kernels() != Kernels::kReference);
}

torch::Tensor attention_sdpa([[maybe_unused]] const torch::Tensor& qkv, [[maybe_unused]] int64_t heads,
                             [[maybe_unused]] double scale) {
#if TORCH_VERSION_MAJOR >= 2
  const int64_t B = qkv.size(0), N = qkv.size(1), D = qkv.size(2) / 3;
  // [B, N, 3D] -> [3, B, heads, N, hd] ([q | k | v], head-major), as the reference.
  const auto qkv_heads = qkv.reshape({B, N, 3, heads, D / heads}).permute({2, 0, 3, 1, 4});
  const auto out = at::scaled_dot_product_attention(qkv_heads[0], qkv_heads[1], qkv_heads[2], /*attn_mask=*/{},
                                                    /*dropout_p=*/0.0, /*is_causal=*/false, scale);
  return out.transpose(1, 2).reshape({B, N, D});
#else
  throw std::logic_error("attention_sdpa: this LibTorch has no scaled_dot_product_attention");
#endif
}

torch::Tensor linear_cpu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  make_blas_single_threaded();
  const int64_t in = x.size(-1), out_features = weight.size(0);
  const auto rows = x.reshape({-1, in});
  auto out = torch::empty({rows.size(0), out_features}, x.options());
  const auto wt = weight.t();
  const auto b = bias.expand({out_features});
  const int64_t n = rows.size(0);
  parallel_items(
      (n + kLinearRows - 1) / kLinearRows, [] { return 0; },
      [&](int, int64_t i) {
        const int64_t begin = i * kLinearRows, end = std::min(n, begin + kLinearRows);
        auto o = out.slice(0, begin, end);
        at::addmm_out(o, b, rows.slice(0, begin, end), wt);
      });
  auto sizes = x.sizes().vec();
  sizes.back() = out_features;
  return out.view(sizes);
}

torch::Tensor attention_cpu(const torch::Tensor& qkv, int64_t heads, double scale) {
  make_blas_single_threaded();
  const int64_t B = qkv.size(0), N = qkv.size(1), D = qkv.size(2) / 3, hd = D / heads;
  const int64_t rows = std::clamp<int64_t>(kScoreBytes / (N * static_cast<int64_t>(sizeof(float))), 16, N);
  const int64_t blocks = (N + rows - 1) / rows;
  auto out = torch::empty({B, N, D}, qkv.options());
  const auto q_all = qkv.slice(2, 0, D) * scale;  // scaled before the product, as the reference
  // One work item = one block of query rows of one head of one image; one score buffer per thread.
  parallel_items(
      B * heads * blocks, [&] { return torch::empty({rows, N}, qkv.options()); },
      [&](torch::Tensor& scores, int64_t item) {
        const int64_t b = item / (heads * blocks), h = item / blocks % heads, r = item % blocks * rows;
        const int64_t r_end = std::min(N, r + rows);
        const auto q = q_all[b].slice(0, r, r_end).slice(1, h * hd, (h + 1) * hd);  // strided views, no copies
        const auto kt = qkv[b].slice(1, D + h * hd, D + (h + 1) * hd).t();
        const auto v = qkv[b].slice(1, 2 * D + h * hd, 2 * D + (h + 1) * hd);
        auto s = scores.slice(0, 0, r_end - r);
        at::mm_out(s, q, kt);
        at::_softmax_out(s, s, 1, false);  // row-wise, reads each row before writing it
        auto o = out[b].slice(0, r, r_end).slice(1, h * hd, (h + 1) * hd);
        at::mm_out(o, s, v);
      });
  return out;
}

}  // namespace s3d::dav2
