#include "parallax/packed_views.hpp"

#include "pack/pack_pair.hpp"
#include "parallax/rgbd_view.hpp"

namespace s3d::parallax {

const EnumNames<Squeeze>& squeeze_names() {
  static const EnumNames<Squeeze> names = {{Squeeze::kBefore, "before"}, {Squeeze::kAfter, "after"}};
  return names;
}

const OptionTable<PackedOutput>& PackedOutput::table() {
  static const auto table =
      OptionTable<PackedOutput>()
          .nest(&PackedOutput::stereo, stereo::format_options("pack"))
          .nest(&PackedOutput::vr, pack::Vr180Options::table())
          .value<std::optional<cv::Size>>(
              "pad", &PackedOutput::pad,
              [](std::string_view text, const std::string& option) { return std::optional(pack::parse_size(text, option)); },
              [](const std::optional<cv::Size>& s) {
                return s ? std::to_string(s->width) + "x" + std::to_string(s->height) : std::string();
              },
              "WxH", "Centre each eye on a black WxH canvas before packing, as s3d-pack --pad")
          .choice("squeeze", &PackedOutput::squeeze, squeeze_names(),
                  "Half layouts: before = squeeze the frame, then warp each eye at its packed size (half the work); "
                  "after = warp at the source size, then squeeze the eyes (as s3d-pack)");
  return table;
}

void PackedOutput::check() const {
  table().check(*this);
  pack::check_packing(stereo, pad.has_value(), "--pack");
}

cv::Size packed_frame_size(const PackedOutput& output, cv::Size frame) {
  return pack::packed_pair_size(output.stereo, output.pad.value_or(frame), output.vr);
}

bool squeezes_first(const PackedOutput& output, cv::Size frame) {
  using stereo::Layout;
  if (output.squeeze != Squeeze::kBefore || output.pad) return false;
  return (output.stereo.layout == Layout::kHalfSideBySide && frame.width % 2 == 0) ||
         (output.stereo.layout == Layout::kHalfOverUnder && frame.height % 2 == 0);
}

namespace {

// `view` into `slot` unless it was made there already.
void place(const cv::Mat& view, cv::Mat slot) {
  if (view.data != slot.data) view.copyTo(slot);
}

}  // namespace

void render_packed(const cv::Mat& frame, const DepthLoader& load_depth, const SynthesisParams& synthesis,
                   const DepthShaping& shaping, const PackedOutput& output, PackedBuffers& buffers, cv::Mat& packed) {
  if (stereo::is_rgbd(output.stereo.layout)) {
    render_rgbd(frame, load_depth, synthesis.keep_bars, output, buffers, packed);
    return;
  }
  const cv::Size size = packed_frame_size(output, frame.size());
  packed.create(size, frame.type());
  if (!squeezes_first(output, frame.size())) {
    load_depth(frame, buffers.depth);
    shape_depth(buffers.depth, shaping);
    synthesize_views(frame, buffers.depth, synthesis, 1, buffers.views);
    cv::Mat left = buffers.views.left, right = buffers.views.right;
    if (output.pad) {
      left = pack::pad_to_canvas(left, *output.pad);
      right = pack::pad_to_canvas(right, *output.pad);
    }
    pack::pack_pair(left, right, output.stereo, output.vr).copyTo(packed);
    return;
  }
  // Squeezed first: each eye is warped straight into its half of the packed frame.
  const bool side_by_side = output.stereo.layout == stereo::Layout::kHalfSideBySide;
  const cv::Rect first = side_by_side ? cv::Rect(0, 0, size.width / 2, size.height)
                                      : cv::Rect(0, 0, size.width, size.height / 2);
  const cv::Rect second = side_by_side ? cv::Rect(first.width, 0, first.width, size.height)
                                       : cv::Rect(0, first.height, size.width, first.height);
  buffers.squeezed.create(first.size(), frame.type());
  pack::squeeze_into(frame, buffers.squeezed);
  const double scale_x = side_by_side ? 0.5 : 1.0, scale_y = side_by_side ? 1.0 : 0.5;
  load_depth(buffers.squeezed, buffers.depth);
  shape_depth(buffers.depth, shaping, scale_x, scale_y);
  SynthesisParams squeezed = synthesis;
  squeezed.parallax = static_cast<float>(synthesis.parallax * scale_x);  // shifts are horizontal
  const bool left_first = !stereo::right_eye_first(output.stereo);
  const cv::Mat left_slot = packed(left_first ? first : second), right_slot = packed(left_first ? second : first);
  buffers.views.left = left_slot;
  buffers.views.right = right_slot;
  synthesize_views(buffers.squeezed, buffers.depth, squeezed, 1, buffers.views);
  place(buffers.views.left, left_slot);
  place(buffers.views.right, right_slot);
  buffers.views = {};  // holds no reference to `packed` (whose memory goes back to its pool)
}

}  // namespace s3d::parallax
