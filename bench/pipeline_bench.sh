#!/usr/bin/env bash
# Whole-pipeline throughput against its floor, side by side in one run (issue 11):
#   floor = one ffmpeg process that decodes, packs hsbs and encodes (no depth, no warp);
#   s3d   = make -f Makefile.pipeline ... MODEL=heuristic FORMAT=hsbs, first run and a
#           parallax-only re-run (depth kept), same encoder settings;
# for x264 presets medium and ultrafast, on a 1080p 30 fps H.264 clip with audio.
# Also: kept depth per frame, peak WORK (polled every 50 ms) and the per-stage split (each
# tool's CPU seconds, its ffmpeg included, from WORK/logs/timing.tsv; the tools of a chain
# run at once, so their wall times overlap).
#   bench/pipeline_bench.sh [BUILD_DIR]          (default: build)
#   BASELINE=DIR adds rows for another s3d tree (DIR/Makefile.pipeline, DIR/bin) in the same run.
#   FRAMES=N (default 171) sets the clip length; PRESETS="medium ultrafast" the presets.
# Run by hand on an otherwise idle machine; it prints the load average it saw.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
frames=${FRAMES:-171}
presets=${PRESETS:-medium ultrafast}
out=$root/bench/out
mkdir -p "$out"
clip=$out/pipeline_1080p30_$frames.mkv
if [ ! -s "$clip" ]; then
  ffmpeg -v error -y -f lavfi -i "testsrc2=s=1920x1080:r=30,noise=alls=4:allf=t" -f lavfi -i sine=f=440 \
    -frames:v "$frames" -t "$(awk -v f="$frames" 'BEGIN { print f / 30 }')" -c:v libx264 -preset fast -crf 20 \
    -bf 3 -c:a aac "$clip.tmp.mkv"
  mv "$clip.tmp.mkv" "$clip"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/s3d-pipeline-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
fps() { awk -v n="$frames" -v s="$1" 'BEGIN { printf "%.2f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

floor_run() {  # preset -> seconds
  local t0 t1
  t0=$(now)
  ffmpeg -v error -y -i "$clip" -filter_complex "[0:v]scale=960:1080,split[l][r];[l][r]hstack" -c:v libx264 \
    -preset "$1" -crf 18 -c:a copy "$work/floor.mkv"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

peak_file=$work/peak
watch_disk() {  # WORK -> writes the peak size in bytes to $peak_file until killed
  local peak=0 size
  while :; do
    size=$(du -sb "$1" 2>/dev/null | awk 'END { print $1 + 0 }') || true  # (files vanish while du runs)
    [ "${size:-0}" -gt "$peak" ] && peak=$size && echo "$peak" >"$peak_file"
    sleep 0.05
  done
}

s3d_run() {  # tree bin preset work extra... -> seconds
  local tree=$1 bin=$2 preset=$3 w=$4 t0 t1
  shift 4
  t0=$(now)
  make -s -f "$tree/Makefile.pipeline" INPUT="$clip" OUT="$w.mkv" WORK="$w" BIN="$bin" MODEL=heuristic FORMAT=hsbs \
    CODEC=libx264 CRF=18 PRESET="$preset" "$@" -j2 >/dev/null 2>"$w.log" || { cat "$w.log" >&2; exit 1; }
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# timing.tsv lines (chunk, tool, wall s[, cpu s]) -> seconds per tool, summed over chunks
stage_split() {
  awk -F'\t' '{ wall[$2] += $3; if (NF >= 4) cpu[$2] += $4 }
    END { for (k in wall) printf "      %-30s %8.2f s wall %8.2f s cpu\n", k, wall[k], cpu[k] }' | sort
}

printf '\n%s, %s frames of 1920x1080 at 30 fps, %s cores, load before: %s\n' "$(basename "$clip")" "$frames" \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %8s %8s\n' "run" "seconds" "fps" "x floor"
trees=("$root|$build/bin|s3d")
[ -n "${BASELINE:-}" ] && trees+=("$BASELINE|$BASELINE/bin|baseline")
for preset in $presets; do
  floor=$(floor_run "$preset")
  printf '%-44s %8s %8s %8s\n' "floor ($preset)" "$floor" "$(fps "$floor")" "1.00"
  for entry in "${trees[@]}"; do
    IFS='|' read -r tree bin label <<<"$entry"
    w=$work/$label-$preset
    rm -f "$peak_file"
    watch_disk "$w" &
    watcher=$!
    first=$(s3d_run "$tree" "$bin" "$preset" "$w")
    first_lines=$(wc -l <"$w/logs/timing.tsv" 2>/dev/null || echo 0)
    kill "$watcher"
    wait "$watcher" 2>/dev/null || true
    peak=$(cat "$peak_file" 2>/dev/null || echo 0)
    again=$(s3d_run "$tree" "$bin" "$preset" "$w" PARALLAX=9)
    printf '%-44s %8s %8s %8s\n' "$label first run ($preset)" "$first" "$(fps "$first")" "$(ratio "$floor" "$first")"
    printf '%-44s %8s %8s %8s\n' "$label parallax-only re-run ($preset)" "$again" "$(fps "$again")" \
      "$(ratio "$floor" "$again")"
    kept=$(du -sb "$w/depth" | cut -f1)
    printf '%-44s %8s\n' "$label kept depth, MB per frame" "$(awk -v b="$kept" -v n="$frames" 'BEGIN { printf "%.3f", b / n / 1e6 }')"
    printf '%-44s %8s\n' "$label peak WORK during the first run, MB" "$(awk -v b="$peak" 'BEGIN { printf "%.1f", b / 1e6 }')"
    if [ -s "$w/logs/timing.tsv" ]; then
      echo "    per-stage split, first run:"
      head -n "$first_lines" "$w/logs/timing.tsv" | stage_split
      echo "    per-stage split, parallax-only re-run:"
      tail -n +"$((first_lines + 1))" "$w/logs/timing.tsv" | stage_split
    fi
  done
done
printf 'load after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
