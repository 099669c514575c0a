#!/usr/bin/env bash
# Downloads one official Depth-Anything-V2 checkpoint (depth_anything_v2_<name>.pth) from
# Hugging Face into models/ ($S3D_MODELS when set), resumably, and installs it under its final
# name only once its byte size and SHA-256 match the published values in
# models/checkpoints.sha256. `scripts/get-model.sh --help` says everything; the test is
# tests/test_get_model.cpp (against tests/support/range_http_server.py).
set -euo pipefail

PROG="get-model"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TABLE="${S3D_MODEL_TABLE:-$ROOT/models/checkpoints.sha256}"
BASE_URL="${S3D_MODEL_BASE_URL:-https://huggingface.co/depth-anything}"
DEST="${S3D_MODELS:-$ROOT/models}"

say() { echo "$PROG: $*" >&2; }
die() { echo "$PROG: error: $*" >&2; exit 1; }

# The table's rows, without comments: name bytes sha256 licence repository.
table_rows() { awk '!/^[[:space:]]*(#|$)/ && NF >= 5 { print $1, $2, $3, $4, $5 }' "$TABLE"; }

licence_short() {
  case "$1" in
    Apache-2.0) echo "Apache-2.0 (commercial use allowed)" ;;
    CC-BY-NC-4.0) echo "CC-BY-NC-4.0 (non-commercial use only)" ;;
    *) echo "$1" ;;
  esac
}

licence_text() {
  case "$1" in
    Apache-2.0) echo "Apache-2.0: commercial use allowed (https://www.apache.org/licenses/LICENSE-2.0)" ;;
    CC-BY-NC-4.0) echo "CC-BY-NC-4.0: non-commercial use only (https://creativecommons.org/licenses/by-nc/4.0/)" ;;
    *) echo "$1" ;;
  esac
}

usage() {
  cat <<'EOF'
Usage: scripts/get-model.sh [--accept-licence] vits|vitb|vitl

Downloads the official Depth-Anything-V2 checkpoint depth_anything_v2_<name>.pth from
https://huggingface.co/depth-anything/Depth-Anything-V2-{Small,Base,Large} into models/
($S3D_MODELS instead when set: where `s3d-depth --model <name>` looks first). The download goes
to <file>.part; only when its byte size and SHA-256 match the published values in
models/checkpoints.sha256 is it renamed to its final name. A failed or interrupted download is
resumed from the .part file by running the same command again; a file with the wrong SHA-256
is removed, never installed; a good file already there is not downloaded again.

EOF
  if [[ -r $TABLE ]]; then
    table_rows | while read -r n bytes _ lic repo; do
      if [[ $bytes =~ ^[0-9]+$ ]]; then
        printf '  %-5s %7s MB  %-24s %s\n' "$n" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')" "$repo" "$(licence_short "$lic")"
      else
        printf '  %-5s %7s MB  %-24s %s\n' "$n" "?" "$repo" "$(licence_short "$lic")"
      fi
    done
    echo
  fi
  cat <<'EOF'
The licence is printed before downloading: vits is Apache-2.0 (commercial use allowed), vitb
and vitl are CC-BY-NC-4.0 (non-commercial use only). For a non-commercial one the script asks
for "yes" on a terminal; without a terminal it refuses (exit 2) unless --accept-licence is given.

Options:
  --accept-licence     accept the checkpoint's licence without asking (also --accept-license)
  -h, --help           this text

Environment:
  S3D_MODELS           download folder (default: models/ of this checkout)
  S3D_ACCEPT_LICENCE=1 same as --accept-licence
  S3D_MODEL_BASE_URL   another server (a mirror, or the tests' local one) instead of
                       https://huggingface.co/depth-anything; the file is fetched from
                       $S3D_MODEL_BASE_URL/<repository>/resolve/main/depth_anything_v2_<name>.pth
  S3D_MODEL_TABLE      the size/SHA-256 table to check against (default models/checkpoints.sha256)
  S3D_DOWNLOADER       curl or wget (default: curl when installed, else wget)
  S3D_NO_FSYNC=1       do not flush the file to disk before renaming it (scratch runs only)

Exit status: 0 downloaded and verified, or already present; 1 download or verification failed;
2 usage error, or licence not accepted.

Example:
  scripts/get-model.sh vits
EOF
}

usage_error() {
  echo "$PROG: error: $*" >&2
  echo >&2
  usage >&2
  exit 2
}

# --- arguments -------------------------------------------------------------------------------
accept=0
case "${S3D_ACCEPT_LICENCE:-}" in "" | 0 | no | false) ;; *) accept=1 ;; esac
name=""
while (($#)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --accept-licence | --accept-license) accept=1 ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z $name ]] || usage_error "one model at a time: got '$name' and '$1'"
      name="$1"
      ;;
  esac
  shift
done
[[ -n $name ]] || usage_error "no model name given (vits, vitb or vitl)"

[[ -r $TABLE ]] || die "cannot read the checksum table $TABLE"
row="$(table_rows | awk -v n="$name" '$1 == n { print; exit }')"
if [[ -z $row ]]; then
  usage_error "unknown model '$name': expected one of $(table_rows | awk '{ print $1 }' | paste -sd' ') (from $TABLE)"
fi
read -r _ EXP_SIZE EXP_SHA LICENCE REPO <<<"$row"
FILE="depth_anything_v2_${name}.pth"
if [[ ! $EXP_SIZE =~ ^[0-9]+$ || ! $EXP_SHA =~ ^[0-9a-f]{64}$ ]]; then
  die "$TABLE has no published size and SHA-256 for $FILE (size '$EXP_SIZE', SHA-256 '$EXP_SHA'):" \
    "refusing to download a file that cannot be verified"
fi
URL="${BASE_URL%/}/$REPO/resolve/main/$FILE"

case "${S3D_DOWNLOADER:-}" in
  "")
    if command -v curl >/dev/null; then DL=curl
    elif command -v wget >/dev/null; then DL=wget
    else die "downloading $URL needs curl or wget, and neither is installed (apt-get install curl)"
    fi
    ;;
  curl | wget)
    DL="$S3D_DOWNLOADER"
    command -v "$DL" >/dev/null || die "S3D_DOWNLOADER=$DL, but $DL is not installed"
    ;;
  *) usage_error "S3D_DOWNLOADER must be curl or wget, not '$S3D_DOWNLOADER'" ;;
esac

FINAL="$DEST/$FILE"
PART="$FINAL.part"

size_of() { stat -c %s -- "$1"; }
sha_of() { sha256sum <"$1" | cut -d' ' -f1; }

# --- already there? ----------------------------------------------------------------------------
bad_final=0
if [[ -e $FINAL ]]; then
  got_size="$(size_of "$FINAL")"
  if [[ $got_size != "$EXP_SIZE" ]]; then
    say "$FINAL is there but is not the published file: expected $EXP_SIZE bytes, got $got_size"
    bad_final=1
  else
    say "$FINAL is there: checking its SHA-256"
    got_sha="$(sha_of "$FINAL")"
    if [[ $got_sha == "$EXP_SHA" ]]; then
      say "$FINAL: already present, size and SHA-256 verified ($EXP_SIZE bytes, $EXP_SHA); nothing downloaded"
      exit 0
    fi
    say "$FINAL is there but is not the published file: SHA-256 expected $EXP_SHA, got $got_sha"
    bad_final=1
  fi
fi

# --- the licence, before any download ----------------------------------------------------------
say "$FILE is licensed $(licence_text "$LICENCE"); model card: https://huggingface.co/depth-anything/$REPO"
if [[ $LICENCE != Apache-2.0 && $accept != 1 ]]; then
  if [[ -t 0 ]]; then
    answer=""
    read -r -p "$PROG: type 'yes' to accept the $LICENCE licence of $FILE and download it: " answer || echo >&2
    case "$answer" in
      yes | YES | Yes | y | Y) ;;
      *) echo "$PROG: error: the $LICENCE licence of $FILE was not accepted: nothing downloaded" >&2; exit 2 ;;
    esac
  else
    echo "$PROG: error: $FILE is licensed $(licence_short "$LICENCE") and the licence was not" \
      "accepted: stdin is not a terminal to ask, so accept it with --accept-licence" \
      "(or S3D_ACCEPT_LICENCE=1); nothing downloaded" >&2
    exit 2
  fi
fi

# --- the folder, locked against a second run downloading into it at the same time --------------
mkdir -p -- "$DEST" 2>/dev/null || die "cannot create the download folder $DEST"
if command -v flock >/dev/null; then
  exec 9<"$DEST"
  flock -n 9 || die "another get-model.sh is downloading into $DEST (it holds the folder's lock); let it finish"
fi

if ((bad_final)); then
  mv -f -- "$FINAL" "$FINAL.bad"
  say "moved the wrong file aside to $FINAL.bad"
fi

# --- download into .part, resuming what an earlier run left ------------------------------------
have=0
if [[ -e $PART ]]; then
  have="$(size_of "$PART")"
  if ((have > EXP_SIZE)); then
    say "$PART is $have bytes, more than the $EXP_SIZE expected: discarding it and starting over"
    rm -f -- "$PART"
    have=0
  elif ((have > 0 && have < EXP_SIZE)); then
    say "resuming $PART from byte $have of $EXP_SIZE"
  fi
fi

fetch() {
  local progress=()
  if [[ $DL == curl ]]; then
    if [[ -t 2 ]]; then progress=(--progress-bar); else progress=(--silent --show-error); fi
    curl --fail --location "${progress[@]}" --continue-at - --output "$PART" "$URL"
  else
    if [[ -t 2 ]]; then progress=(--quiet --show-progress); else progress=(--quiet); fi
    wget "${progress[@]}" --tries=1 --continue --output-document="$PART" "$URL"
  fi
}

if ((have < EXP_SIZE)); then
  say "downloading $URL ($EXP_SIZE bytes) with $DL into $PART"
  rc=0
  fetch || rc=$?
  if [[ $DL == curl && $rc == 33 ]]; then  # the server cannot resume (no Range support)
    say "$URL cannot be resumed (the server ignores ranges): starting over from byte 0"
    rm -f -- "$PART"
    rc=0
    fetch || rc=$?
  fi
  if ((rc != 0)); then
    have=0
    [[ -e $PART ]] && have="$(size_of "$PART")"
    ((have > 0)) || rm -f -- "$PART"
    die "downloading $URL failed ($DL exit status $rc) with $have of $EXP_SIZE bytes in $PART;" \
      "nothing installed as $FINAL: run the same command again to resume"
  fi
fi

# --- verify, then install under the final name -------------------------------------------------
[[ -e $PART ]] || die "downloading $URL left no $PART: nothing installed as $FINAL"
have="$(size_of "$PART")"
if ((have < EXP_SIZE)); then
  die "$PART is $have bytes, expected $EXP_SIZE: the download of $URL stopped early;" \
    "nothing installed as $FINAL: run the same command again to resume"
fi
if ((have > EXP_SIZE)); then
  rm -f -- "$PART"
  die "$URL gave $have bytes, expected $EXP_SIZE: not the published $FILE; removed $PART," \
    "nothing installed as $FINAL"
fi
say "checking the SHA-256 of $PART"
got_sha="$(sha_of "$PART")"
if [[ $got_sha != "$EXP_SHA" ]]; then
  rm -f -- "$PART"
  die "SHA-256 mismatch for $FILE from $URL: expected $EXP_SHA, got $got_sha;" \
    "removed the download $PART, nothing installed as $FINAL"
fi
if [[ ${S3D_NO_FSYNC:-0} != 1 ]]; then
  sync --data -- "$PART" 2>/dev/null || sync
fi
mv -f -- "$PART" "$FINAL"
say "$FINAL: downloaded, size and SHA-256 verified ($EXP_SIZE bytes, $EXP_SHA)"
