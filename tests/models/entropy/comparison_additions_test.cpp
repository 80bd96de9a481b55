// What the entropy study adds to compare, from made-up measurements: the tables, the figure, and the
// verdict rules of P-a1 ... P-a5.
#include <doctest/doctest.h>

#include <cmath>

#include <cotdyn/models/entropy/comparison_additions.hpp>
#include <cotdyn/models/entropy/settings_of.hpp>
#include <cotdyn/models/registry.hpp>

using namespace cotdyn;

namespace {
core::Config entropy_config() {
  return models::resolve_config([&](core::Config& c) {
    c.apply_set("model.kind=entropy");
    c.apply_set("entropy.observations=3");
    c.apply_set("entropy.window=2");
    c.apply_set("entropy.spike_lrs=[0.01]");
  });
}

struct Made {
  double sharpening_mlp = 0.05;  // per MLP width, plus 0.01 per width step
  double entropy_offset = -0.1;  // entropy - H_target of the MLPs
  double cooccurring = 5, spikes = 6, shuffled = 1, p = 1e-4;
};

// Two seeds with the same values; every column of every variant; the theory at the times.
models::ComparedSize made_up(const core::Config& config, const Made& m) {
  const auto s = models::entropy::settings_of(config);
  const auto variants = simulation::entropy::variants_of(s);
  const auto times = s.base.observation_times;
  models::ComparedSize size;
  size.size = 32;
  size.seeds = {0, 1};
  size.theory = models::model_for(config).theory(config, times);
  const double H = size.theory.column("target_entropy").front();
  std::vector<std::string> columns = {"t"};
  for (const auto& c : simulation::entropy::column_names(s)) columns.push_back(c);
  for (int e = 0; e < 2; ++e) {
    models::Trajectory tr;
    tr.columns = columns;
    for (double t : times) {
      std::vector<double> row = {t};
      for (const auto& v : variants) {
        const bool mlp = v.name.rfind("mlp_", 0) == 0;
        const double w = mlp ? v.run.ablation.mlp_width / 32.0 : 0;
        const double rank = w == 1 ? 0 : w == 4 ? 1 : w == 16 ? 2 : 0;
        const double entropy = mlp ? H + m.entropy_offset * (1 + rank) : H + 0.2;
        const double sharpening = mlp ? m.sharpening_mlp + 0.01 * rank : -0.02;
        for (const auto& c : simulation::entropy::probe_columns()) {
          double x = 0.5;
          if (c == "entropy") x = entropy;
          if (c == "sharpening") x = sharpening;
          if (c == "kl") x = H - entropy - sharpening;
          if (c == "active_fraction") x = mlp ? 0.5 - 0.1 * rank : NAN;
          if (c == "dead_fraction") x = mlp ? 0.1 * rank : NAN;
          if (c == "bypass") x = 0.6 - 0.05 * rank;
          row.push_back(x);
        }
        if (v.spikes)
          for (double x : {m.spikes, m.cooccurring, m.shuffled, m.p}) row.push_back(x);
      }
      tr.rows.push_back(row);
    }
    size.measured.push_back(tr);
  }
  return size;
}

std::string verdict(const models::ComparisonAdditions& out, const std::string& prefix) {
  for (const auto& p : out.predictions)
    if (p.name.rfind(prefix, 0) == 0) return p.verdict;
  return "missing";
}
}  // namespace

TEST_CASE("entropy compare additions: tables, the figure and the verdicts follow the measurements") {
  const auto config = entropy_config();
  const auto out = models::entropy::comparison_additions(config, {made_up(config, {})});
  REQUIRE(out.tables.size() == 3);
  CHECK(out.tables[0].file == "entropy_probes.csv");
  CHECK(out.tables[1].file == "entropy_summary.csv");
  CHECK(out.tables[2].file == "spikes.csv");
  REQUIRE(out.figures.size() == 1);
  CHECK(out.figures[0].panels.size() == 3);
  // Below the target, sharpened, the deficit growing with the width; the FFN sharpens, the bilinear logic
  // does not; bypass and active fraction falling with the width; spikes co-occur far above the shuffle.
  CHECK(verdict(out, "P-a1") == "held");
  CHECK(verdict(out, "P-a2") == "held");
  CHECK(verdict(out, "P-a3") == "held");
  CHECK(verdict(out, "P-a4") == "held");
  CHECK(verdict(out, "P-a5") == "held");
  CHECK(out.report.find("| mlp_4d |") != std::string::npos);

  // Above the target and unsharpened: P-a1 not held, P-a2 not reproduced; no spikes: P-a5 not reproduced.
  Made flat;
  flat.entropy_offset = 0.1;
  flat.sharpening_mlp = -0.03;
  flat.spikes = flat.cooccurring = flat.shuffled = 0;
  flat.p = 1;
  const auto other = models::entropy::comparison_additions(config, {made_up(config, flat)});
  CHECK(verdict(other, "P-a1") == "not held");
  CHECK(verdict(other, "P-a2") == "not reproduced at this scale");
  CHECK(verdict(other, "P-a5") == "not reproduced at this scale");
  // Spikes no more often near jumps than shuffled: not held.
  Made chance;
  chance.cooccurring = 1;
  chance.shuffled = 1.5;
  chance.p = 0.7;
  CHECK(verdict(models::entropy::comparison_additions(config, {made_up(config, chance)}), "P-a5") == "not held");
}

TEST_CASE("Fisher's combination of p-values") {
  CHECK(models::entropy::fisher_combined({}) == 1.0);
  CHECK(models::entropy::fisher_combined({0.3}) == doctest::Approx(0.3));
  // Two p = 0.05: x = -2 ln 0.0025 = 11.98, P(chi2_4 >= x) = e^{-x/2} (1 + x/2) = 0.0175.
  CHECK(models::entropy::fisher_combined({0.05, 0.05}) == doctest::Approx(0.0025 * (1 - std::log(0.0025))).epsilon(1e-9));
}
