// What every frame stage takes besides its own options: the frame range, --force, the
// thread count and a progress callback. Stage options structs derive from it and include
// its table, so these options are defined (and checked) in this one place.
#pragma once
#include "core/frame_range.hpp"
#include "core/option_table.hpp"
#include "core/progress.hpp"

namespace s3d {

struct FrameStageOptions {
  FrameRange range;     // --range START:END: half-open global frame indices; default every frame present
  bool force = false;   // --force: redo frames whose output already exists (default: skip them)
  int threads = 0;      // --threads: worker threads, 0..1024, 0 = every core
  ProgressFn progress;  // called after each unit of work (may be empty); not an option

  // --range, --force, --threads.
  static const OptionTable<FrameStageOptions>& table();
};

// The --threads option alone, for tools that are not frame stages.
struct ThreadOptions {
  int threads = 0;  // --threads: 0..1024, 0 = every core
  static const OptionTable<ThreadOptions>& table();
};

}  // namespace s3d
