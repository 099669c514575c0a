#include "media/output_check.hpp"

#include "core/errors.hpp"
#include "media/subprocess.hpp"

namespace s3d::media {

int64_t count_video_packets(const std::filesystem::path& file) {
  const auto out = run_command({ffprobe_program(), "-v", "error", "-select_streams", "v:0", "-count_packets",
                                "-show_entries", "stream=nb_read_packets", "-of", "default=noprint_wrappers=1:nokey=1",
                                file.string()});
  if (out.exit_code != 0) return -1;
  try {
    return std::stoll(out.out);
  } catch (const std::exception&) {
    return -1;
  }
}

void check_written_video(const std::filesystem::path& written, int64_t expected_frames, const std::string& ffmpeg_stderr,
                         const std::filesystem::path& final_name, const std::string& what) {
  for (const char* sign : {"No space left", "Error writing trailer", "Error muxing", "File too large",
                           "Disk quota exceeded", "I/O error"})
    if (ffmpeg_stderr.find(sign) != std::string::npos)
      throw Error(what + ": ffmpeg could not write '" + final_name.string() + "' completely (it said: " +
                  ffmpeg_stderr.substr(0, ffmpeg_stderr.find('\n')) + "); nothing was replaced");
  const int64_t packets = count_video_packets(written);
  if (packets != expected_frames)
    throw Error(what + ": '" + final_name.string() + "' came out with " +
                (packets < 0 ? std::string("no readable video") : std::to_string(packets) + " video frames") +
                ", expected " + std::to_string(expected_frames) +
                " (disk full? ffmpeg said: " + (ffmpeg_stderr.empty() ? "nothing" : ffmpeg_stderr.substr(0, 300)) +
                "); nothing was replaced");
}

}  // namespace s3d::media
