// Random-weight Depth-Anything-V2 checkpoints of any official size, in the official key
// layout and file format, for benchmarks and tests of the full-size code paths. Weights are
// scaled like the golden tiny model's (fan-in normalized, LayerScale ~1, biases small) so the
// network's activations and run time are realistic; the depth they give means nothing.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "depth_anything_v2/checkpoint_reader.hpp"
#include "depth_anything_v2/dav2_config.hpp"

namespace s3d::dav2 {

// The network's parameters with random values, named like the official checkpoints.
// Deterministic for a given seed.
StateDict random_state_dict(const Dav2Config& config, uint64_t seed);

// Writes random_state_dict(official_config(encoder), seed) to `path` (torch.save format).
// Throws UsageError for an unknown encoder, Error on a write failure.
void write_random_checkpoint(const std::string& encoder, const std::filesystem::path& path, uint64_t seed = 0);

}  // namespace s3d::dav2
