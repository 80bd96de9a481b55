#!/usr/bin/env bash
# Installs the Debian packages cotdyn builds and runs with, when they are missing.
# Usage: bash cmake/setup-debian.sh [--bench] [--mpi]
#   --bench  also the baselines' Python packages (scipy, numpy, PyTorch) and Google Benchmark
#   --mpi    also OpenMPI, for `cotdyn sweep` across ranks
# Nothing is downloaded at configure or build time: everything comes from here.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libeigen3-dev libboost-dev libtbb-dev doctest-dev
  libtorch-dev
  # LibTorch's matrix products go through the system BLAS; without OpenBLAS the
  # alternatives resolve to the slow reference BLAS.
  libopenblas0-openmp
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libfmt-dev
  gnuplot-nox
  # The Python module (python/) and its tests: pybind11, the Python headers, NumPy, pytest, and
  # matplotlib for the overlay figure of docs/python.md's walk-through (run as a test).
  pybind11-dev python3-dev python3-numpy python3-pytest python3-matplotlib
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev python3-numpy python3-scipy python3-torch hyperfine) ;;
    --mpi)   packages+=(libopenmpi-dev openmpi-bin) ;;
    *) echo "setup-debian.sh: unknown option '$arg' (allowed: --bench, --mpi)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian.sh: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-debian.sh: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
