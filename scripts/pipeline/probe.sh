#!/usr/bin/env bash
# Describes the source for make: WORK/probe.mk (frame count, rate, size), written atomically.
# Usage: probe.sh PROBE_MK
set -euo pipefail
out=$1
mkdir -p "$(dirname "$out")"
"$S3D_BIN/s3d-extract" --probe "$S3D_INPUT" --probe-format make >"$out.tmp"
mv "$out.tmp" "$out"
