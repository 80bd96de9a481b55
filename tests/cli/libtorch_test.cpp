// cli/libtorch.hpp: cotdyn runs without LibTorch and hands the runs that need it to cotdyn-torch, with
// the same arguments, the same exit statuses and the same files; both programs have the same commands.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cotdyn/tests/cli/command_test_helpers.hpp>

using namespace cotdyn::testing;
namespace fs = std::filesystem;

namespace {
// The manifest's LibTorch version: null when the run's program did not load LibTorch.
nlohmann::json libtorch_of(const fs::path& out) {
  std::ifstream in(out / "manifest.json");
  return nlohmann::json::parse(in)["libraries"]["libtorch"];
}

// The command names of a `--help` page (the lines under "Subcommands:").
std::set<std::string> commands_of(const std::string& help) {
  std::set<std::string> names;
  std::istringstream in(help.substr(help.find("Subcommands:")));
  std::string line;
  std::getline(in, line);
  const std::regex command(R"(^  ([a-z_-]+)\s)");
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, command)) names.insert(m[1]);
  return names;
}
}  // namespace

TEST_CASE("cotdyn runs the theory without LibTorch and hands training to cotdyn-torch") {
  const auto dir = scratch_directory("libtorch", "hand_over");
  REQUIRE(run_cotdyn(fmt::format("theory --set train.t_max=1 --out '{}'", (dir / "theory").string()), dir / "log") == 0);
  CHECK(libtorch_of(dir / "theory").is_null());
  REQUIRE(run_cotdyn(fmt::format("simulate --set model.d=32 --set train.seeds=1 --set train.t_max=1 --out '{}'",
                                 (dir / "simulate").string()),
                     dir / "log") == 0);
  CHECK(libtorch_of(dir / "simulate").is_string());
  // The committee's theory starts from each seed's initial weights by default (LibTorch's draws); an
  // explicit start needs no LibTorch.
  REQUIRE(run_cotdyn(fmt::format("theory --set model.kind=committee --set train.t_max=1 --out '{}'",
                                 (dir / "measured").string()),
                     dir / "log") == 0);
  CHECK(libtorch_of(dir / "measured").is_string());
  REQUIRE(run_cotdyn(fmt::format("theory --set model.kind=committee --set train.t_max=1 --set committee.initial=explicit "
                                 "--set 'committee.Q0=[[0.01, 0.0], [0.0, 0.01]]' --set 'committee.R0=[[0.001, 0.0], [0.0, 0.001]]' "
                                 "--out '{}'",
                                 (dir / "explicit").string()),
                     dir / "log") == 0);
  CHECK(libtorch_of(dir / "explicit").is_null());
  fs::remove_all(dir);
}

TEST_CASE("a handed-over run keeps the exit status and the one-line error of bad input") {
  const auto dir = scratch_directory("libtorch", "bad_input");
  CHECK(run_cotdyn(fmt::format("simulate --set model.d=31 --out '{}'", (dir / "out").string()), dir / "log") == 2);
  const std::string text = read_text(dir / "log");
  CAPTURE(text);
  CHECK(text.rfind("cotdyn: error: ", 0) == 0);
  CHECK(text.find("model.d") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST_CASE("cotdyn and cotdyn-torch have the same commands, and ablate's help is cotdyn-torch's") {
  const auto dir = scratch_directory("libtorch", "commands");
  REQUIRE(run_cotdyn("--help", dir / "front") == 0);
  REQUIRE(std::system(fmt::format("{} --help > '{}' 2>&1", COTDYN_TORCH_BINARY, (dir / "torch").string()).c_str()) == 0);
  const auto front = commands_of(read_text(dir / "front")), torch = commands_of(read_text(dir / "torch"));
  CHECK(front.size() >= 10);
  CHECK(front == torch);
  REQUIRE(run_cotdyn("ablate --help", dir / "ablate") == 0);
  CHECK(read_text(dir / "ablate").find("--resume") != std::string::npos);
  fs::remove_all(dir);
}

// Both programs check a config by the same rules: the one without LibTorch compiles the sources that
// test COTDYN_WITH_TORCH the theory-only way, and must not accept what cotdyn-torch refuses.
TEST_CASE("cotdyn and cotdyn-torch refuse the same bad input with the same message") {
  const auto dir = scratch_directory("libtorch", "same_rules");
  for (const std::string& settings :
       {std::string("--set model.kind=entropy --set entropy.d=5"), std::string("--set model.kind=entropy --set train.seeds=0"),
        std::string("--set model.d=0"), std::string("--set model.kind=committee --set committee.K=0"),
        std::string("--set model.kind=tree --set train.seeds=0"), std::string("--set model.kind=natbool --set train.seeds=0"),
        std::string("--set model.kind=two_hop --set train.seeds=0"), std::string("--set model.kind=entropy"),
        std::string("--set model.kind=entropy --set model.device=cuda")}) {
    CAPTURE(settings);
    const int front = run_cotdyn(fmt::format("theory {} --out '{}'", settings, (dir / "a").string()), dir / "front");
    const int torch = std::system(fmt::format("{} theory {} --out '{}' > '{}' 2>&1", COTDYN_TORCH_BINARY, settings,
                                              (dir / "b").string(), (dir / "torch").string())
                                      .c_str());
    CHECK(front == WEXITSTATUS(torch));
    if (front != 0) CHECK(read_text(dir / "front") == read_text(dir / "torch"));
    fs::remove_all(dir / "a");
    fs::remove_all(dir / "b");
  }
  fs::remove_all(dir);
}
