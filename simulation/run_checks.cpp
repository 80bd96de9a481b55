#include <cotdyn/simulation/run_checks.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cotdyn::simulation {

RunChecks::RunChecks(int seeds, std::uint64_t base_seed) : base_seed_(base_seed), seeds_(static_cast<std::size_t>(seeds)) {}

void RunChecks::step_losses(std::int64_t, const std::vector<double>& losses) {
  for (std::size_t e = 0; e < seeds_.size() && e < losses.size(); ++e) {
    if (!std::isfinite(losses[e])) continue;  // a non-finite loss stops the seed (training_loop.hpp)
    Seed& s = seeds_[e];
    if (s.reference_steps < kReferenceSteps) {
      s.reference_sum += losses[e];
      ++s.reference_steps;
    }
    s.interval_sum += losses[e];
    ++s.interval_steps;
  }
}

std::vector<RunWarning> RunChecks::observed(std::int64_t step, double t, const std::vector<std::string>& columns,
                                            const std::vector<std::vector<double>>& values,
                                            const std::vector<std::vector<std::string>>& saturated) {
  std::vector<RunWarning> warnings;
  for (std::size_t e = 0; e < seeds_.size(); ++e) {
    Seed& s = seeds_[e];
    const std::uint64_t seed = base_seed_ + e;
    const bool stopped = e >= values.size() || values[e].empty();
    if (!stopped) {
      for (std::size_t c = 0; c < columns.size() && c < values[e].size(); ++c) {
        const double v = values[e][c];
        if (s.was_finite.size() < columns.size()) s.was_finite.resize(columns.size(), false);
        // NaN is how a model marks a value it does not have (R_c of a network without coefficients):
        // only a quantity that was finite before, or an infinity, is a finding.
        const bool finding = std::isinf(v) || (std::isnan(v) && s.was_finite[c]);
        if (std::isfinite(v)) s.was_finite[c] = true;
        if (!finding) continue;
        if (std::find(s.nonfinite_warned.begin(), s.nonfinite_warned.end(), columns[c]) != s.nonfinite_warned.end()) continue;
        s.nonfinite_warned.push_back(columns[c]);
        warnings.push_back({seed, step, t, columns[c], fmt::format("is not finite ({})", values[e][c])});
      }
    }
    if (s.interval_steps > 0 && !s.loss_warned && s.reference_steps == kReferenceSteps && s.reference_sum > 0) {
      const double mean = s.interval_sum / static_cast<double>(s.interval_steps);
      const double reference = s.reference_sum / kReferenceSteps;
      if (mean > kLossGrowth * reference) {
        s.loss_warned = true;
        warnings.push_back({seed, step, t, "training loss",
                            fmt::format("grew by orders of magnitude: {:.6g} on average since the last observation, "
                                        "{:.6g} on average over the first {} steps (learning rates too large?)",
                                        mean, reference, kReferenceSteps)});
      }
    }
    s.interval_sum = 0;
    s.interval_steps = 0;
    if (t > 0 && !stopped) {
      const std::vector<std::string> now = e < saturated.size() ? saturated[e] : std::vector<std::string>{};
      if (s.saturated_observations == 0) {
        s.always_saturated = now;
      } else {
        std::vector<std::string> kept;
        for (const auto& name : s.always_saturated)
          if (std::find(now.begin(), now.end(), name) != now.end()) kept.push_back(name);
        s.always_saturated = kept;
      }
      ++s.saturated_observations;
    }
  }
  return warnings;
}

std::vector<RunWarning> RunChecks::finished(std::int64_t step, double t) {
  std::vector<RunWarning> warnings;
  for (std::size_t e = 0; e < seeds_.size(); ++e) {
    const Seed& s = seeds_[e];
    if (s.saturated_observations < 2) continue;
    for (const auto& name : s.always_saturated)
      warnings.push_back({base_seed_ + e, step, t, name,
                          fmt::format("was saturated at every observation after t = 0 ({} of them): its gradient "
                                      "vanishes and the order parameters are frozen or jump",
                                      s.saturated_observations)});
  }
  return warnings;
}

nlohmann::json RunChecks::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : seeds_)
    list.push_back({{"reference_sum", s.reference_sum},
                    {"reference_steps", s.reference_steps},
                    {"interval_sum", s.interval_sum},
                    {"interval_steps", s.interval_steps},
                    {"loss_warned", s.loss_warned},
                    {"nonfinite_warned", s.nonfinite_warned},
                    {"was_finite", s.was_finite},
                    {"always_saturated", s.always_saturated},
                    {"saturated_observations", s.saturated_observations}});
  return {{"base_seed", base_seed_}, {"seeds", list}};
}

RunChecks RunChecks::from_json(const nlohmann::json& j) {
  RunChecks checks;
  j.at("base_seed").get_to(checks.base_seed_);
  for (const auto& s : j.at("seeds")) {
    Seed seed;
    if (s.contains("first_loss")) {  // a checkpoint of an earlier version: the first step's loss was the reference
      const double first_loss = s.at("first_loss").get<double>();
      seed.reference_sum = first_loss < 0 ? 0 : first_loss * kReferenceSteps;
      seed.reference_steps = first_loss < 0 ? 0 : kReferenceSteps;
    } else {
      s.at("reference_sum").get_to(seed.reference_sum);
      s.at("reference_steps").get_to(seed.reference_steps);
    }
    s.at("interval_sum").get_to(seed.interval_sum);
    s.at("interval_steps").get_to(seed.interval_steps);
    s.at("loss_warned").get_to(seed.loss_warned);
    s.at("nonfinite_warned").get_to(seed.nonfinite_warned);
    s.at("was_finite").get_to(seed.was_finite);
    s.at("always_saturated").get_to(seed.always_saturated);
    s.at("saturated_observations").get_to(seed.saturated_observations);
    checks.seeds_.push_back(seed);
  }
  return checks;
}

}  // namespace cotdyn::simulation
