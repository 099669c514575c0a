#!/usr/bin/env bash
# Sets up s3d on Debian 12: installs exactly the Debian packages it needs (only the missing
# ones, so re-running is cheap), makes OpenBLAS the system BLAS, and builds into build/
# (through ccache, so a rebuild after a small change takes seconds).
#   scripts/setup.sh            install + build
#   scripts/setup.sh --no-build install only
#   scripts/setup.sh --cuda     install + a second build, build-cuda/, against a current
#                               LibTorch 2.x with CUDA: PyPI's torch wheel (pinned below,
#                               S3D_TORCH_VERSION overrides) in the virtual environment
#                               build-cuda/venv. It runs on a CPU-only machine too (no GPU
#                               used); LibTorch given by CMAKE_PREFIX_PATH works the same way.
# S3D_BUILD_DIR sets the build folder; S3D_CMAKE_ARGS adds CMake options (e.g. -DS3D_WITH_TORCH=OFF).
# Needs root (or sudo) only when something is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${S3D_BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  build-essential cmake make pkg-config   # toolchain
  libopencv-dev                           # image I/O and processing (4.6)
  libtorch-dev                            # LibTorch 1.13, CPU (Depth-Anything-V2)
  libopenblas0-pthread                    # fast BLAS: Debian's default reference BLAS is ~18x slower
  libdeflate-dev                          # fast PNG inflate for the parallax stage
  libcxxopts-dev                          # command-line options
  catch2                                  # tests (2.13)
  ffmpeg                                  # decode/encode (CLI)
  curl                                    # scripts/get-model.sh: resumable checkpoint downloads
  python3 python3-numpy python3-opencv    # ../shared measuring sticks used by tests and benchmarks
  python3-venv                            # scripts/setup.sh --cuda: PyPI's torch in a virtual environment
  ccache                                  # compiler cache: rebuilds (and CI re-runs) reuse objects
  shellcheck                              # the tests lint the pipeline's scripts
  slurmctld slurmd slurm-client munge     # the Slurm tests start a one-node cluster (not started here)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup: need root to run: $*" >&2; exit 1
  fi
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libtorch links libblas.so.3/liblapack.so.3 through Debian's alternatives; make sure they
# point at OpenBLAS even if someone set them to the reference implementation by hand.
arch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
for lib in blas lapack; do
  alt="lib${lib}.so.3-${arch}"
  target="/usr/lib/${arch}/openblas-pthread/lib${lib}.so.3"
  if [ -e "$target" ] && [ "$(readlink -f "/usr/lib/${arch}/lib${lib}.so.3")" != "$(readlink -f "$target")" ]; then
    as_root update-alternatives --quiet --set "$alt" "$target"
  fi
done

[ "${1:-}" = "--no-build" ] && exit 0

# The tested LibTorch 2.x: PyPI's torch, whose wheel carries a complete CUDA 13 LibTorch
# (headers, libtorch_cuda.so, its CMake config) and the CUDA runtime libraries it needs.
TORCH_VERSION="${S3D_TORCH_VERSION:-2.15.0}"
if [ "${1:-}" = "--cuda" ]; then
  BUILD_DIR="${S3D_BUILD_DIR:-$ROOT/build-cuda}"
  venv="$BUILD_DIR/venv"
  if ! "$venv/bin/python" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
    echo "setup: installing torch==$TORCH_VERSION (PyPI, with CUDA) into $venv" >&2
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "torch==$TORCH_VERSION"
  fi
  # Its CMake config, and its own folder: found before Debian's libtorch (see CMakeLists.txt).
  torch_prefix=$("$venv/bin/python" -c 'import os, torch.utils; p = torch.utils.cmake_prefix_path; print(p + ";" + os.path.dirname(os.path.dirname(p)))')
  # LibTorch's CMake config looks for the CUDA toolkit (nvcc) where the wheel was built with it.
  cuda_args=()
  if [ -x /usr/local/cuda/bin/nvcc ]; then cuda_args=(-DCUDAToolkit_ROOT=/usr/local/cuda -DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc); fi
  S3D_CMAKE_ARGS="${S3D_CMAKE_ARGS:-} -DCMAKE_PREFIX_PATH=$torch_prefix ${cuda_args[*]}"
fi

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# shellcheck disable=SC2086  # S3D_CMAKE_ARGS is a list of words on purpose
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" ${S3D_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
echo "setup: built s3d into $BUILD_DIR/bin" >&2
