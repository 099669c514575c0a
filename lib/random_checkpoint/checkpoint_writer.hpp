// Writes a state dict in the format of Python's torch.save: a zip (LibTorch's
// PyTorchStreamWriter, top-level folder "archive/") whose data.pkl is a protocol-2 pickle of
// a collections.OrderedDict name -> tensor, tensors rebuilt by torch._utils._rebuild_tensor_v2
// from storages in data/<n>. Python's torch.load and read_checkpoint both read it.
#pragma once
#include <filesystem>

#include "depth_anything_v2/checkpoint_reader.hpp"

namespace s3d::dav2 {

// Tensors must be CPU float32, float16 or bfloat16 (stored as Float/Half/BFloat16Storage).
// Written atomically (temp name + rename). Throws Error naming the file.
void write_checkpoint(const fs::path& path, const StateDict& state);

}  // namespace s3d::dav2
