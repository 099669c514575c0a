#include "depth_stage/depth_field.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/errors.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "depth_stage/guided_filter.hpp"
#include "imageio/image_file.hpp"

namespace s3d::depth_stage {

const EnumNames<DepthField::Kind>& field_kind_names() {
  static const EnumNames<DepthField::Kind> names = {{DepthField::Kind::kBilinear, "bilinear"},
                                                    {DepthField::Kind::kGuided, "guided"}};
  return names;
}

cv::Mat render_bilinear(const cv::Mat& a, cv::Size size) {
  CV_Assert(a.type() == CV_32FC1 && !a.empty());
  if (a.size() == size) return a.clone();
  // Corners aligned: output pixel x samples input position x * (w - 1) / (W - 1).
  const auto taps = [](int from, int to) {
    std::vector<int> i0(to), i1(to);
    std::vector<float> w(to);
    const double scale = to > 1 ? static_cast<double>(from - 1) / (to - 1) : 0.0;
    for (int d = 0; d < to; ++d) {
      const double s = d * scale;
      i0[d] = std::min(static_cast<int>(s), from - 1);
      i1[d] = std::min(i0[d] + 1, from - 1);
      w[d] = static_cast<float>(s - i0[d]);
    }
    return std::tuple(i0, i1, w);
  };
  const auto [x0, x1, wx] = taps(a.cols, size.width);
  const auto [y0, y1, wy] = taps(a.rows, size.height);
  cv::Mat wide(a.rows, size.width, CV_32FC1), out(size, CV_32FC1);
  for (int y = 0; y < a.rows; ++y) {
    const float* src = a.ptr<float>(y);
    float* dst = wide.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) dst[x] = src[x0[x]] + (src[x1[x]] - src[x0[x]]) * wx[x];
  }
  for (int y = 0; y < size.height; ++y) {
    const float *r0 = wide.ptr<float>(y0[y]), *r1 = wide.ptr<float>(y1[y]);
    float* dst = out.ptr<float>(y);
    const float w = wy[y];
    for (int x = 0; x < size.width; ++x) dst[x] = r0[x] + (r1[x] - r0[x]) * w;
  }
  return out;
}

cv::Mat render_field(const DepthField& field, const cv::Mat& frame) {
  if (field.kind == DepthField::Kind::kBilinear) return render_bilinear(field.a, frame.size());
  cv::Mat guide;
  cv::cvtColor(frame, guide, cv::COLOR_BGR2GRAY);
  cv::GaussianBlur(guide, guide, cv::Size(5, 5), 1.0, 0, cv::BORDER_REFLECT);
  return apply_guided_model(GuidedModel{field.a, field.b}, guide);
}

cv::Mat render_on_grid(const DepthField& field, const cv::Mat& frame) {
  if (field.kind == DepthField::Kind::kBilinear) return field.a;
  cv::Mat small;
  cv::resize(frame, small, field.a.size(), 0, 0, cv::INTER_AREA);
  return render_field(field, small);
}

namespace {

DepthRange plane_range(const cv::Mat& plane) {
  double lo = 0, hi = 0;
  cv::minMaxLoc(plane, &lo, &hi);
  return {lo, hi};
}

// plane -> 16-bit, [lo, hi] onto 0..65535 (rounded); a flat plane stores 0.
void quantize_plane(const cv::Mat& plane, const DepthRange& r, cv::Mat dst) {
  const double scale = r.hi > r.lo ? 65535.0 / (r.hi - r.lo) : 0.0;
  plane.convertTo(dst, CV_16U, scale, -r.lo * scale);
}

// In double, then rounded once to float: the stored ends decode to exactly lo and hi (float
// values themselves, as plane_range found them), so re-encoding a decoded field gives the
// same ranges and bytes.
cv::Mat dequantize_plane(const cv::Mat& stored, const DepthRange& r) {
  cv::Mat exact, plane;
  stored.convertTo(exact, CV_64F, (r.hi - r.lo) / 65535.0, r.lo);
  exact.convertTo(plane, CV_32F);
  return plane;
}

}  // namespace

cv::Mat encode_field(const DepthField& field, FieldEncoding& e) {
  const bool guided = field.kind == DepthField::Kind::kGuided;
  e.kind = field.kind;
  e.size = field.a.size();
  e.a = plane_range(field.a);
  e.b = guided ? plane_range(field.b) : DepthRange{};
  cv::Mat image(e.size.height, guided ? 2 * e.size.width : e.size.width, CV_16UC1);
  quantize_plane(field.a, e.a, image(cv::Rect(0, 0, e.size.width, e.size.height)));
  if (guided) quantize_plane(field.b, e.b, image(cv::Rect(e.size.width, 0, e.size.width, e.size.height)));
  return image;
}

DepthField decode_field(const cv::Mat& image, const FieldEncoding& e, const std::string& name) {
  const bool guided = e.kind == DepthField::Kind::kGuided;
  const cv::Size expected(guided ? 2 * e.size.width : e.size.width, e.size.height);
  if (image.type() != CV_16UC1 || image.size() != expected)
    throw Error("depth field '" + name + "': expected a 16-bit gray " + std::to_string(expected.width) + "x" +
                std::to_string(expected.height) + " image as its sidecar says, got type " +
                std::to_string(image.type()) + " of " + std::to_string(image.cols) + "x" + std::to_string(image.rows));
  DepthField f;
  f.kind = e.kind;
  f.a = dequantize_plane(image(cv::Rect(0, 0, e.size.width, e.size.height)), e.a);
  if (guided) f.b = dequantize_plane(image(cv::Rect(e.size.width, 0, e.size.width, e.size.height)), e.b);
  return f;
}

bool is_field_frame(const std::filesystem::path& dir, int64_t index) {
  std::error_code ec;
  const auto sidecar = sidecar_path(dir, index);
  return fs::is_regular_file(sidecar, ec) && read_sidecar(sidecar).field.has_value();
}

void read_field_depth(const std::filesystem::path& dir, int64_t index, cv::Size frame_size, const cv::Mat& picture,
                      cv::Mat& depth) {
  const DepthSidecar sidecar = read_sidecar(sidecar_path(dir, index));
  const fs::path png = depth_png_path(dir, index);
  if (!sidecar.field) throw Error("depth frame '" + png.string() + "' is not a field (its sidecar has no 'field')");
  if (frame_size.width != sidecar.width || frame_size.height != sidecar.height)
    throw Error("depth field '" + png.string() + "' was made for a " + std::to_string(sidecar.width) + "x" +
                std::to_string(sidecar.height) + " frame, got a " + std::to_string(frame_size.width) + "x" +
                std::to_string(frame_size.height) + " one");
  const DepthField field = decode_field(read_image(png, kReadUnchanged), *sidecar.field, png.string());
  const cv::Mat raw = render_field(field, picture);
  const double span = sidecar.mapped.hi - sidecar.mapped.lo;
  if (span > 0) {
    raw.convertTo(depth, CV_32F, 1.0 / span, -sidecar.mapped.lo / span);
    cv::max(depth, 0.0, depth);
    cv::min(depth, 1.0, depth);
  } else {
    depth.create(raw.size(), CV_32FC1);
    depth.setTo(0);
  }
}

}  // namespace s3d::depth_stage
