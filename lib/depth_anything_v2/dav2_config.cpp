#include "depth_anything_v2/dav2_config.hpp"

#include <cmath>
#include <map>

#include "core/errors.hpp"

namespace s3d::dav2 {

namespace {

constexpr int kHeadDim = 64;

// Blocks feeding the DPT head, by encoder depth (dpt.py intermediate_layer_idx).
std::array<int, 4> layers_for_depth(int depth) {
  switch (depth) {
    case 12: return {2, 5, 8, 11};
    case 24: return {4, 11, 17, 23};
    case 40: return {9, 19, 29, 39};
    default: return {-1, -1, -1, -1};
  }
}

Dav2Config make(const char* name, int d, int depth, int hidden, bool swiglu, int f, std::array<int, 4> c) {
  Dav2Config cfg;
  cfg.encoder = name;
  cfg.embed_dim = d;
  cfg.depth = depth;
  cfg.num_heads = d / kHeadDim;
  cfg.ffn_hidden = hidden;
  cfg.swiglu = swiglu;
  cfg.features = f;
  cfg.out_channels = c;
  cfg.layer_idx = layers_for_depth(depth);
  return cfg;
}

const std::vector<Dav2Config>& table() {
  // Encoder widths from dinov2.py, head widths from run.py model_configs; the vitg FFN
  // hidden width is (int(4D * 2/3) + 7) // 8 * 8 = 4096 (SwiGLUFFNFused).
  static const std::vector<Dav2Config> configs = {
      make("vits", 384, 12, 1536, false, 64, {48, 96, 192, 384}),
      make("vitb", 768, 12, 3072, false, 128, {96, 192, 384, 768}),
      make("vitl", 1024, 24, 4096, false, 256, {256, 512, 1024, 1024}),
      make("vitg", 1536, 40, 4096, true, 384, {1536, 1536, 1536, 1536}),
  };
  return configs;
}

std::string shape_str(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t i = 0; i < t.dim(); ++i) s += (i ? ", " : "") + std::to_string(t.size(i));
  return s + "]";
}

}  // namespace

bool Dav2Config::operator==(const Dav2Config& o) const {
  return embed_dim == o.embed_dim && depth == o.depth && num_heads == o.num_heads && ffn_hidden == o.ffn_hidden &&
         swiglu == o.swiglu && features == o.features && out_channels == o.out_channels &&
         layer_idx == o.layer_idx && patch_size == o.patch_size && pos_grid == o.pos_grid;
}

const std::vector<std::string>& official_encoders() {
  static const std::vector<std::string> names = {"vits", "vitb", "vitl", "vitg"};
  return names;
}

Dav2Config official_config(std::string_view encoder) {
  for (const auto& cfg : table())
    if (cfg.encoder == encoder) return cfg;
  throw UsageError("unknown Depth-Anything-V2 encoder '" + std::string(encoder) + "' (expected vits, vitb, vitl or vitg)");
}

Dav2Config infer_config(const StateDict& state, const std::string& file) {
  std::map<std::string, torch::Tensor> by_name(state.begin(), state.end());
  auto fail = [&](const std::string& problem) -> Error {
    return Error(file + ": not a Depth-Anything-V2 checkpoint: " + problem);
  };
  auto get = [&](const std::string& key, int64_t rank) {
    auto it = by_name.find(key);
    if (it == by_name.end()) throw fail("key " + key + " is missing");
    if (it->second.dim() != rank)
      throw fail("key " + key + " has shape " + shape_str(it->second) + ", expected rank " + std::to_string(rank));
    return it->second;
  };

  Dav2Config cfg;
  const auto cls = get("pretrained.cls_token", 3);
  cfg.embed_dim = static_cast<int>(cls.size(2));
  if (cfg.embed_dim <= 0 || cfg.embed_dim % kHeadDim)
    throw fail("embed dim " + std::to_string(cfg.embed_dim) + " (from pretrained.cls_token) is not a multiple of " +
               std::to_string(kHeadDim));
  cfg.num_heads = cfg.embed_dim / kHeadDim;

  cfg.depth = 0;
  while (by_name.count("pretrained.blocks." + std::to_string(cfg.depth) + ".norm1.weight")) ++cfg.depth;
  cfg.layer_idx = layers_for_depth(cfg.depth);
  if (cfg.layer_idx[0] < 0)
    throw fail("found " + std::to_string(cfg.depth) + " blocks (pretrained.blocks.N.norm1.weight), expected 12, 24 or 40");

  if (by_name.count("pretrained.blocks.0.mlp.w12.weight")) {
    cfg.swiglu = true;
    cfg.ffn_hidden = static_cast<int>(get("pretrained.blocks.0.mlp.w12.weight", 2).size(0) / 2);
  } else {
    cfg.ffn_hidden = static_cast<int>(get("pretrained.blocks.0.mlp.fc1.weight", 2).size(0));
  }

  cfg.features = static_cast<int>(get("depth_head.scratch.layer1_rn.weight", 4).size(0));
  for (int i = 0; i < 4; ++i)
    cfg.out_channels[i] = static_cast<int>(get("depth_head.projects." + std::to_string(i) + ".weight", 4).size(0));

  const auto pos = get("pretrained.pos_embed", 3);
  const int grid = static_cast<int>(std::lround(std::sqrt(static_cast<double>(pos.size(1) - 1))));
  if (pos.size(1) < 2 || static_cast<int64_t>(grid) * grid + 1 != pos.size(1))
    throw fail("pretrained.pos_embed has shape " + shape_str(pos) + ", expected [1, 1 + g*g, D]");
  cfg.pos_grid = grid;
  cfg.patch_size = static_cast<int>(get("pretrained.patch_embed.proj.weight", 4).size(2));

  cfg.encoder = "custom";
  for (const auto& official : table())
    if (official == cfg) cfg.encoder = official.encoder;
  return cfg;
}

}  // namespace s3d::dav2
