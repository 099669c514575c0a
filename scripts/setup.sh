#!/usr/bin/env bash
# Sets up s3d on Debian 12: installs exactly the Debian packages it needs (only the missing
# ones, so re-running is cheap), makes OpenBLAS the system BLAS, and builds into build/
# (through ccache, so a rebuild after a small change takes seconds).
#   scripts/setup.sh            install + build
#   scripts/setup.sh --no-build install only
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
  python3 python3-numpy python3-opencv    # ../shared measuring sticks used by tests and benchmarks
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

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# shellcheck disable=SC2086  # S3D_CMAKE_ARGS is a list of words on purpose
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" ${S3D_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
echo "setup: built s3d into $BUILD_DIR/bin" >&2
