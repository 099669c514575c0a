// The two kinds of failure every s3d tool distinguishes; main() maps them to exit codes.
#pragma once
#include <stdexcept>
#include <string>

namespace s3d {

// The user asked for something invalid (bad option, bad value): exit code 2.
// Thrown by option checks before any heavy work starts.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The work itself failed (missing frame, unreadable file, ffmpeg error): exit code 1.
// Messages name the file, frame or key and say what was expected and what was found.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace s3d
