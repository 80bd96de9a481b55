// The theory's column list (theory_run.hpp): the clean task's columns are unchanged, and label noise
// appends its observables of docs/theory.md §16, row values and names in the same order.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/meanfield/state_tracking/theory_run.hpp>

using namespace cotdyn::meanfield;

TEST_CASE("the clean theory keeps its columns and label noise appends p_correct, entropy, target_entropy, noisy_loss, entropy_ld") {
  const std::vector<std::string> clean = {"t",    "M",           "alpha",          "R",         "Q", "P", "N",
                                          "loss", "step_acc_inf", "rollout_acc_inf", "final_acc_inf", "step_acc_ld", "rollout_acc_ld", "final_acc_ld"};
  CHECK(theory_columns(true, false) == clean);
  std::vector<std::string> noisy = clean;
  noisy.insert(noisy.end(), {"p_correct", "entropy", "target_entropy", "noisy_loss", "entropy_ld"});
  CHECK(theory_columns(true, true) == noisy);
  CHECK(theory_columns(false, true).size() == clean.size() - 3 + 4);

  ModelParameters p;
  const TheoryResult plain = run_theory(p, {0, 30}, Tolerances{}, {64});
  CHECK_FALSE(plain.label_noise);
  CHECK_FALSE(plain.rows[1].label_noise.has_value());
  CHECK(theory_values(plain.rows[1], true).size() == clean.size());

  p.label_noise = 0.3;
  const TheoryResult result = run_theory(p, {0, 30}, Tolerances{}, {64});
  REQUIRE(result.label_noise);
  for (bool finite_d : {false, true}) {
    const auto values = theory_values(result.rows[1], finite_d);
    const auto& names = theory_columns(finite_d, true);
    REQUIRE(values.size() == names.size());
    const auto at = [&](const std::string& name) {
      return values[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())];
    };
    const auto& noise = *result.rows[1].label_noise;
    CHECK(at("p_correct") == noise.correct_probability);
    CHECK(at("entropy") == noise.entropy);
    CHECK(at("target_entropy") == target_entropy(p));
    CHECK(at("noisy_loss") == noise.noisy_loss);
    CHECK(at("loss") == result.rows[1].loss);  // the clean loss, as the evaluation measures it
    CHECK(at("noisy_loss") > at("loss"));
    if (finite_d) CHECK(at("entropy_ld") == result.rows[1].entropy_ld[0]);
  }
  // At t = 0 every state has probability 1/n.
  CHECK(result.rows[0].label_noise->correct_probability == doctest::Approx(1.0 / 24).epsilon(1e-14));
}
