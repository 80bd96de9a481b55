// The study's system on a small run: the variants train side by side, each stops at its own t_max and
// keeps its values, the Jensen gap appears at the window's last observation, the spike columns are
// counts, and the decomposition holds per variant.
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>
#include <cotdyn/simulation/entropy/system.hpp>
#include <cotdyn/tests/simulation/state_tracking/simulation_test_helpers.hpp>

#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;
using namespace cotdyn::simulation::entropy;

namespace {
EntropySettings small() {
  EntropySettings s;
  s.base = testing::default_settings();
  s.base.d = 16;
  s.base.seeds = 2;
  s.base.label_noise = 0.3;
  s.base.eval_sequences = 20;
  s.variants = {"solvable", "mlp", "spikes"};
  s.mlp_widths = {1};
  s.adam_lr = 1e-3;
  s.adam_t_max = 10;  // 160 steps
  s.sgd_t_max = 20;
  s.observations = 3;
  s.window = 2;
  s.spike_lrs = {1e-2};
  s.spike_width = 2;
  s.dead_every = 5;
  s.probe_sequences = 4;
  s.base.observation_times = observation_times(s);  // 0, 5, 10, 20
  s.base.t_max = t_max(s);
  return s;
}

double at_column(const std::vector<std::string>& names, const std::vector<double>& row, const std::string& column) {
  const auto it = std::find(names.begin(), names.end(), column);
  REQUIRE(it != names.end());
  return row[static_cast<std::size_t>(it - names.begin())];
}
}  // namespace

TEST_CASE("the entropy system trains its variants to their own t_max and measures every probe") {
  const auto s = small();
  REQUIRE(s.base.observation_times == std::vector<double>{0, 5, 10, 20});
  EntropySystem system(s);
  const auto& names = system.observable_names();
  CHECK(names == column_names(s));
  cotdyn::meanfield::ModelParameters p;
  p.label_noise = 0.3;
  const double H_target = cotdyn::meanfield::target_entropy(p);
  std::vector<std::vector<std::vector<double>>> rows;  // per observation
  std::int64_t step = 0;
  for (double t : s.base.observation_times) {
    for (; step < std::llround(t * s.base.d); ++step) {
      const auto loss = system.train_step();
      REQUIRE(loss.size() == 2u);
      CHECK(std::isfinite(loss[0]));
    }
    rows.push_back(system.observe());
  }
  for (const std::string v : {"solvable", "mlp_1d", "spike_0.01"}) {
    CAPTURE(v);
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (int e = 0; e < 2; ++e) {
        const auto& row = rows[i][e];
        const double entropy = at_column(names, row, "entropy_" + v);
        CHECK(std::abs(H_target - entropy - at_column(names, row, "kl_" + v) - at_column(names, row, "sharpening_" + v)) <
              1e-12);
      }
  }
  // The Adam variants stop at t = 10 (observation 2): the same values at t = 20. The solvable one moves.
  for (int e = 0; e < 2; ++e) {
    CHECK(at_column(names, rows[3][e], "entropy_mlp_1d") == at_column(names, rows[2][e], "entropy_mlp_1d"));
    CHECK(at_column(names, rows[3][e], "entropy_solvable") != at_column(names, rows[2][e], "entropy_solvable"));
    // The Jensen gap: NaN before the window's last observation (t = 10 for mlp_1d, t = 20 for solvable).
    CHECK(std::isnan(at_column(names, rows[1][e], "jensen_gap_mlp_1d")));
    CHECK(at_column(names, rows[2][e], "jensen_gap_mlp_1d") <= 0);
    CHECK(std::isnan(at_column(names, rows[2][e], "jensen_gap_solvable")));
    CHECK(at_column(names, rows[3][e], "jensen_gap_solvable") <= 0);
    // Dead and active fractions exist for the ReLU MLPs only.
    CHECK(std::isnan(at_column(names, rows[3][e], "dead_fraction_solvable")));
    const double active = at_column(names, rows[3][e], "active_fraction_spike_0.01");
    CHECK((active > 0 && active <= 1));
    // Spikes are counts, the shuffled expectation at most their number, p a probability.
    const double spikes = at_column(names, rows[3][e], "spikes_spike_0.01");
    CHECK(spikes == std::floor(spikes));
    CHECK(at_column(names, rows[3][e], "cooccurring_spike_0.01") <= spikes);
    CHECK(at_column(names, rows[3][e], "shuffled_spike_0.01") <= spikes + 1e-12);
    const double p_value = at_column(names, rows[3][e], "p_shuffled_spike_0.01");
    CHECK((p_value >= 0 && p_value <= 1));
  }
}
