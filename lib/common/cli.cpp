#include "common/cli.hpp"

#include <iostream>

#include "common/errors.hpp"

namespace s3d::cli {

void add_common_options(cxxopts::Options& options, bool frame_stage) {
  if (frame_stage) {
    options.add_options("Common")
      ("range", "Frames to process, half-open global indices START:END (also START: or :END); "
                "default: every frame present in the input", cxxopts::value<std::string>()->default_value(""))
      ("force", "Redo frames whose output already exists (default: skip them)");
  }
  options.add_options("Common")
    ("threads", "Worker threads; 0 = every core", cxxopts::value<int>()->default_value("0"))
    ("quiet", "No progress line and no summary on stderr")
    ("h,help", "Print this help and exit")
    ("version", "Print the version and exit");
}

CommonOptions read_common_options(const cxxopts::ParseResult& result, bool frame_stage) {
  CommonOptions common;
  if (frame_stage) {
    common.range = FrameRange::parse(result["range"].as<std::string>());
    common.force = result.count("force") > 0;
  }
  common.threads = result["threads"].as<int>();
  if (common.threads < 0) throw UsageError("--threads: expected 0 (every core) or a positive count, got " +
                                           std::to_string(common.threads));
  common.quiet = result.count("quiet") > 0;
  return common;
}

void require(const cxxopts::ParseResult& result, const std::string& name) {
  if (result.count(name) == 0) throw UsageError("missing required option --" + name + " (see --help)");
}

int run(int argc, char** argv, cxxopts::Options& options,
        const std::function<int(const cxxopts::ParseResult&)>& body, bool frame_stage) {
  const std::string tool = options.program();
  try {
    add_common_options(options, frame_stage);
    auto result = options.parse(argc, argv);
    if (result.count("help")) {
      std::cout << options.help() << std::endl;
      return kOk;
    }
    if (result.count("version")) {
      std::cout << tool << " " << S3D_VERSION << std::endl;
      return kOk;
    }
    if (!result.unmatched().empty())
      throw UsageError("unexpected argument '" + result.unmatched().front() + "' (see --help)");
    return body(result);
  } catch (const UsageError& e) {
    std::cerr << tool << ": error: " << e.what() << "\n";
    return kUsage;
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << tool << ": error: " << e.what() << " (see --help)\n";
    return kUsage;
  } catch (const std::exception& e) {
    std::cerr << tool << ": error: " << e.what() << "\n";
    return kFailure;
  }
}

}  // namespace s3d::cli
