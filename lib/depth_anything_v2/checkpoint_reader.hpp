// Reads the state dict of a checkpoint written by Python's torch.save (zip format, PyTorch
// >= 1.6, torch 1.x or 2.x): the OrderedDict name -> tensor that the official Depth-Anything-V2
// .pth files hold. LibTorch 1.13's own unpickler cannot read an OrderedDict, hence this reader.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

namespace s3d::dav2 {

namespace fs = std::filesystem;

// Tensors in file order. Storages may be float32, float16, bfloat16 or float64 (kept as
// stored) or integer/bool types.
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

// Throws s3d::Error naming the file and the problem for a missing, truncated, corrupt,
// foreign (not torch.save) or non-state-dict file.
StateDict read_checkpoint(const fs::path& path);

}  // namespace s3d::dav2
