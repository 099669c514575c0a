#!/usr/bin/env bash
# The encoded segment of one chunk: views (s3d-parallax) -> packed frames (s3d-pack) ->
# segment (s3d-encode), from the chunk's source frames and kept depth; then the chunk's
# scratch frames are deleted. Usage: chunk-segment.sh CHUNK SEGMENT DEPTH_STAMP VIEWS_PARAMS PACK_PARAMS
# shellcheck source=scripts/pipeline/common.sh
. "$(dirname "$0")/common.sh"
segment=$2 depth_stamp=$3 views_params=$4 pack_params=$5
mkdir -p "$chunk_dir"
cat "$depth_stamp" "$views_params" >"$chunk_dir/views.want"
cat "$chunk_dir/views.want" "$pack_params" >"$chunk_dir/packed.want"
keep_if_same "$chunk_dir/views.want" "$chunk_dir/views"
keep_if_same "$chunk_dir/packed.want" "$chunk_dir/packed"
frames=$((end - first))
if [ "$(frames_in "$chunk_dir/packed")" -lt "$frames" ]; then
  if [ "$(frames_in "$chunk_dir/views/left")" -lt "$frames" ]; then
    extract_chunk
    # The kept depth maps, unpacked into scratch whole or not at all; an archive that is not
    # whole (cut short by a full disk) is made again first.
    if [ ! -d "$chunk_dir/depth" ]; then
      "$(dirname "$0")/chunk-depth.sh" "$chunk" "$depth_stamp" "$S3D_WORK/params/source.params" \
        "$S3D_WORK/params/depth.params"
      rm -rf "$chunk_dir/.depth"
      run "$S3D_BIN/s3d-extract" "$depth_dir/depth.mkv" --out "$chunk_dir/.depth" --first-index "$first" \
        --range "$first:$end" --threads "$S3D_THREADS" --quiet
      mv "$chunk_dir/.depth" "$chunk_dir/depth"
    fi
    run "$S3D_BIN/s3d-parallax" --frames "$chunk_dir/frames" --depth "$chunk_dir/depth" --out "$chunk_dir/views" \
      --range "$first:$end" --method "$S3D_METHOD" --parallax "$S3D_PARALLAX" --convergence "$S3D_CONVERGENCE" \
      --threads "$S3D_THREADS" --quiet
  fi
  pad=()
  if [ -n "$S3D_PAD" ]; then pad=(--pad "$S3D_PAD"); fi
  run "$S3D_BIN/s3d-pack" --left "$chunk_dir/views/left" --right "$chunk_dir/views/right" --out "$chunk_dir/packed" \
    --range "$first:$end" --format "$S3D_FORMAT" --order "$S3D_ORDER" "${pad[@]}" --image-format png \
    --threads "$S3D_THREADS" --quiet
  rm -rf "$chunk_dir/views" "$chunk_dir/frames" "$chunk_dir/depth"
fi
run "$S3D_BIN/s3d-encode" --frames "$chunk_dir/packed" --fps "$S3D_FPS" --out "$segment" --range "$first:$end" \
  --codec "$S3D_CODEC" --crf "$S3D_CRF" --preset "$S3D_PRESET" --force --quiet
rm -rf "$chunk_dir"
"$(dirname "$0")/progress.sh"
