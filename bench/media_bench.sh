#!/usr/bin/env bash
# Benchmark of s3d-extract and s3d-encode (issue 5), run by hand:
#   bench/media_bench.sh [BUILD_DIR]      (default build dir: build)
# On a generated 2-minute 1080p clip (testsrc2 with motion + a sine tone; H.264 with
# B-frames, a keyframe every 240 frames; cached in bench/out/), it times
#   - extracting the first 100 and the last 100 frames (the last must take <= 1.5x the first:
#     a range costs O(its length), not O(its position));
#   - bare ffmpeg decoding the same frames (to null, and to PNG files): the floor;
#   - encoding 100 extracted frames to a segment with s3d-encode vs bare ffmpeg reading the
#     same PNGs with the same encoder settings.
# Each measurement is repeated REPEATS times (default 3), alternating the variants, and the
# best time is kept: the machine may be shared, so look at the spread too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
bin="$build/bin"
repeats="${REPEATS:-3}"
out="$here/out"
clip="$out/media_2min_1080p.mkv"
work="$out/media_work"
export S3D_NO_FSYNC=1   # scratch outputs: measure decoding/encoding, not the disk's flush
mkdir -p "$out"

for tool in s3d-extract s3d-encode; do
  [[ -x "$bin/$tool" ]] || { echo "missing $bin/$tool: build it first" >&2; exit 1; }
done

if [[ ! -f "$clip" ]]; then
  echo "generating $clip (once) ..." >&2
  ffmpeg -hide_banner -nostdin -v error -y \
    -f lavfi -i "testsrc2=s=1920x1080:r=24000/1001:d=120" -f lavfi -i "sine=f=440:d=120:sample_rate=48000" \
    -c:v libx264 -preset superfast -crf 23 -bf 3 -g 240 -pix_fmt yuv420p -c:a aac -b:a 128k "$clip.tmp.mkv"
  mv "$clip.tmp.mkv" "$clip"
fi

probe=$("$bin/s3d-extract" --probe "$clip" --probe-format make)
frames=$(awk '$1 == "S3D_FRAMES" { print $3 }' <<<"$probe")
rate=$(awk '$1 == "S3D_FPS" { print $3 }' <<<"$probe")
last=$((frames - 100))
echo "clip: $clip  frames=$frames rate=$rate  machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# best-of-N wall time in seconds of a command (run in a fresh, empty scratch dir $work/t)
best() {
  local best_t=""
  for ((i = 0; i < repeats; i++)); do
    rm -rf "$work/t"; mkdir -p "$work/t"
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; t1=$(date +%s.%N)
    local t; t=$(echo "$t1 - $t0" | bc -l)
    if [[ -z "$best_t" ]] || (( $(echo "$t < $best_t" | bc -l) )); then best_t=$t; fi
  done
  echo "$best_t"
}
seek_seconds() { echo "$1 * $(echo "$rate" | awk -F/ '{print $2 "/" $1}')" | bc -l; }

rm -rf "$work"; mkdir -p "$work"
first_s3d=$(best "$bin/s3d-extract" "$clip" --out "$work/t" --range 0:100 --quiet)
last_s3d=$(best "$bin/s3d-extract" "$clip" --out "$work/t" --range "$last:$frames" --quiet)
first_null=$(best ffmpeg -nostdin -v error -i "$clip" -map 0:v:0 -frames:v 100 -f null -)
last_null=$(best ffmpeg -nostdin -v error -ss "$(seek_seconds $last)" -i "$clip" -map 0:v:0 -frames:v 100 -f null -)
first_png=$(best ffmpeg -nostdin -v error -i "$clip" -map 0:v:0 -frames:v 100 -compression_level 1 "$work/t/%06d.png")
last_png=$(best ffmpeg -nostdin -v error -ss "$(seek_seconds $last)" -i "$clip" -map 0:v:0 -frames:v 100 -compression_level 1 "$work/t/%06d.png")

# Encoding: 100 extracted 1080p frames, libx264 medium crf 18 in both.
"$bin/s3d-extract" "$clip" --out "$work/frames" --range 1000:1100 --quiet
enc_s3d=$(best "$bin/s3d-encode" --frames "$work/frames" --fps "$rate" --range 1000:1100 --codec libx264 \
  --preset medium --crf 18 --out "$work/t/seg.mkv" --quiet)
enc_ff=$(best ffmpeg -nostdin -v error -framerate "$rate" -start_number 1000 -i "$work/frames/%06d.png" -frames:v 100 \
  -vf format=yuv420p -c:v libx264 -preset medium -crf 18 -f matroska "$work/t/seg.mkv")

row() { printf "%-44s %8.2f s %8.1f f/s\n" "$1" "$2" "$(echo "100 / $2" | bc -l)"; }
echo
printf "%-44s %10s %12s\n" "task (100 frames, 1920x1080, best of $repeats)" "time" "rate"
row "s3d-extract first 100 -> PNG" "$first_s3d"
row "s3d-extract last 100 -> PNG" "$last_s3d"
row "ffmpeg decode first 100 -> null" "$first_null"
row "ffmpeg decode last 100 -> null (-ss)" "$last_null"
row "ffmpeg decode first 100 -> PNG (level 1)" "$first_png"
row "ffmpeg decode last 100 -> PNG (-ss, level 1)" "$last_png"
row "s3d-encode segment (libx264 medium crf 18)" "$enc_s3d"
row "ffmpeg encode same PNGs (same settings)" "$enc_ff"
echo
ratio=$(echo "$last_s3d / $first_s3d" | bc -l)
printf "last/first extraction time ratio: %.2f (required <= 1.5): %s\n" "$ratio" \
  "$( (( $(echo "$ratio <= 1.5" | bc -l) )) && echo PASS || echo FAIL)"
printf "s3d-extract / ffmpeg->PNG time: first %.2f, last %.2f;  s3d-encode / ffmpeg encode: %.2f\n" \
  "$(echo "$first_s3d / $first_png" | bc -l)" "$(echo "$last_s3d / $last_png" | bc -l)" "$(echo "$enc_s3d / $enc_ff" | bc -l)"
rm -rf "$work"
