#include "depth_stage/depth_stage.hpp"

#include <atomic>
#include <future>
#include <map>
#include <optional>
#include <set>

#include "core/errors.hpp"
#include "core/file_identity.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "depth_stage/depth_sidecar.hpp"
#include "imageio/image_file.hpp"
#include "depth_stage/scene_cut.hpp"

namespace s3d::depth_stage {
namespace {

constexpr int kMaxBatch = 256;

// One frame to estimate. The first frame of each stretch of consecutive frames to do also
// carries what comes before it in the frame store: the input frame (for scene-cut
// detection) and, under ema, the mapping of its done output (to continue the EMA from).
struct Job {
  int64_t index = 0;
  fs::path frame;
  bool stretch_start = false;
  std::optional<fs::path> previous_frame;      // input before a stretch (scene-cut reference)
  std::optional<DepthRange> previous_mapping;  // its done output's lo/hi (EMA continuation)
};

struct DecodedBatch {
  std::vector<cv::Mat> frames;
  std::vector<cv::Mat> signatures;
  std::vector<cv::Mat> previous_signatures;  // of stretch starts' predecessors, else empty
};

struct NormalizedFrame {
  cv::Mat raw;
  DepthSidecar sidecar;
};

std::string size_text(cv::Size s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// The PNG is written first and the sidecar last; an old sidecar goes first, so a crash
// anywhere leaves a frame either done and consistent or not done.
void write_depth_frame(const fs::path& out_dir, const cv::Mat& depth16, const DepthSidecar& sidecar) {
  const fs::path sidecar_file = sidecar_path(out_dir, sidecar.frame);
  std::error_code ec;
  fs::remove(sidecar_file, ec);
  if (ec) throw Error("cannot replace depth sidecar '" + sidecar_file.string() + "': " + ec.message());
  // OpenCV's PNG speed preset (the default): an explicit zlib level switches libpng to
  // adaptive filtering, ~2x slower for 16-bit depth at about the same size (measured).
  write_image_atomic(depth_png_path(out_dir, sidecar.frame), depth16);
  write_sidecar(sidecar_file, sidecar);
}

DecodedBatch decode_batch(const std::vector<Job>& jobs, size_t begin, size_t end, int threads) {
  DecodedBatch batch;
  const size_t n = end - begin;
  batch.frames.resize(n);
  batch.signatures.resize(n);
  batch.previous_signatures.resize(n);
  parallel_for(static_cast<int64_t>(n), threads, [&](int64_t i) {
    const Job& job = jobs[begin + i];
    batch.frames[i] = read_image(job.frame);
    batch.signatures[i] = scene_signature(batch.frames[i]);
    if (job.previous_frame) batch.previous_signatures[i] = scene_signature(read_image(*job.previous_frame));
  });
  return batch;
}

// Raw output checks: the estimator is code we do not control.
void check_estimates(const std::vector<cv::Mat>& raw, const DecodedBatch& batch, const std::vector<Job>& jobs,
                     size_t begin, const std::string& model) {
  if (raw.size() != batch.frames.size())
    throw Error("depth model '" + model + "' returned " + std::to_string(raw.size()) + " maps for a batch of " +
                std::to_string(batch.frames.size()) + " frames");
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i].type() != CV_32FC1 || raw[i].size() != batch.frames[i].size())
      throw Error("depth model '" + model + "' on frame '" + jobs[begin + i].frame.string() +
                  "': expected a CV_32FC1 map of " + size_text(batch.frames[i].size()) + ", got type " +
                  std::to_string(raw[i].type()) + " of " + size_text(raw[i].size()));
  }
}

// Pass 2 of `global`: every frame of the range mapped with the range's min..max.
int64_t renormalize_globally(const DepthStageOptions& options, const std::vector<FrameFile>& frames) {
  std::vector<DepthSidecar> sidecars;
  DepthRange global;
  for (const auto& frame : frames) {
    sidecars.push_back(read_sidecar(sidecar_path(options.out_dir, frame.index)));
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
        const fs::path png = depth_png_path(options.out_dir, sidecar.frame);
        const cv::Mat depth = read_image(png, kReadUnchanged);
        if (depth.type() != CV_16UC1 || depth.cols != sidecar.width || depth.rows != sidecar.height)
          throw Error("depth frame '" + png.string() + "': expected a 16-bit grayscale " +
                      size_text({sidecar.width, sidecar.height}) + " PNG as its sidecar says, got type " +
                      std::to_string(depth.type()) + " of " + size_text(depth.size()));
        const cv::Mat remapped = remap_depth(depth, sidecar.mapped, global);
        sidecar.mapped = global;
        sidecar.normalize = Normalize::kGlobal;
        write_depth_frame(options.out_dir, remapped, sidecar);
      },
      [&](int64_t done) {
        if (options.progress) options.progress(done, total);
      });
  return total;
}

}  // namespace

const OptionTable<DepthStageOptions>& DepthStageOptions::table() {
  static const auto table =
      OptionTable<DepthStageOptions>()
          .path("frames", &DepthStageOptions::frames_dir, "Input frame directory", Need::kRequired, "DIR")
          .path("out", &DepthStageOptions::out_dir, "Output depth frame directory, created if missing", Need::kRequired,
                "DIR")
          .number("batch", &DepthStageOptions::batch, Bounds{1, kMaxBatch},
                  "Frames per network call (equal-size frames are batched)")
          .choice("normalize", &DepthStageOptions::normalize, normalize_names(),
                  "frame (per-frame min-max) | ema (moving range, reset at scene cuts) | global (over the range)")
          .number("ema-alpha", &DepthStageOptions::ema_alpha, Bounds{0, 1, true, false},
                  "ema: how fast the range shrinks per frame", "A")
          .number("ema-dead-band", &DepthStageOptions::ema_dead_band, Bounds{0, 0.5, false, true},
                  "ema: fraction of its width the frame's range may lie inside the moving range without shrinking it",
                  "F")
          .number("scene-cut", &DepthStageOptions::scene_cut_threshold, Bounds{0, 1, true, false},
                  "ema: histogram distance to the previous frame that counts as a scene cut; 1 = never", "D")
          .include(FrameStageOptions::table());
  return table;
}

void DepthStageOptions::check() const {
  table().check(*this);
  if (same_file(frames_dir, out_dir))
    throw UsageError("--out: must differ from --frames ('" + out_dir.string() + "'): depth frames would mix with the input");
}

DepthStageResult run_depth_stage(const DepthStageOptions& options, DepthEstimator& estimator) {
  options.check();
  const auto all = list_frames(options.frames_dir);
  const auto in_range = frames_in_range(all, options.range);
  if (!options.range.is_open()) require_whole_range(in_range, options.range, options.frames_dir, "frame directory");
  // The model's full name ("dav2-vits") is known once it is loaded, i.e. after its first
  // batch; before, a network says only its family ("dav2").
  std::string model = estimator.name();

  // What to do, and where each stretch of frames to do continues from.
  DepthStageResult result;
  std::vector<Job> jobs;
  std::set<int64_t> todo_indices;
  // Done frames made by another model are never silently mixed with this one's.
  std::map<std::string, fs::path> done_models;  // model -> one of its sidecars
  for (const auto& frame : in_range) {
    if (!options.force && depth_frame_done(options.out_dir, frame.index)) {
      ++result.skipped;
      const fs::path sidecar = sidecar_path(options.out_dir, frame.index);
      done_models.emplace(read_sidecar(sidecar).model, sidecar);
    } else {
      todo_indices.insert(frame.index);
    }
  }
  for (size_t pos = 0; pos < all.size(); ++pos) {
    if (!todo_indices.count(all[pos].index)) continue;
    Job job;
    job.index = all[pos].index;
    job.frame = all[pos].path;
    job.stretch_start = pos == 0 || !todo_indices.count(all[pos - 1].index);
    if (job.stretch_start && pos > 0) {
      const FrameFile& previous = all[pos - 1];
      job.previous_frame = previous.path;
      read_image_size(previous.path);
      if (options.normalize == Normalize::kEma && depth_frame_done(options.out_dir, previous.index)) {
        const fs::path path = sidecar_path(options.out_dir, previous.index);
        try {
          const DepthSidecar previous_sidecar = read_sidecar(path);
          job.previous_mapping = previous_sidecar.mapped;
          done_models.emplace(previous_sidecar.model, path);
        } catch (const Error& e) {
          throw Error(std::string(e.what()) + " (needed to continue the ema normalization at frame " +
                      std::to_string(job.index) + "; redo the previous frame or use --normalize frame)");
        }
      }
    }
    jobs.push_back(std::move(job));
  }
  // Pre-flight from the headers alone, so a bad frame fails before anything is written.
  for (const auto& job : jobs) {
    const cv::Size size = read_image_size(job.frame);
    if (size.width <= 0 || size.height <= 0)
      throw Error("frame '" + job.frame.string() + "': expected a non-empty image, got " + size_text(size));
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
    for (const auto& frame : in_range)
      if (!todo_indices.count(frame.index)) read_sidecar(sidecar_path(options.out_dir, frame.index));
  }
  if (in_range.empty()) return result;
  ensure_directory(options.out_dir);

  const int64_t total = static_cast<int64_t>(jobs.size());
  std::atomic<int64_t> written{0};
  EmaRange ema(options.ema_alpha, options.ema_dead_band);
  cv::Mat previous_signature;
  auto normalize_batch = [&](const DecodedBatch& batch, std::vector<cv::Mat> raw, size_t begin) {
    std::vector<NormalizedFrame> out(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      const Job& job = jobs[begin + i];
      if (job.stretch_start) {
        previous_signature = batch.previous_signatures[i];
        if (job.previous_mapping) {
          ema.restore(*job.previous_mapping);
        } else {
          ema.reset();
        }
      }
      DepthSidecar& s = out[i].sidecar;
      s.frame = job.index;
      s.model = model;
      s.width = raw[i].cols;
      s.height = raw[i].rows;
      s.raw = raw_range(raw[i], "depth model '" + model + "' on frame '" + job.frame.string() + "'");
      s.scene_cut = !previous_signature.empty() &&
                    scene_distance(previous_signature, batch.signatures[i]) > options.scene_cut_threshold;
      if (s.scene_cut) ++result.scene_cuts;
      previous_signature = batch.signatures[i];
      // `global` first writes frame-normalized output; the second pass remaps it.
      s.normalize = options.normalize == Normalize::kEma ? Normalize::kEma : Normalize::kFrame;
      s.mapped = options.normalize == Normalize::kEma ? ema.update(s.raw, s.scene_cut) : s.raw;
      out[i].raw = std::move(raw[i]);
    }
    return out;
  };
  auto write_batch = [&](std::vector<NormalizedFrame> frames) {
    parallel_for(static_cast<int64_t>(frames.size()), options.threads, [&](int64_t i) {
      write_depth_frame(options.out_dir, quantize_depth(frames[i].raw, frames[i].sidecar.mapped), frames[i].sidecar);
      const int64_t done = ++written;
      if (options.progress) options.progress(done, total);
    });
  };

  // Decode of batch k+1 and encode of batch k-1 overlap the estimator on batch k.
  const size_t batch_size = static_cast<size_t>(options.batch);
  auto decode_from = [&](size_t begin) {
    return std::async(std::launch::async, decode_batch, std::cref(jobs), begin,
                      std::min(jobs.size(), begin + batch_size), options.threads);
  };
  std::future<DecodedBatch> next;
  if (!jobs.empty()) next = decode_from(0);
  std::future<void> writing;
  for (size_t begin = 0; begin < jobs.size(); begin += batch_size) {
    DecodedBatch batch = next.get();
    if (begin + batch_size < jobs.size()) next = decode_from(begin + batch_size);
    std::vector<cv::Mat> raw = estimator.estimate(batch.frames);
    if (begin == 0) {
      model = estimator.name();
      check_models(true);  // before anything is written
    }
    check_estimates(raw, batch, jobs, begin, model);
    std::vector<NormalizedFrame> normalized = normalize_batch(batch, std::move(raw), begin);
    if (writing.valid()) writing.get();
    writing = std::async(std::launch::async, write_batch, std::move(normalized));
  }
  if (writing.valid()) writing.get();
  result.written = total;

  if (options.normalize == Normalize::kGlobal) result.renormalized = renormalize_globally(options, in_range);
  return result;
}

}  // namespace s3d::depth_stage
