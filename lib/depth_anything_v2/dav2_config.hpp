// The dimensions of a Depth-Anything-V2 network: the table of the four official encoders
// (the one place they are written down) and their inference from a checkpoint's shapes.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "depth_anything_v2/checkpoint_reader.hpp"

namespace s3d::dav2 {

struct Dav2Config {
  std::string encoder = "vits";      // "vits" | "vitb" | "vitl" | "vitg", or "custom" (e.g. the golden tiny model)
  int embed_dim = 384;               // D, token width
  int depth = 12;                    // number of transformer blocks
  int num_heads = 6;                 // attention heads (head dim 64 in every official model)
  int ffn_hidden = 1536;             // MLP hidden width (SwiGLU: width of each half of w12)
  bool swiglu = false;               // vitg: SwiGLU FFN (mlp.w12/w3) instead of MLP (mlp.fc1/fc2)
  int features = 64;                 // F, DPT head width
  std::array<int, 4> out_channels = {48, 96, 192, 384};  // C, DPT projection widths
  std::array<int, 4> layer_idx = {2, 5, 8, 11};          // blocks whose outputs feed the head (0-based)
  int patch_size = 14;               // pixels per patch side
  int pos_grid = 37;                 // stored position table is pos_grid x pos_grid (518 / 14)

  bool operator==(const Dav2Config& o) const;
};

// The official encoders, in size order: vits, vitb, vitl, vitg.
const std::vector<std::string>& official_encoders();

// The configuration of an official encoder; throws UsageError for another name.
Dav2Config official_config(std::string_view encoder);

// Infers the configuration from tensor shapes (embed dim, block count, FFN kind and width,
// head widths); `encoder` is the official name when every dimension matches one, else
// "custom". Throws Error naming the file and the missing or inconsistent key.
Dav2Config infer_config(const StateDict& state, const std::string& file);

}  // namespace s3d::dav2
