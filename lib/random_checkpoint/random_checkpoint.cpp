#include "random_checkpoint/random_checkpoint.hpp"

#include <cmath>

#include "random_checkpoint/checkpoint_writer.hpp"
#include "depth_anything_v2/depth_anything_v2.hpp"

namespace s3d::dav2 {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The golden model's init rules (tiny_vits.json), by parameter name and shape.
void randomize(const std::string& key, torch::Tensor& t, torch::Generator& gen) {
  const bool head = key.rfind("depth_head.", 0) == 0;
  auto randn = [&] { return torch::randn(t.sizes(), gen); };
  if (ends_with(key, ".gamma")) {
    t.copy_(torch::rand(t.sizes(), gen) + 0.5);  // LayerScale: uniform(0.5, 1.5)
  } else if (key == "pretrained.cls_token" || key == "pretrained.pos_embed" || key == "pretrained.mask_token") {
    t.copy_(0.5 * randn());
  } else if (ends_with(key, ".bias")) {
    t.copy_((head ? 0.1 : 0.05) * randn());
    if (key == "depth_head.scratch.output_conv2.2.bias") t.fill_(1.0);  // keeps most of the output above the ReLU
  } else if (t.dim() == 1) {
    t.copy_(1.0 + 0.2 * randn());  // LayerNorm weights
  } else if (key.rfind("depth_head.resize_layers.0.", 0) == 0 || key.rfind("depth_head.resize_layers.1.", 0) == 0) {
    t.copy_(randn() / std::sqrt(static_cast<double>(t.size(0))));  // ConvTranspose2d [in, out, k, k], kernel == stride
  } else {
    t.copy_(randn() / std::sqrt(static_cast<double>(t.numel() / t.size(0))));  // Linear / Conv2d: fan-in
  }
}

}  // namespace

StateDict random_state_dict(const Dav2Config& config, uint64_t seed) {
  torch::NoGradGuard no_grad;
  DepthAnythingV2 model(config);
  auto gen = at::detail::createCPUGenerator(seed);
  StateDict state;
  for (auto& item : model->named_parameters()) {
    auto t = item.value().detach();
    randomize(item.key(), t, gen);
    state.emplace_back(item.key(), t);
  }
  return state;
}

void write_random_checkpoint(const std::string& encoder, const std::filesystem::path& path, uint64_t seed) {
  write_checkpoint(path, random_state_dict(official_config(encoder), seed));
}

}  // namespace s3d::dav2
