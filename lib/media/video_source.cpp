#include "media/video_source.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "core/value_parsers.hpp"
#include "imageio/frame_pool.hpp"
#include "media/probe.hpp"
#include "media/subprocess.hpp"
#include "media/video_decoder.hpp"

namespace s3d::media {

const OptionTable<VideoSourceOptions>& VideoSourceOptions::table() {
  static const auto table =
      OptionTable<VideoSourceOptions>()
          .path("video", &VideoSourceOptions::video,
                "Read the frames straight from this video (frame k = the picture shown at k / rate), instead of a "
                "frame directory",
                Need::kOptional, "FILE")
          .value<std::optional<Rational>>(
              "fps", &VideoSourceOptions::fps,
              [](std::string_view t, const std::string& o) { return std::optional(parse_frame_rate(t, o)); },
              [](const std::optional<Rational>& r) { return r ? r->str() : std::string(); }, "RATE",
              "With --video: the frame grid's rate, e.g. 24000/1001 (default: the probed rate; give the pipeline's "
              "so that every chunk uses the same grid)");
  return table;
}

namespace {

class VideoSource : public FrameSource {
 public:
  VideoSource(const VideoSourceOptions& o, int threads)
      : options_(o), threads_(threads), info_(probe_video(o.video, false, o.fps)), rate_(info_.frame_rate) {}

  std::vector<int64_t> indices(const FrameRange& range) override {
    int64_t end = range.end;
    if (range.is_open()) {
      if (info_.frame_count < 0) info_ = probe_video(options_.video, true, options_.fps);  // counts the frames
      end = info_.frame_count;
    } else {
      // Uncounted, the video's last timestamp still bounds the grid.
      const int64_t estimate = info_.frame_count >= 0 ? info_.frame_count
                                                      : std::llround(info_.duration * rate_.value());
      if (info_.duration > 0 && end > estimate + 1)
        throw Error("--range " + range.str() + ": " + name() + " has about " + std::to_string(estimate) +
                    " frames at " + rate_.str() + " fps (its video ends at " +
                    format_real(info_.start_time + info_.duration) + " s)");
    }
    std::vector<int64_t> out;
    for (int64_t i = range.start; i < end; ++i) out.push_back(i);
    return out;
  }

  void start(std::vector<int64_t> wanted) override {
    wanted_ = std::move(wanted);
    next_ = 0;
    spans_.clear();
    span_ = 0;
    ffmpeg_.reset();
    if (wanted_.empty()) return;
    std::vector<bool> mask(static_cast<size_t>(wanted_.back() - wanted_.front() + 1), false);
    for (int64_t i : wanted_) mask[i - wanted_.front()] = true;
    spans_ = plan_spans(mask, wanted_.front(), merge_gap(rate_));
  }

  bool next(IndexedFrame& frame) override {
    if (next_ >= wanted_.size()) {
      finish_span();
      return false;
    }
    const int64_t target = wanted_[next_];
    for (;;) {
      if (!ffmpeg_) {
        DecodeSettings decode;
        decode.size = cv::Size(info_.width, info_.height);
        decode.threads = threads_;
        ffmpeg_ = std::make_unique<Subprocess>(decode_command(info_, rate_, spans_[span_], decode),
                                               Subprocess::Io::kNull, Subprocess::Io::kPipe);
        position_ = spans_[span_].start;
      }
      cv::Mat image = pool_.take(cv::Size(info_.width, info_.height), CV_8UC3);
      if (!ffmpeg_->read_exact(image.data, image.total() * 3)) {
        finish_span();
        throw Error(name() + ": expected frame " + std::to_string(position_) + ", ffmpeg delivered frames " +
                    std::to_string(spans_[span_].start) + ".." + std::to_string(position_ - 1) +
                    " only (the video ends there)");
      }
      const int64_t index = position_++;
      if (position_ >= spans_[span_].end) {
        finish_span();
        ++span_;
      }
      if (index == target) {
        frame.index = index;
        frame.image = std::move(image);
        ++next_;
        return true;
      }
    }
  }

  cv::Size size_of(int64_t) override { return {info_.width, info_.height}; }
  std::string name() const override { return "video '" + options_.video.string() + "'"; }

 private:
  // Waits for the span's ffmpeg; its exit code counts once it delivered the whole span
  // (stopped early, it is ended by the closed pipe).
  void finish_span() {
    if (!ffmpeg_) return;
    auto process = std::move(ffmpeg_);
    const bool complete = position_ >= spans_[span_].end;
    const int code = process->wait();
    if (complete) process->check_exit(code, "decoding " + name());
  }

  VideoSourceOptions options_;
  int threads_;
  VideoInfo info_;
  Rational rate_;
  std::vector<int64_t> wanted_;
  size_t next_ = 0;
  std::vector<Span> spans_;
  size_t span_ = 0;
  std::unique_ptr<Subprocess> ffmpeg_;
  int64_t position_ = 0;
  FramePool pool_;
};

}  // namespace

std::unique_ptr<FrameSource> open_video(const VideoSourceOptions& options, int threads) {
  return std::make_unique<VideoSource>(options, threads);
}

}  // namespace s3d::media
