#!/usr/bin/env bash
# A preview of a few frames, made by the run's own tools with the run's own parameters, to
# see the 3D before the overnight run (make ... preview; docs/preview.md). For each frame:
#   depth:  the run's kept depth (WORK/depth/<chunk>/, when its .params are the wanted ones and
#           the frame is done), else the chain's s3d-depth command on that frame alone
#           (--range t:t+1) into WORK/preview/depth/ (kept there for the next preview; the
#           window normalization estimates the frames before t itself, so the depth is the
#           run's);
#   frame:  s3d-extract, the frame-exact grid s3d-depth and s3d-parallax --video decode;
#   eyes:   s3d-parallax with the run's view parameters (METHOD, PARALLAX, CONVERGENCE,
#           KEEP_BARS), into a frame store; the wiggle's in-between views the same at smaller
#           parallaxes (PREVIEW_VIEWS);
#   packed: the chain's s3d-parallax command itself (--out - --pack FORMAT ...), one frame;
# then s3d-preview makes the pictures, the contact sheet and the page from those.
# Usage: preview.sh SOURCE_PARAMS DEPTH_PARAMS   (the stamps the run would write, written by
# the Makefile into WORK/preview/params/: WORK/params is never touched, so a preview with
# other parameters redoes nothing of the run's)
set -euo pipefail
source_params=$1
depth_params=$2
root=$S3D_WORK/preview
fail() {
  echo "s3d: preview: $*" >&2
  exit 2
}

[ -x "$S3D_BIN/s3d-preview" ] || fail "no s3d-preview in '$S3D_BIN': rebuild s3d (scripts/setup.sh), or set BIN"

# ---- the frames: PREVIEW_TIMES (seconds) or PREVIEW_FRAMES spread evenly, never the very first
# ---- or last frame (fades, black)
frames=()
if [ -n "${S3D_PREVIEW_TIMES:-}" ]; then
  for t in ${S3D_PREVIEW_TIMES//,/ }; do
    [[ $t =~ ^[0-9]+([.][0-9]*)?$ ]] || fail "PREVIEW_TIMES '$S3D_PREVIEW_TIMES': expected seconds such as '12 47.5 90', got '$t'"
    i=$(awk -v t="$t" -v r="$S3D_FPS" 'BEGIN { n = split(r, q, "/"); if (n < 2) q[2] = 1; printf "%d", t * q[1] / q[2] + 1e-9 }')
    ((i < S3D_FRAMES)) || fail "PREVIEW_TIMES: $t s is frame $i, past the end of '$S3D_INPUT' ($S3D_FRAMES frames at $S3D_FPS fps)"
    frames+=("$i")
  done
else
  n=${S3D_PREVIEW_FRAMES:-5}
  [[ $n =~ ^[1-9][0-9]{0,2}$ ]] || fail "PREVIEW_FRAMES '$n': expected a whole number of frames, 1..999"
  for ((k = 1; k <= n; ++k)); do frames+=($((k * S3D_FRAMES / (n + 1)))); done
fi
mapfile -t frames < <(printf '%s\n' "${frames[@]}" | sort -n -u)
views_n=${S3D_PREVIEW_VIEWS:-2}
[[ $views_n =~ ^([2-9]|1[0-5])$ ]] || fail "PREVIEW_VIEWS '$views_n': expected 2..15 views in the wiggle GIF"

# ---- what the depth must have been made with to be reused: exactly chunk-segment.sh's `want`
want=$(
  echo "DEPTH_FORMAT=field"
  cat "$source_params" "$depth_params"
)
# The wiggle's in-between parallaxes, outermost first: the view at a fraction a of the way from
# the left eye to the right one is shifted by (1 - 2a) s, i.e. an eye at parallax (1 - 2a) PARALLAX.
inner=()
for ((k = 1; k <= (views_n - 2) / 2; ++k)); do
  inner+=("$(awk -v p="$S3D_PARALLAX" -v n="$views_n" -v k="$k" 'BEGIN { printf "%.6g", p * (n - 1 - 2 * k) / (n - 1) }')")
done

params=$(
  printf 'INPUT=%s\n' "$S3D_INPUT"
  printf 'FRAMES=%s\n' "${frames[*]}"
  printf 'FPS=%s\n' "$S3D_FPS"
  printf 'MODEL=%s\nNORMALIZE=%s\n' "$S3D_MODEL" "$S3D_NORMALIZE"
  printf 'METHOD=%s\nPARALLAX=%s\nCONVERGENCE=%s\nKEEP_BARS=%s\n' "$S3D_METHOD" "$S3D_PARALLAX" "$S3D_CONVERGENCE" "$S3D_KEEP_BARS"
  printf 'FORMAT=%s\nORDER=%s\nSQUEEZE=%s\n' "$S3D_FORMAT" "$S3D_ORDER" "$S3D_SQUEEZE"
  if [ -n "$S3D_PAD" ]; then printf 'PAD=%s\n' "$S3D_PAD"; fi
  if [ "$S3D_FORMAT" = vr180 ]; then printf 'VR_FOV=%s\nVR_SIZE=%s\n' "$S3D_VR_FOV" "$S3D_VR_SIZE"; fi
  printf 'PREVIEW_VIEWS=%s\n' "$views_n${inner[*]:+ (in between: parallax ${inner[*]})}"
  printf 'PREVIEW_GIF_FPS=%s\nPREVIEW_GIF_WIDTH=%s\n' "$S3D_PREVIEW_GIF_FPS" "$S3D_PREVIEW_GIF_WIDTH"
)
# PREVIEW_OUT's default: one folder per set of parameters, named by the ones people change
# and a hash of all of them (the source and chunking included), so settings sit side by side.
if [ -z "${S3D_PREVIEW_OUT:-}" ]; then
  model=$(basename -- "$S3D_MODEL" .pth | sed 's/[^A-Za-z0-9._-]/_/g')
  hash=$(printf '%s\n%s\n' "$want" "$params" | md5sum | cut -c1-8)
  S3D_PREVIEW_OUT=$root/$model-$S3D_METHOD-p$S3D_PARALLAX-c$S3D_CONVERGENCE-$hash
fi
out=$S3D_PREVIEW_OUT
if [ "$out" -ef "$root" ] || [ "$out" -ef "$S3D_WORK" ]; then fail "PREVIEW_OUT '$out' is the work folder's own: give a folder of its own"; fi
# A preview folder is remade whole (its pictures are cheap); a folder that is not one is never touched.
if [ -e "$out" ] && [ ! -f "$out/.s3d-preview" ] && [ -n "$(ls -A -- "$out" 2>/dev/null)" ]; then
  fail "PREVIEW_OUT '$out' exists and is not a preview folder: give a new or empty folder"
fi
mkdir -p -- "$out"
touch -- "$out/.s3d-preview"
rm -rf -- "$out"/{colormap,pair,anaglyph,wiggle,packed,views,views-*,depth,.streams,.notes} "$out/log.txt" "$out/timing.tsv"
mkdir -p -- "$out"/{frames,depth,views,.streams}
# Frames of another frame list are not this preview's.
for f in "$out"/frames/*.png; do
  [ -e "$f" ] || continue
  keep=0
  for i in "${frames[@]}"; do if [ "$(basename "$f")" = "$(printf '%06d.png' "$i")" ]; then keep=1; fi; done
  if [ "$keep" = 0 ]; then rm -f -- "$f"; fi
done
log=$out/log.txt
commands=$out/commands.sh
printf '# The commands this preview ran (%s)\n' "$(date '+%Y-%m-%d %H:%M:%S')" >"$commands"
printf '%s\n' "$params" >"$out/params.txt"

# run CMD ARGS...: runs one tool with its stderr in the preview's log, recording the command;
# on failure says which tool failed and shows the log's tail.
run() {
  local start=$EPOCHREALTIME
  printf '%q ' "$@" >>"$commands"
  echo >>"$commands"
  if ! "$@" 2>>"$log"; then
    echo "s3d: preview failed: $(basename "$1") (log: $log)" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  printf '%s\t%s\n' "$(basename "$1")" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')" >>"$out/timing.tsv"
}

# ---- the chain's commands (as chunk-segment.sh builds them), for one frame t
model=()
if [ "$S3D_MODEL" != auto ]; then model=(--model "$S3D_MODEL"); fi
pad=()
if [ -n "$S3D_PAD" ]; then pad=(--pad "$S3D_PAD"); fi
vr=()
if [ "$S3D_FORMAT" = vr180 ]; then vr=(--vr-fov "$S3D_VR_FOV" --vr-size "$S3D_VR_SIZE"); fi
preview_depth=$root/depth
printf '%s\n' "$want" >"$root/depth.want"
if ! cmp -s "$root/depth.want" "$preview_depth/.params"; then
  rm -rf "$preview_depth"
  mkdir -p "$preview_depth"
  cp "$root/depth.want" "$preview_depth/.params"
fi
rm -f "$root/depth.want"

# preview_frame T: frame T's depth, frame, eyes and packed frame (in a subshell of its own: the
# frames are made two at a time, each with its own log, command list and depth note).
preview_frame() {
  local t=$1 name chunk kept depth_dir k
  name=$(printf '%06d' "$t")
  log=$notes/$name.log commands=$notes/$name.commands
  chunk=$(printf '%04d' $((t / S3D_CHUNK)))
  kept=$S3D_WORK/depth/$chunk
  if [ -f "$kept/$name.json" ] && [ -f "$kept/$name.png" ] && [ "$want" = "$(cat "$kept/.params" 2>/dev/null)" ]; then
    depth_dir=$kept
    echo "kept by the run" >"$notes/$name.depth"
  else
    depth_dir=$preview_depth
    if [ -f "$depth_dir/$name.json" ] && [ -f "$depth_dir/$name.png" ]; then
      echo "estimated by an earlier preview" >"$notes/$name.depth"
    else
      run "$S3D_BIN/s3d-depth" --video "$S3D_INPUT" --fps "$S3D_FPS" --range "$t:$((t + 1))" --out "$depth_dir" \
        --format field "${model[@]}" --normalize "$S3D_NORMALIZE" --threads "$S3D_THREADS" --quiet
      echo "estimated now" >"$notes/$name.depth"
    fi
  fi
  cp -p "$depth_dir/$name.png" "$depth_dir/$name.json" "$out/depth/"
  if [ ! -f "$out/frames/$name.png" ]; then
    run "$S3D_BIN/s3d-extract" "$S3D_INPUT" --fps "$S3D_FPS" --range "$t:$((t + 1))" --out "$out/frames" \
      --threads "$S3D_THREADS" --quiet
  fi
  local eyes=("$S3D_BIN/s3d-parallax" --frames "$out/frames" --depth "$depth_dir" --range "$t:$((t + 1))" --method "$S3D_METHOD"
    --convergence "$S3D_CONVERGENCE" --keep-bars "$S3D_KEEP_BARS" --threads "$S3D_THREADS" --quiet)
  run "${eyes[@]}" --parallax "$S3D_PARALLAX" --out "$out/views"
  for ((k = 0; k < ${#inner[@]}; ++k)); do
    run "${eyes[@]}" --parallax "${inner[k]}" --out "$out/views-$((k + 1))"
  done
  # The packed frame as the film carries it: chunk-segment.sh's s3d-parallax command, this frame.
  local views=("$S3D_BIN/s3d-parallax" --depth "$depth_dir" --range "$t:$((t + 1))" --out - --method "$S3D_METHOD"
    --parallax "$S3D_PARALLAX" --convergence "$S3D_CONVERGENCE" --keep-bars "$S3D_KEEP_BARS" --pack "$S3D_FORMAT" --order "$S3D_ORDER" "${pad[@]}"
    "${vr[@]}" --squeeze "$S3D_SQUEEZE" --threads "$S3D_THREADS" --quiet)
  run "${views[@]}" --frames "$out/frames" >"$out/.streams/$name.frames"
}

notes=$out/.notes
mkdir -p "$notes"
jobs=$(nproc)
if ((jobs > 2)); then jobs=2; fi
pids=()
for t in "${frames[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  preview_frame "$t" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
log=$out/log.txt commands=$out/commands.sh
cat "$notes"/*.log >>"$log" 2>/dev/null || true
cat "$notes"/*.commands >>"$commands" 2>/dev/null || true
if [ "$failed" = 1 ]; then exit 1; fi
# DEPTH=kept by the run: 28 57; estimated now: 85 (where each frame's depth came from)
depth_list=$(for f in "$notes"/*.depth; do printf '%s\t%d\n' "$(cat "$f")" "$((10#$(basename "$f" .depth)))"; done |
  awk -F'\t' '{ if (!($1 in seen)) { order[++n] = $1; seen[$1] = 1 } list[$1] = list[$1] " " $2 }
    END { for (i = 1; i <= n; ++i) printf "%s%s:%s", (i > 1 ? "; " : ""), order[i], list[order[i]] }')
printf 'DEPTH=%s\n' "$depth_list" >>"$out/params.txt"

inner_dirs=()
for ((k = 1; k <= ${#inner[@]}; ++k)); do inner_dirs+=("$out/views-$k"); done
run "$S3D_BIN/s3d-preview" --frames "$out/frames" --depth "$out/depth" --views "$out/views" --out "$out" \
  --packed "$out/.streams" --params "$out/params.txt" --commands "$commands" --wiggle-views "$views_n" \
  --gif-fps "$S3D_PREVIEW_GIF_FPS" --gif-width "$S3D_PREVIEW_GIF_WIDTH" --parallax "$S3D_PARALLAX" \
  --convergence "$S3D_CONVERGENCE" --keep-bars "$S3D_KEEP_BARS" --fps "$S3D_FPS" \
  --title "s3d preview of $(basename -- "$S3D_INPUT")" --threads "$S3D_THREADS" --quiet \
  ${inner_dirs[@]:+--inner-views "${inner_dirs[@]}"}
rm -rf "$out/.streams" "$notes"

# WORK/preview/index.html: every preview of this work folder, to compare settings.
if [ "$(dirname -- "$out")" -ef "$root" ]; then
  esc() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }
  {
    echo '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>s3d previews</title>'
    echo '<style>body { background: #181818; color: #ddd; font: 14px sans-serif; } a { color: #8cf; }'
    echo 'td { padding: 2px 8px; font-family: monospace; vertical-align: top; }</style></head><body>'
    echo '<h1>s3d previews</h1><table>'
    for d in "$root"/*/; do
      if [ ! -f "$d/index.html" ] || [ ! -f "$d/params.txt" ]; then continue; fi
      printf '<tr><td><a href="%s/index.html">%s</a></td><td>%s</td></tr>\n' "$(basename "$d" | esc)" \
        "$(basename "$d" | esc)" "$(grep -v '^INPUT=\|^DEPTH=' "$d/params.txt" | tr '\n' ' ' | esc)"
    done
    echo '</table></body></html>'
  } >"$root/.index.html.tmp"
  mv "$root/.index.html.tmp" "$root/index.html"
fi
echo "s3d: preview of ${#frames[@]} frame(s) in $out (index.html, contact-sheet.png)" >&2
