#!/bin/bash
# Depth order of the heuristic against ground truth (Spearman's rank correlation), beside the
# trivial "lower = nearer" prior and the heuristic as it was: the Middlebury scenes in
# ../shared, plus frame 120 of the built-in sample scene (s3d-sample, its true depth), which
# no weight was chosen on. Quality, not speed: the machine's load does not matter.
#   bench/depth_quality.sh [BUILD_DIR]     (default: build; s3d_depth_stage and s3d-sample are built)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
cmake --build "$build" --target s3d_depth_stage s3d-sample -j2 >/dev/null
work=$(mktemp -d /tmp/depth-quality.XXXXXX)
trap 'rm -rf "$work"' EXIT
g++ -std=c++17 -O2 -I"$here/lib" $(pkg-config --cflags opencv4) "$here/bench/depth_quality.cpp" \
  "$build/lib/depth_stage/libs3d_depth_stage.a" "$build/lib/imageio/libs3d_imageio.a" "$build/lib/core/libs3d_core.a" \
  -ldeflate -lopencv_imgcodecs -lopencv_imgproc -lopencv_core -pthread -o "$work/depth_quality"
# One frame of the sample (the camera path is the same whatever the frame count).
"$build/bin/s3d-sample" --out "$work/sample.mkv" --depth-out "$work/depth" --frames 240 --quiet
ffmpeg -loglevel error -i "$work/sample.mkv" -vf 'select=eq(n\,120)' -frames:v 1 "$work/sample.png"
"$work/depth_quality" "$here/../shared/data/middlebury" "sample=$work/sample.png,$work/depth/000120.png"
