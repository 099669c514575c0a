#!/usr/bin/env bash
# Describes the source for make: WORK/probe.mk (frame count, rate, size), written atomically,
# at the rate FPS= forces if set. Says what happens to a variable frame rate.
# Usage: probe.sh PROBE_MK
set -euo pipefail
out=$1
fps=()
if [ -n "${S3D_FPS_OVERRIDE:-}" ]; then fps=(--fps "$S3D_FPS_OVERRIDE"); fi
mkdir -p "$(dirname "$out")"
"$S3D_BIN/s3d-extract" --probe "$S3D_INPUT" --probe-format make "${fps[@]}" >"$out.tmp"
mv "$out.tmp" "$out"
value() { awk -v k="$1" '$1 == k { print $3 }' "$out"; }
if [ "$(value S3D_VARIABLE_RATE)" = 1 ] && [ "$(value S3D_RATE_SOURCE)" != forced ]; then
  echo "s3d: '$S3D_INPUT' has no single frame rate (rate from its $(value S3D_RATE_SOURCE)):" \
    "the 3D film is constant-rate at $(value S3D_FPS) fps, $(value S3D_FRAMES) frames, frames duplicated or" \
    "dropped as ffmpeg's -fps_mode cfr does (FPS= chooses another rate)" >&2
fi
