// Sweep files: axes, ranges, combination, and bad input with messages that name the key.
#include <doctest/doctest.h>

#include <string>

#include <cotdyn/analysis/sweep/sweep_plan.hpp>

using namespace cotdyn::sweep;

namespace {
SweepPlan parse(const std::string& text) { return parse_sweep(text, ".", "test.toml"); }
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a product sweep varies the last axis fastest and keeps the file's axis order") {
  const auto plan = parse(R"(
kind = "theory"
[axes]
"train.eta_A" = { values = [1.0, 2.0, 4.0] }
"model.sigma2" = { values = [0.01, 0.1] }
)");
  REQUIRE(plan.axes.size() == 2);
  CHECK(plan.axes[0].key == "train.eta_A");
  CHECK(plan.axes[1].key == "model.sigma2");
  CHECK(plan.point_count() == 6);
  const auto config = plan.point_config(3);  // (eta_A index 1, sigma2 index 1)
  CHECK(config.get_number("train.eta_A") == 2.0);
  CHECK(config.get_number("model.sigma2") == 0.1);
  CHECK(config.get_number("train.eta_W") == 10.0);  // untouched keys keep the base value
}

TEST_CASE("zip pairs the i-th values of every axis") {
  const auto plan = parse(R"(
kind = "theory"
combine = "zip"
[axes]
"train.eta_A" = { values = [1.0, 2.0, 4.0] }
"train.eta_W" = { linear = [5, 15, 3] }
)");
  CHECK(plan.point_count() == 3);
  CHECK(plan.point_config(2).get_number("train.eta_A") == 4.0);
  CHECK(plan.point_config(2).get_number("train.eta_W") == 15.0);
}

TEST_CASE("linear and log ranges hit their ends exactly, and integer keys get integers") {
  const auto plan = parse(R"(
kind = "theory"
[axes]
"model.sigma2" = { log = [1e-4, 1e-1, 4] }
"task.L" = { linear = [5, 11, 4] }
"model.d" = { log = [64, 1024, 5] }
)");
  const auto& s = plan.axes[0].values;
  CHECK(*s[0].value<double>() == 1e-4);
  CHECK(*s[1].value<double>() == doctest::Approx(1e-3).epsilon(1e-12));
  CHECK(*s[3].value<double>() == 1e-1);
  const auto& L = plan.axes[1].values;
  CHECK(L[1].is_integer());
  CHECK(*L[1].value<std::int64_t>() == 7);
  CHECK(*plan.axes[2].values[2].value<std::int64_t>() == 256);
  CHECK(plan.point_config(0).get_integer("task.L") == 5);
}

TEST_CASE("TOML dotted keys name axes like quoted keys") {
  const auto plan = parse("kind = \"theory\"\n[axes]\ntrain.eta_A = { values = [1, 2] }\n");
  REQUIRE(plan.axes.size() == 1);
  CHECK(plan.axes[0].key == "train.eta_A");
}

TEST_CASE("the sweep id changes with the axes and the base config, not with formatting") {
  const std::string a = "kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [1.0, 2.0] }\n";
  const std::string b = "kind   =   \"theory\"\n\n[axes]\n\"train.eta_A\"={values=[1.0,2.0]}\n";
  const std::string c = "kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [1.0, 3.0] }\n";
  CHECK(parse(a).sweep_id() == parse(b).sweep_id());
  CHECK(parse(a).sweep_id() != parse(c).sweep_id());
  CHECK(parse(a).sweep_id() != parse_sweep(a, ".", "t", "", {"train.t_max=50"}).sweep_id());
}

TEST_CASE("bad sweep files are refused with a message naming the key") {
  const std::string head = "kind = \"theory\"\n[axes]\n";
  CHECK(error_of(head + "\"train.eta_B\" = { values = [1] }\n").find("train.eta_B") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_B\" = { values = [1] }\n").find("eta_A") != std::string::npos);  // known keys
  CHECK(error_of(head + "\"nosection.x\" = { values = [1] }\n").find("nosection") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { values = [] }\n").find("non-empty") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { linear = [1, 2, 0] }\n").find("count") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { linear = [1, 2] }\n").find("[first, last, count]") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { log = [0, 2, 3] }\n").find("> 0") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { linear = [1, 2, 1] }\n").find("first == last") != std::string::npos);
  CHECK(error_of(head + "\"train.eta_A\" = { steps = [1, 2, 3] }\n").find("train.eta_A") != std::string::npos);
  CHECK(error_of(head + "\"task.L\" = { linear = [5, 6, 3] }\n").find("integer") != std::string::npos);
  CHECK(error_of(head).find("[axes] is empty") != std::string::npos);
  CHECK(error_of("kind = \"theroy\"\n[axes]\n\"train.eta_A\" = { values = [1] }\n").find("theroy") !=
        std::string::npos);
  CHECK(error_of("kind = \"theory\"\nbase = \"missing.toml\"\n[axes]\n\"train.eta_A\" = { values = [1] }\n")
            .find("missing.toml") != std::string::npos);
  CHECK(error_of("kind = \"theory\"\nseeds = 3\n[axes]\n\"train.eta_A\" = { values = [1] }\n").find("seeds") !=
        std::string::npos);
  CHECK(error_of("kind = \"theory\"\ncombine = \"zip\"\n[axes]\n\"train.eta_A\" = { values = [1, 2] }\n"
                 "\"train.eta_W\" = { values = [1] }\n")
            .find("equal lengths") != std::string::npos);
}

TEST_CASE("a sweep's base config takes the chosen model's defaults of generic keys, under its --set") {
  const std::string text = R"(
kind = "theory"
[axes]
"committee.eta" = { values = [0.5, 1.0] }
)";
  const auto plan = parse_sweep(text, ".", "test.toml", "", {"model.kind=committee"});
  CHECK(plan.base.get_number("train.t_max") == 500);  // CommitteeModel::generic_defaults
  CHECK(plan.point_config(1).get_number("committee.eta") == 1.0);
  const auto overridden = parse_sweep(text, ".", "test.toml", "", {"model.kind=committee", "train.t_max=50"});
  CHECK(overridden.base.get_number("train.t_max") == 50);
}

TEST_CASE("trajectories are kept up to 10^4 points unless the sweep file says") {
  const std::string axes = "[axes]\n\"train.eta_A\" = { log = [1, 2, 100] }\n\"model.sigma2\" = { log = [0.01, 0.1, ";
  CHECK(parse("kind = \"theory\"\n" + axes + "100] }\n").keeps_trajectories());    // 10^4 points
  CHECK(!parse("kind = \"theory\"\n" + axes + "101] }\n").keeps_trajectories());   // 10100 points
  CHECK(parse("kind = \"theory\"\ntrajectories = true\n" + axes + "101] }\n").keeps_trajectories());
  CHECK(!parse("kind = \"theory\"\ntrajectories = false\n" + axes + "2] }\n").keeps_trajectories());
  // Keeping them or not is part of the sweep's identity; the default and its explicit value are the same sweep.
  CHECK(parse("kind = \"theory\"\n" + axes + "2] }\n").sweep_id() ==
        parse("kind = \"theory\"\ntrajectories = true\n" + axes + "2] }\n").sweep_id());
  CHECK(parse("kind = \"theory\"\n" + axes + "2] }\n").sweep_id() !=
        parse("kind = \"theory\"\ntrajectories = false\n" + axes + "2] }\n").sweep_id());
  const std::string error = error_of("kind = \"theory\"\ntrajectories = \"yes\"\n" + axes + "2] }\n");
  CHECK(error.find("trajectories = \"yes\"") != std::string::npos);
  CHECK(error.find("true or false") != std::string::npos);
}

TEST_CASE("[set] sets config keys on the base for every point, under --set") {
  const std::string text = R"(
kind = "theory"
[set]
"theory.rtol" = 1e-6
theory.atol = 1e-9
"train.t_max" = 20.0
[axes]
"train.eta_A" = { values = [1.0, 2.0] }
)";
  const auto plan = parse(text);
  CHECK(plan.base.get_number("theory.rtol") == 1e-6);
  CHECK(plan.point_config(1).get_number("theory.atol") == 1e-9);
  CHECK(plan.point_config(1).get_number("train.eta_A") == 2.0);
  CHECK(parse_sweep(text, ".", "test.toml", "", {"train.t_max=50"}).base.get_number("train.t_max") == 50);
  CHECK(plan.sweep_id() != parse("kind = \"theory\"\n[axes]\n\"train.eta_A\" = { values = [1.0, 2.0] }\n").sweep_id());

  const std::string head = "kind = \"theory\"\n";
  const std::string axis = "[axes]\n\"train.eta_A\" = { values = [1.0] }\n";
  std::string error = error_of(head + "[set]\n\"theory.rtl\" = 1e-6\n" + axis);
  CHECK(error.find("set.\"theory.rtl\"") != std::string::npos);
  CHECK(error.find("rtol") != std::string::npos);  // the known keys
  error = error_of(head + "[set]\n\"train.eta_A\" = 3.0\n" + axis);
  CHECK(error.find("set.\"train.eta_A\" = 3.0") != std::string::npos);
  CHECK(error.find("also an axis") != std::string::npos);
  CHECK(error_of(head + "set = 3\n" + axis).find("set = 3") != std::string::npos);
}

TEST_CASE("a point's config set in a reused config equals the point's own config") {
  const auto plan = parse(R"(
kind = "theory"
[axes]
"train.eta_A" = { values = [1, 2.5] }
"task.L" = { values = [5, 7, 9] }
)");
  cotdyn::core::Config scratch = plan.base;
  for (std::size_t i : {5u, 0u, 3u, 4u}) {
    plan.apply_point(i, scratch);
    CHECK(scratch.to_json() == plan.point_config(i).to_json());
  }
  CHECK(value_indices(Combine::product, {2, 3}, 5) == std::vector<std::size_t>{1, 2});
  CHECK(value_indices(Combine::zip, {3, 3}, 2) == std::vector<std::size_t>{2, 2});
}
