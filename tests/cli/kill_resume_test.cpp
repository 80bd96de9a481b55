// Runs killed with SIGKILL and resumed (README, "Failure modes": every file is written atomically, so
// a killed run leaves no half-written file, and `--resume` reaches the uninterrupted result). A small
// `cotdyn simulate` and a small `cotdyn ablate` are killed at three moments chosen by watching their
// output directory (after the first checkpoint or run, midway, near the end), each is checked for
// half-written files, resumed, and compared with an uninterrupted run.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <cotdyn/tests/cli/command_test_helpers.hpp>

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("kill_resume", name); }
std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

// Starts `cotdyn ARGUMENTS` (output to /dev/null), waits until `ready()` holds, and kills it with
// SIGKILL; requires that it was still running.
void kill_when(const std::string& arguments, const std::function<bool()>& ready) {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const std::string command = fmt::format("exec {} {}", COTDYN_BINARY, arguments);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!ready() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));  // killed, not finished
}

// The lines of a text file; the last must end with a newline (a half-written line does not).
std::vector<std::string> complete_lines(const fs::path& path) {
  const std::string text = read(path);
  CHECK((text.empty() || text.back() == '\n'));
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A CSV table whose every row has the header's columns, each a number or empty (NaN is written empty
// or as nan); returns its rows. A truncated file fails here.
std::size_t check_numeric_csv(const fs::path& path, std::size_t first_numeric_column = 0) {
  const auto lines = complete_lines(path);
  REQUIRE(!lines.empty());
  const auto columns = std::count(lines[0].begin(), lines[0].end(), ',') + 1;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CAPTURE(path);
    CAPTURE(lines[i]);
    CHECK(std::count(lines[i].begin(), lines[i].end(), ',') + 1 == columns);
    std::stringstream fields(lines[i]);
    std::size_t column = 0;
    for (std::string cell; std::getline(fields, cell, ','); ++column) {
      if (column < first_numeric_column || cell.empty() || cell == "nan" || cell == "-nan") continue;
      std::size_t used = 0;
      CHECK_NOTHROW(std::stod(cell, &used));
      CHECK(used == cell.size());
    }
  }
  return lines.size() - 1;
}

std::size_t data_rows(const fs::path& csv) {
  std::ifstream in(csv);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines > 0 ? lines - 1 : 0;
}

std::size_t files_with_extension(const fs::path& directory, const std::string& extension) {
  std::size_t n = 0;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
    if (it->path().extension() == extension && it->path().filename().string()[0] != '.') ++n;
  return n;
}

// The files of a directory other than atomic writes' temporaries and the lock, relative, sorted.
std::vector<std::string> listing(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name[0] != '.') names.push_back(fs::relative(entry.path(), directory).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---- simulate ----------------------------------------------------------------------------------

// The state-tracking network at d = 32, two seeds, 1280 steps with 41 observations (a checkpoint at
// each): about 2 s.
const std::string simulate_settings = "--set model.d=32 --set train.seeds=2 --set train.t_max=40";
constexpr std::size_t simulate_rows = 2 * 41;

// What a killed simulate directory holds: its config, a CSV of whole rows, a checkpoint that parses.
void check_killed_simulate(const fs::path& run) {
  CHECK_NOTHROW(toml::parse_file((run / "config.toml").string()));
  const std::size_t rows = check_numeric_csv(run / "simulation.csv");
  CHECK(rows % 2 == 0);  // both seeds of each observation, written together
  CHECK(rows < simulate_rows);
  const bool current = fs::exists(run / "checkpoint" / "state.json");
  const bool old = fs::exists(run / "checkpoint.old" / "state.json");
  REQUIRE((current || old));  // the swap keeps one complete checkpoint at every moment
  const fs::path state = current ? run / "checkpoint" / "state.json" : run / "checkpoint.old" / "state.json";
  CHECK_NOTHROW(nlohmann::json::parse(read(state)));
}

// ---- ablate ------------------------------------------------------------------------------------

// Four variants of S3 with two actions, L = 3, d = 16, one seed, t_max = 30 (as tests/cli/
// ablate_command_test.cpp, longer): a few tenths of a second per run, one run at a time.
const std::vector<std::string> ablate_variants = {"baseline", "rope=geometric", "single_lr", "content_qk"};

std::string ablate_settings() {
  std::string list;
  for (const auto& v : ablate_variants) list += (list.empty() ? "" : ",") + fmt::format("\"{}\"", v);
  return fmt::format(
      "--set task.group=S3 --set 'task.actions=[[1,0,2],[0,2,1]]' --set task.L=3 --set model.sigma2=0.1 "
      "--set train.eta_A=10 --set train.t_max=30 --set observe.times=linear:0:t_max:31 --set 'ablate.d=[16]' "
      "--set ablate.seeds=1 --set 'ablate.switches=[{}]' --set 'ablate.pairs=[]' --threads 1 --no-render",
      list);
}

// A killed ablate directory: its config, and each saved run whole (its table and its record).
void check_killed_ablate(const fs::path& out) {
  CHECK_NOTHROW(toml::parse_file((out / "config.toml").string()));
  for (const auto& entry : fs::directory_iterator(out / "runs")) {
    const std::string name = entry.path().filename().string();
    if (name[0] == '.') continue;  // an interrupted atomic write
    if (entry.path().extension() == ".json") CHECK_NOTHROW(nlohmann::json::parse(read(entry.path())));
    if (entry.path().extension() == ".csv") check_numeric_csv(entry.path());
  }
  if (fs::exists(out / "ablation.csv")) check_numeric_csv(out / "ablation.csv", 2);
}

// A saved run's record without its wall time.
nlohmann::json without_seconds(const fs::path& path) {
  auto json = nlohmann::json::parse(read(path));
  json.erase("seconds");
  return json;
}

}  // namespace

TEST_CASE("cotdyn simulate killed with SIGKILL at three moments resumes to the uninterrupted result") {
  const fs::path dir = scratch("simulate");
  const fs::path reference = dir / "uninterrupted";
  REQUIRE(cotdyn::testing::run_cotdyn(fmt::format("simulate {} --out '{}'", simulate_settings, reference.string()),
                                      dir / "log") == 0);
  REQUIRE(data_rows(reference / "simulation.csv") == simulate_rows);

  struct Moment {
    const char* name;
    std::size_t rows;  // kill once simulation.csv holds this many rows
  };
  for (const Moment& moment : {Moment{"after the first checkpoint", 2}, Moment{"midway", simulate_rows / 2},
                               Moment{"near the end", simulate_rows - 8}}) {
    const std::string when = moment.name;
    CAPTURE(when);
    const fs::path run = dir / fmt::format("killed_{}", moment.rows);
    kill_when(fmt::format("simulate {} --out '{}'", simulate_settings, run.string()), [&] {
      return fs::exists(run / "checkpoint" / "state.json") && data_rows(run / "simulation.csv") >= moment.rows;
    });
    check_killed_simulate(run);

    const int status = cotdyn::testing::run_cotdyn(fmt::format("simulate --resume '{}'", run.string()), dir / "log");
    INFO(read(dir / "log"));
    REQUIRE(status == 0);
    CHECK(read(run / "simulation.csv") == read(reference / "simulation.csv"));
    CHECK(read(run / "simulation_summary.csv") == read(reference / "simulation_summary.csv"));
    CHECK(nlohmann::json::parse(read(run / "manifest.json"))["status"] == "complete");
    CHECK(listing(run) == listing(reference));
  }
  fs::remove_all(dir);
}

TEST_CASE("cotdyn ablate killed with SIGKILL at three moments resumes to the uninterrupted result") {
  const fs::path dir = scratch("ablate");
  const fs::path reference = dir / "uninterrupted";
  REQUIRE(cotdyn::testing::run_cotdyn(fmt::format("ablate {} --out '{}'", ablate_settings(), reference.string()),
                                      dir / "log") == 0);
  const std::size_t runs = ablate_variants.size();
  REQUIRE(files_with_extension(reference / "runs", ".json") == runs);

  struct Moment {
    const char* name;
    std::size_t runs;  // kill once this many runs are saved
  };
  // The last moment falls after every run, while the study is analysed and its tables written.
  for (const Moment& moment :
       {Moment{"after the first run", 1}, Moment{"midway", runs / 2}, Moment{"after the last run", runs}}) {
    const std::string when = moment.name;
    CAPTURE(when);
    const fs::path out = dir / fmt::format("killed_{}", moment.runs);
    kill_when(fmt::format("ablate {} --out '{}'", ablate_settings(), out.string()),
              [&] { return files_with_extension(out / "runs", ".json") >= moment.runs; });
    check_killed_ablate(out);
    CHECK(nlohmann::json::parse(read(out / "manifest.json").empty() ? "{}" : read(out / "manifest.json"))
              .value("status", "") != "complete");

    const int status =
        cotdyn::testing::run_cotdyn(fmt::format("ablate --resume --no-render --threads 1 --out '{}'", out.string()), dir / "log");
    INFO(read(dir / "log"));
    REQUIRE(status == 0);
    CHECK(read(out / "ablation.csv") == read(reference / "ablation.csv"));
    CHECK(read(out / "report.md") == read(reference / "report.md"));
    CHECK(listing(out) == listing(reference));
    for (const auto& entry : fs::directory_iterator(reference / "runs")) {
      const fs::path resumed = out / "runs" / entry.path().filename();
      CAPTURE(resumed);
      if (entry.path().extension() == ".csv") CHECK(read(resumed) == read(entry.path()));
      if (entry.path().extension() == ".json") CHECK(without_seconds(resumed) == without_seconds(entry.path()));
    }
    const auto manifest = nlohmann::json::parse(read(out / "manifest.json"));
    CHECK(manifest["status"] == "complete");
    CHECK(manifest["results"]["resumed_runs"].get<std::size_t>() >= moment.runs);
  }
  fs::remove_all(dir);
}
