// Colour + depth for depth-aware players (s3d-parallax --out - --pack rgbd | half-rgbd): the
// frame as it is and its depth map beside it, the colour on the left, the depth on the right —
// the RGBD layout of Looking Glass's and other depth players (their import asks for it).
// The depth picture is gray, near = white (255) and far = black (0), linear in s3d's depth
// (relative inverse depth: the normalized map s3d-parallax warps with, 0 = farthest, 1 =
// nearest), unshaped (--edge-dilation and --depth-blur shape the warp's depth, not this one).
// With --keep-bars auto the frame's black bars are black (farthest, flat) in the depth too.
#pragma once
#include <opencv2/core.hpp>

#include "parallax/black_bars.hpp"
#include "parallax/packed_views.hpp"

namespace s3d::parallax {

// A normalized depth map (CV_32FC1 in [0, 1]) as a gray picture into `out` (8-bit, 1 or 3
// channels, the depth's size; its memory, so `out` may be a region of a larger picture):
// round(255 d) in every channel.
void depth_picture(const cv::Mat& depth, cv::Mat out);

// One frame's rgbd or half-rgbd frame into `packed` (allocated when it does not fit). rgbd:
// frame | depth, 2W x H. half-rgbd: each squeezed to half width, W x H; with --squeeze before
// (the default) the depth is rendered at the half's size (as squeezed stereo eyes are), with
// --squeeze after at the frame's size and then squeezed. --pad centres both on the canvas
// first (black = farthest in the depth half).
void render_rgbd(const cv::Mat& frame, const DepthLoader& load_depth, KeepBars keep_bars, const PackedOutput& output,
                 PackedBuffers& buffers, cv::Mat& packed);

}  // namespace s3d::parallax
