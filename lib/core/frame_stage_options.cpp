#include "core/frame_stage_options.hpp"

namespace s3d {

namespace {
constexpr Bounds kThreads{0, 1024};
constexpr const char* kThreadsHelp = "Worker threads; 0 = every core";
}  // namespace

const OptionTable<FrameStageOptions>& FrameStageOptions::table() {
  static const auto table = OptionTable<FrameStageOptions>()
      .value<FrameRange>("range", &FrameStageOptions::range,
                         [](std::string_view text, const std::string&) { return FrameRange::parse(text); },
                         [](const FrameRange& r) { return r.is_all() ? std::string() : r.str(); }, "START:END",
                         "Frames to process: half-open global indices START:END (also START: or :END); "
                         "default: every frame present in the input")
      .flag("force", &FrameStageOptions::force, "Redo frames whose output already exists (default: skip them)")
      .number("threads", &FrameStageOptions::threads, kThreads, kThreadsHelp);
  return table;
}

const OptionTable<ThreadOptions>& ThreadOptions::table() {
  static const auto table = OptionTable<ThreadOptions>().number("threads", &ThreadOptions::threads, kThreads, kThreadsHelp);
  return table;
}

}  // namespace s3d
