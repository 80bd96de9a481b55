// main() of the benchmarks that reach BLAS through LibTorch: as the cotdyn executable does
// (cli/blas_kernels.hpp), OpenBLAS's fast kernels where its CPU detection falls back to generic
// ones, and the kernel set in the printed context. COTDYN_KEEP_BLAS_CORE=1 measures the fallback.
#include <benchmark/benchmark.h>

#include <cotdyn/core/blas_kernels.hpp>

int main(int argc, char** argv) {
  cotdyn::core::ensure_fast_blas_kernels(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("openblas_kernels", cotdyn::core::blas_kernels());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
