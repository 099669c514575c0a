#include "pack/pack_frames.hpp"

#include "common/errors.hpp"
#include "common/frame_store.hpp"
#include "common/image_io.hpp"
#include "common/parallel.hpp"

namespace s3d::pack {

void PackOptions::check() const {
  if (left_dir.empty()) throw UsageError("missing required option --left (see --help)");
  if (right_dir.empty()) throw UsageError("missing required option --right (see --help)");
  if (out_dir.empty()) throw UsageError("missing required option --out (see --help)");
  if (image_format != "jpg" && image_format != "png")
    throw UsageError("--image-format: expected jpg or png, got '" + image_format + "'");
  if (jpeg_quality < 1 || jpeg_quality > 100)
    throw UsageError("--quality: expected 1..100, got " + std::to_string(jpeg_quality));
  if (threads < 0) throw UsageError("--threads: expected >= 0, got " + std::to_string(threads));
}

PackResult pack_frames(const PackOptions& options) {
  options.check();
  const auto left_frames = frames_in_range(list_frames(options.left_dir), options.range);
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
    if (!options.force && fs::exists(out)) {
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
        write_image_atomic(job.out, pack_pair(left, right, options.format, options.order), write_options);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  result.written = total;
  return result;
}

}  // namespace s3d::pack
