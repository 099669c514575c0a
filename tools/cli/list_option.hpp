// `--segments S1 S2 ...`: an option followed by several file names. cxxopts splits list
// values at commas (which file names may contain), so the tool takes these words out of
// argv itself before cxxopts sees the rest.
#pragma once
#include <string>
#include <vector>

namespace s3d::cli {

struct ListOption {
  bool present = false;            // the option appeared
  std::vector<std::string> values; // the words after it, up to the next word starting with "--"
  std::vector<std::string> rest;   // args without those words (the option itself stays, as a flag)
};

// Splits `--name V1 V2 ...` (also `--name=V1 V2 ...`, and repeated) out of `args` (argv
// without the program name).
ListOption take_list_option(const std::vector<std::string>& args, const std::string& name);

}  // namespace s3d::cli
