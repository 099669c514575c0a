#include "media/join_segments.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "core/errors.hpp"
#include "core/frame_store.hpp"
#include "imageio/atomic_file.hpp"
#include "core/file_identity.hpp"
#include "media/mp4_spherical.hpp"
#include "media/mp4_tracks.hpp"
#include "media/output_check.hpp"
#include "media/probe.hpp"
#include "media/subprocess.hpp"
#include "media/video_codec.hpp"

namespace s3d::media {
namespace {

bool is_text_subtitle(const std::string& codec) {
  return codec == "subrip" || codec == "srt" || codec == "ass" || codec == "ssa" || codec == "webvtt" ||
         codec == "text" || codec == "mov_text";
}

// A file that exists only while the join runs (the concat list, the MP4 route's MKV).
struct ScratchFile {
  fs::path path;
  ~ScratchFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

// Runs ffmpeg with `-progress pipe:1` and reports its frame counter; returns its stderr.
std::string run_with_progress(std::vector<std::string> cmd, int64_t total, const ProgressFn& progress,
                              const std::string& what) {
  cmd.insert(cmd.begin() + 1, {"-nostats", "-progress", "pipe:1"});
  Subprocess ffmpeg(cmd, Subprocess::Io::kNull, Subprocess::Io::kPipe);
  std::string line;
  while (ffmpeg.read_line(line)) {
    if (line.rfind("frame=", 0) != 0 || !progress) continue;
    try {
      progress(std::min<int64_t>(std::stoll(line.substr(6)), total), total);
    } catch (const std::exception&) {
    }
  }
  ffmpeg.check_exit(ffmpeg.wait(), what);
  return ffmpeg.stderr_text();
}

std::string seconds_text(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", seconds);
  return buf;
}

// "-disposition:N default+forced", or "0" for none.
std::vector<std::string> disposition_args(int out_index, const std::vector<std::string>& flags) {
  std::string value;
  for (const auto& f : flags) value += (value.empty() ? "" : "+") + f;
  return {"-disposition:" + std::to_string(out_index), value.empty() ? "0" : value};
}

bool has(const std::vector<std::string>& flags, const char* flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

const OptionTable<JoinOptions>& JoinOptions::table() {
  static const auto table =
      OptionTable<JoinOptions>()
          .path("source", &JoinOptions::source,
                "The source film: all its audio, subtitle and attachment streams, chapters and metadata are copied "
                "unchanged (join mode)", Need::kRequired, "FILE")
          .path("out", &JoinOptions::out, "The final .mkv or .mp4; an existing file is kept (skipped) unless --force",
                Need::kRequired, "FILE")
          .nest(&JoinOptions::stereo, stereo::format_options("layout"))
          .flag("suffix", &JoinOptions::suffix,
                "Append the 3D players' file name suffix to --out: _LR_3dh (hsbs), _LRF_Full_SBS (fsbs), _TB (hou), "
                "_TBF_fulltb (fou); right-first _RL_3dh, _RLF_Full_SBS, _BT, _BTF_fulltb; cross-eyed _RLF_Full_SBS; "
                "vr180 _180x180_3dh_LR; none for anaglyphs and rgbd")
          .flag("force", &JoinOptions::force, "Rewrite the final file when it exists");
  return table;
}

void JoinOptions::check() const {
  if (segments.empty()) throw UsageError("missing required option --segments (see --help)");
  table().check(*this);
  const std::string muxer = muxer_for(out, "--out");
  if (muxer != "matroska" && muxer != "mp4")
    throw UsageError("--out '" + out.string() + "': the final file must be .mkv or .mp4");
  const fs::path final_path = final_output_path(*this);
  refuse_overwriting_input(final_path, "--out", source, "--source");
  for (const auto& segment : segments) refuse_overwriting_input(final_path, "--out", segment, "--segments");
}

fs::path final_output_path(const JoinOptions& options) {
  return options.suffix ? stereo::with_file_suffix(options.out, options.stereo) : options.out;
}

std::string concat_list(const std::vector<fs::path>& segments) {
  std::string list = "ffconcat version 1.0\n";
  for (const auto& segment : segments) {
    // Inside '...' only the quote itself needs care: close, escaped quote, reopen.
    std::string quoted;
    for (char c : fs::absolute(segment).string()) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    list += "file '" + quoted + "'\n";
  }
  return list;
}

JoinResult join_segments(const JoinOptions& options) {
  options.check();
  JoinResult result;
  result.output = final_output_path(options);
  std::error_code ec;
  if (!options.force && fs::exists(result.output, ec)) {
    result.skipped = true;
    return result;
  }

  // Segments must be one stream of one format; checked before any writing.
  VideoInfo first;
  for (size_t i = 0; i < options.segments.size(); ++i) {
    const VideoInfo seg = probe_video(options.segments[i]);
    if (i == 0) first = seg;
    if (seg.codec != first.codec || seg.width != first.width || seg.height != first.height ||
        seg.pix_fmt != first.pix_fmt)
      throw Error("segment '" + seg.path.string() + "' is " + seg.codec + " " + std::to_string(seg.width) + "x" +
                  std::to_string(seg.height) + " " + seg.pix_fmt + ", expected " + first.codec + " " +
                  std::to_string(first.width) + "x" + std::to_string(first.height) + " " + first.pix_fmt +
                  " like '" + first.path.string() + "'");
    result.frames += seg.frame_count;
  }
  // The source's streams and tags, and its video's real span (counted: headers can lie).
  const VideoInfo source = probe_video(options.source);
  const bool mp4 = muxer_for(result.output, "--out") == "mp4";
  // The segments must cover the source's video: copied next to less video, the audio and
  // subtitles would run on past the picture (a partial join is refused, not trimmed).
  const double rate = first.frame_rate.value(), video_seconds = static_cast<double>(result.frames) / rate;
  if (std::abs(video_seconds - source.duration) > 1.5 / rate)
    throw Error("the segments hold " + std::to_string(result.frames) + " frames (" + seconds_text(video_seconds) +
                " s at " + first.frame_rate.str() + " fps) but the video of '" + options.source.string() + "' lasts " +
                seconds_text(source.duration) + " s (" + std::to_string(source.frame_count) +
                " frames): join every segment of the film, in order, against the source they were made from");
  // The source's video may start after its other streams (0.083 s is common): the joined
  // video keeps that offset, so that sound stays in sync.
  const double video_offset = source.start_time - source.format_start_time;

  if (!result.output.parent_path().empty()) ensure_directory(result.output.parent_path());
  ScratchFile list{temp_path_for(result.output).string() + ".ffconcat"};
  write_file_atomic(list.path, concat_list(options.segments));

  const std::string ffmpeg = ffmpeg_program();
  // The stereo mode tag, none where the container cannot say it truthfully (anaglyph; MP4's
  // st3d box has no right-eye-first mode: an untagged file beats one with swapped eyes).
  const std::string stereo_mode = mp4 ? stereo::mp4_stereo_mode(options.stereo) : stereo::matroska_stereo_mode(options.stereo);
  std::vector<std::string> stereo_tag;
  if (!stereo_mode.empty()) stereo_tag = {"-metadata:s:v:0", "stereo_mode=" + stereo_mode};
  if (mp4 && stereo_mode.empty() && !stereo::matroska_stereo_mode(options.stereo).empty())
    result.warnings.push_back("the MP4 is not tagged as 3D: its st3d box cannot say " +
                              stereo::describe(options.stereo) + " (use .mkv, which can)");
  std::vector<std::string> video_tags;  // the source video stream's language and title
  for (const char* key : {"language", "title"})
    if (auto it = source.video_tags.find(key); it != source.video_tags.end())
      video_tags.insert(video_tags.end(), {"-metadata:s:v:0", std::string(key) + "=" + it->second});
  if (mp4 && source.video_tags.count("title"))  // MP4 readers show a track's handler name
    video_tags.insert(video_tags.end(), {"-metadata:s:v:0", "handler_name=" + source.video_tags.at("title")});

  // Streams from the source, in file order; all stream-copied except the conversions
  // (which must come after the general "-c copy" to override it).
  // Dispositions are set for every stream (the video is the default one), and MP4 gets each
  // title as its track's handler name.
  std::vector<std::string> map_args, codec_args, stream_args = disposition_args(0, {"default"});
  std::vector<bool> enabled = {true};  // per output track: default or not
  int out_index = 1;
  for (const auto& s : source.streams) {
    std::string convert;
    const std::string label = s.type + " stream " + std::to_string(s.index) + " (" + s.codec + ")";
    if (mp4 && s.type == "attachment") {
      result.warnings.push_back(label + " dropped: MP4 cannot carry attachments (use .mkv)");
      continue;
    }
    if (mp4 && s.type == "subtitle" && s.codec != "mov_text" && s.codec != "dvd_subtitle") {
      if (!is_text_subtitle(s.codec)) {
        result.warnings.push_back(label + " dropped: MP4 cannot carry it (use .mkv)");
        continue;
      }
      convert = "mov_text";
    }
    if (!mp4 && s.type == "subtitle" && s.codec == "mov_text") convert = "srt";
    map_args.insert(map_args.end(), {"-map", "1:" + std::to_string(s.index)});
    const auto d = disposition_args(out_index, s.disposition);
    stream_args.insert(stream_args.end(), d.begin(), d.end());
    if (mp4 && !s.title.empty())
      stream_args.insert(stream_args.end(), {"-metadata:s:" + std::to_string(out_index), "handler_name=" + s.title});
    if (s.type != "attachment") enabled.push_back(has(s.disposition, "default"));
    if (!convert.empty()) {
      codec_args.insert(codec_args.end(), {"-c:" + std::to_string(out_index), convert});
      result.warnings.push_back(label + " converted to " + convert + " (the container cannot carry " + s.codec + ")");
    }
    ++out_index;
  }

  const std::vector<std::string> concat_input = {"-f", "concat", "-safe", "0", "-i", list.path.string()};
  AtomicOutput output(result.output);
  std::vector<std::string> cmd = {ffmpeg, "-hide_banner", "-nostdin", "-v", "error"};
  ScratchFile video_only{};
  const std::vector<std::string> offset = {"-itsoffset", seconds_text(video_offset)};
  const auto bounds = stereo::equirect_bounds(options.stereo);
  if (bounds) {
    // Spherical video (vr180): ffmpeg's command line cannot set the projection, so the joined
    // video goes alone into an MP4 first, s3d writes its st3d and sv3d boxes, and ffmpeg's
    // demuxer hands them on as side data: the final MP4 gets the same boxes, Matroska its
    // StereoMode and Projection (media/mp4_spherical.hpp).
    video_only.path = temp_path_for(result.output).string() + ".video.mp4";
    std::vector<std::string> join = cmd;
    join.insert(join.end(), concat_input.begin(), concat_input.end());
    join.insert(join.end(), {"-map", "0:v:0", "-c", "copy", "-fflags", "+bitexact", "-f", "mp4", video_only.path.string()});
    run_with_progress(join, result.frames, options.progress, "joining the segments into '" + video_only.path.string() + "'");
    write_mp4_spherical(video_only.path, Mp4StereoMode::kLeftRight, *bounds);
    cmd.insert(cmd.end(), offset.begin(), offset.end());
    cmd.insert(cmd.end(), {"-i", video_only.path.string()});
  } else if (!mp4) {
    cmd.insert(cmd.end(), offset.begin(), offset.end());
    cmd.insert(cmd.end(), concat_input.begin(), concat_input.end());
  } else {
    // Step 1: the joined video alone in MKV, labelled; its demuxer turns the label into
    // the stereo side data the MP4 muxer writes as `st3d`.
    video_only.path = temp_path_for(result.output).string() + ".video.mkv";
    std::vector<std::string> join = cmd;
    join.insert(join.end(), concat_input.begin(), concat_input.end());
    join.insert(join.end(), {"-map", "0:v:0", "-c", "copy"});
    join.insert(join.end(), stereo_tag.begin(), stereo_tag.end());
    join.insert(join.end(), {"-fflags", "+bitexact", "-f", "matroska", video_only.path.string()});
    run_with_progress(join, result.frames, options.progress, "joining the segments into '" + video_only.path.string() + "'");
    cmd.insert(cmd.end(), offset.begin(), offset.end());
    cmd.insert(cmd.end(), {"-i", video_only.path.string()});
  }
  cmd.insert(cmd.end(), {"-i", options.source.string(), "-map", "0:v:0"});
  cmd.insert(cmd.end(), map_args.begin(), map_args.end());
  cmd.insert(cmd.end(), {"-map_chapters", "1", "-map_metadata", "1", "-c", "copy"});
  cmd.insert(cmd.end(), codec_args.begin(), codec_args.end());
  cmd.insert(cmd.end(), stream_args.begin(), stream_args.end());
  cmd.insert(cmd.end(), video_tags.begin(), video_tags.end());
  cmd.insert(cmd.end(), stereo_tag.begin(), stereo_tag.end());
  if (mp4) cmd.insert(cmd.end(), {"-strict", "unofficial", "-movflags", "+faststart"});
  cmd.insert(cmd.end(), {"-fflags", "+bitexact", "-f", mp4 ? "mp4" : "matroska", output.temp().string()});
  const bool two_steps = mp4 || bounds;  // the progress was the first step's
  const std::string said = run_with_progress(cmd, result.frames, two_steps ? ProgressFn() : options.progress,
                                             "writing '" + result.output.string() + "'");
  check_written_video(output.temp(), result.frames, said, result.output, "joining");
  if (mp4 && bounds && !read_mp4_spherical(output.temp()).equirect)
    throw Error("writing '" + result.output.string() + "': ffmpeg dropped the spherical video box (sv3d) of the "
                "vr180 video; VR players would show it flat");
  // ffmpeg's MP4 muxer enables the first track of each kind when none is default; undo that.
  if (mp4) set_mp4_tracks_enabled(output.temp(), enabled);
  output.commit();
  return result;
}

}  // namespace s3d::media
