#include "media/probe.hpp"

#include <cctype>
#include <cmath>
#include <future>
#include <numeric>
#include <optional>
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
  if (first_line(out.out) == "N/A" || first_line(out.out).empty()) return 0;  // no packet read at all
  try {
    return std::stoll(out.out);
  } catch (const std::exception&) {
    throw Error("cannot count the frames of '" + path.string() + "': ffprobe printed '" + first_line(out.out) +
                "', expected a packet count");
  }
}

// The start time of the last video packet: ffprobe seeks to the end (the last keyframe) and
// reads the packets from there, so this costs one GOP, not the film.
std::optional<double> last_packet_time(const fs::path& path, const std::string& stream) {
  const auto out = run_command({ffprobe_program(), "-v", "error", "-select_streams", stream,
                                "-read_intervals", "999999999%", "-show_entries", "packet=pts_time", "-of",
                                "default=noprint_wrappers=1:nokey=1", path.string()});
  if (out.exit_code != 0) return std::nullopt;
  std::optional<double> last;
  std::istringstream lines(out.out);
  for (std::string line; std::getline(lines, line);) {
    try {
      const double t = std::stod(line);
      if (!last || t > *last) last = t;
    } catch (const std::exception&) {  // "N/A"
    }
  }
  return last;
}

// The disposition flags ffprobe reports as 1 (default, forced, ...), in its order.
std::vector<std::string> dispositions(const std::map<std::string, std::string>& v, const std::string& prefix) {
  std::vector<std::string> flags;
  const std::string key = prefix + "disposition.";
  for (const auto& [k, value] : v)
    if (k.rfind(key, 0) == 0 && value == "1") flags.push_back(k.substr(key.size()));
  return flags;
}

bool close_rates(double a, double b, double tolerance) { return a > 0 && b > 0 && std::abs(a / b - 1) <= tolerance; }

// The standard rate nearest to a measured rate, if within 0.3%; else the rate to 1/1000 fps.
Rational snap_rate(double fps) {
  static const Rational kStandard[] = {{24000, 1001}, {24, 1}, {25, 1}, {30000, 1001}, {30, 1}, {48, 1},
                                       {50, 1}, {60000, 1001}, {60, 1}, {100, 1}, {120000, 1001}, {120, 1}};
  const Rational* nearest = nullptr;
  for (const auto& r : kStandard)
    if (!nearest || std::abs(r.value() - fps) < std::abs(nearest->value() - fps)) nearest = &r;
  if (close_rates(fps, nearest->value(), 3e-3)) return *nearest;
  const int64_t milli = std::llround(fps * 1000);
  const int64_t g = std::gcd(milli, int64_t{1000});
  return {milli / g, 1000 / g};
}

// The rate of s3d's frame grid, from the header rates checked against the measured one.
void choose_frame_rate(VideoInfo& info, std::optional<double> measured, std::optional<Rational> forced) {
  const Rational r = info.r_frame_rate, a = info.avg_frame_rate;
  const bool r_ok = r.valid() && r.value() <= kMaxFrameRate, a_ok = a.valid() && a.value() <= kMaxFrameRate;
  info.variable_rate = r_ok && a_ok && !close_rates(r.value(), a.value(), 1e-3);
  if (forced) {
    info.frame_rate = *forced;
    info.rate_source = "forced";
    return;
  }
  if (measured) {
    // Headers are trusted only when they agree with the timestamps (within 2%).
    if (r_ok && !info.variable_rate && close_rates(r.value(), *measured, 0.02)) {
      info.frame_rate = r;
      info.rate_source = "r_frame_rate";
    } else if (a_ok && close_rates(a.value(), *measured, 0.02)) {
      info.frame_rate = a;
      info.rate_source = "avg_frame_rate";
    } else {
      info.frame_rate = snap_rate(*measured);
      info.rate_source = "timestamps";
      info.variable_rate = true;  // the headers said otherwise: treat the timing as variable
    }
    if (info.frame_rate.value() > kMaxFrameRate)
      throw Error("input '" + info.path.string() + "': its timestamps give " + format_real(*measured) +
                  " fps, above the " + std::to_string(int(kMaxFrameRate)) + " fps s3d accepts; pass --fps");
    return;
  }
  if (r_ok && !info.variable_rate) {
    info.frame_rate = r;
    info.rate_source = "r_frame_rate";
  } else if (a_ok) {
    info.frame_rate = a;
    info.rate_source = "avg_frame_rate";
  } else {
    throw Error("input '" + info.path.string() + "': the video stream has no usable frame rate (r_frame_rate " +
                r.str() + ", avg_frame_rate " + a.str() + "); pass --fps");
  }
}

}  // namespace

VideoInfo probe_video(const fs::path& path, bool count_frames, std::optional<Rational> forced_rate) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error("input '" + path.string() + "' does not exist");
  if (fs::is_directory(path, ec)) throw Error("input '" + path.string() + "' is a directory, expected a video file");
  // Containers whose headers carry no frame count (Matroska, WebM, MPEG-TS, ...) are counted in
  // the same ffprobe run (it reads the file once either way); MP4/MOV headers have it.
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool count_here = count_frames && ext != ".mp4" && ext != ".m4v" && ext != ".mov";
  std::vector<std::string> command = {ffprobe_program(), "-v", "error", "-show_format", "-show_streams",
                                      "-show_chapters", "-of", "flat", path.string()};
  if (count_here) command.insert(command.begin() + 3, "-count_packets");
  // The last packet's time, asked at the same time of the first video stream (almost always
  // the one used: asked again below when an attached picture comes first): ~0.2 s less wait.
  auto last_of_first_video = std::async(std::launch::async, last_packet_time, path, std::string("v:0"));
  const auto out = run_command(command);
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
    s.disposition = dispositions(v, p);
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
  info.format_start_time = get_seconds(v, "format.start_time", 0);
  info.start_time = get_seconds(v, p + "start_time", info.format_start_time);
  info.duration = get_seconds(v, p + "duration", get_seconds(v, "format.duration", 0));
  info.video_disposition = dispositions(v, p);
  for (const auto& [key, value] : v)
    if (key.rfind(p + "tags.", 0) == 0) info.video_tags[key.substr(p.size() + 5)] = value;
  while (v.count("chapters.chapter." + std::to_string(info.chapters) + ".id")) ++info.chapters;

  // How many video frames there are, and when the last one starts: the measured rate is
  // (packets - 1) / (last - first timestamp), which headers cannot get wrong.
  const int64_t nb_frames = get_int(v, p + "nb_frames");
  int64_t packets = nb_frames > 0 ? nb_frames : -1;
  if (packets < 0 && count_here && v.count(p + "nb_read_packets")) packets = get_int(v, p + "nb_read_packets");
  if (packets < 0 && count_frames) packets = count_packets(path, info.video_index);
  if (packets == 0) throw Error("input '" + path.string() + "': the video stream has no video frames");
  std::optional<double> measured;
  int first_video = -1;
  for (int i = 0; i < nb_streams && first_video < 0; ++i)
    if (get(v, "streams.stream." + std::to_string(i) + ".codec_type") == "video") first_video = i;
  auto last = last_of_first_video.get();  // one GOP read, counted or not
  if (first_video != info.video_index) last = last_packet_time(path, std::to_string(info.video_index));
  if (packets > 1 && last && *last > info.start_time) {
    measured = static_cast<double>(packets - 1) / (*last - info.start_time);
    info.duration = *last - info.start_time + 1.0 / *measured;  // the video's own span
  }
  choose_frame_rate(info, measured, forced_rate);
  if (!measured && last && *last >= info.start_time)  // the span up to the last frame, at the grid's rate
    info.duration = *last - info.start_time + 1.0 / info.frame_rate.value();
  if (forced_rate) {
    info.frame_count = std::llround(info.duration * info.frame_rate.value());
    info.count_method = "duration*rate";
  } else if (info.rate_source == "r_frame_rate" && !info.variable_rate && packets > 0) {
    info.frame_count = packets;
    info.count_method = nb_frames > 0 ? "nb_frames" : "count_packets";
  } else if (info.duration > 0 && (packets > 0 || info.variable_rate || info.rate_source != "r_frame_rate")) {
    info.frame_count = std::llround(info.duration * info.frame_rate.value());
    info.count_method = "duration*rate";
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
    json::Value disposition = json::Value::array();
    for (const auto& d : s.disposition) disposition.push(d);
    stream.set("disposition", std::move(disposition));
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
      .set("frame_rate_source", info.rate_source)
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
  var("RATE_SOURCE", info.rate_source);
  var("WIDTH", std::to_string(info.width));
  var("HEIGHT", std::to_string(info.height));
  var("DURATION", format_real(info.duration));
  var("START_TIME", format_real(info.start_time));
  return text;
}

}  // namespace s3d::media
