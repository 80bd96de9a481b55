#pragma once
// OpenBLAS picks its matrix-product kernels from the CPU model when it loads. Debian 12's OpenBLAS
// (0.3.21) does not know recent Xeons and falls back to its generic "Prescott" (SSE3) kernels,
// which measured 4-8x slower than the AVX-512 ones on the same machine (BENCHMARKS.md). The only
// documented override, OPENBLAS_CORETYPE, is read when the library loads, before main(); so a
// program calls ensure_fast_blas_kernels() before its first BLAS call, which re-executes the program
// once with the variable set when the fallback was chosen on a CPU with AVX2 or AVX-512. The
// notebooks and benchmarks call it first thing; the command line only when a command is about to
// use LibTorch (cli/libtorch.hpp), so the commands that never call BLAS do not pay for a second start.
#include <string>

namespace cotdyn::core {

// Re-executes argv (via /proc/self/exe) with OPENBLAS_CORETYPE set when the loaded OpenBLAS runs
// its Prescott fallback on an AVX2 / AVX-512 CPU and the user has not set OPENBLAS_CORETYPE
// (COTDYN_KEEP_BLAS_CORE=1 also keeps the choice). Returns normally in every other case, and when
// exec fails.
void ensure_fast_blas_kernels(char** argv);

// The kernel set ensure_fast_blas_kernels() would choose ("SkylakeX", "Haswell"), or "" when it would
// keep the loaded one. A process that cannot re-execute itself (the Python module) tells its user.
std::string faster_blas_kernels();

// The kernel set OpenBLAS runs ("SkylakeX", "Haswell", "Prescott", ...); "" when the BLAS is not
// OpenBLAS. Recorded in every manifest: results are reproducible for a given kernel set.
std::string blas_kernels();

}  // namespace cotdyn::core
