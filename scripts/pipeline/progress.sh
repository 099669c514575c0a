#!/usr/bin/env bash
# Prints the pipeline's overall progress line to stderr after each finished chunk:
#   s3d: 3/12 chunks, 3000/12000 frames, 41.2 fps, ETA 0:03:38
# Only this chunking's segments count; the rate counts those finished since this run
# started (WORK/run-start).
set -euo pipefail
work=$S3D_WORK nchunks=$(((S3D_FRAMES + S3D_CHUNK - 1) / S3D_CHUNK)) frames=$S3D_FRAMES
start=$(cat "$work/run-start" 2>/dev/null || date +%s)
now=$(date +%s)
done_chunks=0 frames_done=0 frames_now=0
for ((c = 0; c < nchunks; ++c)); do
  segment=$(printf '%s/segments/%04d.mkv' "$work" "$c")
  [ -f "$segment" ] || continue
  size=$((frames - c * S3D_CHUNK < S3D_CHUNK ? frames - c * S3D_CHUNK : S3D_CHUNK))
  done_chunks=$((done_chunks + 1)) frames_done=$((frames_done + size))
  if [ "$segment" -nt "$work/run-start" ]; then frames_now=$((frames_now + size)); fi
done
awk -v d="$done_chunks" -v n="$nchunks" -v f="$frames" -v fd="$frames_done" -v fn="$frames_now" -v el=$((now - start)) 'BEGIN {
  fps = (el > 0) ? fn / el : 0
  eta = (fps > 0) ? (f - fd) / fps : -1
  e = (eta < 0) ? "?:??:??" : sprintf("%d:%02d:%02d", eta / 3600, (eta % 3600) / 60, eta % 60)
  printf "s3d: %d/%d chunks, %d/%d frames, %.1f fps, ETA %s\n", d, n, fd, f, fps, e > "/dev/stderr"
}'
