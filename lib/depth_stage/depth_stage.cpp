#include "depth_stage/depth_stage.hpp"

#include <atomic>
#include <memory>
#include <map>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <set>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/background_task.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "depth_stage/scene_cut.hpp"
#include "imageio/image_file.hpp"
#include "imageio/opencv_threads.hpp"

namespace s3d::depth_stage {
namespace {

constexpr int kMaxBatch = 256;

// A frame read from the source, on its way through the stage.
struct Item {
  int64_t index = 0;
  int64_t position = 0;          // in the source's frame order (adjacency, not index arithmetic)
  cv::Mat frame;
  cv::Mat thumbnail;             // the frame at half size (area average): cheap stand-in for small copies
  cv::Mat signature;
  bool todo = false;             // its depth is to be made and written
  bool warm = false;             // its depth is to be made for the `window` range only, not written
  std::optional<DepthRange> known_range;  // a done frame the window reaches: its raw range, from its sidecar
};

// A frame whose depth was made: what gets written.
struct Output {
  int64_t index = 0;
  cv::Mat frame;      // kept only for the tee
  DepthField field;
  cv::Mat raw;        // frame-sized raw depth, for the png16 format
  DepthSidecar sidecar;
};

// Half size by the fast exact 2:1 area average (~1 ms for 1080p), which the scene
// signature and a field's range are then shrunk from (~3 ms each from the full frame).
cv::Mat half_size(const cv::Mat& frame) {
  if (frame.cols % 2 || frame.rows % 2 || frame.cols < 256) return frame;
  cv::Mat half;
  cv::resize(frame, half, cv::Size(frame.cols / 2, frame.rows / 2), 0, 0, cv::INTER_AREA);
  return half;
}

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// The PNG is written first and the sidecar last; an old sidecar goes first, so a crash
// anywhere leaves a frame either done and consistent or not done.
void write_depth_frame(const fs::path& out_dir, const cv::Mat& image16, const DepthSidecar& sidecar) {
  const fs::path sidecar_file = sidecar_path(out_dir, sidecar.frame);
  std::error_code ec;
  fs::remove(sidecar_file, ec);
  if (ec) throw Error("cannot replace depth sidecar '" + sidecar_file.string() + "': " + ec.message());
  // s3d's fast PNG encoder: libpng spends ~4 ms filtering a 640x180 16-bit field (even
  // uncompressed), the encoder ~1 ms for a file of about the same size.
  ImageWriteOptions png;
  png.fast_png = true;
  write_image_atomic(depth_png_path(out_dir, sidecar.frame), image16, png);
  write_sidecar(sidecar_file, sidecar);
}

// Raw output checks: the estimator is code we do not control.
void check_fields(const std::vector<DepthField>& fields, const std::vector<Item>& batch, const std::string& model,
                  bool own_grid, const FrameSource& source) {
  if (fields.size() != batch.size())
    throw Error("depth model '" + model + "' returned " + std::to_string(fields.size()) + " maps for a batch of " +
                std::to_string(batch.size()) + " frames");
  for (size_t i = 0; i < fields.size(); ++i) {
    const DepthField& f = fields[i];
    const bool guided = f.kind == DepthField::Kind::kGuided;
    // An estimator's own grid may have any size (a network's may be larger than a small
    // frame: rendering samples it down, as PyTorch's interpolate does); a guided model's two
    // planes share one; plain estimate() maps are the frame's size.
    constexpr int kMaxSide = 16384;
    const cv::Size frame = batch[i].frame.size();
    if (f.a.type() != CV_32FC1 || f.a.empty() || f.a.cols > kMaxSide || f.a.rows > kMaxSide ||
        (guided && (f.b.type() != CV_32FC1 || f.b.size() != f.a.size())) || (!own_grid && f.a.size() != frame))
      throw Error("depth model '" + model + "' on " + source.frame_name(batch[i].index) + ": expected a CV_32FC1 map" +
                  (own_grid ? std::string() : " of " + size_text(frame)) + ", got type " +
                  std::to_string(f.a.type()) + " of " + size_text(f.a.size()) +
                  (guided ? " with a second plane of type " + std::to_string(f.b.type()) + " of " + size_text(f.b.size())
                          : ""));
  }
}

// Pass 2 of `global`: every frame of the range mapped with the range's min..max. Field
// frames are normalized when rendered, so only their sidecars change.
int64_t renormalize_globally(const DepthStageOptions& options, const std::vector<int64_t>& frames) {
  std::vector<DepthSidecar> sidecars;
  DepthRange global;
  for (int64_t index : frames) {
    sidecars.push_back(read_sidecar(sidecar_path(options.out_dir, index)));
    const DepthRange& raw = sidecars.back().raw;
    if (sidecars.size() == 1) global = raw;
    global.lo = std::min(global.lo, raw.lo);
    global.hi = std::max(global.hi, raw.hi);
  }
  std::vector<size_t> todo;
  for (size_t i = 0; i < sidecars.size(); ++i)
    if (sidecars[i].mapped != global || sidecars[i].normalize != Normalize::kGlobal) todo.push_back(i);
  const int64_t total = static_cast<int64_t>(todo.size());
  parallel_for(
      total, options.threads,
      [&](int64_t k) {
        DepthSidecar sidecar = sidecars[todo[k]];
        const DepthRange from = sidecar.mapped;
        sidecar.mapped = global;
        sidecar.normalize = Normalize::kGlobal;
        if (sidecar.field) {
          write_sidecar(sidecar_path(options.out_dir, sidecar.frame), sidecar);
          return;
        }
        const fs::path png = depth_png_path(options.out_dir, sidecar.frame);
        const cv::Mat depth = read_image(png, kReadUnchanged);
        if (depth.type() != CV_16UC1 || depth.cols != sidecar.width || depth.rows != sidecar.height)
          throw Error("depth frame '" + png.string() + "': expected a 16-bit grayscale " +
                      size_text({sidecar.width, sidecar.height}) + " PNG as its sidecar says, got type " +
                      std::to_string(depth.type()) + " of " + size_text(depth.size()));
        write_depth_frame(options.out_dir, remap_depth(depth, from, global), sidecar);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  return total;
}

}  // namespace

const EnumNames<DepthFormat>& depth_format_names() {
  static const EnumNames<DepthFormat> names = {{DepthFormat::kPng16, "png16"}, {DepthFormat::kField, "field"}};
  return names;
}

const OptionTable<DepthStageOptions>& DepthStageOptions::table() {
  static const auto table =
      OptionTable<DepthStageOptions>()
          .path("frames", &DepthStageOptions::frames_dir, "Input frame directory (or --video FILE)", Need::kOptional,
                "DIR")
          .path("out", &DepthStageOptions::out_dir,
                "Output depth frame directory, created if missing (required unless --benchmark)", Need::kOptional,
                "DIR")
          .choice("format", &DepthStageOptions::format, depth_format_names(),
                  "png16 (a frame-sized 16-bit PNG per frame, 0 = far .. 65535 = near: any tool reads it) | field "
                  "(the model's own resolution, several times smaller; s3d-parallax renders it at the frame's size)")
          .number("batch", &DepthStageOptions::batch, Bounds{1, kMaxBatch},
                  "Frames per network call (equal-size frames are batched)")
          .choice("normalize", &DepthStageOptions::normalize, normalize_names(),
                  "frame (per-frame min-max) | window (peak hold over the last --window frames, restarted at scene "
                  "cuts; the same whatever the chunking) | global (over the range)")
          .number("window", &DepthStageOptions::window, Bounds{1, 1000},
                  "window: frames the range looks back over", "N")
          .number("scene-cut", &DepthStageOptions::scene_cut_threshold, Bounds{0, 1, true, false},
                  "window: histogram distance to the previous frame that counts as a scene cut; 1 = never", "D")
          .include(FrameStageOptions::table());
  return table;
}

void DepthStageOptions::check(bool writes) const {
  table().check(*this);
  if (writes && out_dir.empty()) throw UsageError("missing required option --out (see --help)");
  if (!frames_dir.empty() && same_file(frames_dir, out_dir))
    throw UsageError("--out: must differ from --frames ('" + out_dir.string() + "'): depth frames would mix with the input");
  if (on_frame && normalize == Normalize::kGlobal)
    throw UsageError("--normalize global rewrites every frame's mapping after the last one: it cannot pass frames on "
                     "as it goes (use window or frame)");
}

DepthStageResult run_depth_stage(const DepthStageOptions& options, DepthEstimator& estimator) {
  options.check();
  if (options.frames_dir.empty()) throw UsageError("missing required option --frames (see --help)");
  const auto source = open_frame_store(options.frames_dir, options.threads);
  return run_depth_stage(options, estimator, *source);
}

DepthStageResult run_depth_stage(const DepthStageOptions& options, DepthEstimator& estimator, FrameSource& source) {
  options.check();
  // Every frame the source has up to the range's end: the frame before the range is the
  // scene-cut reference and the EMA's continuation of its first frame.
  const std::vector<int64_t> all = source.indices(FrameRange{0, options.range.end});
  std::vector<int64_t> in_range;
  for (int64_t i : all)
    if (options.range.contains(i)) in_range.push_back(i);
  if (!options.range.is_open()) {
    std::vector<FrameFile> listed;
    for (int64_t i : in_range) listed.push_back({i, {}});
    require_whole_range(listed, options.range, source.name());
  }
  // The model's full name ("dav2-vits") is known once it is loaded, i.e. after its first
  // batch; before, a network says only its family ("dav2").
  std::string model = estimator.name();

  // What to do, and where each stretch of frames to do continues from. Done frames made by
  // another model are never silently mixed with this one's.
  DepthStageResult result;
  std::set<int64_t> todo;
  std::map<std::string, fs::path> done_models;  // model -> one of its sidecars
  for (int64_t index : in_range) {
    if (!options.force && depth_frame_done(options.out_dir, index)) {
      ++result.skipped;
      const fs::path sidecar = sidecar_path(options.out_dir, index);
      done_models.emplace(read_sidecar(sidecar).model, sidecar);
    } else {
      todo.insert(index);
    }
  }
  // Every frame to read, by index: those to do, those to pass on, and before each stretch of
  // frames to do the frame before it (the scene-cut reference) and, for `window`, every
  // frame the window reaches: a done one adds its recorded raw range, another is estimated
  // (warm) — so the mapping never depends on where this run starts.
  const bool windowed = options.normalize == Normalize::kWindow;
  std::map<int64_t, Item> plan;
  const auto add = [&](size_t pos) -> Item& {
    Item& item = plan[all[pos]];
    item.index = all[pos];
    item.position = static_cast<int64_t>(pos);
    return item;
  };
  for (size_t pos = 0; pos < all.size(); ++pos) {
    const int64_t index = all[pos];
    if (options.on_frame && options.range.contains(index)) add(pos);  // passes through
    if (!todo.count(index)) continue;
    add(pos).todo = true;
    if (pos == 0 || todo.count(all[pos - 1])) continue;  // not a stretch start
    const size_t reach = std::min(pos, static_cast<size_t>(windowed ? std::max(1, options.window - 1) : 1));
    for (size_t q = pos - reach; q < pos; ++q) {
      if (todo.count(all[q])) continue;  // made by this run, before
      Item& before = add(q);
      if (!windowed || before.known_range || before.warm) continue;
      if (!options.force && depth_frame_done(options.out_dir, all[q])) {
        const fs::path path = sidecar_path(options.out_dir, all[q]);
        try {
          const DepthSidecar sidecar = read_sidecar(path);
          before.known_range = sidecar.raw;
          done_models.emplace(sidecar.model, path);
        } catch (const Error& e) {
          throw Error(std::string(e.what()) + " (needed by the window normalization of frame " +
                      std::to_string(index) + "; redo that frame or use --normalize frame)");
        }
      } else {
        before.warm = true;
      }
    }
  }
  // Pre-flight from the headers alone, so a bad frame fails before anything is written.
  for (const auto& [index, item] : plan) {
    if (!item.todo && !item.warm) continue;
    const cv::Size size = source.size_of(index);
    if (size.width <= 0 || size.height <= 0)
      throw Error(source.frame_name(index) + ": expected a non-empty image, got " +
                  size_text(size));
  }
  const auto check_models = [&](bool exact) {
    const auto family = [](const std::string& name) { return name.substr(0, name.find('-')); };
    for (const auto& [other, sidecar] : done_models)
      if (exact ? other != model : family(other) != family(model))
        throw Error("depth folder '" + options.out_dir.string() + "' holds frames made by model '" + other + "' (e.g. '" +
                    sidecar.string() + "'); this run uses '" + model +
                    "': redo them with --force, or write to another --out");
  };
  check_models(false);
  if (options.normalize == Normalize::kGlobal) {
    for (int64_t index : in_range)
      if (!todo.count(index)) read_sidecar(sidecar_path(options.out_dir, index));
  }
  if (in_range.empty()) return result;
  ensure_directory(options.out_dir);

  const int64_t total = static_cast<int64_t>(todo.size());
  // The stage's own threads (decoding, estimating, writing) keep the cores busy.
  const OpenCvThreads opencv_threads(1);
  std::atomic<int64_t> written{0};
  RangeWindow window(windowed ? options.window : 1);
  cv::Mat previous_signature;     // of the frame read last, at previous_position
  int64_t previous_position = -2;
  int64_t fed_position = -2;      // the frame the window was fed last
  // Whether a scene cut precedes `item` (read in order); it becomes the reference.
  const auto observe = [&](const Item& item) {
    const bool cut = item.position == previous_position + 1 && !previous_signature.empty() &&
                     scene_distance(previous_signature, item.signature) > options.scene_cut_threshold;
    previous_signature = item.signature;
    previous_position = item.position;
    return cut;
  };
  const auto feed = [&](const Item& item, const DepthRange& raw, bool cut) {
    const DepthRange mapped = window.update(raw, cut || item.position != fed_position + 1);
    fed_position = item.position;
    return mapped;
  };
  bool first_batch = true;
  BackgroundTask writing;  // the previous batch's files (and tee), while the next is estimated

  // Estimate, normalize (in frame order: the EMA and scene cuts are sequential) and hand the
  // batch to the writer.
  const auto flush = [&](std::vector<Item>& batch) {
    if (batch.empty()) return;
    std::vector<cv::Mat> frames;
    for (const auto& item : batch) frames.push_back(item.frame);
    std::vector<DepthField> fields = estimator.estimate_fields(frames);
    if (first_batch) {
      model = estimator.name();
      check_models(true);  // before anything is written
      first_batch = false;
    }
    check_fields(fields, batch, model, estimator.has_own_grid(), source);
    std::vector<Output> outputs(batch.size());
    // The raw depth's range drives the normalization: of the frame-sized map for png16, of
    // the field's own grid for fields (a bilinear field's range is exactly its rendering's:
    // the upsampling never leaves it; a guided one's is close, and rendering clamps nothing).
    parallel_for(static_cast<int64_t>(batch.size()), options.threads, [&](int64_t i) {
      Output& o = outputs[i];
      o.index = batch[i].index;
      o.field = std::move(fields[i]);
      const cv::Mat raw = options.format == DepthFormat::kPng16 ? (o.raw = render_field(o.field, batch[i].frame))
                                                                  : render_on_grid(o.field, batch[i].thumbnail);
      o.sidecar.raw = raw_range(raw, "depth model '" + model + "' on " + source.frame_name(o.index));
    });
    std::vector<Output> kept;  // the frames to write (not the warm ones)
    for (size_t i = 0; i < batch.size(); ++i) {
      const Item& item = batch[i];
      DepthSidecar& s = outputs[i].sidecar;
      const bool cut = observe(item);
      const DepthRange mapped = windowed ? feed(item, s.raw, cut) : s.raw;
      if (item.warm) {
        ++result.warmed;
        continue;
      }
      s.frame = item.index;
      s.model = model;
      s.width = item.frame.cols;
      s.height = item.frame.rows;
      s.scene_cut = cut;
      if (cut) ++result.scene_cuts;
      // `global` first writes frame-normalized output; the second pass remaps it.
      s.normalize = windowed ? Normalize::kWindow : Normalize::kFrame;
      s.mapped = mapped;
      if (options.on_frame) outputs[i].frame = item.frame;
      kept.push_back(std::move(outputs[i]));
    }
    outputs = std::move(kept);
    batch.clear();
    writing.start([&, outputs = std::make_shared<std::vector<Output>>(std::move(outputs))] {
      parallel_for(static_cast<int64_t>(outputs->size()), options.threads, [&](int64_t i) {
        Output& o = (*outputs)[i];
        if (options.format == DepthFormat::kPng16) {
          write_depth_frame(options.out_dir, quantize_depth(o.raw, o.sidecar.mapped), o.sidecar);
        } else {
          FieldEncoding encoding;
          const cv::Mat image = encode_field(o.field, encoding);
          o.sidecar.field = encoding;
          write_depth_frame(options.out_dir, image, o.sidecar);
        }
        const int64_t done = ++written;
        if (options.progress) options.progress(done, total);
      });
      if (options.on_frame)
        for (const Output& o : *outputs) options.on_frame({o.index, o.frame});  // in order, once on disk
    });
  };

  // Frames in index order; a done frame passing through flushes what comes before it first.
  std::vector<int64_t> wanted;
  for (const auto& [index, item] : plan) wanted.push_back(index);
  source.start(wanted);
  std::vector<Item> batch;
  const size_t batch_size = static_cast<size_t>(options.batch);
  IndexedFrame frame;
  while (source.next(frame)) {
    Item item = std::move(plan.at(frame.index));
    item.frame = std::move(frame.image);
    if (item.frame.type() != CV_8UC3)
      throw Error(source.frame_name(item.index) + ": expected 8-bit colour");
    item.thumbnail = half_size(item.frame);
    item.signature = scene_signature(item.thumbnail);
    if (item.todo || item.warm) {
      batch.push_back(std::move(item));
      if (batch.size() >= batch_size) flush(batch);
      continue;
    }
    // Not to do: the scene-cut reference of the stretch after it, a done frame its window
    // reaches, and/or a frame to pass on.
    flush(batch);
    writing.wait();
    const bool cut = observe(item);
    if (item.known_range) feed(item, *item.known_range, cut);
    if (options.on_frame && options.range.contains(item.index)) options.on_frame({item.index, item.frame});
  }
  flush(batch);
  writing.wait();
  result.written = total;

  if (options.normalize == Normalize::kGlobal) result.renormalized = renormalize_globally(options, in_range);
  return result;
}

}  // namespace s3d::depth_stage
