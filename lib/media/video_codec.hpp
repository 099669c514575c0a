// Choosing and configuring the video encoder of s3d-encode's segments.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace s3d::media {

// The encoders s3d-encode offers: auto, libx264, libx265, h264_nvenc, hevc_nvenc, ffv1
// (lossless; for depth archives and frame archives).
const std::vector<std::string>& codec_names();

// ffmpeg's muxer for an output file name: .mkv matroska, .mp4 mp4, .mov mov, .ts mpegts.
// Throws UsageError naming `option` for other extensions.
std::string muxer_for(const std::filesystem::path& path, const std::string& option);

// UsageError unless `preset` is one of `codec`'s presets (x264/x265, and auto, whose
// fallback is libx264: ultrafast..placebo; NVENC: p1..p7, default, slow, medium, fast, hp,
// hq, bd, ll, llhq, llhp, lossless, losslesshp; ffv1 has none and ignores it).
void check_preset(const std::string& codec, const std::string& preset);
// UsageError unless `bitrate` is a positive number with an optional k, M or G (e.g. 8M, 2500k).
void check_bitrate(const std::string& bitrate);

// Whether ffmpeg can really encode with `encoder` here: a one-frame test encode (an
// NVENC encoder listed by ffmpeg still fails without an NVIDIA GPU and driver). Cached.
bool encoder_works(const std::string& encoder);

// "auto" -> h264_nvenc when it works, else libx264; other names unchanged.
std::string resolve_codec(const std::string& name);

// The pixel format the encoder is given for the requested output format
// (NVENC takes 10-bit as p010le).
std::string encoder_pix_fmt(const std::string& codec, const std::string& pix_fmt);

// Encoder arguments: codec, preset, quality (crf >= 0, or bitrate such as "8M"), threads.
// x264/x265 are deterministic for a given thread count: the same frames give the same bytes.
// ffv1 ignores preset and quality (lossless, intra-only, sliced).
std::vector<std::string> encoder_args(const std::string& codec, const std::string& preset, int crf,
                                      const std::string& bitrate, int threads);

// The default constant-quality value of `codec` (x264 18, x265 20, NVENC cq 19).
int default_crf(const std::string& codec);

}  // namespace s3d::media
