// `cotdyn dataset`: the data of a model with a generator, and a clear refusal for one without.
#include <doctest/doctest.h>

#include <filesystem>

#include <cotdyn/tests/cli/command_test_helpers.hpp>

namespace fs = std::filesystem;
using namespace cotdyn::testing;

TEST_CASE("cotdyn dataset writes the Boolean-DAG generator's DAG and streams with a manifest") {
  const fs::path dir = scratch_directory("dataset", "natbool");
  const fs::path out = dir / "out";
  REQUIRE(run_cotdyn(fmt::format("dataset --set model.kind=natbool --set dataset.count=5 --set train.seed=1 --out '{}'",
                                 out.string()),
                     dir / "log") == 0);
  CHECK(read_text(out / "dag.txt").find("\nD=2\n") != std::string::npos);
  CHECK(read_text(out / "train.csv").rfind("x,answer\n", 0) == 0);
  CHECK(read_text(out / "test.csv").rfind("x,answer\n", 0) == 0);
  CHECK(fs::exists(out / "manifest.json"));
  fs::remove_all(dir);
}

TEST_CASE("cotdyn dataset refuses a model without a generator with exit status 2 and writes nothing") {
  const fs::path dir = scratch_directory("dataset", "refused");
  const fs::path out = dir / "out";
  CHECK(run_cotdyn(fmt::format("dataset --out '{}'", out.string()), dir / "log") == 2);
  CHECK(read_text(dir / "log").find("model.kind = \"state_tracking\"") != std::string::npos);
  CHECK(read_text(dir / "log").find("natbool") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  fs::remove_all(dir);
}
