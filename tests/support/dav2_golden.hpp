// The tiny Depth-Anything-V2 golden data in ../shared/golden/dav2-tiny, for the LibTorch
// tests (header-only: only the test_depth_* executables link LibTorch).
#pragma once
#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "support/skip.hpp"
#include "support/test_support.hpp"

namespace s3d::test {

// ../shared/golden/dav2-tiny, or empty when ../shared is absent.
inline fs::path golden_dir() {
  const auto shared = shared_dir();
  return shared.empty() ? fs::path() : shared / "golden" / "dav2-tiny";
}

inline fs::path golden_file(const std::string& name) {
  const auto dir = golden_dir();
  return dir.empty() ? fs::path() : dir / name;
}

// The reference tensors are plain torch.save'd tensors, which LibTorch's own unpickler reads.
inline torch::Tensor load_golden(const std::string& name) {
  std::ifstream in(golden_file(name), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return torch::pickle_load(bytes).toTensor();
}

// A golden [H, W] depth tensor as a CV_32FC1 image.
// A golden [H,W] (or [1,H,W]) float tensor as a CV_32FC1 image.
inline cv::Mat golden_depth(const std::string& name) {
  auto t = load_golden(name).contiguous();
  while (t.dim() > 2 && t.size(0) == 1) t = t.squeeze(0);
  return cv::Mat(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), CV_32FC1, t.data_ptr<float>()).clone();
}

}  // namespace s3d::test
