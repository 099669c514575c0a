#!/usr/bin/env bash
# Writes a parameter stamp: one value per line into FILE, rewritten only when the content
# changes (so make redoes only what depends on a changed value). With --on-change-clear WORK,
# a change also clears the work made for the old values (WORK's segments, kept depth maps,
# scratch chunks): a new source or chunking makes all of it invalid, and a leftover chunk
# of the old chunking must never be counted or joined.
# Usage: write-params.sh [--on-change-clear WORK] FILE VALUE...
set -euo pipefail
clear=
if [ "$1" = --on-change-clear ]; then
  clear=$2
  shift 2
fi
file=$1
shift
mkdir -p "$(dirname "$file")"
printf '%s\n' "$@" >"$file.tmp"
if cmp -s "$file.tmp" "$file"; then
  rm -f "$file.tmp"
  exit 0
fi
if [ -n "$clear" ] && [ -e "$file" ]; then
  echo "s3d: the source or CHUNK changed: starting the work in $clear afresh" >&2
  rm -rf "$clear/segments" "$clear/depth" "$clear/chunks" "$clear/progress" "$clear/joined.stamp"
fi
mv -f "$file.tmp" "$file"
