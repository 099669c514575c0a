#include "cli/list_option.hpp"

namespace s3d::cli {

ListOption take_list_option(const std::vector<std::string>& args, const std::string& name) {
  ListOption result;
  const std::string flag = "--" + name;
  bool collecting = false;
  for (const std::string& word : args) {
    if (word.rfind("--", 0) == 0) collecting = false;
    if (word == flag || word.rfind(flag + "=", 0) == 0) {
      if (!result.present) result.rest.push_back(flag);
      result.present = true;
      collecting = true;
      if (word.size() > flag.size()) result.values.push_back(word.substr(flag.size() + 1));
      continue;
    }
    if (collecting)
      result.values.push_back(word);
    else
      result.rest.push_back(word);
  }
  return result;
}

}  // namespace s3d::cli
