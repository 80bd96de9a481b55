// cotdyn: LibTorch is not loaded here; the commands that need it continue in cotdyn-torch, the
// program beside this one (cli/libtorch.hpp).
#include <cotdyn/cli/libtorch.hpp>

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace cotdyn::cli {

namespace {
char** program_arguments = nullptr;

// cotdyn-torch in this program's directory, or "" when there is none (a theory-only build).
std::filesystem::path libtorch_program() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto program = self.parent_path() / "cotdyn-torch";
  return std::filesystem::exists(program, error) ? program : std::filesystem::path();
}

[[noreturn]] void run_libtorch_program(const std::string& what) {
  const auto program = libtorch_program();
  if (!program.empty() && program_arguments != nullptr) {
    execv(program.c_str(), program_arguments);
    throw std::runtime_error(fmt::format("{}: could not start {}", what, program.string()));
  }
  throw std::invalid_argument(fmt::format(
      "{}: this build has no LibTorch (configured with COTDYN_WITH_TORCH=OFF); rebuild with LibTorch", what));
}
}  // namespace

void remember_arguments(char** argv) { program_arguments = argv; }

void before_libtorch(const std::string& command) { run_libtorch_program(command + " needs LibTorch"); }

void continue_with_libtorch(const std::string& reason) { run_libtorch_program(reason); }

}  // namespace cotdyn::cli
