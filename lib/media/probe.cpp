#include "media/probe.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/value_parsers.hpp"
#include "media/subprocess.hpp"

namespace s3d::media {
namespace {

// ffprobe's "flat" output: one `section.key="value"` per line, values escaped with '\'.
std::map<std::string, std::string> parse_flat(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), raw = line.substr(eq + 1), value;
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
      for (size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) {
          const char next = raw[++i];
          value += next == 'n' ? '\n' : next == 'r' ? '\r' : next;
        } else {
          value += raw[i];
        }
      }
    } else {
      value = raw;
    }
    values[key] = value;
  }
  return values;
}

std::string get(const std::map<std::string, std::string>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() || it->second == "N/A" ? std::string() : it->second;
}

double get_seconds(const std::map<std::string, std::string>& values, const std::string& key, double fallback) {
  const std::string text = get(values, key);
  if (text.empty()) return fallback;
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return fallback;
  }
}

int64_t get_int(const std::map<std::string, std::string>& values, const std::string& key) {
  const std::string text = get(values, key);
  try {
    return text.empty() ? 0 : std::stoll(text);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

int64_t count_packets(const fs::path& path, int stream_index) {
  const auto out = run_command({ffprobe_program(), "-v", "error", "-count_packets", "-select_streams",
                                std::to_string(stream_index), "-show_entries", "stream=nb_read_packets", "-of",
                                "default=noprint_wrappers=1:nokey=1", path.string()});
  if (out.exit_code != 0)
    throw Error("cannot count the frames of '" + path.string() + "': ffprobe: " + first_line(out.err));
  try {
    return std::stoll(out.out);
  } catch (const std::exception&) {
    throw Error("cannot count the frames of '" + path.string() + "': ffprobe printed '" + first_line(out.out) +
                "', expected a packet count");
  }
}

}  // namespace

VideoInfo probe_video(const fs::path& path, bool count_frames) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error("input '" + path.string() + "' does not exist");
  if (fs::is_directory(path, ec)) throw Error("input '" + path.string() + "' is a directory, expected a video file");
  const auto out = run_command({ffprobe_program(), "-v", "error", "-show_format", "-show_streams", "-show_chapters",
                                "-of", "flat", path.string()});
  if (out.exit_code != 0)
    throw Error("cannot read '" + path.string() + "' as a video: ffprobe: " + first_line(out.err));
  const auto v = parse_flat(out.out);

  VideoInfo info;
  info.path = path;
  const int64_t nb_streams = get_int(v, "format.nb_streams");
  std::string seen;
  for (int i = 0; i < nb_streams; ++i) {
    const std::string p = "streams.stream." + std::to_string(i) + ".";
    const std::string type = get(v, p + "codec_type");
    seen += (seen.empty() ? "" : ", ") + type + " " + get(v, p + "codec_name");
    if (type == "video" && info.video_index < 0 && get(v, p + "disposition.attached_pic") != "1") {
      info.video_index = i;
      continue;
    }
    if (type != "audio" && type != "subtitle" && type != "attachment") continue;
    SideStream s;
    s.index = static_cast<int>(get_int(v, p + "index"));
    s.type = type;
    s.codec = get(v, p + "codec_name");
    s.language = get(v, p + "tags.language");
    s.title = get(v, p + "tags.title");
    s.filename = get(v, p + "tags.filename");
    s.channels = static_cast<int>(get_int(v, p + "channels"));
    info.streams.push_back(s);
  }
  if (info.video_index < 0)
    throw Error("input '" + path.string() + "' has no video stream (found: " + (seen.empty() ? "no streams" : seen) +
                ")");

  const std::string p = "streams.stream." + std::to_string(info.video_index) + ".";
  info.codec = get(v, p + "codec_name");
  info.width = static_cast<int>(get_int(v, p + "width"));
  info.height = static_cast<int>(get_int(v, p + "height"));
  // ffmpeg turns frames upright when it decodes (autorotation): report the size as shown.
  for (int i = 0; v.count(p + "side_data_list.side_data." + std::to_string(i) + ".side_data_type"); ++i) {
    const int64_t rotation = get_int(v, p + "side_data_list.side_data." + std::to_string(i) + ".rotation");
    if (std::abs(rotation) % 180 == 90) std::swap(info.width, info.height);
  }
  info.pix_fmt = get(v, p + "pix_fmt");
  info.r_frame_rate = parse_rational(get(v, p + "r_frame_rate")).value_or(Rational{0, 1});
  info.avg_frame_rate = parse_rational(get(v, p + "avg_frame_rate")).value_or(Rational{0, 1});
  if (!info.r_frame_rate.valid() && !info.avg_frame_rate.valid())
    throw Error("input '" + path.string() + "': the video stream has no frame rate (r_frame_rate '" +
                get(v, p + "r_frame_rate") + "'); pass --fps");
  info.variable_rate = info.r_frame_rate.valid() && info.avg_frame_rate.valid() &&
                       std::abs(info.r_frame_rate.value() / info.avg_frame_rate.value() - 1) > 1e-3;
  info.frame_rate = info.r_frame_rate.valid() && !info.variable_rate ? info.r_frame_rate : info.avg_frame_rate;
  info.format_start_time = get_seconds(v, "format.start_time", 0);
  info.start_time = get_seconds(v, p + "start_time", info.format_start_time);
  info.duration = get_seconds(v, p + "duration", get_seconds(v, "format.duration", 0));
  for (const auto& [key, value] : v)
    if (key.rfind(p + "tags.", 0) == 0) info.video_tags[key.substr(p.size() + 5)] = value;
  while (v.count("chapters.chapter." + std::to_string(info.chapters) + ".id")) ++info.chapters;

  const int64_t nb_frames = get_int(v, p + "nb_frames");
  if (info.variable_rate) {
    info.frame_count = std::llround(info.duration * info.frame_rate.value());
    info.count_method = "duration*rate";
  } else if (nb_frames > 0) {
    info.frame_count = nb_frames;
    info.count_method = "nb_frames";
  } else if (count_frames) {
    info.frame_count = count_packets(path, info.video_index);
    info.count_method = "count_packets";
  } else {
    info.frame_count = -1;
    info.count_method = "not counted";
  }
  return info;
}

std::string probe_json(const VideoInfo& info) {
  auto rational = [](Rational r) { return json::Value::object().set("num", r.num).set("den", r.den); };
  json::Value streams = json::Value::array();
  for (const auto& s : info.streams) {
    json::Value stream = json::Value::object();
    stream.set("index", s.index).set("type", s.type).set("codec", s.codec).set("language", s.language).set("title", s.title);
    if (s.type == "audio") stream.set("channels", s.channels);
    if (s.type == "attachment") stream.set("filename", s.filename);
    streams.push(std::move(stream));
  }
  json::Value doc = json::Value::object();
  doc.set("path", info.path.string())
      .set("video_stream", info.video_index)
      .set("codec", info.codec)
      .set("frame_count", info.frame_count)
      .set("frame_count_method", info.count_method)
      .set("frame_rate", rational(info.frame_rate))
      .set("frame_rate_text", info.frame_rate.str())
      .set("variable_frame_rate", info.variable_rate)
      .set("width", info.width)
      .set("height", info.height)
      .set("pix_fmt", info.pix_fmt)
      .set("start_time", info.start_time)
      .set("duration", info.duration)
      .set("chapters", info.chapters)
      .set("streams", std::move(streams));
  return json::dump(doc);
}

std::string probe_make_variables(const VideoInfo& info) {
  // Only values that need no quoting in make: numbers, rates, codec and pixel format names.
  std::string text = "# s3d-extract --probe of the pipeline's INPUT (generated; do not edit)\n";
  const auto var = [&](const char* name, const std::string& value) { text += std::string("S3D_") + name + " := " + value + "\n"; };
  var("FRAMES", std::to_string(info.frame_count));
  var("FPS", info.frame_rate.str());
  var("VARIABLE_RATE", info.variable_rate ? "1" : "0");
  var("WIDTH", std::to_string(info.width));
  var("HEIGHT", std::to_string(info.height));
  var("DURATION", format_real(info.duration));
  var("START_TIME", format_real(info.start_time));
  return text;
}

}  // namespace s3d::media
