// The Spherical Video V2 boxes of an MP4's video track (Google's spatial-media spec, which
// YouTube and VR players read, and ffmpeg's mov demuxer too): `st3d` (stereo mode) and
// `sv3d` (svhd, then proj with prhd = pose and equi = equirectangular with its bounds),
// inside the track's visual sample entry (avc1, hvc1, ...).
//
// ffmpeg 5.1 writes these from a stream's side data, and its command line cannot set spherical
// side data; so s3d writes the boxes into an intermediate MP4 itself, and ffmpeg then carries
// them (as side data, stream-copied) into the final MP4 (st3d + sv3d) or Matroska file
// (StereoMode + Projection: ProjectionType equirectangular, ProjectionPrivate = the bounds).
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "stereo/stereo_format.hpp"

namespace s3d::media {

// st3d stereo_mode values.
enum class Mp4StereoMode : uint8_t { kMono = 0, kTopBottom = 1, kLeftRight = 2 };

struct Mp4Spherical {
  std::optional<Mp4StereoMode> stereo;            // st3d, when present
  std::optional<stereo::EquirectBounds> equirect;  // sv3d/proj/equi, when present
  int32_t yaw = 0, pitch = 0, roll = 0;            // prhd, degrees in 16.16 fixed point
  std::string metadata_source;                     // svhd
};

// Writes st3d (`stereo`) and sv3d (equirectangular with `bounds`, pose 0, source "s3d") into
// the first video track of the MP4 `file`, replacing any st3d / sv3d there. The file's moov
// box must be its last top-level box (as ffmpeg writes it without +faststart): it is
// rewritten in place and no chunk offset moves. Throws Error naming the file otherwise.
void write_mp4_spherical(const std::filesystem::path& file, Mp4StereoMode stereo, const stereo::EquirectBounds& bounds);

// The st3d / sv3d boxes of the first video track of `file` (nothing present: both empty).
// Throws Error naming the file when it is not an MP4 with a video track.
Mp4Spherical read_mp4_spherical(const std::filesystem::path& file);

}  // namespace s3d::media
