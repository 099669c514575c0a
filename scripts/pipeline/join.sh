#!/usr/bin/env bash
# The film: joins the segments and copies the source's other streams (s3d-encode join mode).
# Runs on every make; does nothing when OUT was made from exactly these segments and
# parameters and is still there (WORK/joined.stamp records what it was made from).
# Usage: join.sh SEGMENT...
#        join.sh --current SEGMENT...   exits 0 when OUT is current, 1 otherwise (changes nothing)
set -euo pipefail
stamp="$S3D_WORK/joined.stamp"
check_only=0
if [ "${1:-}" = --current ]; then check_only=1 && shift; fi
want=$(
  printf 'OUT=%s FORMAT=%s ORDER=%s\n' "$S3D_OUT" "$S3D_FORMAT" "$S3D_ORDER"
  stat -c '%n %s %Y' -- "$@" 2>/dev/null
) || want=missing
if [ -s "$S3D_OUT" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want$(stat -c '%s %Y' -- "$S3D_OUT")" ]; then
  exit 0
fi
if [ "$check_only" = 1 ]; then exit 1; fi
log="$S3D_WORK/logs/final.log"
if ! "$S3D_BIN/s3d-encode" --segments "$@" --source "$S3D_INPUT" --out "$S3D_OUT" --layout "$S3D_FORMAT" \
  --order "$S3D_ORDER" --force --quiet 2>>"$log"; then
  tail -n 20 "$log" >&2
  exit 1
fi
rm -rf "$S3D_WORK/chunks"
printf '%s' "$want$(stat -c '%s %Y' -- "$S3D_OUT")" >"$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "s3d: wrote $S3D_OUT ($S3D_FRAMES frames, $S3D_FORMAT $S3D_ORDER; depth maps kept in $S3D_WORK/depth)" >&2
