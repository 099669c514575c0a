#include "preview/preview_frames.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "core/value_parsers.hpp"
#include "depth_stage/depth_field.hpp"
#include "imageio/atomic_file.hpp"
#include "imageio/frame_stream.hpp"
#include "imageio/image_file.hpp"
#include "imageio/opencv_threads.hpp"
#include "media/rational.hpp"
#include "pack/pack_pair.hpp"
#include "parallax/depth_input.hpp"
#include "parallax/synthesize_views.hpp"
#include "preview/contact_sheet.hpp"
#include "preview/preview_page.hpp"

namespace s3d::preview {
namespace {

constexpr int kMaxWiggleViews = 15;

void require_directory(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(what + " directory '" + dir.string() + "' does not exist");
}

fs::path require_frame(const fs::path& dir, int64_t index, const std::string& what) {
  auto file = find_frame(dir, index);
  if (!file)
    throw Error("frame " + std::to_string(index) + " has no " + what + ": expected '" +
                frame_path(dir, index, ".png").string() + "'");
  return *file;
}

fs::path packed_file(const fs::path& dir, int64_t index) { return frame_path(dir, index, ".frames"); }

// The one frame of a frame stream file (s3d-parallax --out - > FILE), checked to be frame `index`.
cv::Mat read_packed(const fs::path& file, int64_t index) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("packed frame '" + file.string() + "' cannot be opened");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  FrameStreamReader reader(fd, "packed frame '" + file.string() + "'");
  if (reader.header().first != index || reader.header().count != 1)
    throw Error("packed frame '" + file.string() + "': expected a stream of frame " + std::to_string(index) +
                " alone, got " + std::to_string(reader.header().count) + " frame(s) from " +
                std::to_string(reader.header().first));
  cv::Mat bgr;
  reader.read(bgr);
  return bgr;
}

// "+15 px": a per-eye shift for the legend, 3 significant digits, signed.
std::string shift_text(double px) {
  std::ostringstream o;
  o << std::setprecision(3) << (px > 0 ? "+" : "") << (std::abs(px) < 5e-4 ? 0.0 : px) << " px";
  return o.str();
}

// The per-eye shifts of the nearest and farthest depth, and the screen plane between them.
LegendLabels legend_labels(double parallax, double screen) {
  LegendLabels labels;
  labels.near_note = shift_text(parallax * (1.0 - screen));
  labels.far_note = shift_text(-parallax * screen);
  labels.screen = screen;
  return labels;
}

std::vector<std::pair<std::string, std::string>> read_params(const fs::path& file) {
  std::vector<std::pair<std::string, std::string>> params;
  if (file.empty()) return params;
  std::ifstream in(file);
  if (!in) throw Error("parameters file '" + file.string() + "' cannot be read");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      params.emplace_back(line, "");
    else
      params.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return params;
}

std::string read_text(const fs::path& file, const std::string& what) {
  if (file.empty()) return {};
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(what + " '" + file.string() + "' cannot be read");
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

cv::Mat tile_of(const cv::Mat& picture, cv::Size tile) {
  cv::Mat out;
  const double s = std::min(static_cast<double>(tile.width) / picture.cols, static_cast<double>(tile.height) / picture.rows);
  if (s >= 1) return picture.clone();
  cv::resize(picture, out,
             {std::max(1, static_cast<int>(std::lround(picture.cols * s))),
              std::max(1, static_cast<int>(std::lround(picture.rows * s)))},
             0, 0, cv::INTER_AREA);
  return out;
}

struct Job {
  int64_t index;
  fs::path frame;
  std::string heading;
};

}  // namespace

int inner_view_count(int views) { return std::max(0, (views - 2) / 2); }

const OptionTable<PreviewOptions>& PreviewOptions::table() {
  static const auto table =
      OptionTable<PreviewOptions>()
          .path("frames", &PreviewOptions::frames_dir,
                "Source frames (s3d-extract), 8-bit; the frames previewed are the ones in --range", Need::kRequired, "DIR")
          .path("depth", &PreviewOptions::depth_dir,
                "Their depth (s3d-depth: fields or frame-sized maps, read as s3d-parallax reads them)", Need::kRequired,
                "DIR")
          .path("views", &PreviewOptions::views_dir, "The eyes: DIR/left, DIR/right (s3d-parallax --out DIR)",
                Need::kRequired, "DIR")
          .path("out", &PreviewOptions::out_dir,
                "Output folder: colormap/, pair/, anaglyph/, wiggle/ (GIFs), packed/, contact-sheet.png, index.html",
                Need::kRequired, "DIR")
          .path("packed", &PreviewOptions::packed_dir,
                "Packed frames as the film carries them: DIR/NNNNNN.frames, each a one-frame stream of s3d-parallax "
                "--out - (default: none)",
                Need::kOptional, "DIR")
          .path("params", &PreviewOptions::params_file,
                "KEY=VALUE lines: the parameters the inputs were made with, shown on the sheet and the page", Need::kOptional,
                "FILE")
          .path("commands", &PreviewOptions::commands_file, "The commands that made the inputs, shown on the page",
                Need::kOptional, "FILE")
          .number("wiggle-views", &PreviewOptions::wiggle_views, Bounds{2, kMaxWiggleViews},
                  "Views in the wiggle GIF, left .. right and back: 2 = the two eyes; more take (N - 2) / 2 "
                  "--inner-views folders (outermost first) and, for odd N, the frame itself as the centre")
          .number("gif-fps", &PreviewOptions::gif_fps, Bounds{0.5, 50}, "Views per second in the wiggle GIF", "FPS")
          .number("gif-width", &PreviewOptions::gif_width, Bounds{0, 8192},
                  "Width of the wiggle GIF in px (never more than the frame's); 0 = the frame's", "PX")
          .number("tile-width", &PreviewOptions::tile_width, Bounds{16, 4096},
                  "Width of each picture in the contact sheet, px", "PX")
          .choice("colormap", &PreviewOptions::colormap, colormap_names(),
                  "Depth colours, far = cool .. near = warm")
          .number("parallax", &PreviewOptions::parallax, Bounds{0, 1000},
                  "The views' --parallax (the legend's per-eye shifts)", "PX")
          .value<std::optional<float>>(
              "convergence", &PreviewOptions::convergence,
              [](std::string_view text, const std::string& option) -> std::optional<float> {
                if (text == "auto") return std::nullopt;
                const double c = parse_real(text, option);
                if (!(c >= 0 && c <= 1)) throw UsageError(option + ": expected auto or 0..1, got " + std::string(text));
                return static_cast<float>(c);
              },
              [](const std::optional<float>& c) { return c ? format_real(*c) : std::string("auto"); }, "C",
              "The views' --convergence (the legend's screen depth): auto (per frame, as s3d-parallax finds it) | C",
              Need::kOptional, "auto|0..1")
          .choice("keep-bars", &PreviewOptions::keep_bars, parallax::keep_bars_names(),
                  "The views' --keep-bars: auto draws black bars at the screen depth, as the warp puts them")
          .text("fps", &PreviewOptions::fps, "The frame grid's rate, for the frames' times, e.g. 30000/1001 (default: none)",
                Need::kOptional, "RATE")
          .text("title", &PreviewOptions::title, "The sheet's and the page's title")
          .include(FrameStageOptions::table());
  return table;
}

void PreviewOptions::check() const {
  table().check(*this);
  if (static_cast<int>(inner_views.size()) != inner_view_count(wiggle_views))
    throw UsageError("--wiggle-views " + std::to_string(wiggle_views) + " takes " +
                     std::to_string(inner_view_count(wiggle_views)) + " --inner-views folder(s), got " +
                     std::to_string(inner_views.size()));
  if (!fps.empty()) media::parse_frame_rate(fps, "--fps");
  for (const fs::path* input : {&frames_dir, &depth_dir, &views_dir})
    if (out_dir.lexically_normal() == input->lexically_normal())
      throw UsageError("--out '" + out_dir.string() + "' is an input folder: give a folder of its own");
}

FrameDepth preview_depth(const fs::path& depth_dir, int64_t index, const cv::Mat& frame, parallax::KeepBars keep_bars,
                         std::optional<float> convergence) {
  FrameDepth out;
  if (depth_stage::is_field_frame(depth_dir, index)) {
    depth_stage::read_field_depth(depth_dir, index, frame.size(), frame, out.depth);
  } else {
    const fs::path file = require_frame(depth_dir, index, "depth map");
    parallax::prepare_depth(parallax::read_depth(file), frame.size(), parallax::DepthShaping{}, file.string(), out.depth);
  }
  const parallax::FrameBars bars =
      keep_bars == parallax::KeepBars::kAuto ? parallax::detect_black_bars(frame) : parallax::FrameBars{};
  parallax::SynthesisParams params;  // what the warp's screen depth depends on
  params.convergence = convergence;
  params.keep_bars = keep_bars;
  out.screen = parallax::screen_depth(params, out.depth, bars);
  if (bars.any()) parallax::flatten_bars(out.depth, bars, out.screen, out.depth);
  return out;
}

PreviewResult make_preview(const PreviewOptions& options) {
  options.check();
  require_directory(options.frames_dir, "frame");
  require_directory(options.depth_dir, "depth");
  require_directory(options.views_dir, "views");
  const auto frames = frames_in_range(list_frames(options.frames_dir), options.range);
  if (frames.empty())
    throw Error("no frames to preview in '" + options.frames_dir.string() + "'" +
                (options.range.is_open() ? std::string() : " in --range " + options.range.str()));
  const auto params = read_params(options.params_file);
  const std::string commands = read_text(options.commands_file, "commands file");
  std::optional<media::Rational> rate;
  if (!options.fps.empty()) rate = media::parse_frame_rate(options.fps, "--fps");

  // Every input present, of one size, before anything is written.
  std::vector<Job> jobs;
  const cv::Size size = read_image_size(frames.front().path);
  for (const auto& f : frames) {
    const auto check_size = [&](const fs::path& file) {
      const cv::Size s = read_image_size(file);
      if (s != size)
        throw Error("'" + file.string() + "' is " + std::to_string(s.width) + "x" + std::to_string(s.height) +
                    ", expected " + std::to_string(size.width) + "x" + std::to_string(size.height) + " (the frames' size)");
    };
    check_size(f.path);
    if (!depth_stage::is_field_frame(options.depth_dir, f.index)) require_frame(options.depth_dir, f.index, "depth map");
    for (const fs::path& dir : [&] {
           std::vector<fs::path> dirs{options.views_dir};
           dirs.insert(dirs.end(), options.inner_views.begin(), options.inner_views.end());
           return dirs;
         }()) {
      check_size(require_frame(dir / "left", f.index, "left eye in '" + dir.string() + "'"));
      check_size(require_frame(dir / "right", f.index, "right eye in '" + dir.string() + "'"));
    }
    if (!options.packed_dir.empty() && !fs::exists(packed_file(options.packed_dir, f.index)))
      throw Error("frame " + std::to_string(f.index) + " has no packed frame: expected '" +
                  packed_file(options.packed_dir, f.index).string() + "'");
    std::string heading = "frame " + std::to_string(f.index);
    if (rate) {
      std::ostringstream t;
      t << std::fixed << std::setprecision(3) << media::frame_time(0, f.index, *rate);
      heading += " (" + t.str() + " s)";
    }
    jobs.push_back({f.index, f.path, heading});
  }

  const fs::path& out = options.out_dir;
  for (const char* sub : {"colormap", "pair", "anaglyph", "wiggle"}) ensure_directory(out / sub);
  if (!options.packed_dir.empty()) ensure_directory(out / "packed");
  // The sheet's legend: the shifts when the screen depth is fixed, else per frame (in the rows' labels).
  const LegendLabels labels = options.convergence ? legend_labels(options.parallax, *options.convergence) : LegendLabels{};
  const cv::Size tile = sheet_tile(size, options.tile_width);
  const GifOptions gif{options.gif_fps, options.gif_width};
  std::vector<SheetRow> rows(jobs.size());
  const int threads = resolve_threads(options.threads);
  OpenCvThreads opencv_threads(1);
  parallel_for(
      static_cast<int64_t>(jobs.size()), threads,
      [&](int64_t i) {
        const Job& job = jobs[static_cast<size_t>(i)];
        const std::string name = frame_filename(job.index, ".png");
        const cv::Mat frame = read_image(job.frame);
        const FrameDepth depth = preview_depth(options.depth_dir, job.index, frame, options.keep_bars, options.convergence);
        const cv::Mat colour = colorize_depth(depth.depth, options.colormap);
        write_image_atomic(out / "colormap" / name,
                           with_legend(colour, options.colormap, legend_labels(options.parallax, depth.screen)));
        const cv::Mat left = read_image(*find_frame(options.views_dir / "left", job.index));
        const cv::Mat right = read_image(*find_frame(options.views_dir / "right", job.index));
        cv::Mat pair;
        cv::hconcat(left, right, pair);
        write_image_atomic(out / "pair" / name, pair);
        const cv::Mat anaglyph = pack::make_anaglyph(left, right, true);
        write_image_atomic(out / "anaglyph" / name, anaglyph);
        // The wiggle's views from the left eye to the right: the eyes, the in-between eyes
        // (outermost first), the frame itself in the middle for an odd count.
        std::vector<cv::Mat> lefts{left}, rights{right};
        for (const auto& dir : options.inner_views) {
          lefts.push_back(read_image(*find_frame(dir / "left", job.index)));
          rights.push_back(read_image(*find_frame(dir / "right", job.index)));
        }
        std::vector<cv::Mat> views = lefts;
        if (options.wiggle_views % 2) views.push_back(frame);
        views.insert(views.end(), rights.rbegin(), rights.rend());
        write_wiggle_gif(views, out / "wiggle" / frame_filename(job.index, ".gif"), gif);
        if (!options.packed_dir.empty())
          write_image_atomic(out / "packed" / name, read_packed(packed_file(options.packed_dir, job.index), job.index));
        SheetRow& row = rows[static_cast<size_t>(i)];
        row.label = job.heading;
        if (!options.convergence) {
          std::ostringstream screen;
          screen << std::setprecision(3) << depth.screen;
          row.label += ", screen at depth " + screen.str() + " (auto): near " +
                       legend_labels(options.parallax, depth.screen).near_note + ", far " +
                       legend_labels(options.parallax, depth.screen).far_note + " per eye";
        }
        row.depth_colour = tile_of(colour, tile);
        row.left = tile_of(left, tile);
        row.right = tile_of(right, tile);
        row.anaglyph = tile_of(anaglyph, tile);
        if (options.progress) options.progress(i + 1, static_cast<int64_t>(jobs.size()));
      });

  std::vector<std::string> items;
  for (const auto& [key, value] : params) items.push_back(value.empty() ? key : key + "=" + value);
  // The sheet's tiles are fitted by their size: give contact_sheet a row whose left eye has the frames' aspect.
  for (auto& row : rows) row.left = row.left.empty() ? cv::Mat(tile, CV_8UC3, cv::Scalar::all(0)) : row.left;
  ContactSheet sheet = contact_sheet(rows, options.title, items, options.tile_width, options.colormap, labels);
  write_image_atomic(out / "contact-sheet.png", sheet.image);

  PageContent page;
  page.title = options.title;
  page.parameters = params;
  page.parameters.emplace_back("colormap", colormap_names().name(options.colormap));
  page.parameters.emplace_back("wiggle", std::to_string(options.wiggle_views) + " views at " +
                                             format_real(options.gif_fps) + " views/s");
  page.sheet = "contact-sheet.png";
  page.commands = commands;
  for (const auto& job : jobs) {
    const std::string name = frame_filename(job.index, ".png");
    PageFrame frame{job.heading, {}};
    frame.images.push_back({"depth (near = warm)", "colormap/" + name});
    frame.images.push_back({"wiggle (" + std::to_string(options.wiggle_views) + " views)",
                            "wiggle/" + frame_filename(job.index, ".gif")});
    frame.images.push_back({"anaglyph (red = left)", "anaglyph/" + name});
    frame.images.push_back({"stereo pair (left | right)", "pair/" + name});
    if (!options.packed_dir.empty()) frame.images.push_back({"packed, as the film carries it", "packed/" + name});
    page.frames.push_back(std::move(frame));
  }
  write_file_atomic(out / "index.html", preview_page(page));
  return {static_cast<int64_t>(jobs.size())};
}

}  // namespace s3d::preview
