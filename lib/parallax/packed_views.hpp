// Both eyes of a frame packed into one stereo frame as the pipeline encodes it
// (s3d-parallax --out - --pack FORMAT): parallax and packing fused, so the eyes are never
// stored. For the half layouts (hsbs, hou) the frame is squeezed first and each eye warped at
// its packed size — half the pixels to warp and no squeeze of two full-size eyes after —
// with the parallax and depth shaping scaled to the squeezed pixels (--squeeze before, the
// default); --squeeze after warps at the source size and squeezes the eyes, as s3d-pack does.
// vr180 re-projects both eyes onto their half spheres (pack/vr180_projection.hpp); rgbd and
// half-rgbd put the frame and its depth side by side instead of two eyes (rgbd_view.hpp).
#pragma once
#include <functional>
#include <optional>
#include <opencv2/core.hpp>

#include "core/enum_names.hpp"
#include "core/option_table.hpp"
#include "pack/vr180_projection.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/synthesize_views.hpp"
#include "stereo/stereo_format.hpp"

namespace s3d::parallax {

enum class Squeeze {
  kBefore,  // half layouts: squeeze the frame, warp each eye at its packed size (default)
  kAfter,   // warp at the source size, then squeeze both eyes (s3d-parallax + s3d-pack)
};
const EnumNames<Squeeze>& squeeze_names();  // before after

struct PackedOutput {
  stereo::StereoFormat stereo;       // --pack (default hsbs), --order (default left-first)
  pack::Vr180Options vr;             // --vr-fov, --vr-size (vr180)
  std::optional<cv::Size> pad;       // --pad WxH: each eye centred on a black canvas first (as s3d-pack --pad)
  Squeeze squeeze = Squeeze::kBefore;  // --squeeze: where half layouts lose half the pixels

  // --pack, --order, --vr-fov, --vr-size, --pad, --squeeze.
  static const OptionTable<PackedOutput>& table();
  // UsageError for invalid values (the table's checks; --pad with vr180).
  void check() const;
};

// The packed frame's size for source frames of `frame` size.
cv::Size packed_frame_size(const PackedOutput& output, cv::Size frame);

// Whether `output` renders the eyes of frames of `frame` size squeezed first: a half stereo
// layout, --squeeze before, no --pad, and an even width (hsbs) or height (hou) — an odd one
// gives the two eyes different sizes, and is packed after. (half-rgbd: rgbd_view.hpp.)
bool squeezes_first(const PackedOutput& output, cv::Size frame);

// The frame's normalized depth (CV_32FC1, 0 = far .. 1 = near), unshaped, at the size of
// `picture`: the frame itself, or the frame squeezed.
using DepthLoader = std::function<void(const cv::Mat& picture, cv::Mat& depth)>;

// Per worker thread: buffers reused from frame to frame.
struct PackedBuffers {
  cv::Mat squeezed, depth;
  StereoViews views;
};

// One frame's packed stereo frame into `packed` (allocated when it does not fit); for rgbd
// and half-rgbd the frame and its depth (render_rgbd: nothing is warped).
void render_packed(const cv::Mat& frame, const DepthLoader& load_depth, const SynthesisParams& synthesis,
                   const DepthShaping& shaping, const PackedOutput& output, PackedBuffers& buffers, cv::Mat& packed);

}  // namespace s3d::parallax
