#include "media/list_option.hpp"

namespace s3d::media {

ListOption take_list_option(int argc, char** argv, const std::string& name) {
  ListOption result;
  const std::string flag = "--" + name;
  bool collecting = false;
  for (int i = 0; i < argc; ++i) {
    const std::string word = argv[i];
    if (i > 0 && word.rfind("--", 0) == 0) collecting = false;
    if (i > 0 && (word == flag || word.rfind(flag + "=", 0) == 0)) {
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

}  // namespace s3d::media
