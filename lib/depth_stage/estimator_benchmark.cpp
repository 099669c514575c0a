#include "depth_stage/estimator_benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/errors.hpp"

namespace s3d::depth_stage {

EstimatorBenchmark benchmark_estimator(DepthEstimator& estimator, const cv::Mat& frame, int batch, int iterations,
                                       int warmup) {
  if (batch < 1) throw UsageError("benchmark: batch must be >= 1, got " + std::to_string(batch));
  if (iterations < 1) throw UsageError("--benchmark: expected >= 1 timed batches, got " + std::to_string(iterations));
  const std::vector<cv::Mat> frames(static_cast<size_t>(batch), frame);
  for (int i = 0; i < warmup; ++i) estimator.estimate_fields(frames);
  std::vector<double> seconds;
  for (int i = 0; i < iterations; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto fields = estimator.estimate_fields(frames);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (fields.size() != frames.size())
      throw Error("benchmark: the estimator returned " + std::to_string(fields.size()) + " fields for a batch of " +
                  std::to_string(frames.size()));
  }
  std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
  EstimatorBenchmark result;
  result.batch = batch;
  result.iterations = iterations;
  result.seconds_per_batch = seconds[seconds.size() / 2];
  result.frames_per_second = batch / result.seconds_per_batch;
  return result;
}

}  // namespace s3d::depth_stage
