// What every stage binary shares: common flags, option parsing helpers, and the one
// place where exceptions become messages and exit codes (0 ok, 1 failure, 2 usage).
#pragma once
#include <cxxopts.hpp>
#include <functional>
#include <string>

#include "common/frame_range.hpp"

namespace s3d::cli {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2 };

// The flags every stage tool takes.
struct CommonOptions {
  FrameRange range;    // --range START:END, half-open; default every frame present
  bool force = false;  // --force: redo frames whose output already exists
  int threads = 0;     // --threads N; 0 = every core
  bool quiet = false;  // --quiet: no progress, no summary
};

// Adds --range/--force (when `frame_stage`), --threads, --quiet, --help, --version.
void add_common_options(cxxopts::Options& options, bool frame_stage = true);

// Reads the common flags back; throws UsageError on bad values.
CommonOptions read_common_options(const cxxopts::ParseResult& result, bool frame_stage = true);

// Parses argv, handles --help (usage to stdout, exit 0) and --version, then calls `body`.
// Every exception is caught here: UsageError and cxxopts parse errors -> 2, anything else -> 1,
// each printed to stderr as "<tool>: error: <message>".
int run(int argc, char** argv, cxxopts::Options& options,
        const std::function<int(const cxxopts::ParseResult&)>& body, bool frame_stage = true);

// Throws UsageError unless `name` was given.
void require(const cxxopts::ParseResult& result, const std::string& name);

}  // namespace s3d::cli
