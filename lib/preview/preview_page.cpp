#include "preview/preview_page.hpp"

#include <cctype>
#include <sstream>

namespace s3d::preview {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// A relative path as an URL: every byte but unreserved ones and '/' percent-encoded.
std::string url_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string preview_page(const PageContent& content) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html_escape(content.title)
    << "</title>\n<style>\n"
       "body { background: #181818; color: #ddd; font: 14px sans-serif; margin: 1em; }\n"
       "table { border-collapse: collapse; margin-bottom: 1em; }\n"
       "td, th { border: 1px solid #444; padding: 2px 8px; text-align: left; font-family: monospace; }\n"
       "figure { display: inline-block; margin: 0 8px 8px 0; vertical-align: top; }\n"
       "figure img { max-width: 480px; display: block; }\n"
       "img.sheet { max-width: 100%; }\n"
       "pre { background: #222; padding: 8px; overflow-x: auto; }\n"
       "a { color: #8cf; }\n"
       "</style>\n</head>\n<body>\n<h1>"
    << html_escape(content.title) << "</h1>\n<h2>Parameters</h2>\n<table>\n";
  for (const auto& [key, value] : content.parameters)
    o << "<tr><th>" << html_escape(key) << "</th><td>" << html_escape(value) << "</td></tr>\n";
  o << "</table>\n";
  if (!content.sheet.empty())
    o << "<h2>Contact sheet</h2>\n<a href=\"" << url_path(content.sheet) << "\"><img class=\"sheet\" src=\""
      << url_path(content.sheet) << "\" alt=\"contact sheet\"></a>\n";
  for (const auto& frame : content.frames) {
    o << "<h2>" << html_escape(frame.heading) << "</h2>\n<div>\n";
    for (const auto& image : frame.images)
      o << "<figure><a href=\"" << url_path(image.path) << "\"><img src=\"" << url_path(image.path) << "\" alt=\""
        << html_escape(image.caption) << "\"></a><figcaption>" << html_escape(image.caption) << "</figcaption></figure>\n";
    o << "</div>\n";
  }
  if (!content.commands.empty())
    o << "<h2>Commands</h2>\n<pre>" << html_escape(content.commands) << "</pre>\n";
  o << "</body>\n</html>\n";
  return o.str();
}

}  // namespace s3d::preview
