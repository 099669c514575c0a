#!/usr/bin/env bash
# Benchmark s3d-pack: 100 1080p PNG pairs -> packed JPEG (quality 95), per format and thread count.
# Usage: bench/pack.sh [BIN_DIR]   (default build/bin). Prints a table; run by hand, not in CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/build/bin}"
OUT="$ROOT/bench/out/pack"
N=100
mkdir -p "$OUT"

# Natural-looking, moving 1080p content; the right eye is the same clip 2 frames later.
if [ "$(ls "$OUT/left" 2>/dev/null | wc -l)" -ne $N ]; then
  rm -rf "$OUT/left" "$OUT/right"; mkdir -p "$OUT/left" "$OUT/right"
  ffmpeg -v error -f lavfi -i "testsrc2=size=1920x1080:rate=25" -frames:v $((N + 2)) -start_number 0 "$OUT/left/%06d.png"
  for i in $(seq 0 $((N - 1))); do
    ln -f "$OUT/left/$(printf %06d $((i + 2))).png" "$OUT/right/$(printf %06d "$i").png"
  done
  rm -f "$OUT/left/$(printf %06d $N).png" "$OUT/left/$(printf %06d $((N + 1))).png"
fi

printf '%-10s %-8s %-8s %-10s %-10s\n' format threads frames seconds frames/s
for format in hsbs fsbs anaglyph; do
  for threads in 1 2; do
    rm -rf "$OUT/packed"
    start=$(date +%s.%N)
    "$BIN/s3d-pack" --left "$OUT/left" --right "$OUT/right" --out "$OUT/packed" \
      --format "$format" --image-format jpg --quality 95 --threads "$threads" --quiet
    end=$(date +%s.%N)
    n=$(ls "$OUT/packed" | wc -l)
    awk -v f="$format" -v t="$threads" -v n="$n" -v s="$start" -v e="$end" \
      'BEGIN { printf "%-10s %-8s %-8d %-10.2f %-10.1f\n", f, t, n, e - s, n / (e - s) }'
  done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
