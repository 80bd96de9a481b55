// `cotdyn theory` end to end: its files and columns, and bad input that writes nothing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

#include <cotdyn/tests/cli/command_test_helpers.hpp>

namespace {
int run(const std::string& arguments, const std::string& environment = "") {
  const int status =
      std::system(fmt::format("{} {} {} > /dev/null 2>&1", environment, COTDYN_BINARY, arguments).c_str());
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
        "t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,final_acc_inf,step_acc_ld,rollout_acc_ld,final_acc_ld");
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
                          "--set model.unknown=3", "--set observe.times=linear:0:500:3",
                          // the committee machine's ODE diverges above its stable learning rate
                          "--set model.kind=committee --set committee.eta=50 --set train.t_max=2 "
                          "--set 'committee.initial=\"explicit\"' --set 'committee.Q0=[[0.01,0],[0,0.01]]' "
                          "--set 'committee.R0=[[0,0],[0,0]]'"}) {
    CAPTURE(bad);
    CHECK(run(fmt::format("theory {} --out {}", bad, dir.string())) == 2);
    CHECK(!fs::exists(dir));
  }
}

// `cotdyn theory` never calls BLAS and runs without LibTorch (cli/libtorch.hpp): its manifest names no
// LibTorch and no OpenBLAS kernels (the commands that train record theirs: simulate_command_test.cpp).
TEST_CASE("cotdyn theory runs without LibTorch and its BLAS, and its manifest says so") {
  const fs::path dir = fs::temp_directory_path() / "cotdyn_test_blas_kernels";
  fs::remove_all(dir);
  REQUIRE(run(fmt::format("theory --set train.t_max=1 --out {}", dir.string())) == 0);
  std::ifstream in(dir / "manifest.json");
  const auto libraries = nlohmann::json::parse(in)["libraries"];
  CHECK(libraries["libtorch"].is_null());
  CHECK(libraries["openblas_kernels"] == "");
  fs::remove_all(dir);
}

TEST_CASE("the tree model: its defaults of the shared keys, its columns, and the forward task with one head warned") {
  const fs::path dir = cotdyn::testing::scratch_directory("theory_cmd", "tree");
  // Choosing the model sets t_max = 250 and 51 observation times; --set still overrides them.
  REQUIRE(cotdyn::testing::run_cotdyn(fmt::format("theory --set model.kind=tree --out '{}'", (dir / "out").string()),
                                      dir / "log") == 0);
  CHECK(first_line(dir / "out" / "theory.csv").rfind("t,head0_a_BX,head0_b_BX,", 0) == 0);
  std::ifstream in(dir / "out" / "theory.csv");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  CHECK(lines == 52);
  CHECK(cotdyn::testing::read_text(dir / "log").find("warning") == std::string::npos);
  // One head on the forward task: allowed, with a warning that the forward stage has no head of its own.
  REQUIRE(cotdyn::testing::run_cotdyn(fmt::format("theory --set model.kind=tree --set tree.heads=1 --set train.t_max=20 "
                                                  "--out '{}'",
                                                  (dir / "one_head").string()),
                                      dir / "log_one_head") == 0);
  const std::string log = cotdyn::testing::read_text(dir / "log_one_head");
  CHECK(log.find("warning: tree.heads = 1 with tree.task = \"forward\": the forward stage cannot get a head of its own") !=
        std::string::npos);
  CHECK(fs::exists(dir / "one_head" / "theory.csv"));
  fs::remove_all(dir);
}

namespace {
// Every file in `dir` (names and contents), to check that a failed run changed nothing.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename() != ".cotdyn.lock")  // holds the last writer's pid
      files[entry.path().filename().string()] = cotdyn::testing::read_text(entry.path());
  return files;
}
}  // namespace

TEST_CASE("a write beyond a file-size limit fails with the file and the reason, and changes nothing") {
  const fs::path dir = cotdyn::testing::scratch_directory("theory", "file_size_limit");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("theory --set train.t_max=60 --out {}", out.string())) == 0);
  const auto before = contents(out);
  REQUIRE(before.count("theory.csv"));
  // ulimit -f counts blocks of 1024 bytes: the lock file fits, theory.csv (about 10 kB) does not.
  const int status = cotdyn::testing::run_cotdyn(
      fmt::format("theory --set train.t_max=50 --out {}", out.string()), dir / "log", "ulimit -f 4;");
  const std::string log = cotdyn::testing::read_text(dir / "log");
  CAPTURE(log);
  CHECK(status == 1);
  CHECK(log.find("cannot write '" + (out / "theory.csv").string() + "': File too large; it is unchanged") !=
        std::string::npos);
  CHECK(contents(out) == before);  // no temporary file left, the earlier results untouched
  fs::remove_all(dir);
}

TEST_CASE("a read-only output directory is refused before anything is written") {
  const fs::path dir = cotdyn::testing::scratch_directory("theory", "read_only");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("theory --set train.t_max=60 --out {}", out.string())) == 0);
  const auto before = contents(out);
  // The superuser ignores permission bits; an immutable directory (chattr +i) is read-only to it too.
  const bool root = ::geteuid() == 0;
  const std::string lock = root ? fmt::format("chattr +i '{}'", out.string()) : fmt::format("chmod a-w '{}'", out.string());
  const std::string unlock = root ? fmt::format("chattr -i '{}'", out.string()) : fmt::format("chmod u+w '{}'", out.string());
  if (std::system((lock + " 2>/dev/null").c_str()) != 0) {
    MESSAGE("skipped: this file system cannot make a directory read-only for this user (" << lock << ")");
    fs::remove_all(dir);
    return;
  }
  const int status =
      cotdyn::testing::run_cotdyn(fmt::format("theory --set train.t_max=50 --out {}", out.string()), dir / "log");
  std::system(unlock.c_str());
  const std::string log = cotdyn::testing::read_text(dir / "log");
  CAPTURE(log);
  CHECK(status == 2);
  CHECK(log.find("--out " + out.string()) != std::string::npos);
  CHECK(contents(out) == before);
  fs::remove_all(dir);
}
