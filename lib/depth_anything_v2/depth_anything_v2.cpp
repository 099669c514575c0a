#include "depth_anything_v2/depth_anything_v2.hpp"

#include <map>
#include <set>

#include "core/errors.hpp"

namespace s3d::dav2 {

namespace {

std::string shape_str(torch::IntArrayRef sizes) {
  std::string s = "[";
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + "]";
}

constexpr size_t kMismatchesShown = 10;

}  // namespace

DepthAnythingV2Impl::DepthAnythingV2Impl(const Dav2Config& cfg) : config(cfg) {
  pretrained = register_module("pretrained", DinoVisionTransformer(cfg));
  depth_head = register_module("depth_head", DPTHead(cfg));
}

torch::Tensor DepthAnythingV2Impl::forward(const torch::Tensor& image) {
  const int64_t ph = image.size(2) / config.patch_size, pw = image.size(3) / config.patch_size;
  const std::vector<int> layers(config.layer_idx.begin(), config.layer_idx.end());
  auto features = pretrained->get_intermediate_layers(image, layers);
  return torch::relu(depth_head->forward(features, ph, pw)).squeeze(1);
}

bool is_unused_at_inference(const std::string& key) {
  return key == "pretrained.mask_token" || key.rfind("depth_head.scratch.refinenet4.resConfUnit1.", 0) == 0;
}

void load_state_dict_strict(torch::nn::Module& model, const StateDict& state, const std::string& file) {
  std::map<std::string, torch::Tensor> by_name;
  std::vector<std::string> problems;
  for (const auto& [key, tensor] : state)
    if (!by_name.emplace(key, tensor).second) problems.push_back(key + ": stored twice");

  auto params = model.named_parameters(/*recurse=*/true);
  std::set<std::string> used;
  for (const auto& item : params) {
    const std::string& key = item.key();
    auto it = by_name.find(key);
    if (it == by_name.end()) {
      if (!is_unused_at_inference(key)) problems.push_back(key + ": missing, expected shape " + shape_str(item.value().sizes()));
      continue;
    }
    used.insert(key);
    const auto& src = it->second;
    if (src.sizes() != item.value().sizes()) {
      problems.push_back(key + ": expected shape " + shape_str(item.value().sizes()) + ", got " + shape_str(src.sizes()));
    } else if (!src.is_floating_point()) {
      problems.push_back(key + ": expected a floating-point tensor, got " + std::string(c10::toString(src.scalar_type())));
    }
  }
  for (const auto& [key, tensor] : state)
    if (!used.count(key)) problems.push_back(key + ": unexpected key, shape " + shape_str(tensor.sizes()));
  if (!problems.empty()) {
    std::string msg = file + ": checkpoint does not match the network (" + std::to_string(problems.size()) + " problem" +
                      (problems.size() > 1 ? "s" : "") + "):";
    for (size_t i = 0; i < problems.size() && i < kMismatchesShown; ++i) msg += "\n  " + problems[i];
    if (problems.size() > kMismatchesShown) msg += "\n  ... and " + std::to_string(problems.size() - kMismatchesShown) + " more";
    throw Error(msg);
  }

  torch::NoGradGuard no_grad;
  for (auto& item : params) {
    auto it = by_name.find(item.key());
    if (it != by_name.end()) item.value().copy_(it->second.to(torch::kFloat));
  }
}

DepthAnythingV2 load_depth_anything_v2(const std::filesystem::path& checkpoint) {
  const auto state = read_checkpoint(checkpoint);
  const auto config = infer_config(state, checkpoint.string());
  DepthAnythingV2 model(config);
  load_state_dict_strict(*model, state, checkpoint.string());
  model->eval();
  return model;
}

}  // namespace s3d::dav2
