#!/bin/sh
# Seconds per 1080p frame of s3d-depth with a random-weight Depth-Anything-V2 checkpoint
# (default vits) at input 518 (network input 924x518) on the CPU with 2 threads.
# Usage: bench/depth_speed.sh [BUILD_DIR] [ENCODER] [FRAMES]   (defaults: build vits 3)
# The first frame also pays for loading the model; the table reports both the first frame
# (with the load) and the steady state (frames 2..N), for s3d's CPU kernels and, side by side
# in the same run, for the plain LibTorch ops (S3D_DAV2_KERNELS=reference), the "before", and
# on a LibTorch 2.x build for scaled_dot_product_attention (S3D_DAV2_KERNELS=sdpa):
#   bench/depth_speed.sh build-cuda vits 3     (the build of scripts/setup.sh --cuda, on the CPU)
# THREADS=N overrides the thread count. Run it by hand on an otherwise idle machine; repeat if
# the numbers look disturbed.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
encoder=${2:-vits}
frames=${3:-3}
threads=${THREADS:-2}
bin=$build/bin/s3d-depth
video=$here/../shared/data/video/sample_640x360_noaudio.mp4
work=$(mktemp -d "${TMPDIR:-/tmp}/s3d-depth-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export S3D_NO_FSYNC=1

"$bin" --write-random-checkpoint "$encoder" --out "$work/$encoder.pth" --quiet
mkdir -p "$work/frames"
if [ -f "$video" ]; then
  ffmpeg -loglevel error -i "$video" -frames:v "$frames" -vf scale=1920:1080 -start_number 0 "$work/frames/%06d.png"
else
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25" -frames:v "$frames" -start_number 0 "$work/frames/%06d.png"
fi

now() { date +%s.%N; }
run() {  # run RANGE -> seconds
  t0=$(now)
  "$bin" --frames "$work/frames" --out "$work/depth" --model "$work/$encoder.pth" --device cpu --threads "$threads" \
    --range "$1" --force --quiet
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
all_kernels="custom reference"
case $("$bin" --version) in *"LibTorch 1."*) ;; *) all_kernels="custom sdpa reference" ;; esac
echo "$("$bin" --version | head -n 1); load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %-8s %-8s %-9s %-7s %-22s %-15s\n' kernels encoder threads input frames "first frame+load (s)" "steady s/frame"
for kernels in $all_kernels; do
  export S3D_DAV2_KERNELS=$kernels
  one=$(run 0:1)
  all=$(run "0:$frames")
  steady=$(echo "($all - $one) / ($frames - 1)" | bc -l)
  printf '%-10s %-8s %-8s %-9s %-7s %-22.2f %-15.2f\n' "$kernels" "$encoder" "$threads" 924x518 "$frames" "$one" "$steady"
done
