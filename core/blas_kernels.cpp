#include <cotdyn/core/blas_kernels.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>

namespace cotdyn::core {

std::string blas_kernels() {
  // Looked up at run time: cotdyn reaches OpenBLAS only through the system BLAS that LibTorch
  // loads, and any other BLAS simply lacks the symbol.
  using corename_function = char* (*)();
  const auto corename = reinterpret_cast<corename_function>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (corename == nullptr) return "";
  const char* name = corename();
  return name == nullptr ? "" : name;
}

std::string faster_blas_kernels() {
#if defined(__x86_64__) && defined(__linux__)
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr || std::getenv("COTDYN_KEEP_BLAS_CORE") != nullptr) return "";
  const std::string current = blas_kernels();
  if (current != "Prescott" && current != "prescott") return "";
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return "";
}

void ensure_fast_blas_kernels(char** argv) {
  const std::string better = faster_blas_kernels();
  if (better.empty()) return;
  // Setting the variable first also guarantees at most one re-execution.
  if (setenv("OPENBLAS_CORETYPE", better.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed: carry on with the fallback kernels (correct, only slower).
}

}  // namespace cotdyn::core
