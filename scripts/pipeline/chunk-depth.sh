#!/usr/bin/env bash
# The kept depth maps of one chunk: WORK/depth/<chunk>/ holds depth.mkv (the chunk's 16-bit
# depth maps, lossless FFV1) and the JSON sidecars; redone only when the source or the depth
# parameters change. Usage: chunk-depth.sh CHUNK STAMP, where STAMP is the depth stamp to
# write when done, and the stage's parameter stamps follow as further arguments.
# shellcheck source=scripts/pipeline/common.sh
. "$(dirname "$0")/common.sh"
stamp=$2
shift 2
model=()
if [ "$S3D_MODEL" != auto ]; then model=(--model "$S3D_MODEL"); fi
depth=("$S3D_BIN/s3d-depth" --frames "$chunk_dir/frames" --out "$depth_dir" --range "$first:$end" "${model[@]}"
  --normalize "$S3D_NORMALIZE" --threads "$S3D_THREADS" --quiet)
# A model that cannot run (a missing checkpoint) fails here, before the kept depth is touched.
run "${depth[@]}" --check
cat "$@" >"$depth_dir.want"
keep_if_same "$depth_dir.want" "$depth_dir"
# A kept archive is trusted only whole: one a full disk cut short is redone.
if [ -s "$depth_dir/depth.mkv" ]; then
  kept=$("$S3D_BIN/s3d-extract" --probe "$depth_dir/depth.mkv" --probe-format make 2>>"$log" |
    awk '$1 == "S3D_FRAMES" { print $3 }') || kept=
  if [ "$kept" != $((end - first)) ]; then
    echo "s3d: chunk $chunk: the kept depth archive holds ${kept:-no} frames of $((end - first)): redoing it" >&2
    rm -f "$depth_dir/depth.mkv"
  fi
fi
redone=0
if [ ! -s "$depth_dir/depth.mkv" ]; then
  redone=1
  extract_chunk
  run "${depth[@]}"
  # Packed losslessly (about 3x smaller than the PNGs); the PNGs go only once it is on disk.
  run "$S3D_BIN/s3d-encode" --frames "$depth_dir" --out "$depth_dir/depth.mkv" --range "$first:$end" \
    --fps "$S3D_FPS" --codec ffv1 --threads "$S3D_THREADS" --force --quiet
fi
find "$depth_dir" -maxdepth 1 -name '[0-9]*.png' -delete
# The stamp changes (and with it make's view of the chunk) only when the depth did.
if cmp -s "$depth_dir.want" "$stamp" && [ "$redone" = 0 ]; then rm -f "$depth_dir.want"; else mv "$depth_dir.want" "$stamp"; fi
