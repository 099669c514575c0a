#!/usr/bin/env bash
# Prints the pipeline's overall progress line to stderr after each finished chunk:
#   s3d: 3/12 chunks, 3000/12000 frames, 41.2 fps, ETA 0:03:38
# The rate counts the chunks finished since this run started (WORK/run-start).
set -euo pipefail
work=$S3D_WORK nchunks=$(((S3D_FRAMES + S3D_CHUNK - 1) / S3D_CHUNK)) frames=$S3D_FRAMES
start=$(cat "$work/run-start" 2>/dev/null || date +%s)
now=$(date +%s)
done_chunks=$(find "$work/segments" -maxdepth 1 -name '[0-9]*.mkv' | wc -l)
done_now=$(find "$work/segments" -maxdepth 1 -name '[0-9]*.mkv' -newer "$work/run-start" | wc -l)
awk -v d="$done_chunks" -v n="$nchunks" -v f="$frames" -v dn="$done_now" -v el=$((now - start)) 'BEGIN {
  per = f / n; fd = (d >= n) ? f : d * per; fps = (el > 0) ? dn * per / el : 0
  eta = (fps > 0) ? (f - fd) / fps : -1
  e = (eta < 0) ? "?:??:??" : sprintf("%d:%02d:%02d", eta / 3600, (eta % 3600) / 60, eta % 60)
  printf "s3d: %d/%d chunks, %d/%d frames, %.1f fps, ETA %s\n", d, n, fd, f, fps, e > "/dev/stderr"
}'
