#include "imageio/frame_source.hpp"

#include <deque>
#include <future>
#include <map>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "core/parallel.hpp"
#include "imageio/frame_pool.hpp"
#include "imageio/frame_stream.hpp"
#include "imageio/image_file.hpp"

namespace s3d {
namespace {

class StoreSource : public FrameSource {
 public:
  StoreSource(std::filesystem::path dir, int threads) : dir_(std::move(dir)), threads_(resolve_threads(threads)) {
    for (const auto& f : list_frames(dir_)) files_.emplace(f.index, f.path);
  }

  std::vector<int64_t> indices(const FrameRange& range) override {
    std::vector<int64_t> out;
    for (const auto& [index, path] : files_)
      if (range.contains(index)) out.push_back(index);
    return out;
  }

  void start(std::vector<int64_t> wanted) override {
    wanted_ = std::move(wanted);
    next_ = 0;
    pending_.clear();
  }

  bool next(IndexedFrame& frame) override {
    // Keep `threads_` decodes running ahead, each into its own picture.
    while (pending_.size() < static_cast<size_t>(threads_) && next_ < wanted_.size()) {
      const int64_t index = wanted_[next_++];
      const auto path = path_of(index);
      pending_.push_back({index, std::async(std::launch::async, [path] { return read_image(path, kReadColor); })});
    }
    if (pending_.empty()) return false;
    frame.index = pending_.front().index;
    frame.image = pending_.front().image.get();
    pending_.pop_front();
    return true;
  }

  cv::Size size_of(int64_t index) override { return read_image_size(path_of(index)); }
  std::string name() const override { return "frame directory '" + dir_.string() + "'"; }
  std::string frame_name(int64_t index) const override {
    auto it = files_.find(index);
    return it == files_.end() ? FrameSource::frame_name(index) : "frame '" + it->second.string() + "'";
  }

 private:
  const std::filesystem::path& path_of(int64_t index) const {
    auto it = files_.find(index);
    if (it == files_.end())
      throw Error("frame " + std::to_string(index) + " is not in " + name());
    return it->second;
  }

  struct Pending {
    int64_t index;
    std::future<cv::Mat> image;
  };
  std::filesystem::path dir_;
  int threads_;
  std::map<int64_t, std::filesystem::path> files_;
  std::vector<int64_t> wanted_;
  size_t next_ = 0;
  std::deque<Pending> pending_;
};

class StreamSource : public FrameSource {
 public:
  StreamSource(int fd, std::string name) : reader_(fd, name), name_(std::move(name)) {}

  std::vector<int64_t> indices(const FrameRange& range) override {
    const auto& h = reader_.header();
    std::vector<int64_t> out;
    for (int64_t i = h.first; i < h.first + h.count; ++i)
      if (range.contains(i)) out.push_back(i);
    return out;
  }
  void start(std::vector<int64_t> wanted) override {
    wanted_ = std::move(wanted);
    next_ = 0;
  }
  bool next(IndexedFrame& frame) override {
    while (next_ < wanted_.size()) {
      cv::Mat image = pool_.take(reader_.header().size, CV_8UC3);
      if (!reader_.read(image)) break;
      const int64_t index = position_++;
      if (index < wanted_[next_]) continue;  // not wanted: read past
      if (index > wanted_[next_])
        throw Error(name_ + ": frame " + std::to_string(wanted_[next_]) + " was wanted, the stream is past it");
      frame.index = index;
      frame.image = std::move(image);
      ++next_;
      return true;
    }
    if (next_ < wanted_.size())
      throw Error(name_ + ": the stream ended before frame " + std::to_string(wanted_[next_]));
    return false;
  }
  cv::Size size_of(int64_t) override { return reader_.header().size; }
  std::string name() const override { return name_; }

 private:
  FrameStreamReader reader_;
  std::string name_;
  std::vector<int64_t> wanted_;
  size_t next_ = 0;
  int64_t position_ = reader_.header().first;
  FramePool pool_;
};

}  // namespace

std::unique_ptr<FrameSource> open_frame_stream(int fd, const std::string& name) {
  return std::make_unique<StreamSource>(fd, name);
}

std::unique_ptr<FrameSource> open_frame_store(const std::filesystem::path& dir, int threads) {
  return std::make_unique<StoreSource>(dir, threads);
}

}  // namespace s3d
