# shellcheck shell=bash
# Sourced by the pipeline's step scripts. Makefile.pipeline passes everything through the
# environment (exported variables: no shell quoting of file names anywhere):
#   S3D_BIN S3D_ROOT S3D_WORK S3D_INPUT S3D_OUT S3D_CHUNK S3D_FRAMES S3D_FPS S3D_THREADS and the
#   stage parameters (S3D_MODEL, S3D_PARALLAX, ...); the script's argument is a chunk id (0003).
set -euo pipefail

# shellcheck source=scripts/pipeline/chunks.sh
. "$(dirname "${BASH_SOURCE[0]}")/chunks.sh"

# run CMD ARGS...: runs one tool with its stderr in the chunk's log and its time in
# WORK/logs/timing.tsv (chunk, tool, seconds); on failure says which tool failed, shows the
# log's tail and stops the chunk.
run() {
  local start=$EPOCHREALTIME
  if ! "$@" 2>>"$log"; then
    echo "s3d: chunk $chunk failed: $1 (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\n' "$chunk" "$(basename "$1")" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" \
    >>"$S3D_WORK/logs/timing.tsv"
}

# run_chain CMD ... ::: CMD ... [::: CMD ...]: runs two or three tools as one pipeline (each
# one's stdout into the next one's stdin), every stderr into the chunk's log, and logs each
# tool's time to WORK/logs/timing.tsv: the chain's wall seconds and the tool's own CPU seconds
# (its children, e.g. ffmpeg, included). On failure names each tool that failed and stops.
run_chain() {
  local -a c1=() c2=() c3=() status
  local n=1 a start=$EPOCHREALTIME times
  for a in "$@"; do
    if [ "$a" = ::: ]; then n=$((n + 1)) && continue; fi
    case $n in 1) c1+=("$a") ;; 2) c2+=("$a") ;; *) c3+=("$a") ;; esac
  done
  times=$(mktemp -d "$S3D_WORK/logs/.times.XXXXXX")
  set +e
  if [ "$n" = 2 ]; then
    timed "$times/1" "${c1[@]}" | timed "$times/2" "${c2[@]}"
  else
    timed "$times/1" "${c1[@]}" | timed "$times/2" "${c2[@]}" | timed "$times/3" "${c3[@]}"
  fi
  status=("${PIPESTATUS[@]}")
  set -e
  local failed='' wall i tool
  wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  for ((i = 1; i <= n; ++i)); do
    local -n cmd=c$i
    tool=$(basename "${cmd[0]}")
    if [ "${status[i - 1]}" != 0 ]; then failed+="${failed:+, }$tool (exit ${status[i - 1]})"; fi
    printf '%s\t%s\t%s\t%s\n' "$chunk" "$tool" "$wall" "$(awk 'NR == 2 {
      split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$times/$i")" \
      >>"$S3D_WORK/logs/timing.tsv"
  done
  rm -rf "$times"
  if [ -n "$failed" ]; then
    echo "s3d: chunk $chunk failed: $failed (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

# timed FILE CMD...: runs CMD with its stderr in the log, then writes `times` (its second
# line: user and system seconds of this subshell's children, i.e. CMD) to FILE; returns
# CMD's status.
timed() {
  local file=$1 rc=0
  shift
  "$@" 2>>"$log" || rc=$?
  times >"$file"  # (in this shell: a pipe would run it in a fork, which has no children)
  return "$rc"
}

# claim_gpu: with S3D_GPUS (e.g. "0,1": make -jN on a box with N GPUs), takes the first GPU of
# the list that no other chunk of this work folder holds (WORK/gpus/<id>.lock, held on fd 7
# until the chunk's script ends; waits while all are taken) and exports CUDA_VISIBLE_DEVICES,
# so each chain's s3d-depth sees exactly one GPU; sets gpu_claimed (the GPU) and gpu_since
# (when) for release_gpu. Without S3D_GPUS: nothing (CUDA_VISIBLE_DEVICES as it is).
claim_gpu() {
  [ -n "${S3D_GPUS:-}" ] || return 0
  local -a ids
  local id
  IFS=, read -r -a ids <<<"$S3D_GPUS"
  mkdir -p "$S3D_WORK/gpus"
  while :; do
    for id in "${ids[@]}"; do
      exec 7>>"$S3D_WORK/gpus/$id.lock"
      if flock -n 7; then
        export CUDA_VISIBLE_DEVICES=$id
        gpu_claimed=$id gpu_since=$EPOCHREALTIME
        echo "s3d: chunk $chunk on GPU $id (CUDA_VISIBLE_DEVICES=$id)" >>"$log"
        return 0
      fi
      exec 7>&-
    done
    sleep 0.2
  done
}

# release_gpu: logs the claimed GPU's use to WORK/logs/gpus.tsv (chunk, GPU, from, to: epoch
# seconds) and lets it go.
release_gpu() {
  [ -n "${gpu_claimed:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\n' "$chunk" "$gpu_claimed" "$gpu_since" "$EPOCHREALTIME" >>"$S3D_WORK/logs/gpus.tsv"
  exec 7>&-
  gpu_claimed=
}

# keep_if_same WANT DIR: DIR holds work made with the parameters in its .params file; unless
# they equal WANT's, it is emptied first (same parameters: the tools resume it).
keep_if_same() {
  if ! cmp -s "$1" "$2/.params"; then
    rm -rf "$2"
    mkdir -p "$2"
    cp "$1" "$2/.params"
  fi
}

# depth_done: how many frames of the chunk have their kept depth (a field image and, written
# last, its sidecar).
depth_done() {
  local n=0 i
  for ((i = first; i < end; ++i)); do
    printf -v name '%s/%06d' "$depth_dir" "$i"
    if [ -f "$name.json" ] && [ -f "$name.png" ]; then n=$((n + 1)); fi
  done
  echo "$n"
}

chunk=${1:?chunk id}
chunk_range "$chunk"
log="$S3D_WORK/logs/$chunk.log"
depth_dir="$S3D_WORK/depth/$chunk"  # the chunk's kept depth
mkdir -p "$S3D_WORK/logs" "$S3D_WORK/depth" "$S3D_WORK/segments" "$S3D_WORK/progress"
