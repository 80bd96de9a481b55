// `cotdyn theory` end to end: its files and columns, and bad input that writes nothing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace {
int run(const std::string& arguments) {
  const int status = std::system(fmt::format("{} {} > /dev/null 2>&1", COTDYN_BINARY, arguments).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
std::string first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}
}  // namespace

TEST_CASE("cotdyn theory writes theory.csv with the documented columns and a manifest") {
  const fs::path dir = fs::temp_directory_path() / "cotdyn_test_theory";
  fs::remove_all(dir);
  REQUIRE(run(fmt::format("theory --set train.t_max=60 --out {}", dir.string())) == 0);
  CHECK(first_line(dir / "theory.csv") ==
        "t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,step_acc_ld,rollout_acc_ld");
  std::ifstream in(dir / "theory.csv");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  CHECK(lines == 42);  // header + linear:0:t_max:41
  CHECK(fs::exists(dir / "manifest.json"));
  fs::remove_all(dir);
}

TEST_CASE("bad input exits non-zero and leaves nothing behind") {
  const fs::path dir = fs::temp_directory_path() / "cotdyn_test_theory_bad";
  fs::remove_all(dir);
  for (const char* bad : {"--set task.L=1", "--set train.eta_A=0", "--set task.K=0 --set task.n=24 --set task.group=",
                          "--set model.unknown=3", "--set observe.times=linear:0:500:3"}) {
    CAPTURE(bad);
    CHECK(run(fmt::format("theory {} --out {}", bad, dir.string())) == 2);
    CHECK(!fs::exists(dir));
  }
}
