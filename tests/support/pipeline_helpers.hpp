// Helpers of the Makefile.pipeline tests: generated clips, make's arguments, stream checksums,
// ffprobe queries, the identity of kept files, make started in its own process group.
#pragma once
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace s3d::pipeline_test {

namespace fs = std::filesystem;
using s3d::test::run_program;


inline constexpr int kWidth = 160, kHeight = 96, kFrames = 120, kChunk = 25;

// A clip with motion and a stereo tone, H.264 + AAC in Matroska.
inline fs::path make_clip(const fs::path& dir) {
  const fs::path clip = dir / "in clip.mkv";
  auto r = run_program("ffmpeg", {"-v", "error", "-y", "-f", "lavfi", "-i",
                                  "testsrc2=size=" + std::to_string(kWidth) + "x" + std::to_string(kHeight) +
                                      ":rate=25:duration=" + std::to_string(kFrames / 25.0),
                                  "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=4.8",
                                  "-ac", "2", "-c:v", "libx264", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac",
                                  "-shortest", clip.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return clip;
}

inline std::vector<std::string> make_args(const fs::path& clip, const fs::path& out, const fs::path& work,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-f", (s3d::test::source_dir() / "Makefile.pipeline").string(),
                                   "INPUT=" + clip.string(), "OUT=" + out.string(), "WORK=" + work.string(),
                                   "CHUNK=" + std::to_string(kChunk), "MODEL=heuristic", "CODEC=libx264",
                                   "BIN=" + s3d::test::bin_dir().string(), "THREADS=1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// md5 of one kind of stream's packets (e.g. "0:v", "0:a"), as ffmpeg's md5 muxer reports it.
inline std::string stream_md5(const fs::path& file, const std::string& map) {
  auto r = run_program("ffmpeg", {"-v", "error", "-i", file.string(), "-map", map, "-c", "copy", "-f", "md5", "-"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

inline std::string probe(const fs::path& file, const std::string& stream, const std::string& entries) {
  auto r = run_program("ffprobe", {"-v", "error", "-select_streams", stream, "-count_frames", "-show_entries",
                                   entries, "-of", "csv=p=0", file.string()});
  REQUIRE(r.exit_code == 0);
  // First line only, without the empty fields ffprobe appends for stereo side data.
  std::string line = r.out.substr(0, r.out.find('\n'));
  while (!line.empty() && line.back() == ',') line.pop_back();
  return line + "\n";
}

// Identity of every file below `dir`: inode and mtime.
inline std::map<std::string, std::pair<ino_t, int64_t>> tree_identity(const fs::path& dir) {
  std::map<std::string, std::pair<ino_t, int64_t>> ids;
  for (const auto& p : s3d::test::files_below(dir)) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    ids[p.string()] = {st.st_ino, int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  }
  return ids;
}

// Identity of every kept depth file.
inline std::map<std::string, std::pair<ino_t, int64_t>> depth_identity(const fs::path& work) {
  return tree_identity(work / "depth");
}

// Starts make in its own process group so the whole tree can be SIGKILLed at once.
inline pid_t start_make(const std::vector<std::string>& args, const fs::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    FILE* f = fopen(log.c_str(), "a");
    if (f) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> argv;
    std::string make = "make";
    argv.push_back(make.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp("make", argv.data());
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

inline int64_t disk_usage(const fs::path& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) {
      auto s = it->file_size(ec2);
      if (!ec2) total += static_cast<int64_t>(s);
    }
  }
  return total;
}

}  // namespace s3d::pipeline_test
