// The Boolean-DAG experiment behind the contract: its [natbool] section, the keys it derives, its
// theory (predictions), its data export and the contract's harness on a small run.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <cotdyn/models/natbool/comparison_additions.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/tests/models/model_harness.hpp>

using namespace cotdyn;

namespace {
core::Config natbool_config(const std::vector<std::string>& sets = {}) {
  return models::resolve_config([&](core::Config& c) {
    c.apply_set("model.kind=natbool");
    for (const auto& s : sets) c.apply_set(s);
  });
}

std::string message_of(const std::vector<std::string>& sets) {
  try {
    const auto config = natbool_config(sets);
    models::model_for(config).validate(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string text(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("the natbool model is registered, and bad input names the key") {
  const auto config = natbool_config();
  const models::Model& model = models::model_for(config);
  CHECK(model.name() == "natbool");
  CHECK(model.size_column() == "r");
  CHECK(model.size_value(config) == 4);
  CHECK(message_of({}).empty());
  CHECK(message_of({"natbool.r=13"}).find("natbool.r = 13") != std::string::npos);
  CHECK(message_of({"natbool.m=70"}).find("natbool.m") != std::string::npos);
  CHECK(message_of({"natbool.shape=\"star\""}).find("natbool.shape") != std::string::npos);
  CHECK(message_of({"natbool.regimes=[\"direct\", \"latent\"]"}).find("natbool.regimes contains \"latent\"") != std::string::npos);
  CHECK(message_of({"natbool.cap=10"}).find("natbool.cap = 10") != std::string::npos);
  CHECK(message_of({"natbool.signal_r=[2, 13]"}).find("natbool.signal_r contains 13") != std::string::npos);
}

TEST_CASE("natbool: train.t_max and observe.times follow natbool.cap and natbool.eval_every, and setting them is an error") {
  const auto config = natbool_config({"natbool.cap=120", "natbool.eval_every=50"});
  CHECK(config.get_number("train.t_max") == 120);
  CHECK(config.get_number_list("observe.times") == std::vector<double>{0, 50, 100, 120});
  CHECK(config.get_integer("train.seeds") == 3);
  CHECK_THROWS_WITH_AS(natbool_config({"train.t_max=500"}), doctest::Contains("sets it from natbool.cap"), std::invalid_argument);
}

TEST_CASE("natbool theory: the predictions at natbool.r as milestones, and a table over r") {
  const auto config = natbool_config();
  const models::Model& model = models::model_for(config);
  testing::check_theory(model, config);
  const auto t = model.theory(config, {0.0});
  CHECK(t.milestone("steps_per_answer_explicit") == 3);
  CHECK(t.milestone("steps_per_answer_aligned") == 2);
  CHECK(t.milestone("speedup") == doctest::Approx(1.5));
  CHECK(t.milestone("order_direct") == 4);
  const auto run = model.theory_run(config);
  CHECK(run.trajectory.columns.front() == "r");
  CHECK(run.trajectory.rows.size() == 5);  // r = 2 ... 6
}

TEST_CASE("natbool dataset: the DAG and the first inputs of the training and test streams of member 0") {
  const auto config = natbool_config({"dataset.count=8"});
  const auto directory = std::filesystem::temp_directory_path() / "cotdyn_natbool_dataset_test";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const auto files = models::model_for(config).write_dataset(config, directory.string());
  CHECK(files == std::vector<std::string>{"dag.txt", "train.csv", "test.csv"});
  // The test vectors' case m = 12, r = 4, seed 0 (docs/models/natbool.md §1.4).
  CHECK(text(directory / "dag.txt") == "g1=XOR(x5,x9); g2=XNOR(x2,x0); g3=XNOR(g1,g2)\nD=2\n");
  CHECK(text(directory / "train.csv") == "x,answer\n1742,0\n815,0\n1636,1\n691,1\n1414,1\n1411,1\n3327,1\n2156,0\n");
  CHECK(text(directory / "test.csv").rfind("x,answer\n3329,", 0) == 0);
  std::filesystem::remove_all(directory);
  // A model without a generator says so.
  CHECK(models::model_named("committee").dataset_files().empty());
}

#ifdef COTDYN_TEST_NATBOOL_SIMULATION
TEST_CASE("natbool meets the contract's harness on a small run") {
  const auto config = natbool_config({"natbool.m=6", "natbool.r=3", "natbool.d=16", "natbool.heads=2", "natbool.batch=16",
                                      "natbool.n_test=32", "natbool.cap=10", "natbool.eval_every=5", "train.seeds=2"});
  testing::check_simulation(models::model_for(config), config, {});
}
#endif
