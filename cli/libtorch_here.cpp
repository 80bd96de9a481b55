// cotdyn-torch: LibTorch is loaded here (cli/libtorch.hpp).
#include <cotdyn/cli/libtorch.hpp>

#include <stdexcept>

#include <cotdyn/core/blas_kernels.hpp>

namespace cotdyn::cli {

namespace {
char** program_arguments = nullptr;
}  // namespace

void remember_arguments(char** argv) { program_arguments = argv; }

void before_libtorch(const std::string&) {
  if (program_arguments != nullptr) core::ensure_fast_blas_kernels(program_arguments);
}

void continue_with_libtorch(const std::string& reason) {
  // Not reached: the LibTorch build's theory code serves every setting itself.
  throw std::logic_error(reason);
}

}  // namespace cotdyn::cli
