// The config: embedded defaults, file merge, --set parsing and unknown keys.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/core/config.hpp>
#include <cotdyn/models/state_tracking/resolve.hpp>

using cotdyn::core::Config;

TEST_CASE("the embedded default is docs/theory.md §2: defaults") {
  const Config config;
  CHECK(config.get_string("task.group") == "S4");
  CHECK(config.get_integer_matrix("task.actions") ==
        std::vector<std::vector<int>>{{1, 0, 2, 3}, {0, 2, 1, 3}, {0, 1, 3, 2}, {1, 2, 3, 0}});
  CHECK(config.get_integer("task.L") == 9);
  CHECK(config.get_integer("model.d") == 256);
  CHECK(config.get_integer("train.batch") == 4);
  CHECK(config.get_number("train.eta_W") == 10.0);
  CHECK(config.get_number("train.eta_A") == 2.0);
  CHECK(config.get_number("model.sigma2") == 0.01);
  CHECK(config.get_number("train.t_max") == 100.0);
  CHECK(config.get_integer("train.seeds") == 5);
  const auto p = cotdyn::models::state_tracking::resolve_model_parameters(config);
  CHECK(p.n == 24);
  CHECK(p.K == 4);
  CHECK(cotdyn::core::resolve_observation_times(config).size() == 41);
}

TEST_CASE("--set parses TOML values and falls back to strings") {
  Config config;
  config.apply_set("train.eta_A=1.5");
  config.apply_set("train.seeds=3");
  config.apply_set("compare.d=[32, 64]");
  config.apply_set("model.logic=tensor");  // not TOML: taken as a string
  config.apply_set("model.device=\"cpu\"");
  CHECK(config.get_number("train.eta_A") == 1.5);
  CHECK(config.get_integer("train.seeds") == 3);
  CHECK(config.get_integer_list("compare.d") == std::vector<std::int64_t>{32, 64});
  CHECK(config.get_string("model.logic") == "tensor");
  CHECK(config.get_string("model.device") == "cpu");
}

TEST_CASE("an integer is accepted where a float is expected, not the other way round") {
  Config config;
  config.apply_set("train.eta_W=3");
  CHECK(config.get_number("train.eta_W") == 3.0);
  config.apply_set("train.seeds=2.5");
  CHECK_THROWS_WITH_AS(config.get_integer("train.seeds"), doctest::Contains("train.seeds = 2.5: must be an integer"),
                       std::invalid_argument);
}

TEST_CASE("unknown keys and sections are errors that name them") {
  Config config;
  CHECK_THROWS_WITH_AS(config.apply_set("train.eta_Q=1"), doctest::Contains("unknown config key train.eta_Q"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(config.apply_set("optimizer.lr=1"), doctest::Contains("unknown config section [optimizer]"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(config.apply_set("eta=1"), doctest::Contains("section.key"), std::invalid_argument);
}

TEST_CASE("a config file overrides the defaults, and other commands' sections are accepted") {
  const auto path = std::filesystem::temp_directory_path() / "cotdyn_test_config.toml";
  {
    std::ofstream out(path);
    out << "[train]\neta_A = 0.5\n[interaction]\nsamples = 10\n";
  }
  Config config;
  config.merge_file(path.string());
  CHECK(config.get_number("train.eta_A") == 0.5);
  CHECK(config.get_integer("interaction.samples") == 10);
  CHECK(config.get_number("train.eta_W") == 10.0);
  {
    std::ofstream out(path);
    out << "[train]\nlearning_rate = 0.5\n";
  }
  CHECK_THROWS_WITH_AS(config.merge_file(path.string()), doctest::Contains("unknown config key train.learning_rate"),
                       std::invalid_argument);
  std::filesystem::remove(path);
}

TEST_CASE("TOML text merges like a file, and its errors name the origin and the key") {
  Config config;
  config.merge_text("[train]\neta_A = 0.5\n", "config");
  CHECK(config.get_number("train.eta_A") == 0.5);
  CHECK(config.get_number("train.eta_W") == 10.0);
  CHECK_THROWS_WITH_AS(config.merge_text("[train]\nlearning_rate = 0.5\n", "config"),
                       doctest::Contains("config: unknown config key train.learning_rate"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(config.merge_text("[train\n", "config"), doctest::Contains("config: not valid TOML"),
                       std::invalid_argument);
}

TEST_CASE("the task may give n and K directly, without a group") {
  Config config;
  config.apply_set("task.group=\"\"");
  CHECK_THROWS_WITH_AS(cotdyn::models::state_tracking::resolve_model_parameters(config), doctest::Contains("needs task.n and task.K"),
                       std::invalid_argument);
  config.apply_set("task.n=120");
  config.apply_set("task.K=6");
  const auto p = cotdyn::models::state_tracking::resolve_model_parameters(config);
  CHECK(p.n == 120);
  CHECK(p.K == 6);
}

TEST_CASE("actions that are not permutations of the group's set are refused") {
  Config config;
  config.apply_set("task.actions=[[1,0,2,3],[0,0,1,3]]");
  CHECK_THROWS_WITH_AS(cotdyn::models::state_tracking::resolve_model_parameters(config),
                       doctest::Contains("task.actions contains [0, 0, 1, 3]"), std::invalid_argument);
  config.apply_set("task.actions=[[1,0,2],[0,2,1]]");
  CHECK_THROWS_AS(cotdyn::models::state_tracking::resolve_model_parameters(config), std::invalid_argument);
  config.apply_set("task.actions=[[1,0,2,3],[1,0,2,3]]");
  CHECK_THROWS_WITH_AS(cotdyn::models::state_tracking::resolve_model_parameters(config), doctest::Contains("not distinct"),
                       std::invalid_argument);
}

TEST_CASE("non-positive rates, sigma2 and t_max are refused, naming the key") {
  for (const char* bad : {"train.eta_W=0", "train.eta_A=-2", "model.sigma2=0"}) {
    Config config;
    config.apply_set(bad);
    CAPTURE(bad);
    CHECK_THROWS_AS(cotdyn::models::state_tracking::resolve_model_parameters(config), std::invalid_argument);
  }
  Config config;
  config.apply_set("train.t_max=0");
  CHECK_THROWS_WITH_AS(cotdyn::core::resolve_t_max(config), doctest::Contains("train.t_max = 0"),
                       std::invalid_argument);
}
