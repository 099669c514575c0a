// The preview's HTML page (index.html): the parameters table, the contact sheet, and per
// frame every picture and the wiggle GIF, each as an <img> with a relative link, so the
// folder can be opened, moved or copied as it is.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s3d::preview {

// `text` with &, <, >, " and ' written as entities.
std::string html_escape(std::string_view text);

struct PageImage {
  std::string caption;  // "depth", "stereo pair", ...
  std::string path;     // relative to the page, e.g. "colormap/000085.png"
};

struct PageFrame {
  std::string heading;  // "frame 85 (2.833 s)"
  std::vector<PageImage> images;
};

struct PageContent {
  std::string title;
  std::vector<std::pair<std::string, std::string>> parameters;  // shown as a table, in order
  std::string sheet;     // the contact sheet's relative path
  std::string commands;  // the commands that made the preview (shown verbatim), may be empty
  std::vector<PageFrame> frames;
};

std::string preview_page(const PageContent& content);

}  // namespace s3d::preview
