#pragma once
// Where LibTorch runs. Loading LibTorch costs about 0.7 s before main() (BENCHMARKS.md, "Start-up"),
// so the cotdyn program does not link it: the commands that need it (training, measuring, the
// committee's measured start) run in cotdyn-torch, the same command line built with LibTorch, which
// sits beside it. Each program links one implementation of this header:
//   libtorch_here.cpp       cotdyn-torch: LibTorch is loaded; re-execute once for fast BLAS kernels
//   libtorch_elsewhere.cpp  cotdyn: execute cotdyn-torch with the same arguments (in a theory-only
//                           build, COTDYN_WITH_TORCH=OFF, there is none: a clear error, exit status 2)
#include <string>

namespace cotdyn::cli {

// The program's arguments, kept by main() for before_libtorch().
void remember_arguments(char** argv);

// Called by a command before it uses LibTorch and before it prints or writes anything; `command`
// names it in the theory-only build's error.
void before_libtorch(const std::string& command);

// main() catches core::LibTorchNeeded (theory-only code that met a setting only LibTorch can serve,
// found while validating, before anything is written) and calls this: the run continues in
// cotdyn-torch, or the exception's message is the error.
[[noreturn]] void continue_with_libtorch(const std::string& reason);

}  // namespace cotdyn::cli
