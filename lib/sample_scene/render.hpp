// The ray-caster: one frame of the sample clip as a picture and its true depth.
//
// Every pixel casts one ray through its centre; that ray gives the depth. Where the
// surface seen changes between neighbouring pixels (an object's outline, a box's edge, a
// shadow's edge), the pixel's colour is the mean of five rays (its centre and a rotated 2x2
// grid), so outlines are anti-aliased like footage; within a surface the textures are
// filtered over the pixel's footprint instead (textures.hpp). Deterministic: each pixel
// depends on nothing but its position and the frame index, whatever the thread count.
#pragma once
#include <cstdint>
#include <opencv2/core.hpp>

#include "sample_scene/clip_options.hpp"
#include "sample_scene/scene.hpp"

namespace s3d::sample_scene {

struct RenderedFrame {
  cv::Mat bgr;    // CV_8UC3, width x height: the picture (gamma 2 encoded)
  cv::Mat depth;  // CV_32FC1: camera-space z of the surface at each pixel's centre, metres;
                  //   kSkyDepth (scene.hpp) where the ray meets only sky
};

// Renders frame `index` (0 <= index < options.frames) of `scene` seen by the clip's camera
// (camera.hpp), on options.threads threads, into `out` (its buffers are reused when they fit).
void render_frame(const Scene& scene, const ClipOptions& options, int64_t index, RenderedFrame& out);
RenderedFrame render_frame(const Scene& scene, const ClipOptions& options, int64_t index);

}  // namespace s3d::sample_scene
