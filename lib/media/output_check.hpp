// Trusting nothing ffmpeg writes: ffmpeg 5.1 can exit 0 after "Error writing trailer ... No
// space left on device", leaving a truncated file. Every file s3d has ffmpeg write is checked
// here before it replaces anything: its video packets counted, ffmpeg's messages read.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

namespace s3d::media {

// Throws Error naming `final_name` unless the video file ffmpeg wrote at `written` holds
// exactly `expected_frames` video packets and ffmpeg's stderr (`ffmpeg_stderr`) reports no
// write error. `what` describes the step for the message.
void check_written_video(const std::filesystem::path& written, int64_t expected_frames,
                         const std::string& ffmpeg_stderr, const std::filesystem::path& final_name,
                         const std::string& what);

// The number of video packets of the first video stream (ffprobe -count_packets).
int64_t count_video_packets(const std::filesystem::path& file);

}  // namespace s3d::media
