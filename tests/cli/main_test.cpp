// cli/main.cpp: every bad input on the command line exits 2 with one line; one writer per directory.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include <cotdyn/core/directory_lock.hpp>
#include <cotdyn/tests/cli/command_test_helpers.hpp>

using namespace cotdyn::testing;
namespace fs = std::filesystem;

TEST_CASE("command-line parse errors exit with status 2 and one line naming what is wrong") {
  const auto dir = scratch_directory("main", "parse");
  const auto log = dir / "log";
  struct Case {
    std::string arguments, named;
  };
  for (const Case& c : {Case{"theory --config /nonexistent/cotdyn.toml", "--config"},
                        Case{"theory --no-such-option", "--no-such-option"},
                        Case{"plot --bogus 3", "--bogus"},
                        Case{"no-such-command", "no-such-command"},
                        Case{"", "subcommand"}}) {
    CAPTURE(c.arguments);
    CHECK(run_cotdyn(c.arguments + " --out " + (dir / "out").string(), log) == 2);
    const std::string text = read_text(log);
    CAPTURE(text);
    CHECK(text.find(c.named) != std::string::npos);
    CHECK(text.rfind("cotdyn: error: ", 0) == 0);
    CHECK(text.find('\n') == text.size() - 1);  // one line
    CHECK_FALSE(fs::exists(dir / "out"));
  }
  CHECK(run_cotdyn("--version", log) == 0);
  CHECK(run_cotdyn("theory --help", log) == 0);
}

TEST_CASE("a second writer of one output directory is refused with the first one's host and pid") {
  const auto dir = scratch_directory("main", "lock");
  const auto out = dir / "out";
  fs::create_directories(out);
  const auto log = dir / "log";
  {
    cotdyn::core::DirectoryLock first(out, "test");
    CHECK(run_cotdyn("theory --out " + out.string(), log) == 2);
    const std::string text = read_text(log);
    CAPTURE(text);
    CHECK(text.find("--out " + out.string()) != std::string::npos);
    CHECK(text.find("pid " + std::to_string(::getpid())) != std::string::npos);
    CHECK_FALSE(fs::exists(out / "theory.csv"));
  }
  CHECK(run_cotdyn("theory --out " + out.string(), log) == 0);  // released with its holder
  CHECK(fs::exists(out / "theory.csv"));
}
