#!/bin/bash
# Temporal flicker of the depth and of the left eye (bench/flicker.py: Lai et al.'s warping
# error along the source's optical flow) on the real clips in ../shared/data/video, for the
# depth normalizations: `frame` (the article's), `window` in one pass, and `window` run in
# chunks the way the pipeline runs them (each chunk a separate s3d-depth into a folder of
# its own). With OLD_BIN=<bin folder of an older build>, the same for that build's modes
# (`frame`, and the former `ema` in one pass and chunked): before/after side by side. Heuristic depth,
# png16 maps, default parallax. Quality, not speed: the machine's load does not matter.
#   bench/flicker_bench.sh [BIN]     (default build/bin; CHUNK=50 frames, OLD_BIN, OLD_MODE=ema)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/bin}
chunk=${CHUNK:-50}
shared=$here/../shared/data/video
work=$(mktemp -d /tmp/flicker-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# depth BIN MODE FRAMES OUT [CHUNKED]: heuristic depth of every frame, in one run or in chunks.
depth() {
  local b=$1 mode=$2 frames=$3 out=$4 chunked=${5:-} n first
  if [ -z "$chunked" ]; then
    "$b/s3d-depth" --frames "$frames" --out "$out" --model heuristic --normalize "$mode" --quiet
    return
  fi
  n=$(find "$frames" -name '[0-9]*.png' | wc -l)
  mkdir -p "$out"
  for ((first = 0; first < n; first += chunk)); do
    "$b/s3d-depth" --frames "$frames" --out "$out.$first" --range "$first:$((first + chunk))" --model heuristic \
      --normalize "$mode" --quiet
    ln -s "$out.$first"/* "$out"/
  done
}

for clip in "$shared/mov_bbb.mp4" "$shared/sample_640x360_noaudio.mp4"; do
  name=$(basename "$clip" .mp4)
  frames=$work/$name/frames
  mkdir -p "$frames"
  ffmpeg -loglevel error -i "$clip" -start_number 0 "$frames/%06d.png"
  runs=()
  add() {  # add LABEL BIN MODE one|chunked [s3d-parallax options...]
    local label=$1 b=$2 mode=$3 how=$4 d
    shift 4
    d=$work/$name/$(echo "$label" | tr -c 'A-Za-z0-9\n' _)
    if [ ! -d "$d.depth" ]; then depth "$b" "$mode" "$frames" "$d.depth" "$([ "$how" = chunked ] && echo yes)"; fi
    "$b/s3d-parallax" --frames "$frames" --depth "$d.depth" --out "$d.views" --quiet "$@"
    runs+=("$label|$d.depth|$d.views")
  }
  add "frame" "$bin" frame one
  add "window" "$bin" window one
  add "window, CHUNK=$chunk" "$bin" window chunked
  add "window, CONVERGENCE=0" "$bin" window one --convergence 0
  if [ -n "${OLD_BIN:-}" ]; then
    add "before: frame" "$OLD_BIN" frame one
    add "before: ${OLD_MODE:-ema}" "$OLD_BIN" "${OLD_MODE:-ema}" one
    add "before: ${OLD_MODE:-ema}, CHUNK=$chunk" "$OLD_BIN" "${OLD_MODE:-ema}" chunked
  fi
  printf '\n%s: ' "$name"
  /usr/bin/python3 "$here/bench/flicker.py" "$frames" "${runs[@]}"
done
