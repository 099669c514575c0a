#!/usr/bin/env bash
# The encoded segment of one chunk, streamed: no frame of it is ever stored.
#   depth missing:  s3d-depth --video --tee - | s3d-parallax --frames - --out - | s3d-encode --frames -
#                   (the film decoded once; each frame's depth is kept as it is made)
#   depth kept:     s3d-parallax --video --out - | s3d-encode --frames -
# The kept depth (WORK/depth/<chunk>/: a field PNG and a JSON sidecar per frame) is redone
# only when the source or the depth parameters change; s3d-depth resumes it frame by frame.
# Usage: chunk-segment.sh CHUNK SEGMENT   (the parameter stamps are in WORK/params/)
# shellcheck source=scripts/pipeline/common.sh
. "$(dirname "$0")/common.sh"
segment=$2
params=$S3D_WORK/params
progress=$S3D_WORK/progress/$chunk
rm -f "$progress" "$progress.now"

model=()
if [ "$S3D_MODEL" != auto ]; then model=(--model "$S3D_MODEL"); fi
depth=("$S3D_BIN/s3d-depth" --video "$S3D_INPUT" --fps "$S3D_FPS" --range "$first:$end" --out "$depth_dir"
  --format field "${model[@]}" --normalize "$S3D_NORMALIZE" --threads "$S3D_THREADS" --quiet)
want=$(
  echo "DEPTH_FORMAT=field"
  cat "$params/source.params" "$params/depth.params"
)
# Kept depth of other parameters is replaced only once the new model is known to run (a
# missing checkpoint fails here, the old depth untouched); otherwise the chain's s3d-depth
# fails early by itself, with nothing to lose (this saves loading LibTorch twice).
if [ -d "$depth_dir" ] && [ "$want" != "$(cat "$depth_dir/.params" 2>/dev/null)" ]; then run "${depth[@]}" --check; fi
printf '%s\n' "$want" >"$depth_dir.want"
keep_if_same "$depth_dir.want" "$depth_dir"
rm -f "$depth_dir.want"

pad=()
if [ -n "$S3D_PAD" ]; then pad=(--pad "$S3D_PAD"); fi
vr=()
if [ "$S3D_FORMAT" = vr180 ]; then vr=(--vr-fov "$S3D_VR_FOV" --vr-size "$S3D_VR_SIZE"); fi
views=("$S3D_BIN/s3d-parallax" --depth "$depth_dir" --range "$first:$end" --out - --method "$S3D_METHOD"
  --parallax "$S3D_PARALLAX" --convergence "$S3D_CONVERGENCE" --keep-bars "$S3D_KEEP_BARS" --pack "$S3D_FORMAT" --order "$S3D_ORDER" "${pad[@]}"
  "${vr[@]}" --squeeze "$S3D_SQUEEZE" --threads "$S3D_THREADS" --quiet)
encode=("$S3D_BIN/s3d-encode" --frames - --fps "$S3D_FPS" --out "$segment" --range "$first:$end" --codec "$S3D_CODEC"
  --crf "$S3D_CRF" --preset "$S3D_PRESET" --force --quiet --progress-file "$progress.now")
if [ "$(depth_done)" -lt $((end - first)) ]; then
  claim_gpu  # (GPUS=: one GPU per chain; only the depth needs one)
  run_chain "${depth[@]}" --tee - ::: "${views[@]}" --frames - ::: "${encode[@]}"
  release_gpu
else
  run_chain "${views[@]}" --video "$S3D_INPUT" --fps "$S3D_FPS" ::: "${encode[@]}"
fi
# For the whole-run progress (monitor.sh): this chunk is done for these parameters.
cat "$params"/{source,depth,views,pack,encode}.params | md5sum | cut -c1-32 >"$progress.tmp"
mv "$progress.tmp" "$progress"
rm -f "$progress.now"
