# shellcheck shell=bash
# Sourced by the pipeline's step scripts. Makefile.pipeline passes everything through the
# environment (exported variables: no shell quoting of file names anywhere):
#   S3D_BIN S3D_ROOT S3D_WORK S3D_INPUT S3D_OUT S3D_CHUNK S3D_FRAMES S3D_FPS S3D_THREADS and the
#   stage parameters (S3D_MODEL, S3D_PARALLAX, ...); the script's argument is a chunk id (0003).
set -euo pipefail

# chunk_range ID: sets `first` and `end`, the chunk's half-open range of global frame indices.
chunk_range() {
  first=$((10#$1 * S3D_CHUNK))
  end=$((first + S3D_CHUNK))
  if ((end > S3D_FRAMES)); then end=$S3D_FRAMES; fi
}

# run CMD ARGS...: runs one tool with its stderr in the chunk's log; on failure says which
# tool failed, shows the log's tail and stops the chunk.
run() {
  if ! "$@" 2>>"$log"; then
    echo "s3d: chunk $chunk failed: $1 (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
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

# frames_in DIR: how many frame images DIR holds (0 if it does not exist).
frames_in() {
  if [ -d "$1" ]; then
    find "$1" -maxdepth 1 -type f \( -name '[0-9]*.png' -o -name '[0-9]*.jpg' \) | wc -l
  else
    echo 0
  fi
}

# extract_chunk: the chunk's source frames into its scratch folder, unless they are all there
# (which saves probing the input).
extract_chunk() {
  if [ "$(frames_in "$chunk_dir/frames")" -lt $((end - first)) ]; then
    run "$S3D_BIN/s3d-extract" "$S3D_INPUT" --out "$chunk_dir/frames" --range "$first:$end" --fps "$S3D_FPS" \
      --threads "$S3D_THREADS" --quiet
  fi
}

chunk=${1:?chunk id}
chunk_range "$chunk"
log="$S3D_WORK/logs/$chunk.log"
chunk_dir="$S3D_WORK/chunks/$chunk"  # the chunk's scratch frames
# shellcheck disable=SC2034  # used by the scripts that source this file
depth_dir="$S3D_WORK/depth/$chunk"   # the chunk's kept depth
mkdir -p "$S3D_WORK/logs" "$S3D_WORK/depth" "$S3D_WORK/segments" "$S3D_WORK/chunks"
