#!/usr/bin/env bash
# Runs the pipeline's make (the arguments) holding WORK/.lock, so that a second run on the
# same work folder is refused instead of colliding with the first on its temp files; then
# removes the temp files a killed run left (nobody else can be writing them now), and shows
# the whole run's progress (monitor.sh) while make works.
# Usage: locked.sh MAKE ARGS...   (environment: S3D_WORK, S3D_OUT)
set -euo pipefail
mkdir -p "$S3D_WORK"
exec 9>>"$S3D_WORK/.lock"
# A run killed a moment ago may still hold the lock while its last processes die (a writer
# in the middle of an fsync is killed only when that returns): wait a few seconds for them
# before calling it another run.
if ! flock -w 5 9; then
  echo "s3d: another pipeline run is using $S3D_WORK (it holds $S3D_WORK/.lock): wait for it, or use another WORK" >&2
  exit 1
fi
case "${MAKEFLAGS%% *}" in
  *n*) ;;  # make -n: change nothing
  *)
    find "$S3D_WORK" -name '.*.tmp[0-9]*' -delete
    out_dir=$(dirname -- "$S3D_OUT")
    if [ -d "$out_dir" ]; then
      find "$out_dir" -maxdepth 1 -name ".$(basename -- "$S3D_OUT").tmp[0-9]*" -delete
    fi
    ;;
esac
# make -n plans only, and a Slurm submission (S3D_MONITOR=0) has nothing to show; otherwise
# the whole run's progress is shown while make works.
case "${MAKEFLAGS%% *}" in
  *n*) S3D_LOCKED=1 exec "$@" ;;
esac
if [ "${S3D_MONITOR:-1}" = 0 ]; then S3D_LOCKED=1 exec "$@"; fi
"$(dirname "$0")/monitor.sh" 9>&- &
monitor=$!
status=0
S3D_LOCKED=1 "$@" || status=$?
kill -TERM "$monitor" 2>/dev/null
wait "$monitor" 2>/dev/null || true
exit "$status"
