#include "parallax/rgbd_view.hpp"

#include <opencv2/imgproc.hpp>

#include "pack/pack_pair.hpp"

namespace s3d::parallax {
namespace {

// The depth of `picture` (the frame, or the frame squeezed), bars flattened to the farthest.
void depth_of(const cv::Mat& picture, const DepthLoader& load_depth, KeepBars keep_bars, cv::Mat& depth) {
  load_depth(picture, depth);
  if (keep_bars == KeepBars::kAuto) {
    const FrameBars bars = detect_black_bars(picture);
    if (bars.any()) flatten_bars(depth, bars, 0.0f, depth);
  }
}

}  // namespace

void depth_picture(const cv::Mat& depth, cv::Mat out) {
  CV_Assert(depth.type() == CV_32FC1 && out.size() == depth.size() && out.depth() == CV_8U &&
            (out.channels() == 1 || out.channels() == 3));
  if (out.channels() == 1) {
    depth.convertTo(out, CV_8U, 255.0);  // rounds to nearest, saturates outside [0, 1]
    return;
  }
  cv::Mat gray;
  depth.convertTo(gray, CV_8U, 255.0);
  cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
}

void render_rgbd(const cv::Mat& frame, const DepthLoader& load_depth, KeepBars keep_bars, const PackedOutput& output,
                 PackedBuffers& buffers, cv::Mat& packed) {
  const cv::Size size = packed_frame_size(output, frame.size());
  packed.create(size, frame.type());
  const bool half = output.stereo.layout == stereo::Layout::kHalfRgbd;
  if (half && output.squeeze == Squeeze::kBefore && !output.pad) {
    // Each half at its packed size; an odd width gives the depth the extra column, as hsbs
    // gives it to the second eye.
    const int w1 = size.width / 2;
    cv::Mat colour = packed(cv::Rect(0, 0, w1, size.height));
    cv::Mat depth_half = packed(cv::Rect(w1, 0, size.width - w1, size.height));
    pack::squeeze_into(frame, colour);
    const cv::Mat* picture = &colour;
    if (depth_half.size() != colour.size()) {
      buffers.squeezed.create(depth_half.size(), frame.type());
      pack::squeeze_into(frame, buffers.squeezed);
      picture = &buffers.squeezed;
    }
    depth_of(*picture, load_depth, keep_bars, buffers.depth);
    depth_picture(buffers.depth, depth_half);
    return;
  }
  depth_of(frame, load_depth, keep_bars, buffers.depth);
  buffers.views.right.create(frame.size(), frame.type());  // (a free buffer: no eye is warped here)
  depth_picture(buffers.depth, buffers.views.right);
  cv::Mat colour = frame, depth = buffers.views.right;
  if (output.pad) {
    colour = pack::pad_to_canvas(colour, *output.pad);
    depth = pack::pad_to_canvas(depth, *output.pad);
  }
  pack::pack_pair(colour, depth, output.stereo).copyTo(packed);
}

}  // namespace s3d::parallax
