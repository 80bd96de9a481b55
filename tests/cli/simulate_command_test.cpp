// `cotdyn simulate` end to end, for what can go wrong: a run too large for the machine is refused
// before anything is allocated or written, and a run that leaves the theory's regime warns (and, under
// --strict, stops with exit status 3).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/tests/cli/command_test_helpers.hpp>

extern char** environ;

namespace fs = std::filesystem;
using cotdyn::testing::read_text;
using cotdyn::testing::run_cotdyn;

namespace {
nlohmann::json manifest(const fs::path& out) {
  std::ifstream in(out / "manifest.json");
  return nlohmann::json::parse(in);
}
// Runs cotdyn with `arguments` (split at spaces, no quoting), output discarded; returns the child's
// peak resident size in bytes (wait4's rusage), or -1 when it did not exit with status 0.
double peak_resident_bytes(const std::string& arguments) {
  std::vector<std::string> words = {COTDYN_BINARY};
  std::istringstream in(arguments);
  for (std::string word; in >> word;) words.push_back(word);
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t child = 0;
  if (posix_spawn(&child, COTDYN_BINARY, &actions, nullptr, argv.data(), environ) != 0) return -1;
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? usage.ru_maxrss * 1024.0 : -1;
}

// The total of `cotdyn config --estimate`'s simulate line, in bytes.
double estimated_bytes(const std::string& settings, const fs::path& log) {
  REQUIRE(run_cotdyn("config --estimate " + settings, log) == 0);
  std::smatch match;
  const std::string text = read_text(log);
  REQUIRE(std::regex_search(text, match, std::regex(R"(simulate \([^)]*\): ([0-9.]+) (kB|MB|GB))")));
  const double unit = match[2] == "kB" ? 1e3 : match[2] == "MB" ? 1e6 : 1e9;
  return std::stod(match[1]) * unit;
}
}  // namespace

TEST_CASE("each model's memory estimate is within [0.6, 1.6] times the peak resident size of a real run") {
  // The estimate counts the arrays that grow with the config by rule, plus what the process holds
  // when it checks (the libraries): it refuses runs that cannot fit, it is not exact. Sizes where the
  // counted arrays are a good part of the whole: the evaluation logits (state tracking), the d^3 logic
  // tensors, the committee's test inputs, the tree's d x d blocks, the two-hop arms' evaluation chunks,
  // the entropy study's measurement temporaries (its seven default variants, briefly).
  const fs::path dir = cotdyn::testing::scratch_directory("simulate", "estimate");
  for (const std::string& settings :
       {std::string("--set train.t_max=0.25"), std::string("--set model.logic=tensor --set model.d=128 --set train.t_max=0.1"),
        std::string("--set model.kind=committee --set committee.N=8000 --set train.t_max=0.3"),
        std::string("--set model.kind=tree --set tree.storage=tensor --set tree.d=256 --set train.t_max=0.05"),
        std::string("--set model.kind=two_hop --set two_hop.width=256 --set two_hop.batch=1024 --set two_hop.layers=1 "
                    "--set two_hop.steps=1 --set two_hop.eval_every=1"),
        std::string("--set model.kind=entropy --set entropy.adam_t_max=0.5 --set entropy.sgd_t_max=0.5 "
                    "--set entropy.observations=2 --set entropy.window=2")}) {
    CAPTURE(settings);
    const double estimate = estimated_bytes(settings, dir / "estimate");
    const double peak = peak_resident_bytes(fmt::format("simulate {} --out {}", settings, (dir / "run").string()));
    fs::remove_all(dir / "run");
    CAPTURE(estimate);
    CAPTURE(peak);
    REQUIRE(peak > 0);
    CHECK(estimate >= 0.6 * peak);
    CHECK(estimate <= 1.6 * peak);
  }
  fs::remove_all(dir);
}

TEST_CASE("a run that cannot fit in memory is refused with the estimate and the key to lower, nothing written") {
  const fs::path dir = cotdyn::testing::scratch_directory("simulate", "memory");
  const fs::path out = dir / "out";
  for (const std::string& setting : {std::string("--set train.seeds=100000000"),
                                     std::string("--set model.logic=tensor --set model.d=4096"),
                                     std::string("--set model.kind=committee --set committee.test_size=100000000")}) {
    CAPTURE(setting);
    const int status = run_cotdyn(fmt::format("simulate {} --out {}", setting, out.string()), dir / "log");
    const std::string log = read_text(dir / "log");
    CAPTURE(log);
    CHECK(status == 2);
    CHECK(log.find("cotdyn: error: cotdyn simulate needs an estimated") != std::string::npos);
    CHECK(log.find("available; lower ") != std::string::npos);
    CHECK(!fs::exists(out));
  }
  // The same estimate, without running: cotdyn config --estimate.
  REQUIRE(run_cotdyn("config --estimate --set train.seeds=100000000", dir / "estimate") == 0);
  const std::string estimate = read_text(dir / "estimate");
  CHECK(estimate.find("memory estimate, model state_tracking:") != std::string::npos);
  CHECK(estimate.find("evaluation logits") != std::string::npos);
  CHECK(estimate.find("available: ") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a learning rate far above the theory's regime warns, and --strict stops the run with exit status 3") {
  const fs::path dir = cotdyn::testing::scratch_directory("simulate", "strict");
  const std::string settings = "--set train.eta_W=1e6 --set model.d=32 --set train.t_max=4 --set train.seeds=2";
  // Without --strict: the run completes, and the warning is printed and kept in the manifest.
  REQUIRE(run_cotdyn(fmt::format("simulate {} --out {}", settings, (dir / "lenient").string()), dir / "log1") == 0);
  const std::string log = read_text(dir / "log1");
  CAPTURE(log);
  CHECK(log.find("warning: seed 0 at step") != std::string::npos);
  CHECK(log.find("output softmax was saturated at every observation") != std::string::npos);
  const auto lenient = manifest(dir / "lenient");
  CHECK(lenient.at("status") == "complete");
  CHECK(lenient.at("results").at("warnings").size() >= 2);  // both seeds
  CHECK(lenient.contains("memory_estimate"));

  // With --strict: exit status 3, the results so far and a manifest that says why.
  const int status =
      run_cotdyn(fmt::format("simulate {} --strict --out {}", settings, (dir / "strict").string()), dir / "log2");
  CAPTURE(read_text(dir / "log2"));
  CHECK(status == 3);
  CHECK(read_text(dir / "log2").find("cotdyn: error (--strict): seed 0") != std::string::npos);
  CHECK(manifest(dir / "strict").at("status") == "stopped by a warning (--strict)");

  // The defaults train in the theory's regime: no warning.
  REQUIRE(run_cotdyn(fmt::format("simulate --set model.d=32 --set train.t_max=20 --set train.seeds=2 --strict --out {}",
                                 (dir / "default").string()),
                     dir / "log3") == 0);
  CHECK(manifest(dir / "default").at("results").at("warnings").empty());
  fs::remove_all(dir);
}

TEST_CASE("a setting the model warns about is an error under --strict, before anything is written") {
  const fs::path dir = cotdyn::testing::scratch_directory("simulate", "strict_config");
  const std::string one_head = "--set model.kind=tree --set tree.heads=1 --set train.t_max=1";
  const int status = run_cotdyn(fmt::format("theory {} --strict --out {}", one_head, (dir / "out").string()), dir / "log");
  CAPTURE(read_text(dir / "log"));
  CHECK(status == 3);
  CHECK(!fs::exists(dir / "out"));
  CHECK(run_cotdyn(fmt::format("theory {} --out {}", one_head, (dir / "out").string()), dir / "log2") == 0);
  fs::remove_all(dir);
}

// core/blas_kernels.hpp: a command that trains never runs OpenBLAS's generic Prescott fallback on a CPU
// with AVX2 + FMA unless the user asks for it (it re-executes itself with faster kernels first), and its
// manifest names the kernels that ran.
TEST_CASE("cotdyn simulate replaces OpenBLAS's generic fallback, unless told not to") {
  const fs::path dir = cotdyn::testing::scratch_directory("simulate_cmd", "blas_kernels");
  auto kernels = [&](const std::string& environment) {
    fs::remove_all(dir / "out");
    REQUIRE(run_cotdyn(fmt::format("simulate --set model.d=32 --set train.seeds=1 --set train.t_max=1 --out '{}'",
                                   (dir / "out").string()),
                       dir / "log", environment) == 0);
    const auto libraries = manifest(dir / "out")["libraries"];
    REQUIRE(libraries.contains("openblas_kernels"));
    return libraries["openblas_kernels"].get<std::string>();
  };
  const std::string chosen = kernels("");
  if (chosen.empty()) {
    MESSAGE("the cotdyn executable does not load OpenBLAS (another BLAS)");
  } else {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) CHECK(chosen != "Prescott");
    CHECK(kernels("OPENBLAS_CORETYPE=Prescott") == "Prescott");  // the user's choice is kept
  }
}
