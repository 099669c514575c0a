// Depth order against ground truth: Spearman's rank correlation of the vertical prior, of the
// heuristic as it was (cue weights before the relative-brightness cue) and of the heuristic's
// defaults, on the Middlebury scenes and on any extra picture + true depth given. Built and
// run by bench/depth_quality.sh.
//   depth_quality MIDDLEBURY_DIR [NAME=IMAGE.png,TRUTH16.png ...]   (truth: larger = nearer)
#include <cstdio>
#include <string>

#include "depth_stage/depth_quality.hpp"
#include "depth_stage/heuristic_depth.hpp"
#include "imageio/image_file.hpp"

using namespace s3d;
using namespace s3d::depth_stage;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: depth_quality MIDDLEBURY_DIR [NAME=IMAGE.png,TRUTH16.png ...]\n");
    return 2;
  }
  try {
    std::vector<GroundTruthScene> scenes = load_middlebury(argv[1]);
    const size_t middlebury = scenes.size();
    for (int i = 2; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto eq = arg.find('='), comma = arg.find(',');
      GroundTruthScene s;
      s.name = arg.substr(0, eq);
      s.image = read_image(arg.substr(eq + 1, comma - eq - 1), kReadColor);
      read_image(arg.substr(comma + 1), kReadUnchanged).convertTo(s.truth, CV_32F);
      s.mask = cv::Mat(s.image.size(), CV_8U, cv::Scalar(255));
      scenes.push_back(std::move(s));
    }
    HeuristicDepthOptions before;  // the weights before this change
    before.weight_vertical = 0.60;
    before.weight_brightness = 0;
    before.weight_sharpness = 0.30;
    before.weight_haze = 0.10;
    const HeuristicDepth old_heuristic(before), heuristic;
    std::printf("%-10s %15s %17s %17s\n", "scene", "vertical prior", "heuristic before", "heuristic now");
    double sum[3] = {0, 0, 0};
    for (size_t i = 0; i < scenes.size(); ++i) {
      const GroundTruthScene& s = scenes[i];
      const double r[3] = {depth_order_agreement(vertical_prior(s.image.size()), s),
                           depth_order_agreement(old_heuristic.estimate_one(s.image), s),
                           depth_order_agreement(heuristic.estimate_one(s.image), s)};
      std::printf("%-10s %15.3f %17.3f %17.3f%s\n", s.name.c_str(), r[0], r[1], r[2],
                  i < middlebury ? "" : "   (not in the mean)");
      for (int k = 0; k < 3; ++k)
        if (i < middlebury) sum[k] += r[k] / middlebury;
    }
    std::printf("%-10s %15.3f %17.3f %17.3f   (Middlebury)\n", "mean", sum[0], sum[1], sum[2]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "depth_quality: %s\n", e.what());
    return 1;
  }
}
