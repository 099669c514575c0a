#!/bin/bash
# Heuristic depth ("--model heuristic") speed at 1080p: the estimator in-process (target
# >= 20 frames/s on 2 cores) and the depth stage around it (PNG decode, estimate, 16-bit PNG
# + sidecar encode, all threads). Run by hand from a Release build:
#   bench/depthmap_bench.sh [BUILD_DIR]       (default: build-depthmap; s3d_depth_stage is built)
# BENCH_STAGE_FRAMES (default 60) sets the stage run's length. Prints a table.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build-depthmap}
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target s3d_depth_stage -j2 >/dev/null

work=$(mktemp -d /tmp/depthmap-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The bench driver is not part of the project build: it links the built static libraries.
g++ -std=c++17 -O3 -I"$here/lib" $(pkg-config --cflags opencv4) "$here/bench/depthmap_bench.cpp" \
  "$build/lib/depth_stage/libs3d_depth_stage.a" "$build/lib/imageio/libs3d_imageio.a" "$build/lib/core/libs3d_core.a" \
  -ldeflate -lopencv_imgcodecs -lopencv_imgproc -lopencv_core -pthread -o "$work/depthmap_bench"

# A natural-looking frame: ffmpeg's testsrc2 pattern with film-grain-like noise.
ffmpeg -loglevel error -f lavfi -i testsrc2=s=1920x1080 -vf "noise=alls=12:allf=t" -frames:v 1 "$work/frame.png"
printf '\n1080p, %s cores, load %s (machine shared: repeat if numbers look disturbed)\n' \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
"$work/depthmap_bench" "$work/frame.png" "$work" "${BENCH_STAGE_FRAMES:-60}"
