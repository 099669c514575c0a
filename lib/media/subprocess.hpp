// Running external programs (ffmpeg, ffprobe) without a shell: an argument vector goes
// straight to posix_spawnp, so file names with spaces, quotes, `$` or non-ASCII bytes are
// passed through untouched. stderr is always captured (its tail is shown when the program
// fails); stdin and stdout are either /dev/null or a pipe to this process.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace s3d::media {

// The ffmpeg / ffprobe executables: $S3D_FFMPEG / $S3D_FFPROBE when set, else the names,
// looked up on PATH.
std::string ffmpeg_program();
std::string ffprobe_program();

// "ffmpeg -i 'a b.mp4' ..." for messages: each argument quoted when it needs it.
std::string describe_command(const std::vector<std::string>& argv);

class Subprocess {
 public:
  // kInherit (stdin only): the child reads this process's own stdin, e.g. the rest of a
  // frame stream whose header was read here.
  enum class Io { kNull, kPipe, kInherit };

  // Starts argv[0] (searched on PATH). Throws Error naming the program if it cannot start
  // (e.g. not installed).
  Subprocess(std::vector<std::string> argv, Io stdin_mode, Io stdout_mode);
  // A process still running here (an exception unwound past it) is killed and reaped.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Writes all bytes to the child's stdin; false if the child closed it (exited early).
  bool write_all(const void* data, size_t size);
  void close_stdin();

  // Reads exactly `size` bytes from the child's stdout. Returns false at end of stream
  // (a partial block at the end also counts as the end; `got` says how much came).
  bool read_exact(void* data, size_t size, size_t* got = nullptr);
  // Reads one line (without '\n') from stdout; false at end of stream.
  bool read_line(std::string& line);

  // Closes the pipes, waits for the exit and returns the exit code (128 + signal if killed).
  int wait();
  // The captured stderr (its last 64 KiB), complete once wait() returned.
  std::string stderr_text() const;
  // Throws Error "<what>: ffmpeg exited with code N: <stderr>" unless `code` is 0.
  void check_exit(int code, const std::string& what) const;

  const std::vector<std::string>& argv() const { return argv_; }

 private:
  void drain_stderr(int fd);

  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1;
  std::thread stderr_reader_;
  mutable std::mutex stderr_mutex_;
  std::string stderr_;
  std::vector<char> out_buffer_;  // stdout bytes read ahead by read_line
  size_t out_pos_ = 0;
  bool exited_ = false;
  int exit_code_ = -1;
};

struct CommandOutput {
  int exit_code = -1;
  std::string out;  // all of stdout
  std::string err;  // stderr (last 64 KiB)
};

// Runs a program to completion with stdin = /dev/null, capturing stdout and stderr.
CommandOutput run_command(const std::vector<std::string>& argv);

}  // namespace s3d::media
