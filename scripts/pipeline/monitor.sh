#!/usr/bin/env bash
# The whole run's progress while make runs, from WORK/progress/ (each chunk's s3d-encode
# keeps "<chunk>.now" = frames encoded so far; a finished chunk leaves "<chunk>" = the hash
# of the parameters it was made with, so segments of other parameters never count):
#   s3d: 2410/172800 frames (2/173 chunks)  24.9 fps  ETA 1:54:02
# On a terminal the line is redrawn every second; otherwise one line every
# S3D_PROGRESS_EVERY seconds (default 60: an overnight log stays short). Once, after the
# first chunk of the run: the estimate for the whole film. On SIGTERM (make has finished):
# the closing line. Usage: monitor.sh   (environment: S3D_WORK, S3D_CHUNK)
set -uo pipefail
work=$S3D_WORK
every=${S3D_PROGRESS_EVERY:-60}
tty=false
if [ -t 2 ]; then tty=true; fi
began=$EPOCHREALTIME  # when this run started: chunks finished before then are not its work
seen=false            # whether a chain of this run has been seen running
estimated=false last_print=0
frames=0 nchunks=0 done=0 done_chunks=0 active=0 baseline=0 new_chunks=0 sleeper=

duration() { awk -v s="$1" 'BEGIN { if (s < 0) { print "?:??:??"; exit } s = int(s + 0.5); printf "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60 }'; }

# Sets frames nchunks done done_chunks active, and baseline / new_chunks: the frames done
# before this run (chunks finished earlier) and the chunks this run finished.
measure() {
  frames=$(awk '$1 == "S3D_FRAMES" { print $3 }' "$work/probe.mk" 2>/dev/null)
  frames=${frames:-0}
  ((frames > 0)) || return 1
  nchunks=$(((frames + S3D_CHUNK - 1) / S3D_CHUNK))
  local hash c size file d rest
  hash=$(cat "$work"/params/{source,depth,views,pack,encode}.params 2>/dev/null | md5sum | cut -c1-32)
  done=0 done_chunks=0 active=0 baseline=0 new_chunks=0
  for ((c = 0; c < nchunks; ++c)); do
    size=$((frames - c * S3D_CHUNK < S3D_CHUNK ? frames - c * S3D_CHUNK : S3D_CHUNK))
    printf -v file '%s/progress/%04d' "$work" "$c"
    if [ -f "$file" ] && [ "$(cat "$file" 2>/dev/null)" = "$hash" ]; then
      done=$((done + size)) done_chunks=$((done_chunks + 1))
      if awk -v t="$(stat -c %.9Y "$file" 2>/dev/null)" -v b="$began" 'BEGIN { exit !(t < b) }'; then
        baseline=$((baseline + size))
      else
        new_chunks=$((new_chunks + 1))
      fi
    elif [ -f "$file.now" ] && read -r d rest <"$file.now" 2>/dev/null && [[ $d =~ ^[0-9]+$ ]]; then
      done=$((done + (d < size ? d : size))) active=$((active + 1))
    fi
  done
}

rate() { awk -v d="$((done - baseline))" -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN { t = b - a; printf "%.1f", (t > 0 ? d / t : 0) }'; }

line() {
  local fps eta
  fps=$(rate)
  eta=$(awk -v f="$fps" -v left="$((frames - done))" 'BEGIN { print (f > 0 ? left / f : -1) }')
  printf 's3d: %d/%d frames (%d/%d chunks)  %s fps  ETA %s' "$done" "$frames" "$done_chunks" "$nchunks" "$fps" \
    "$(duration "$eta")"
}

finish() {
  kill "$sleeper" 2>/dev/null  # the run waits for whatever holds its stderr
  if measure && ! $seen && ((new_chunks == 0)); then  # nothing ran
    printf 's3d: %d/%d frames (%d/%d chunks)\n' "$done" "$frames" "$done_chunks" "$nchunks" >&2
  elif measure; then
    local elapsed
    elapsed=$(awk -v a="$began" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    if $tty; then printf '\r\033[K' >&2; fi
    printf 's3d: %d/%d frames (%d/%d chunks), %d this run in %s (%s fps)\n' "$done" "$frames" "$done_chunks" \
      "$nchunks" "$((done - baseline))" "$(duration "$elapsed")" "$(rate)" >&2
  fi
  exit 0
}
trap finish TERM

parent=$PPID
while kill -0 "$parent" 2>/dev/null; do  # the run went away without telling: so do we
  sleep 1 &
  sleeper=$!
  wait $sleeper
  measure || continue
  if ! $seen; then
    ((active > 0 || new_chunks > 0)) || continue  # nothing runs yet (or nothing to do)
    seen=true
  fi
  if ! $estimated && ((new_chunks > 0 && done < frames)); then
    estimated=true
    if $tty; then printf '\r\033[K' >&2; fi
    fps=$(rate)
    printf 's3d: estimate after the first chunk: %s fps, the remaining %d frames need about %s\n' "$fps" \
      "$((frames - done))" "$(duration "$(awk -v f="$fps" -v l="$((frames - done))" 'BEGIN { print (f > 0 ? l / f : -1) }')")" >&2
  fi
  now=${EPOCHREALTIME%.*}
  if $tty; then
    printf '\r%s\033[K' "$(line)" >&2
  elif ((now - last_print >= every)); then
    last_print=$now
    printf '%s\n' "$(line)" >&2
  fi
done
