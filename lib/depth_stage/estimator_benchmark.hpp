// The estimator alone, timed: what s3d-depth --benchmark prints, and what the GPU check
// tabulates as "model frames/s" beside the end-to-end rate (decode, estimate, write).
#pragma once
#include <opencv2/core.hpp>

#include "depth_stage/depth_estimator.hpp"

namespace s3d::depth_stage {

struct EstimatorBenchmark {
  int batch = 0;                  // frames per estimate_fields() call
  int iterations = 0;             // timed calls
  double seconds_per_batch = 0;   // median of the timed calls
  double frames_per_second = 0;   // batch / seconds_per_batch
};

// Times `estimator.estimate_fields` on `frame` repeated `batch` times: `warmup` untimed calls
// first (the model's load, CUDA's kernel selection and allocator warm-up), then `iterations`
// timed ones. A call includes what the estimator does for a batch (its preprocessing, the
// network, the copy back to the host: a GPU has finished when it returns), not the decoding
// or the writing of frames. Throws UsageError for batch or iterations < 1.
EstimatorBenchmark benchmark_estimator(DepthEstimator& estimator, const cv::Mat& frame, int batch, int iterations,
                                       int warmup = 2);

}  // namespace s3d::depth_stage
