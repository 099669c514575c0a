#include "preview/wiggle_gif.hpp"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/errors.hpp"
#include "core/value_parsers.hpp"
#include "imageio/atomic_file.hpp"
#include "media/subprocess.hpp"

namespace s3d::preview {

std::vector<int> wiggle_order(int views) {
  std::vector<int> order;
  for (int i = 0; i < views; ++i) order.push_back(i);
  for (int i = views - 2; i >= 1; --i) order.push_back(i);
  return order;
}

cv::Size gif_size(cv::Size view, int width) {
  if (width <= 0 || width >= view.width) return view;
  const int height = std::max(1, static_cast<int>(std::lround(static_cast<double>(view.height) * width / view.width)));
  return {width, height};
}

void write_wiggle_gif(const std::vector<cv::Mat>& views, const fs::path& out, const GifOptions& options) {
  if (views.size() < 2) throw Error("wiggle GIF '" + out.string() + "': needs at least two views");
  const cv::Size view = views.front().size();
  for (const auto& v : views)
    if (v.size() != view || v.type() != CV_8UC3)
      throw Error("wiggle GIF '" + out.string() + "': the views differ in size or type");
  const cv::Size size = gif_size(view, options.width);
  AtomicOutput file(out);
  // One palette for every view (stats over all of them), so a colour never flickers between
  // views; ordered dithering (bayer) is the same in every view, so it does not crawl.
  media::Subprocess ffmpeg({media::ffmpeg_program(), "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
                            "-s", std::to_string(size.width) + "x" + std::to_string(size.height), "-framerate",
                            format_real(options.fps), "-i", "pipe:0", "-filter_complex",
                            "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
                            "-loop", "0", "-f", "gif", file.temp().string()},
                           media::Subprocess::Io::kPipe, media::Subprocess::Io::kNull);
  cv::Mat resized;
  bool ok = true;
  for (int i : wiggle_order(static_cast<int>(views.size()))) {
    const cv::Mat* frame = &views[static_cast<size_t>(i)];
    if (size != view) {
      cv::resize(*frame, resized, size, 0, 0, cv::INTER_AREA);
      frame = &resized;
    }
    const cv::Mat packed = frame->isContinuous() ? *frame : frame->clone();
    if (!(ok = ffmpeg.write_all(packed.data, packed.total() * packed.elemSize()))) break;
  }
  ffmpeg.close_stdin();
  ffmpeg.check_exit(ffmpeg.wait(), "wiggle GIF '" + out.string() + "'");
  if (!ok) throw Error("wiggle GIF '" + out.string() + "': ffmpeg stopped reading the views");
  file.commit();
}

}  // namespace s3d::preview
