// Setting which tracks of an MP4 are enabled. ffmpeg 5.1's MP4 muxer enables the first
// track of each kind when none is marked default, so a film's one non-default subtitle
// track would be shown by every player; the tkhd "enabled" flag is what MP4 readers (and
// ffprobe's "default" disposition) go by. The boxes are walked in place, one byte changed
// per track.
#pragma once
#include <filesystem>
#include <vector>

namespace s3d::media {

// Sets the tkhd enabled flag of the first tracks of the MP4 at `file`, in track order, to
// `enabled[i]` (tracks after them, such as the chapter track, are left as they are). Throws
// Error naming the file when it is not an MP4 with at least that many tracks.
void set_mp4_tracks_enabled(const std::filesystem::path& file, const std::vector<bool>& enabled);

}  // namespace s3d::media
