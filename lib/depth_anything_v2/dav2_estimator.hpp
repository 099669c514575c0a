// Depth-Anything-V2 as a DepthEstimator: infer_image for a batch of frames, on CPU or CUDA.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <torch/types.h>

#include "core/option_table.hpp"
#include "depth_anything_v2/preprocess.hpp"
#include "depth_stage/depth_estimator.hpp"

namespace s3d::dav2 {

enum class Device { kAuto, kCpu, kCuda };
enum class Precision { kFp32, kFp16, kBf16 };

const EnumNames<Device>& device_names();        // auto cpu cuda
const EnumNames<Precision>& precision_names();  // fp32 fp16 bf16

struct Dav2Options {
  std::filesystem::path checkpoint;     // official torch.save .pth file (required)
  Device device = Device::kAuto;        // auto = CUDA when available, else CPU
  Precision precision = Precision::kFp32;  // fp16/bf16: the model converted (CUDA; CPU on LibTorch 2.x)
  int input_size = kDefaultInputSize;   // short side of the network input, pixels, 14..4088, default 518
  int threads = 0;                      // CPU intra-op threads, 0 = every core (the tool's --threads)

  // --device, --precision, --input-size.
  static const OptionTable<Dav2Options>& table();
  // Throws UsageError for invalid values or a precision the resolved device cannot run,
  // Error if the checkpoint file does not exist. Cheap: the model is not loaded.
  void check() const;
};

// Whether this LibTorch's CPU runs fp16/bf16 models (2.x; 1.13 lacks 16-bit CPU kernels).
bool cpu_runs_16_bit();
// The tensor type of a precision.
torch::Dtype precision_dtype(Precision precision);

// The device `requested` resolves to here (auto -> CUDA if torch::cuda::is_available()).
torch::Device resolve_device(Device requested);

class Dav2Estimator : public depth_stage::DepthEstimator {
 public:
  // Checks the options; the network is loaded by load() or the first estimate() call, so
  // a run whose frames are all done, or whose inputs are bad, never pays for it.
  explicit Dav2Estimator(Dav2Options options);
  ~Dav2Estimator() override;

  // Loads the checkpoint (once). Throws Error naming the file on any problem.
  void load();

  // Frames of equal size are run as one batch; each result is CV_32FC1 at its frame's size.
  std::vector<cv::Mat> estimate(const std::vector<cv::Mat>& bgr_frames) override;
  // The network's own output (h14 x w14, before infer_image's resize) as kBilinear fields:
  // render_field redoes the align_corners resize at the frame's size.
  std::vector<depth_stage::DepthField> estimate_fields(const std::vector<cv::Mat>& bgr_frames) override;
  // "dav2-vits" etc. ("dav2" before loading).
  bool has_own_grid() const override { return true; }
  std::string name() const override;

  torch::Device device() const { return device_; }

 private:
  // [B, h, w] float CPU depth: at the frames' size, or the network's when `network_size`.
  torch::Tensor run_batch(const std::vector<cv::Mat>& frames, bool network_size);
  // Runs consecutive frames of one size as one batch; calls `take(frame index, map)` per frame.
  void run_groups(const std::vector<cv::Mat>& frames, bool network_size,
                  const std::function<void(size_t, cv::Mat)>& take);

  struct Model;
  Dav2Options options_;
  torch::Device device_;
  std::unique_ptr<Model> model_;
};

}  // namespace s3d::dav2
