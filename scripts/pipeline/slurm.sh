#!/usr/bin/env bash
# The pipeline on a Slurm cluster: the chunks as one job array (each task makes one chunk's
# segment with chunk-segment.sh, exactly as make does), and the join as a job that waits for
# the array (afterok). The work folder must be on a filesystem every node sees; the source is
# read in place. Done is decided as make decides it: a chunk's segment exists and is newer
# than every parameter stamp. See docs/cluster.md.
#   slurm.sh submit SEGMENT...     submit the chunks not done, and the join (from Makefile.pipeline)
#   slurm.sh task SUBMISSION       one array task (run by Slurm)
#   slurm.sh join SUBMISSION       the join job (run by Slurm)
#   slurm.sh status SEGMENT...     chunks done / running / pending / failed, and an ETA
# Environment: what Makefile.pipeline exports (S3D_*), and for `submit` the S3D_SLURM_* options
# (partition, account, time, CPUs, memory, GPUs, extra sbatch arguments).
set -euo pipefail
# The jobs run this script where it is (sbatch --wrap), not a spooled copy: the checkout must
# be at the same path on every node, as the binaries are.
self=$(realpath -- "$0")
# shellcheck source=scripts/pipeline/chunks.sh
. "$(dirname "$self")/chunks.sh"
# A task or the join runs with its submission's environment, whatever the node's is.
case ${1:-} in
  task | join)
    # shellcheck source=/dev/null
    . "${2:?submission folder}/env.sh"
    ;;
esac
slurm_dir=$S3D_WORK/slurm
params=$S3D_WORK/params
stamps=("$params"/{source,depth,views,pack,encode}.params)

die() {
  echo "s3d: $*" >&2
  exit 1
}

# chunk_of SEGMENT: the chunk id of WORK/segments/<id>.mkv.
chunk_of() {
  local name=${1##*/}
  echo "${name%.mkv}"
}

# segment_current SEGMENT: whether make would consider it done (exists, newer than every stamp).
segment_current() {
  local stamp
  [ -f "$1" ] || return 1
  for stamp in "${stamps[@]}"; do
    [ "$1" -nt "$stamp" ] || return 1
  done
}

# film_current SEGMENT...: whether OUT was joined from these segments (join.sh's own test).
film_current() {
  "$S3D_ROOT/scripts/pipeline/join.sh" --current "$@"
}

# The last submission's folder (WORK/slurm/<n>), or nothing.
last_submission() {
  if [ -f "$slurm_dir/last" ]; then echo "$slurm_dir/$(cat "$slurm_dir/last")"; fi
}

# live_states: the lines of squeue's output (state last) of jobs not ended. (Asked by job
# id, squeue also lists ended jobs, until MinJobAge passes.)
live_states() {
  grep -vE ' (COMPLETED|CANCELLED|FAILED|TIMEOUT|NODE_FAIL|PREEMPTED|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE)$'
}

# live_jobs SUBMISSION: its array tasks and join job that Slurm still holds (pending, running).
live_jobs() {
  local ids
  ids=$(tr '\n' ',' <"$1/jobs")
  squeue -h -j "${ids%,}" -o '%i %T' 2>/dev/null | live_states || true
}

submit() {
  command -v sbatch >/dev/null || die "sbatch not found: submit from a machine of the Slurm cluster (a login node)"
  squeue -h -o '%i' >/dev/null 2>&1 || die "squeue cannot reach the Slurm controller (is SLURM_CONF right?): $(squeue 2>&1 | head -n 1)"
  local previous
  previous=$(last_submission)
  if [ -n "$previous" ] && [ -n "$(live_jobs "$previous")" ]; then
    die "the last submission ($previous: jobs $(tr '\n' ' ' <"$previous/jobs")) is still queued or running: wait for it (make ... slurm-status), or scancel it first"
  fi

  local -a todo=() segment
  for segment in "$@"; do
    segment_current "$segment" || todo+=("$(chunk_of "$segment")")
  done
  if [ ${#todo[@]} -eq 0 ] && film_current "$@"; then
    echo "s3d: nothing to submit: every chunk is done and $S3D_OUT is current" >&2
    return 0
  fi

  # A submission: its environment (everything the steps read, quoted by bash itself), its
  # chunk list (array index -> chunk id) and segment list, and its job ids.
  local n=1
  if [ -f "$slurm_dir/last" ]; then n=$(($(cat "$slurm_dir/last") + 1)); fi
  local sub="$slurm_dir/$n"
  mkdir -p "$sub" "$slurm_dir/locks" "$S3D_WORK/logs"
  {
    export -p | grep -E '^declare -x (S3D_[A-Z_]+|OMP_WAIT_POLICY)='
  } >"$sub/env.sh"
  printf '%s\n' "${todo[@]}" >"$sub/chunks"
  printf '%s\n' "$@" >"$sub/segments"
  date +%s >"$sub/submitted"
  local frames=0 c
  for c in "${todo[@]}"; do
    chunk_range "$c"
    frames=$((frames + end - first))
  done
  echo "$frames" >"$sub/frames"

  local -a common=(--parsable --chdir "$S3D_WORK" --open-mode=append)
  if [ -n "${S3D_SLURM_PARTITION:-}" ]; then common+=(--partition "$S3D_SLURM_PARTITION"); fi
  if [ -n "${S3D_SLURM_ACCOUNT:-}" ]; then common+=(--account "$S3D_SLURM_ACCOUNT"); fi
  local -a extra=()
  if [ -n "${S3D_SLURM_ARGS:-}" ]; then read -r -a extra <<<"$S3D_SLURM_ARGS"; fi
  local name
  name="s3d-$(basename -- "$S3D_WORK")"
  local -a task=("${common[@]}" --job-name "$name" --requeue --cpus-per-task "${S3D_SLURM_CPUS:-2}")
  if [ -n "${S3D_SLURM_TIME:-}" ]; then task+=(--time "$S3D_SLURM_TIME"); fi
  if [ -n "${S3D_SLURM_MEM:-}" ]; then task+=(--mem "$S3D_SLURM_MEM"); fi
  if [ "${S3D_SLURM_GPUS:-0}" != 0 ]; then task+=(--gres "gpu:$S3D_SLURM_GPUS"); fi

  local array='' join
  : >"$sub/jobs"
  if [ ${#todo[@]} -gt 0 ]; then
    local range="0-$((${#todo[@]} - 1))"
    if [ -n "${S3D_SLURM_MAX_TASKS:-}" ]; then range+="%$S3D_SLURM_MAX_TASKS"; fi
    array=$(sbatch "${task[@]}" "${extra[@]}" --array "$range" --output "$S3D_WORK/logs/slurm-%A_%a.out" \
      --wrap "$(printf '%q ' "$self" task "$sub")") || die "sbatch refused the chunk array (see above)"
    array=${array%%;*}
    echo "$array" >>"$sub/jobs"
  fi
  local -a after=()
  if [ -n "$array" ]; then after=(--dependency "afterok:$array" --kill-on-invalid-dep=yes); fi
  join=$(sbatch "${common[@]}" "${extra[@]}" --job-name "$name-join" --cpus-per-task 1 "${after[@]}" \
    --output "$S3D_WORK/logs/slurm-join-%j.out" --wrap "$(printf '%q ' "$self" join "$sub")") || die "sbatch refused the join job (see above)"
  join=${join%%;*}
  echo "$join" >>"$sub/jobs"
  echo "$n" >"$slurm_dir/last.tmp"
  mv "$slurm_dir/last.tmp" "$slurm_dir/last"
  if [ -n "$array" ]; then
    echo "s3d: submitted ${#todo[@]} of $# chunks ($frames frames) as array job $array; the join as job $join (after the array)" >&2
  else
    echo "s3d: every chunk is done; submitted the join as job $join" >&2
  fi
  echo "s3d: follow it with: make -f Makefile.pipeline ... slurm-status" >&2
  printf 'array=%s join=%s\n' "$array" "$join"
}

# share_work_lock: holds WORK/.lock shared for this job, as every task and join does, so that
# a local make run (which holds it alone) and Slurm jobs never work the folder at once. Waits
# out a submission (which holds it for a moment), fails after 10 minutes of a local run.
share_work_lock() {
  exec 9>>"$S3D_WORK/.lock"
  flock -s -w 600 9 || die "$S3D_WORK is in use by a local pipeline run (it holds $S3D_WORK/.lock): this job gives up"
}

# One array task: the chunk of its index, made exactly as make makes it.
task() {
  local sub=$1
  share_work_lock
  local c
  c=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$sub/chunks")
  [ -n "$c" ] || die "array task $SLURM_ARRAY_TASK_ID has no chunk in $sub/chunks"
  # "Every core" means the task's own cores here, not the node's.
  if [ "$S3D_THREADS" = 0 ] && [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then export S3D_THREADS=$SLURM_CPUS_PER_TASK; fi
  # One task per chunk at a time: a requeued or re-submitted task waits for a leftover one.
  exec 8>>"$slurm_dir/locks/$c.lock"
  flock 8
  # What a killed task of this chunk left (nobody else writes these: the lock is held).
  find "$S3D_WORK/depth/$c" -name '.*.tmp[0-9]*' -delete 2>/dev/null || true
  find "$S3D_WORK/segments" -maxdepth 1 -name ".$c.mkv.tmp[0-9]*" -delete 2>/dev/null || true
  local segment=$S3D_WORK/segments/$c.mkv
  if segment_current "$segment"; then
    echo "s3d: chunk $c is already done" >&2
    return 0
  fi
  echo "s3d: chunk $c on $(hostname) (job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID})" >&2
  mkdir -p "$S3D_WORK/segments"
  "$S3D_ROOT/scripts/pipeline/chunk-segment.sh" "$c" "$segment"
}

# The join job: the film from every segment (join.sh), once the array succeeded.
join() {
  local sub=$1
  share_work_lock
  local -a segments
  mapfile -t segments <"$sub/segments"
  "$S3D_ROOT/scripts/pipeline/join.sh" "${segments[@]}"
}

# The last submission's progress: its segments (the film's), as make would judge them.
status() {
  local sub done=0 running=0 pending=0 failed=0 frames_done=0 segment c
  sub=$(last_submission)
  if [ -z "$sub" ]; then
    echo "submission: none in $slurm_dir (make -f Makefile.pipeline ... slurm submits)"
    return 0
  fi
  # shellcheck source=/dev/null
  . "$sub/env.sh"
  local -a segments
  mapfile -t segments <"$sub/segments"
  set -- "${segments[@]}"
  local total=$#
  declare -A state=()
  if command -v squeue >/dev/null; then
    local array idx st
    array=$(head -n 1 "$sub/jobs")
    if [ -s "$sub/chunks" ] && [ -n "$array" ]; then
      # Each task still held by Slurm: its index and state (pending ranges are expanded, -r).
      while read -r idx st; do
        c=$(sed -n "$((idx + 1))p" "$sub/chunks")
        [ -n "$c" ] && state[$c]=$st
      done < <(squeue -h -r -j "$array" -o '%K %T' 2>/dev/null | live_states || true)
    fi
  fi
  local -a failed_chunks=()
  for segment in "$@"; do
    c=$(chunk_of "$segment")
    chunk_range "$c"
    if segment_current "$segment"; then
      done=$((done + 1))
      frames_done=$((frames_done + end - first))
    elif [ "${state[$c]:-}" = RUNNING ]; then
      running=$((running + 1))
      # The encoder's frame count of this chunk so far (chunk-segment.sh's progress file).
      local now
      now=$(tail -n 1 "$S3D_WORK/progress/$c.now" 2>/dev/null | grep -oE '^[0-9]+' || true)
      frames_done=$((frames_done + ${now:-0}))
    elif [ -n "${state[$c]:-}" ]; then
      pending=$((pending + 1))
    elif [ -n "$sub" ] && grep -qx "$c" "$sub/chunks"; then
      failed=$((failed + 1))
      failed_chunks+=("$c")
    else
      pending=$((pending + 1))
    fi
  done
  echo "chunks: $done/$total done, $running running, $pending pending, $failed failed${failed_chunks[*]:+ (${failed_chunks[*]}: logs in $S3D_WORK/logs/; re-submit to redo them)}"
  echo "frames: $frames_done/$S3D_FRAMES"
  local jobs join_state
  jobs=$(tr '\n' ' ' <"$sub/jobs")
  join_state=$(squeue -h -j "$(tail -n 1 "$sub/jobs")" -o '%i %T' 2>/dev/null | live_states | cut -d' ' -f2 || true)
  echo "submission: $sub (jobs ${jobs% })"
  # ETA: this submission's frames so far at its average rate since it was submitted.
  local start elapsed made remaining
  start=$(cat "$sub/submitted")
  elapsed=$(($(date +%s) - start))
  remaining=$((S3D_FRAMES - frames_done))
  made=$(($(cat "$sub/frames") - remaining))
  if [ "$remaining" -gt 0 ] && [ "$made" -gt 0 ] && [ "$elapsed" -gt 0 ]; then
    awk -v m="$made" -v e="$elapsed" -v r="$remaining" 'BEGIN {
      printf "rate: %.2f fps since submission; ETA %d min for the remaining %d frames\n", m / e, r / (m / e) / 60 + 0.5, r }'
  fi
  if film_current "$@"; then
    echo "film: $S3D_OUT is written"
  elif [ -n "$join_state" ]; then
    echo "film: the join is ${join_state,,}"
  else
    echo "film: not written (the join did not run: a chunk failed or was cancelled; re-submit)"
  fi
}

action=${1:?submit|task|join|status}
shift
case $action in
  submit | task | join | status) "$action" "$@" ;;
  *) die "slurm.sh: unknown action '$action'" ;;
esac
