#include "pack/pack_frames.hpp"

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "imageio/image_file.hpp"
#include "pack/pack_pair.hpp"

namespace s3d::pack {

const OptionTable<PackOptions>& PackOptions::table() {
  static const auto table =
      OptionTable<PackOptions>()
          .path("left", &PackOptions::left_dir, "Left-eye frame directory", Need::kRequired, "DIR")
          .path("right", &PackOptions::right_dir, "Right-eye frame directory", Need::kRequired, "DIR")
          .path("out", &PackOptions::out_dir, "Output frame directory, created if missing", Need::kRequired, "DIR")
          .nest(&PackOptions::stereo, stereo::format_options("format"))
          .nest(&PackOptions::vr, Vr180Options::table())
          .value<std::optional<cv::Size>>(
              "pad", &PackOptions::pad,
              [](std::string_view text, const std::string& option) { return std::optional(parse_size(text, option)); },
              [](const std::optional<cv::Size>& s) {
                return s ? std::to_string(s->width) + "x" + std::to_string(s->height) : std::string();
              },
              "WxH",
              "Centre each eye on a black WxH canvas before packing (letterbox/pillarbox, never scaled; error if a "
              "frame is larger), e.g. 1920x1080")
          .one_of("image-format", &PackOptions::image_format, {"jpg", "png"}, "Output image format")
          .number("quality", &PackOptions::jpeg_quality, Bounds{1, 100}, "JPEG quality")
          .include(FrameStageOptions::table());
  return table;
}

void PackOptions::check() const {
  table().check(*this);
  check_packing(stereo, pad.has_value(), "--format");
  if (stereo::is_rgbd(stereo.layout))
    throw UsageError("--format " + stereo::layout_names().name(stereo.layout) +
                     ": colour + depth is made where the depth is: s3d-parallax --depth DIR --out - --pack " +
                     stereo::layout_names().name(stereo.layout) + " (s3d-pack packs two eyes)");
  refuse_overwriting_input(out_dir, "--out", left_dir, "--left");
  refuse_overwriting_input(out_dir, "--out", right_dir, "--right");
}

PackResult pack_frames(const PackOptions& options) {
  options.check();
  const auto left_frames = frames_in_range(list_frames(options.left_dir), options.range);
  if (!options.range.is_open()) require_whole_range(left_frames, options.range, "left-eye directory '" + options.left_dir.string() + "'");
  if (!fs::is_directory(options.right_dir))
    throw Error("right-eye directory '" + options.right_dir.string() + "' does not exist");
  const std::string ext = "." + options.image_format;

  struct Job {
    fs::path left, right, out;
  };
  std::vector<Job> jobs;
  PackResult result;
  for (const auto& frame : left_frames) {
    const fs::path out = frame_path(options.out_dir, frame.index, ext);
    std::error_code ec;
    const auto existing = fs::is_directory(options.out_dir, ec) ? find_frame(options.out_dir, frame.index) : std::nullopt;
    if (existing && existing->extension() != ext)  // writing it would store the frame twice
      throw Error("frame " + std::to_string(frame.index) + " is already stored as '" + existing->string() +
                  "'; writing it as " + ext + " would store it twice (remove it, or use --image-format " +
                  existing->extension().string().substr(1) + ")");
    if (!options.force && existing) {
      ++result.skipped;
      continue;
    }
    auto right = find_frame(options.right_dir, frame.index);
    if (!right)
      throw Error("frame " + std::to_string(frame.index) + ": left eye '" + frame.path.string() +
                  "' has no right eye in '" + options.right_dir.string() + "'");
    jobs.push_back({frame.path, *right, out});
  }

  // Pre-flight from the headers alone, so a bad pair fails before anything is written.
  for (const auto& job : jobs) {
    const cv::Size l = read_image_size(job.left), r = read_image_size(job.right);
    if (l != r)
      throw Error("frame '" + job.right.string() + "': right eye is " + std::to_string(r.width) + "x" +
                  std::to_string(r.height) + ", expected the left eye's " + std::to_string(l.width) + "x" +
                  std::to_string(l.height) + " ('" + job.left.string() + "')");
    if (options.pad && (l.width > options.pad->width || l.height > options.pad->height))
      throw Error("frame '" + job.left.string() + "' is " + std::to_string(l.width) + "x" + std::to_string(l.height) +
                  ", larger than --pad " + std::to_string(options.pad->width) + "x" +
                  std::to_string(options.pad->height) + " (frames are never scaled to fit)");
  }
  if (jobs.empty()) return result;
  ensure_directory(options.out_dir);

  ImageWriteOptions write_options;
  write_options.jpeg_quality = options.jpeg_quality;
  const int64_t total = static_cast<int64_t>(jobs.size());
  parallel_for(
      total, options.threads,
      [&](int64_t i) {
        const Job& job = jobs[i];
        cv::Mat left = read_image(job.left), right = read_image(job.right);
        if (left.size() != right.size())  // a file replaced since the pre-flight
          throw Error("frame '" + job.right.string() + "': size differs from '" + job.left.string() + "'");
        if (options.pad) {
          left = pad_to_canvas(left, *options.pad);
          right = pad_to_canvas(right, *options.pad);
        }
        write_image_atomic(job.out, pack_pair(left, right, options.stereo, options.vr), write_options);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  result.written = total;
  return result;
}

}  // namespace s3d::pack
