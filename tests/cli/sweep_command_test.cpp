// `cotdyn sweep` end to end: the point count, the size limit, shards, bad input that writes nothing,
// and a real sweep killed with SIGKILL then resumed.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>
#include <string>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

#include <cotdyn/tests/cli/command_test_helpers.hpp>
namespace {
fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("sweep_cmd", name); }

int run(const std::string& arguments, const fs::path& log) { return cotdyn::testing::run_cotdyn(arguments, log); }

std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

const char* grid = "kind = \"theory\"\n[axes]\n\"train.eta_A\" = { log = [1, 4, 3] }\n"
                   "\"model.sigma2\" = { values = [0.01, 0.1] }\n";
}  // namespace

TEST_CASE("cotdyn sweep prints the number of points before running them") {
  const fs::path dir = scratch("count");
  write(dir / "grid.toml", grid);
  REQUIRE(run(fmt::format("sweep {} --set train.t_max=60 --no-plots --out {}", (dir / "grid.toml").string(),
                          (dir / "out").string()),
              dir / "log") == 0);
  const std::string log = read(dir / "log");
  CHECK(log.rfind("cotdyn sweep: 6 points (2 axes, product)", 0) == 0);
  CHECK(fs::exists(dir / "out" / "points.csv"));
  fs::remove_all(dir);
}

TEST_CASE("sweeps over the size limit, bad shards and bad axes exit 2 and write nothing") {
  const fs::path dir = scratch("bad");
  write(dir / "grid.toml", grid);
  write(dir / "unknown.toml", "kind = \"theory\"\n[axes]\n\"train.eta\" = { values = [1] }\n");
  write(dir / "badkind.toml", "kind = \"simulation\"\n[axes]\n\"train.eta_A\" = { values = [1] }\n");
  write(dir / "badvalue.toml", "kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [1, -2] }\n");
  const std::string out = (dir / "out").string();
  for (const std::string& arguments :
       {fmt::format("sweep {} --max-points 5", (dir / "grid.toml").string()),
        fmt::format("sweep {} --shard 2/2", (dir / "grid.toml").string()),
        fmt::format("sweep {}", (dir / "unknown.toml").string()),
        fmt::format("sweep {}", (dir / "badkind.toml").string()),
        fmt::format("sweep {}", (dir / "badvalue.toml").string())}) {
    CAPTURE(arguments);
    CHECK(run(arguments + " --no-plots --out " + out, dir / "log") == 2);
    CHECK(!fs::exists(out));
  }
  CHECK(read(dir / "log").find("train.eta_A = -2") != std::string::npos);  // the last one names the point
  // --yes lifts the limit.
  CHECK(run(fmt::format("sweep {} --max-points 5 --yes --set train.t_max=60 --no-plots --out {}",
                        (dir / "grid.toml").string(), out),
            dir / "log") == 0);
  fs::remove_all(dir);
}

TEST_CASE("bad trajectories and [set] values of a sweep file exit 2, name the key and write nothing") {
  const fs::path dir = scratch("bad_keys");
  const std::string axes = "[axes]\n\"train.eta_A\" = { values = [1, 2] }\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"kind = \"theory\"\ntrajectories = 1\n" + axes, "trajectories = 1: must be true or false"},
      {"kind = \"theory\"\n[set]\n\"theory.rtl\" = 1e-6\n" + axes, "set.\"theory.rtl\""},
      {"kind = \"theory\"\n[set]\n\"theory.rtol\" = -1e-6\n" + axes, "theory.rtol = -1e-06"}};
  for (const auto& [text, message] : cases) {
    CAPTURE(text);
    write(dir / "bad.toml", text);
    CHECK(run(fmt::format("sweep {} --no-plots --out {}", (dir / "bad.toml").string(), (dir / "out").string()),
              dir / "log") == 2);
    CHECK(read(dir / "log").find(message) != std::string::npos);
    CHECK(!fs::exists(dir / "out"));
  }
  fs::remove_all(dir);
}

TEST_CASE("a Slurm job array selects the shard when --shard is absent") {
  const fs::path dir = scratch("slurm");
  write(dir / "grid.toml", grid);
  REQUIRE(run(fmt::format("sweep {} --set train.t_max=60 --no-plots --out {}", (dir / "grid.toml").string(),
                          (dir / "out").string()),
              dir / "log") == 0);
  const int status = std::system(
      fmt::format("SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_COUNT=2 {} sweep {} "
                  "--set train.t_max=60 --no-plots --out {} > /dev/null 2>&1",
                  COTDYN_BINARY, (dir / "grid.toml").string(), (dir / "split").string())
          .c_str());
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(fs::exists(dir / "split" / "shard-1-of-2" / "points.csv"));
  REQUIRE(run(fmt::format("sweep {} --shard 0/2 --set train.t_max=60 --no-plots --out {}",
                          (dir / "grid.toml").string(), (dir / "split").string()),
              dir / "log") == 0);
  REQUIRE(run(fmt::format("sweep merge {} {} --no-plots --out {}", (dir / "split" / "shard-0-of-2").string(),
                          (dir / "split" / "shard-1-of-2").string(), (dir / "merged").string()),
              dir / "log") == 0);
  CHECK(read(dir / "merged" / "points.csv") == read(dir / "out" / "points.csv"));
  fs::remove_all(dir);
}

TEST_CASE("a sweep killed with SIGKILL loses no finished point, leaves no corrupt file, and resumes") {
  const fs::path dir = scratch("kill");
  // 300 points of a slow-ish setting (L = 20, tight tolerances, 401 observation rows): about 3 s on 2 cores.
  write(dir / "sweep.toml", "kind = \"theory\"\n[axes]\n\"train.eta_A\" = { log = [0.5, 4, 20] }\n"
                            "\"model.sigma2\" = { log = [1e-3, 1e-1, 15] }\n");
  const std::string settings =
      "--set train.t_max=400 --set observe.times=linear:0:t_max:401 --set theory.rtol=1e-12 "
      "--set theory.atol=1e-14 --set task.L=20 --no-plots --threads 2";
  const fs::path killed = dir / "killed";

  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const std::string command = fmt::format("exec {} sweep {} {} --out {}", COTDYN_BINARY,
                                            (dir / "sweep.toml").string(), settings, killed.string());
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once some points are on disk, while it is still writing more.
  std::size_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen < 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    seen = 0;
    std::error_code error;
    for (fs::directory_iterator it(killed / "points", error), end; !error && it != end; it.increment(error)) ++seen;
  }
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  // Every chunk file present (one point each: the sweep has 300) parses completely, every line with
  // its whole trajectory; temporaries are allowed.
  std::size_t complete = 0;
  for (const auto& entry : fs::directory_iterator(killed / "points")) {
    const std::string name = entry.path().filename().string();
    if (name[0] == '.') continue;  // an interrupted atomic write: removed on resume
    std::istringstream lines(read(entry.path()));
    std::string line;
    std::getline(lines, line);
    const auto header = nlohmann::json::parse(line);  // throws on a truncated file
    CHECK(header["points"] == 1);
    for (int k = 0; k < header["points"].get<int>(); ++k) {
      REQUIRE(std::getline(lines, line));
      const auto point = nlohmann::json::parse(line);
      CHECK(point["trajectory"]["rows"].size() == 401);
      CHECK(point["milestones"].size() == 10);
      ++complete;
    }
  }
  CHECK(complete >= 1);
  CHECK(complete < 300);  // it really was killed mid-sweep

  REQUIRE(run(fmt::format("sweep {} {} --resume --out {}", (dir / "sweep.toml").string(), settings,
                          killed.string()),
              dir / "resume.log") == 0);
  CHECK(read(dir / "resume.log").find(fmt::format("{} already finished", complete)) != std::string::npos);
  for (const auto& entry : fs::directory_iterator(killed / "points")) CHECK(entry.path().filename().string()[0] != '.');

  REQUIRE(run(fmt::format("sweep {} {} --out {}", (dir / "sweep.toml").string(), settings,
                          (dir / "uninterrupted").string()),
              dir / "log") == 0);
  const std::string resumed = read(killed / "points.csv");
  CHECK(std::count(resumed.begin(), resumed.end(), '\n') == 301);
  CHECK(resumed == read(dir / "uninterrupted" / "points.csv"));
  fs::remove_all(dir);
}
