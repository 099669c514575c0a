#!/usr/bin/env bash
# Prints which s3d library or tool links which other s3d libraries (docs/architecture.md
# quotes this), from CMake's own graph of the targets:
#   scripts/dependency-graph.sh [BUILD_DIR]      (default build; configured if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
graph=$(mktemp -d)
trap 'rm -rf "$graph"' EXIT
cmake -S "$root" -B "$build" --graphviz="$graph/s3d.dot" >/dev/null
# Node ids -> names, then the direct edges between s3d targets, grouped one line per target.
awk '
  /^ *"node[0-9]+" \[ label = / { id = $1; gsub(/"/, "", id); name = $0; sub(/.*label = "/, "", name); sub(/".*/, "", name); label[id] = name }
  /->/ { from = $1; to = $3; gsub(/"/, "", from); gsub(/"/, "", to); n = ++count[from]; edge[from, n] = to }
  END {
    for (id in label) {
      if (label[id] !~ /^s3d[_-]/ || label[id] ~ /^s3d_test/) continue
      print label[id], "~"
      for (i = 1; i <= count[id]; ++i)
        if (label[edge[id, i]] ~ /^s3d_/ && label[edge[id, i]] !~ /^s3d_test/) print label[id], label[edge[id, i]]
    }
  }' "$graph/s3d.dot" | sort -u |
  awk '$1 != last { if (last != "") print line; last = $1; line = $1 " ->" } $2 != "~" { line = line " " $2 } END { print line }' |
  sed 's/->$/-> (none)/'
