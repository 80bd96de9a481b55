#!/usr/bin/env bash
# Every number of BENCHMARKS.md in one run on this machine: cotdyn's benchmarks and, right after
# each, the baseline it is compared with (so ratios come from the same run).
# Needs the baselines' packages: bash cmake/setup-debian.sh --bench
# Usage: bash bench/run_benchmarks.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
python=/usr/bin/python3  # Debian's interpreter, where python3-numpy/scipy/torch are installed
here=$(cd "$(dirname "$0")" && pwd)
for tool in bench_meanfield bench_simulation bench_interaction bench_sweep bench_committee bench_tree; do
  [[ -x "$build/bench/$tool" ]] || { echo "run_benchmarks.sh: $build/bench/$tool is missing (build with -DCOTDYN_BUILD_BENCH=ON)" >&2; exit 2; }
done
# The baselines' numpy and PyTorch use the same system OpenBLAS: give them the kernels cotdyn runs
# (cli/blas_kernels.hpp), so that the comparison is between implementations, not BLAS kernels.
kernels=$("$build/bench/bench_simulation" --benchmark_filter='CoefficientSteps/64/1' --benchmark_min_time=0.01 2>&1 | sed -n 's/^openblas_kernels: //p')
[[ -n "$kernels" ]] && export OPENBLAS_CORETYPE=$kernels
echo "== OpenBLAS kernels: ${kernels:-(not OpenBLAS)}"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== mean-field ODE"
"$build/bench/bench_meanfield"
"$python" "$here/baselines/meanfield_scipy.py"
echo "== simulator"
"$build/bench/bench_simulation"
echo "== OpenBLAS fallback kernels (what Debian's OpenBLAS picks on this CPU without help)"
env -u OPENBLAS_CORETYPE COTDYN_KEEP_BLAS_CORE=1 "$build/bench/bench_simulation" --benchmark_filter='Sgemm|TensorStepsFloat32/256/1'
for d in 64 128 256; do "$python" "$here/baselines/simulation_numpy_coefficients.py" "$d" 2000; done
for d in 64 128 256; do "$python" "$here/baselines/simulation_torch_tensor.py" "$d" 10 "$(nproc)"; done
echo "== interaction table"
"$build/bench/bench_interaction"
echo "== sweeps"
"$build/bench/bench_sweep"
echo "== committee machine"
"$build/bench/bench_committee"
"$python" "$here/baselines/simulation_committee_torch.py" 1000 5 2000 5

echo "== tree path-finding (ODE, coefficient-storage simulator, the default forward compare end to end)"
"$build/bench/bench_tree"
for d in 64 256; do "$python" "$here/baselines/tree_torch_coefficients.py" "$d" 1000 5 1; done
/usr/bin/time -f "cotdyn compare --set model.kind=tree: %e s wall, %U s user" \
  "$build/cotdyn" compare --set model.kind=tree --out "$(mktemp -d)/tree" > /dev/null
