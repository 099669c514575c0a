#include "depth_anything_v2/dav2_estimator.hpp"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <cstring>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "depth_anything_v2/depth_anything_v2.hpp"

namespace s3d::dav2 {

const EnumNames<Device>& device_names() {
  static const EnumNames<Device> names = {{Device::kAuto, "auto"}, {Device::kCpu, "cpu"}, {Device::kCuda, "cuda"}};
  return names;
}

const EnumNames<Precision>& precision_names() {
  static const EnumNames<Precision> names = {
      {Precision::kFp32, "fp32"}, {Precision::kFp16, "fp16"}, {Precision::kBf16, "bf16"}};
  return names;
}

const OptionTable<Dav2Options>& Dav2Options::table() {
  static const auto table =
      OptionTable<Dav2Options>()
          .choice("device", &Dav2Options::device, device_names(), "auto (CUDA if available) | cpu | cuda")
          .choice("precision", &Dav2Options::precision, precision_names(),
                  "fp32 | fp16 | bf16: the model converted to 16 bits (for CUDA; on the CPU fp32 is "
                  "the fast one, and LibTorch 1.x has no 16-bit CPU kernels)")
          .number("input-size", &Dav2Options::input_size, Bounds{kPatchSize, 4088},
                  "Depth-Anything-V2 network input: short side in pixels (rounded to a multiple of 14)", "PX");
  return table;
}

torch::Device resolve_device(Device requested) {
  if (requested == Device::kCpu) return torch::kCPU;
  if (requested == Device::kCuda) {
    if (!torch::cuda::is_available()) throw UsageError("--device cuda: no CUDA device available (LibTorch sees none)");
    return torch::kCUDA;
  }
  return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

void Dav2Options::check() const {
  table().check(*this);
  if (threads < 0) throw UsageError("--threads: expected >= 0, got " + std::to_string(threads));
  if (precision != Precision::kFp32 && resolve_device(device).is_cpu() && !cpu_runs_16_bit())
    throw UsageError("--precision " + precision_names().name(precision) + " needs a CUDA device or LibTorch 2.x "
                     "(this is LibTorch " TORCH_VERSION ", whose CPU runs fp32 only)");
  std::error_code ec;
  if (checkpoint.empty() || !std::filesystem::is_regular_file(checkpoint, ec))
    throw Error("checkpoint " + checkpoint.string() + " not found");
}

bool cpu_runs_16_bit() { return TORCH_VERSION_MAJOR >= 2; }

torch::Dtype precision_dtype(Precision precision) {
  switch (precision) {
    case Precision::kFp16: return torch::kHalf;
    case Precision::kBf16: return torch::kBFloat16;
    case Precision::kFp32: break;
  }
  return torch::kFloat;
}

struct Dav2Estimator::Model {
  DepthAnythingV2 net{nullptr};
};

Dav2Estimator::Dav2Estimator(Dav2Options options) : options_(std::move(options)), device_(torch::kCPU) {
  options_.check();
  device_ = resolve_device(options_.device);
}

Dav2Estimator::~Dav2Estimator() = default;

void Dav2Estimator::load() {
  if (model_) return;
  // LibTorch starts with one intra-op thread here unless told otherwise.
  at::set_num_threads(resolve_threads(options_.threads));
  auto model = std::make_unique<Model>();
  model->net = load_depth_anything_v2(options_.checkpoint);
  // fp16/bf16: the weights themselves converted (every op then runs in 16 bits: half the
  // memory traffic, tensor cores on CUDA), not autocast's per-op casts.
  model->net->to(device_, precision_dtype(options_.precision));
  model_ = std::move(model);
}

std::string Dav2Estimator::name() const {
  return model_ ? "dav2-" + model_->net->config.encoder : std::string("dav2");
}

torch::Tensor Dav2Estimator::run_batch(const std::vector<cv::Mat>& frames, bool network_size) {
  const auto dtype = precision_dtype(options_.precision);
  torch::Tensor batch;
  if (device_.is_cpu()) {
    // OpenCV's float64 cubic resize: the reference preprocessing exactly.
    std::vector<torch::Tensor> inputs;
    for (const auto& frame : frames) inputs.push_back(image_to_tensor(frame, options_.input_size));
    batch = torch::stack(inputs).to(dtype);
  } else {
    // Off the CPU the frames go up as 8-bit and are prepared there (see frames_to_tensor),
    // so the CPU never becomes the bottleneck of a fast GPU.
    batch = frames_to_tensor(frames, options_.input_size, device_, dtype);
  }
  // Back to float on the device (the final resize in float, as the reference), then one copy
  // to the host: the only wait for the GPU.
  auto depth = model_->net->forward(batch).to(torch::kFloat);
  if (!network_size) depth = resize_to_frame(depth, frames.front().size());
  return depth.to(torch::kCPU).contiguous();
}

void Dav2Estimator::run_groups(const std::vector<cv::Mat>& bgr_frames, bool network_size,
                               const std::function<void(size_t, cv::Mat)>& take) {
  load();
  c10::InferenceMode inference;  // no autograd bookkeeping at all
  // Consecutive frames of one size form one batch (a video's frames all do).
  for (size_t begin = 0; begin < bgr_frames.size();) {
    size_t end = begin + 1;
    while (end < bgr_frames.size() && bgr_frames[end].size() == bgr_frames[begin].size()) ++end;
    const std::vector<cv::Mat> group(bgr_frames.begin() + begin, bgr_frames.begin() + end);
    const auto depth = run_batch(group, network_size);
    for (int64_t i = 0; i < depth.size(0); ++i) {
      cv::Mat map(static_cast<int>(depth.size(1)), static_cast<int>(depth.size(2)), CV_32FC1);
      std::memcpy(map.data, depth[i].data_ptr<float>(), sizeof(float) * map.total());
      take(begin + static_cast<size_t>(i), map);
    }
    begin = end;
  }
}

std::vector<cv::Mat> Dav2Estimator::estimate(const std::vector<cv::Mat>& bgr_frames) {
  std::vector<cv::Mat> out(bgr_frames.size());
  run_groups(bgr_frames, false, [&](size_t i, cv::Mat map) { out[i] = std::move(map); });
  return out;
}

std::vector<depth_stage::DepthField> Dav2Estimator::estimate_fields(const std::vector<cv::Mat>& bgr_frames) {
  std::vector<depth_stage::DepthField> out(bgr_frames.size());
  run_groups(bgr_frames, true, [&](size_t i, cv::Mat map) {
    out[i] = {depth_stage::DepthField::Kind::kBilinear, std::move(map), cv::Mat()};
  });
  return out;
}

}  // namespace s3d::dav2
