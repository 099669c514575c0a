#include "media/subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"
#include "core/pipe_buffer.hpp"

extern char** environ;

namespace s3d::media {
namespace {

constexpr size_t kStderrKeep = 64 * 1024;

std::string program_from_env(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  return value && *value ? value : fallback;
}

// Writing to a pipe whose reader exited must return EPIPE instead of killing us.
void ignore_sigpipe_once() {
  static const bool done = [] {
    struct sigaction action {};
    action.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &action, nullptr);
    return true;
  }();
  (void)done;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::string ffmpeg_program() { return program_from_env("S3D_FFMPEG", "ffmpeg"); }
std::string ffprobe_program() { return program_from_env("S3D_FFPROBE", "ffprobe"); }

std::string describe_command(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"$\\;&|<>()*?`") == std::string::npos;
    if (plain) {
      text += arg;
      continue;
    }
    text += '\'';
    for (char c : arg) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    text += '\'';
  }
  return text;
}

Subprocess::Subprocess(std::vector<std::string> argv, Io stdin_mode, Io stdout_mode) : argv_(std::move(argv)) {
  ignore_sigpipe_once();
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  auto fail = [&](const std::string& why) {
    for (int* p : {in_pipe, out_pipe, err_pipe})
      for (int i = 0; i < 2; ++i) close_fd(p[i]);
    throw Error("cannot run '" + argv_.front() + "': " + why);
  };
  if ((stdin_mode == Io::kPipe && ::pipe2(in_pipe, O_CLOEXEC) != 0) ||
      (stdout_mode == Io::kPipe && ::pipe2(out_pipe, O_CLOEXEC) != 0) || ::pipe2(err_pipe, O_CLOEXEC) != 0)
    fail(std::strerror(errno));
  if (stdin_mode == Io::kPipe) widen_pipe(in_pipe[1]);
  if (stdout_mode == Io::kPipe) widen_pipe(out_pipe[0]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_mode == Io::kPipe)
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  else if (stdin_mode == Io::kNull)
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (stdout_mode == Io::kPipe)
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

  // The child gets SIGPIPE back at its default (we ignore it only in this process).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (auto& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  const int rc = posix_spawnp(&pid_, argv_.front().c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0)
    fail(rc == ENOENT ? std::string("not found on PATH (is it installed?)") : std::string(std::strerror(rc)));

  close_fd(in_pipe[0]);
  close_fd(out_pipe[1]);
  close_fd(err_pipe[1]);
  stdin_fd_ = in_pipe[1];
  stdout_fd_ = out_pipe[0];
  stderr_reader_ = std::thread(&Subprocess::drain_stderr, this, err_pipe[0]);
}

Subprocess::~Subprocess() {
  if (!exited_ && pid_ > 0) ::kill(pid_, SIGTERM);
  if (!exited_) wait();
}

void Subprocess::drain_stderr(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard<std::mutex> lock(stderr_mutex_);
    stderr_.append(buffer, static_cast<size_t>(n));
    if (stderr_.size() > 2 * kStderrKeep) stderr_.erase(0, stderr_.size() - kStderrKeep);
  }
  ::close(fd);
}

bool Subprocess::write_all(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(stdin_fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void Subprocess::close_stdin() { close_fd(stdin_fd_); }

bool Subprocess::read_exact(void* data, size_t size, size_t* got) {
  char* p = static_cast<char*>(data);
  size_t done = 0;
  // Bytes read ahead by read_line come first.
  while (done < size && out_pos_ < out_buffer_.size()) p[done++] = out_buffer_[out_pos_++];
  while (done < size) {
    const ssize_t n = ::read(stdout_fd_, p + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  if (got) *got = done;
  return done == size;
}

bool Subprocess::read_line(std::string& line) {
  line.clear();
  for (;;) {
    while (out_pos_ < out_buffer_.size()) {
      const char c = out_buffer_[out_pos_++];
      if (c == '\n') return true;
      line += c;
    }
    out_buffer_.resize(4096);
    out_pos_ = 0;
    ssize_t n;
    do n = ::read(stdout_fd_, out_buffer_.data(), out_buffer_.size());
    while (n < 0 && errno == EINTR);
    out_buffer_.resize(n > 0 ? static_cast<size_t>(n) : 0);
    if (n <= 0) return !line.empty();
  }
}

int Subprocess::wait() {
  if (exited_) return exit_code_;
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);  // a child still writing gets SIGPIPE/EPIPE and ends
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (stderr_reader_.joinable()) stderr_reader_.join();
  exited_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

std::string Subprocess::stderr_text() const {
  std::lock_guard<std::mutex> lock(stderr_mutex_);
  return stderr_.size() > kStderrKeep ? stderr_.substr(stderr_.size() - kStderrKeep) : stderr_;
}

void Subprocess::check_exit(int code, const std::string& what) const {
  if (code == 0) return;
  std::string err = stderr_text();
  while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
  throw Error(what + ": " + argv_.front() + " exited with code " + std::to_string(code) +
              (err.empty() ? std::string(" (no message)") : ":\n" + err) + "\ncommand: " + describe_command(argv_));
}

CommandOutput run_command(const std::vector<std::string>& argv) {
  Subprocess process(argv, Subprocess::Io::kNull, Subprocess::Io::kPipe);
  CommandOutput result;
  char buffer[8192];
  for (;;) {
    size_t got = 0;
    const bool full = process.read_exact(buffer, sizeof buffer, &got);
    result.out.append(buffer, got);
    if (!full) break;
  }
  result.exit_code = process.wait();
  result.err = process.stderr_text();
  return result;
}

}  // namespace s3d::media
