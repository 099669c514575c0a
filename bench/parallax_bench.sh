#!/bin/bash
# s3d-parallax speed, side by side with the article's code (../shared/tools/seed_ref.py) on
# the same synthetic 1080p frame, in the same run. Run by hand from a Release build:
#   bench/parallax_bench.sh [BUILD_DIR]       (default: build)
# Prints a table: in-process compute per frame (both eyes) and the CLI's wall time per frame
# over 100 frames including PNG decode/encode, each with its ratio to the seed.
# Environment: ROUNDS (default 3), BENCH_FRAMES (default 100), GRAIN (default 4),
# BASELINE=/path/to/an/older/s3d-parallax adds its rows to the same run (before/after).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
tool=$build/bin/s3d-parallax
seed=$here/../shared/tools/seed_ref.py
py=/usr/bin/python3
frames=${BENCH_FRAMES:-100}
rounds=${ROUNDS:-3}
[ -x "$tool" ] || { echo "no $tool: build the s3d-parallax target first" >&2; exit 1; }
[ -f "$seed" ] || { echo "no $seed (../shared is needed for the side-by-side numbers)" >&2; exit 1; }

work=$(mktemp -d /tmp/parallax-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/frames" "$work/depth"

# A frame as s3d-extract would give it: ffmpeg's testsrc2 pattern (gradients, text, moving
# shapes) plus light grain, through an H.264 encode and decode; GRAIN=12 makes a noisier,
# harder-to-compress frame. The depth is smooth 16-bit with a sharp-edged near object.
ffmpeg -loglevel error -f lavfi -i testsrc2=s=1920x1080:d=1 -vf "noise=alls=${GRAIN:-4}:allf=t" \
  -c:v libx264 -crf 18 -preset veryfast -pix_fmt yuv420p "$work/clip.mp4"
ffmpeg -loglevel error -ss 0.5 -i "$work/clip.mp4" -frames:v 1 "$work/frame.png"
"$py" - "$work/depth.png" <<'PY'
import sys, cv2, numpy as np
h, w = 1080, 1920
y, x = np.mgrid[0:h, 0:w].astype(np.float32)
d = 0.15 + 0.45 * y / h + 0.08 * np.sin(x / 90.0) * np.cos(y / 130.0)   # floor-like ramp
d = np.where((x - 1200) ** 2 / 260 ** 2 + (y - 520) ** 2 / 300 ** 2 < 1, 0.9, d)  # near object
d = cv2.GaussianBlur(d, (0, 0), 2.0)
cv2.imwrite(sys.argv[1], np.clip(d * 65535, 0, 65535).astype(np.uint16))
PY
for i in $(seq 0 $((frames - 1))); do
  n=$(printf %06d "$i")
  ln -s "$work/frame.png" "$work/frames/$n.png"
  ln -s "$work/depth.png" "$work/depth/$n.png"
done

cli_ms() {  # wall ms per frame of s3d-parallax over every frame, PNG in and out
  rm -rf "$work/out"
  local t0 t1
  t0=$(date +%s.%N)
  "$tool" --frames "$work/frames" --depth "$work/depth" --out "$work/out" --quiet "$@"
  t1=$(date +%s.%N)
  echo "($t1 - $t0) * 1000 / $frames" | bc -l
}
best() { printf '%s\n' "$@" | sort -g | head -1; }
ratio() { echo "$1 / $2" | bc -l; }

# The machine may be shared: each measurement is repeated in interleaved rounds and each
# side keeps its best (least disturbed) value.
baseline=${BASELINE:-}
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "BASELINE=$baseline is not an executable" >&2; exit 1; }
seed_core=(); seed_all=(); fwd=(); rmp=(); cli=(); cli_nofsync=(); base_fwd=(); base_cli=(); hsbs_after=(); hsbs_before=()
for r in $(seq "$rounds"); do
  out=$("$py" "$seed" time "$work/frame.png" "$work/depth.png" --method 1 --n 20)
  seed_core+=("$(echo "$out" | awk '{print $2}')")
  seed_all+=("$(echo "$out" | awk '{print $4}')")
  fwd+=("$("$tool" --frames "$work/frames" --depth "$work/depth" --benchmark 30 --range 0:1 | awk '{print $2}')")
  rmp+=("$("$tool" --frames "$work/frames" --depth "$work/depth" --benchmark 30 --range 0:1 --method remap | awk '{print $2}')")
  # The pipeline's packed output (one thread): hsbs warped at full size then squeezed, vs
  # squeezed first and warped at half width.
  hsbs_after+=("$("$tool" --frames "$work/frames" --depth "$work/depth" --benchmark 30 --range 0:1 --out - --pack hsbs \
    --squeeze after | awk '{print $2}')")
  hsbs_before+=("$("$tool" --frames "$work/frames" --depth "$work/depth" --benchmark 30 --range 0:1 --out - --pack hsbs \
    --squeeze before | awk '{print $2}')")
  cli+=("$(cli_ms)")
  cli_nofsync+=("$(S3D_NO_FSYNC=1 cli_ms)")
  if [ -n "$baseline" ]; then
    base_fwd+=("$("$baseline" --frames "$work/frames" --depth "$work/depth" --benchmark 30 --range 0:1 | awk '{print $2}')")
    base_cli+=("$(tool=$baseline cli_ms)")
  fi
done
seed_core=$(best "${seed_core[@]}"); seed_all=$(best "${seed_all[@]}")
fwd=$(best "${fwd[@]}"); rmp=$(best "${rmp[@]}")
hsbs_after=$(best "${hsbs_after[@]}"); hsbs_before=$(best "${hsbs_before[@]}")
cli=$(best "${cli[@]}"); cli_nofsync=$(best "${cli_nofsync[@]}")

printf '\n1080p frame %s kB (PNG), %s cores, load %s (machine shared: repeat if numbers look disturbed)\n' \
  "$(( $(stat -c %s "$work/frame.png") / 1000 ))" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-60s %9s %9s\n' "best median of $rounds rounds" "ms/frame" "vs seed"
printf '%-60s %9.2f %9s\n' "seed method 1, in-process compute (both eyes + hstack)" "$seed_core" "1.00x"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax forward, in-process (depth prep + both eyes)" "$fwd" "$(ratio "$seed_core" "$fwd")"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax remap, in-process (depth prep + both eyes)" "$rmp" "$(ratio "$seed_core" "$rmp")"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax --out - --pack hsbs --squeeze after (1 thread)" "$hsbs_after" \
  "$(ratio "$seed_core" "$hsbs_after")"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax --out - --pack hsbs --squeeze before (1 thread)" "$hsbs_before" \
  "$(ratio "$seed_core" "$hsbs_before")"
if [ -n "$baseline" ]; then
  base_fwd=$(best "${base_fwd[@]}")
  printf '%-60s %9.2f %8.2fx\n' "BASELINE forward, in-process" "$base_fwd" "$(ratio "$seed_core" "$base_fwd")"
fi
printf '%-60s %9.2f %9s\n' "seed method 1, PNG read + compute + JPEG q100 write" "$seed_all" "1.00x"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax CLI, $frames frames, PNG in/out (fsync'ed)" "$cli" "$(ratio "$seed_all" "$cli")"
printf '%-60s %9.2f %8.2fx\n' "s3d-parallax CLI, $frames frames, PNG in/out, S3D_NO_FSYNC=1" "$cli_nofsync" "$(ratio "$seed_all" "$cli_nofsync")"
if [ -n "$baseline" ]; then
  base_cli=$(best "${base_cli[@]}")
  printf '%-60s %9.2f %8.2fx\n' "BASELINE CLI, $frames frames, PNG in/out (fsync'ed)" "$base_cli" "$(ratio "$seed_all" "$base_cli")"
  [ -z "${BASELINE_NOTE:-}" ] || echo "BASELINE: $BASELINE_NOTE"
fi
