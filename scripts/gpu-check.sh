#!/usr/bin/env bash
# The GPU check: s3d-depth built against the GPU machine's own PyTorch and run on its GPU.
#
#   scripts/gpu-check.sh --prepare    here (Debian 12 after scripts/setup.sh): builds the kit,
#                                     build-gpukit/ (< 64 MiB, git-ignored), of what the GPU
#                                     machine lacks: a static OpenCV 4.6 (core, imgproc,
#                                     imgcodecs with PNG only, photo; built from PyPI's
#                                     opencv-python-headless source, checksum pinned), the
#                                     cxxopts, Catch2 and libdeflate files of Debian's packages,
#                                     and a copy of ../shared/golden/dav2-tiny.
#   scripts/gpu-check.sh              there: a machine with an NVIDIA GPU whose python3 has
#                                     torch with CUDA, CMake and a C++ compiler; no internet,
#                                     no OpenCV development files needed. With the kit beside
#                                     the checkout (the device tool: carry build-gpukit), in
#                                     about 8 minutes: builds s3d-depth and the two DA-V2 test
#                                     programs against that torch, runs the golden tests on
#                                     CUDA (fp32 within 1e-3 of the reference, fp16/bf16 within
#                                     their stated tolerance), then prints the table: vits, vitb,
#                                     vitl random-weight checkpoints, 1080p frames, batch 1/4/8,
#                                     fp32/fp16: frames/s of the model alone (s3d-depth
#                                     --benchmark) and of s3d-depth end to end (PNG in, 16-bit
#                                     PNG out), and peak GPU memory (nvidia-smi).
#   scripts/gpu-check.sh --dry-run    the same on a machine without a GPU (CPU, small network
#                                     input, vits only, fp32/bf16, batch 1/2): checks the
#                                     script, the kit and the build, not the speed.
# Environment: S3D_GPU_PYTHON (default python3: the one with torch), S3D_GPUKIT (default
# build-gpukit), OUT (where the table and logs are also written, if set).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kit=${S3D_GPUKIT:-$root/build-gpukit}
mode=${1:-check}

# The OpenCV source: PyPI's sdist of opencv-python-headless 4.6.0.66 (OpenCV 4.6.0, Debian 12's).
OPENCV_URL=https://files.pythonhosted.org/packages/fe/5d/f99eb2182c6f7bf9647babe6f86f5e397f6be07a2035bbdf272e7cb16cd4/opencv-python-headless-4.6.0.66.tar.gz
OPENCV_SHA256=d5291d7e10aa2c19cab6fd86f0d61af8617290ecd2d7ffcb051e446868d04cc5

say() { echo "gpu-check: $*" >&2; }
die() {
  say "$*"
  exit 1
}

prepare() {
  local src=$root/build-gpukit-src
  mkdir -p "$src" "$kit"
  if [ ! -d "$src/opencv" ]; then
    local tarball=$src/opencv.tar.gz
    if [ ! -s "$tarball" ] || ! echo "$OPENCV_SHA256  $tarball" | sha256sum -c --quiet 2>/dev/null; then
      say "downloading the OpenCV 4.6.0 source (90 MB)"
      curl -fsSL -o "$tarball.part" "$OPENCV_URL"
      mv "$tarball.part" "$tarball"
    fi
    echo "$OPENCV_SHA256  $tarball" | sha256sum -c --quiet || die "$tarball: wrong SHA-256 (expected $OPENCV_SHA256)"
    tar -xzf "$tarball" -C "$src" --strip-components=1 opencv-python-headless-4.6.0.66/opencv
  fi
  if [ ! -f "$kit/opencv/lib/cmake/opencv4/OpenCVConfig.cmake" ]; then
    say "building a static OpenCV (core, imgproc, imgcodecs/PNG, photo) into $kit/opencv"
    # AVX2 as the baseline and no run-time dispatch: small, and fast on any GPU server.
    cmake -S "$src/opencv" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$kit/opencv" \
      -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_LIST=core,imgproc,imgcodecs,photo \
      -DCPU_BASELINE=AVX2 -DCPU_DISPATCH= -DWITH_PNG=ON -DBUILD_PNG=ON -DBUILD_ZLIB=ON -DWITH_JPEG=OFF \
      -DWITH_TIFF=OFF -DWITH_WEBP=OFF -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF -DWITH_OPENEXR=OFF -DWITH_IMGCODEC_HDR=OFF \
      -DWITH_IMGCODEC_SUNRASTER=OFF -DWITH_IMGCODEC_PXM=OFF -DWITH_IMGCODEC_PFM=OFF -DWITH_GDAL=OFF -DWITH_GDCM=OFF \
      -DWITH_IPP=OFF -DWITH_ITT=OFF -DWITH_OPENCL=OFF -DWITH_LAPACK=OFF -DWITH_EIGEN=OFF -DWITH_PROTOBUF=OFF \
      -DWITH_ADE=OFF -DWITH_QUIRC=OFF -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_V4L=OFF -DWITH_GTK=OFF \
      -DWITH_TBB=OFF -DWITH_OPENMP=OFF -DWITH_PTHREADS_PF=ON -DWITH_VA=OFF -DWITH_1394=OFF -DBUILD_TESTS=OFF \
      -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF \
      -DOPENCV_GENERATE_PKGCONFIG=OFF -DINSTALL_C_EXAMPLES=OFF -DOPENCV_SKIP_PYTHON_LOADER=ON >"$src/configure.log"
    cmake --build "$src/build" -j"$(nproc)" >"$src/build.log"
    cmake --install "$src/build" >/dev/null
    rm -rf "$kit/opencv/share" "$kit/opencv/bin"
  fi
  # cxxopts, Catch2 (header-only, relocatable CMake configs) and libdeflate from Debian.
  local p=$kit/prefix
  mkdir -p "$p/include" "$p/lib/cmake"
  cp /usr/include/cxxopts.hpp /usr/include/libdeflate.h "$p/include/"
  cp -r /usr/include/catch2 "$p/include/"
  cp -r /usr/lib/cmake/cxxopts /usr/lib/cmake/Catch2 "$p/lib/cmake/"
  cp "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libdeflate.a" /usr/lib/libCatch2WithMain.a "$p/lib/"
  # The golden data the DA-V2 tests read (../shared does not travel to the GPU machine).
  [ -d "$root/../shared/golden/dav2-tiny" ] || die "../shared/golden/dav2-tiny is missing beside the checkout"
  mkdir -p "$kit/shared/golden"
  cp -r "$root/../shared/golden/dav2-tiny" "$kit/shared/golden/"
  say "kit ready: $kit ($(du -sh "$kit" | cut -f1)); carry it with the checkout (device: carry build-gpukit)"
}

# The end-to-end rate: frames/s of s3d-depth over frames B..N (the first batch, which pays for
# the model's load, subtracted), and peak GPU memory during the run (MiB, nvidia-smi).
peak_mib=0
gpu_memory_watch() {  # FILE: polls memory.used into FILE until killed
  while :; do
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null | head -n 1 >>"$1" || true
    sleep 0.1
  done
}

check() {
  local dry=$1
  local py=${S3D_GPU_PYTHON:-python3}
  if [ ! -d "$kit/opencv" ] || [ ! -d "$kit/prefix" ]; then die "no kit at $kit: run scripts/gpu-check.sh --prepare where Debian's packages are, and carry build-gpukit"; fi
  local out=${OUT:-}
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/s3d-gpu-check.XXXXXX")
  local log=$work/log.txt
  local torch_info
  torch_info=$("$py" -c 'import torch; print(torch.__version__, torch.version.cuda, int(torch.cuda.is_available()), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-")' 2>/dev/null) ||
    die "$py has no torch (S3D_GPU_PYTHON names another python)"
  read -r torch_version cuda_version has_gpu gpu_name <<<"$torch_info"
  say "torch $torch_version (CUDA $cuda_version), GPU: $gpu_name"
  if [ "$has_gpu" != 1 ] && [ "$dry" != 1 ]; then die "torch sees no CUDA device: this is a GPU check (--dry-run checks the script on a CPU)"; fi

  # ---- build: s3d-depth and the DA-V2 tests, against this torch and the kit ----------------
  local prefix
  prefix=$("$py" -c 'import os, torch.utils; p = torch.utils.cmake_prefix_path; print(p + ";" + os.path.dirname(os.path.dirname(p)))' 2>/dev/null)
  local build=$work/build generator=()
  if command -v ninja >/dev/null; then generator=(-G Ninja); fi
  local t0=$SECONDS
  say "building (log: $log)"
  local launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$root" -B "$build" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_PREFIX_PATH=$kit/prefix;$kit/opencv;$prefix" "-DOpenCV_DIR=$kit/opencv/lib/cmake/opencv4" \
    "-DLIBDEFLATE_LIBRARY=$kit/prefix/lib/libdeflate.a" "-DLIBDEFLATE_INCLUDE_DIR=$kit/prefix/include" \
    >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "cmake failed"; }
  cmake --build "$build" -j"$(nproc)" --target s3d-depth test_dav2_golden test_dav2_estimator >>"$log" 2>&1 ||
    { grep -E "error|Error" "$log" | head -n 30 >&2; die "the build failed (log: $log)"; }
  local bin=$build/bin
  say "built in $((SECONDS - t0)) s: $("$bin/s3d-depth" --version)"

  # ---- the golden tests: on CUDA when there is a GPU (each prints its own result) ----------
  local tests_ok=1
  for t in test_dav2_golden test_dav2_estimator; do
    if S3D_SHARED_DIR=$kit/shared S3D_REQUIRE_SHARED=1 "$bin/$t" >>"$log" 2>&1; then
      say "$t: passed"
    else
      local rc=$?
      if [ "$rc" = 77 ]; then say "$t: passed, some cases skipped (see $log)"; else tests_ok=0 && say "$t: FAILED (see $log)"; fi
    fi
  done
  grep -E "SKIPPED|FAILED|failed|passed" "$log" | grep -E "test cases|SKIPPED" >&2 || true

  # ---- the table ---------------------------------------------------------------------------
  local device=cuda encoders="vits vitb vitl" precisions="fp32 fp16" batches="1 4 8" frames=32 size=518 reps=10
  if [ "$dry" = 1 ]; then device=cpu encoders=vits precisions="fp32 bf16" batches="1 2" frames=8 size=140 reps=2; fi
  local img_py=$py
  "$img_py" -c 'import cv2' 2>/dev/null || img_py=/usr/bin/python3
  "$img_py" - "$work/frames" "$frames" <<'PY'
import os, sys, numpy as np, cv2
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
y, x = np.mgrid[0:1080, 0:1920].astype(np.float32)
for i in range(n):
    base = 128 + 60 * np.sin(x / 40.0 + i / 3.0) * np.cos(y / 55.0) + 40 * (y / 1080.0)
    img = np.dstack([base, base[:, ::-1], 255 - base]) + rng.normal(0, 6, (1080, 1920, 3))
    cv2.imwrite(os.path.join(out, "%06d.png" % i), np.clip(img, 0, 255).astype(np.uint8))
PY
  local table=$work/table.txt
  {
    echo "s3d-depth GPU check: $("$bin/s3d-depth" --version | head -n 1)"
    echo "torch $torch_version, CUDA $cuda_version, device $device ($gpu_name), $frames frames of 1920x1080, network input short side $size"
    printf '%-6s %-5s %5s %12s %14s %14s\n' model prec batch "model fps" "end-to-end fps" "peak GPU MiB"
    echo "(model: s3d-depth --benchmark, the estimator alone; end to end: PNG in, 16-bit PNG out, frames"
    echo " after the first batch; GPU memory: nvidia-smi's memory.used of the whole GPU, polled every 0.1 s)"
  } >"$table"
  local enc prec batch
  for enc in $encoders; do
    "$bin/s3d-depth" --write-random-checkpoint "$enc" --out "$work/$enc.pth" --quiet
    for prec in $precisions; do
      for batch in $batches; do
        local common=(--frames "$work/frames" --model "$work/$enc.pth" --device "$device" --precision "$prec"
          --batch "$batch" --input-size "$size" --threads "$(nproc)" --quiet)
        local model_fps
        model_fps=$("$bin/s3d-depth" "${common[@]}" --benchmark "$reps" 2>>"$log" | awk '{ print $2 }') || model_fps=failed
        local mem=$work/mem.txt
        : >"$mem"
        local watcher=
        if command -v nvidia-smi >/dev/null; then
          gpu_memory_watch "$mem" &
          watcher=$!
        fi
        # One batch, then every frame: their difference is the steady rate, the load excluded.
        local a b c e2e=
        a=$EPOCHREALTIME
        "$bin/s3d-depth" "${common[@]}" --out "$work/depth1" --range "0:$batch" --force 2>>"$log" || e2e=failed
        b=$EPOCHREALTIME
        "$bin/s3d-depth" "${common[@]}" --out "$work/depthN" --range "0:$frames" --force 2>>"$log" || e2e=failed
        c=$EPOCHREALTIME
        if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null || true; fi
        if [ "$e2e" != failed ]; then
          e2e=$(awk -v n="$((frames - batch))" -v a="$a" -v b="$b" -v c="$c" 'BEGIN { printf "%.2f", n / ((c - b) - (b - a)) }')
        fi
        peak_mib=$(sort -n "$mem" | tail -n 1)
        printf '%-6s %-5s %5s %12.2f %14s %14s\n' "$enc" "$prec" "$batch" "${model_fps/failed/0}" "$e2e" "${peak_mib:--}" >>"$table"
      done
    done
    rm -f "$work/$enc.pth"
  done
  echo "golden tests on $device: $([ "$tests_ok" = 1 ] && echo passed || echo FAILED)" >>"$table"
  cat "$table"
  if [ -n "$out" ]; then cp "$table" "$log" "$out/" 2>/dev/null || true; fi
  rm -rf "$work/frames" "$work/depth1" "$work/depthN"
  [ "$tests_ok" = 1 ]
}

case $mode in
  --prepare) prepare ;;
  --dry-run) check 1 ;;
  check) check 0 ;;
  *) die "usage: gpu-check.sh [--prepare | --dry-run]" ;;
esac
