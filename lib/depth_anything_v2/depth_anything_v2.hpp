// The whole Depth-Anything-V2 network (dpt.py DepthAnythingV2): DINOv2 encoder `pretrained`
// + DPT head `depth_head`, and loading it from an official checkpoint.
#pragma once
#include <filesystem>
#include <torch/nn.h>

#include "depth_anything_v2/checkpoint_reader.hpp"
#include "depth_anything_v2/dav2_config.hpp"
#include "depth_anything_v2/dinov2.hpp"
#include "depth_anything_v2/dpt_head.hpp"

namespace s3d::dav2 {

struct DepthAnythingV2Impl : torch::nn::Module {
  explicit DepthAnythingV2Impl(const Dav2Config& config);
  // [B, 3, 14*ph, 14*pw] normalized RGB -> raw relative inverse depth [B, 14*ph, 14*pw].
  torch::Tensor forward(const torch::Tensor& image);
  Dav2Config config;
  DinoVisionTransformer pretrained{nullptr};
  DPTHead depth_head{nullptr};
};
TORCH_MODULE(DepthAnythingV2);

// Checkpoint keys that may be absent because inference never uses them.
bool is_unused_at_inference(const std::string& key);

// Copies `state` into `model` by name, strictly: every parameter present with the same
// shape (except is_unused_at_inference keys, which may be absent) and no key left over.
// Throws Error naming `file` and listing the mismatches (the first few, with expected vs got
// shapes, and how many in total).
void load_state_dict_strict(torch::nn::Module& model, const StateDict& state, const std::string& file);

// Reads a checkpoint, infers its configuration and loads it strictly (fp32, eval mode).
DepthAnythingV2 load_depth_anything_v2(const std::filesystem::path& checkpoint);

}  // namespace s3d::dav2
