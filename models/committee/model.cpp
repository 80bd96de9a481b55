#include <cotdyn/models/committee/model.hpp>

#include <cmath>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cotdyn/core/libtorch_needed.hpp>
#include <cotdyn/core/observation_grid.hpp>
#include <cotdyn/models/committee/comparison_figures.hpp>
#include <cotdyn/models/committee/specialisation_times.hpp>
#include <cotdyn/models/committee/student_permutation.hpp>
#include <cotdyn/models/divergent_theory.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/meanfield/committee/milestones.hpp>
#include <cotdyn/simulation/committee/memory.hpp>
#include <cotdyn/simulation/committee/settings.hpp>
#include <cotdyn/simulation/schedule.hpp>
#ifdef COTDYN_WITH_TORCH
#include <cotdyn/simulation/committee/system.hpp>
#endif

namespace cotdyn::models::committee {

const std::string& committee_config_text();  // committee.toml, embedded at configure time

namespace {

namespace theory = meanfield::committee;
using simulation::committee::CommitteeSettings;

CommitteeSettings settings_of(const core::Config& config) {
  CommitteeSettings s;
  s.N = static_cast<int>(config.get_integer_in("committee.N", 1, 100'000'000));
  s.M = static_cast<int>(config.get_integer_in("committee.M", 1, 64));
  s.K = static_cast<int>(config.get_integer_in("committee.K", 1, 64));
  try {
    s.activation = theory::activation_from_string(config.get_string("committee.activation"));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(fmt::format("committee.activation = \"{}\": must be \"erf\" or \"linear\"",
                                            config.get_string("committee.activation")));
  }
  s.eta = config.get_number("committee.eta");
  s.eta_v = config.get_number("committee.eta_v");
  s.sigma = config.get_number("committee.sigma");
  s.kappa = config.get_number("committee.weight_decay");
  s.init_scale = config.get_number("committee.init_scale");
  s.v0 = config.get_number_list("committee.v0");
  s.v_star = config.get_number_list("committee.teacher_v");
  s.seeds = static_cast<int>(config.get_integer_in("train.seeds", 1, 1'000'000));
  s.base_seed = base_seed(config);
  s.test_size = static_cast<int>(config.get_integer_in("committee.test_size", 1, 100'000'000));
  s.test_seed = static_cast<std::uint64_t>(config.get_integer_in("committee.test_seed", 0, 1'000'000'000));
  s.threads = static_cast<int>(config.get_integer_in("committee.threads", 0, 4096));
  s.batch = static_cast<int>(config.get_integer_in("committee.batch", 1, 1'000'000));
  s.dtype = core::parse_choice("committee.dtype", config.get_string("committee.dtype"), simulation::precision_names);
  s.device = core::parse_choice("committee.device", config.get_string("committee.device"), simulation::device_names);
  simulation::committee::validate(s);
  return s;
}

theory::Tolerances tolerances_of(const core::Config& config) {
  theory::Tolerances t{config.get_number("theory.rtol"), config.get_number("theory.atol")};
  theory::validate(t);
  return t;
}

Eigen::MatrixXd matrix(const core::Config& config, const std::string& key, int rows, int columns) {
  const auto values = config.get_number_matrix(key);
  bool ok = static_cast<int>(values.size()) == rows;
  for (const auto& row : values) ok = ok && static_cast<int>(row.size()) == columns;
  if (!ok) throw std::invalid_argument(fmt::format("{}: must be a {} x {} matrix for the explicit start", key, rows, columns));
  Eigen::MatrixXd m(rows, columns);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < columns; ++j) m(i, j) = values[i][j];
  return m;
}

// The theory's initial states: one per seed ("measured"), or the explicit one.
std::vector<theory::State> initial_states(const core::Config& config, const CommitteeSettings& s) {
  const std::string initial = config.get_string("committee.initial");
  if (initial == "explicit") {
    theory::State state;
    state.Q = matrix(config, "committee.Q0", s.K, s.K);
    state.R = matrix(config, "committee.R0", s.K, s.M);
    state.T = config.get_number_matrix("committee.T").empty() ? Eigen::MatrixXd::Identity(s.M, s.M)
                                                              : matrix(config, "committee.T", s.M, s.M);
    state.v = s.v0_vector();
    theory::validate(state, s.parameters());
    return {state};
  }
  if (initial != "measured")
    throw std::invalid_argument(
        fmt::format("committee.initial = \"{}\": must be \"measured\" or \"explicit\"", initial));
#ifdef COTDYN_WITH_TORCH
  return simulation::committee::initial_states(s);
#else
  throw core::LibTorchNeeded(
      "committee.initial = \"measured\" needs the simulator's initial weights (a LibTorch build); use \"explicit\"");
#endif
}

// A solution that leaves the stable range (docs/models/committee.md §5.1) is bad input: the learning
// rate of the layer whose weights diverged is above the stable range.
[[noreturn]] void refuse(const theory::Divergence& d, const CommitteeSettings& s) {
  const bool second_layer = d.quantity.rfind("v_", 0) == 0 && s.eta_v > 0;
  const std::string key = second_layer ? "committee.eta_v" : "committee.eta";
  const double value = second_layer ? s.eta_v : s.eta;
  const std::string what = std::isfinite(d.value) ? fmt::format("{} = {:.6g} exceeds its bound {:.6g}", d.quantity,
                                                                d.value, d.bound)
                                                  : fmt::format("{} = {} is not finite", d.quantity, d.value);
  // The stable range depends on the scales of the teacher and of the start too, so those keys are named.
  throw DivergentTheory(fmt::format(
      "{} = {}: the ODE diverges at t = {:.6g} ({}): the learning rate is above the stable range for this "
      "teacher and start (set by committee.eta, committee.eta_v, committee.teacher_v, committee.v0, committee.init_scale, "
      "committee.sigma and "
      "committee.weight_decay); lower {} or those scales (docs/models/committee.md §5.1)",
      key, value, d.t, what, key));
}

theory::Trajectory integrate_or_refuse(const CommitteeSettings& s, const theory::State& start,
                                       const std::vector<double>& times, const theory::Tolerances& tolerances) {
  try {
    return theory::integrate(s.parameters(), start, times, tolerances);
  } catch (const theory::Divergence& d) {
    refuse(d, s);
  }
}

}  // namespace

std::string CommitteeModel::summary() const {
  return "two-layer soft committee machine, teacher and student (Saad-Solla ODEs for Q, R, v; "
         "docs/models/committee.md)";
}

std::string CommitteeModel::default_sections() const { return committee_config_text(); }

void CommitteeModel::validate(const core::Config& config) const {
  const auto s = settings_of(config);
  tolerances_of(config);
  const std::string initial = config.get_string("committee.initial");
  if (initial != "explicit" && initial != "measured")
    throw std::invalid_argument(
        fmt::format("committee.initial = \"{}\": must be \"measured\" or \"explicit\"", initial));
  // The learning rates must keep the ODE in its stable range up to t_max (§5.1): one ODE from the
  // first initial state, observed 20 times per decade from t = 0.01.
  const double t_max = core::resolve_t_max(config);
  if (t_max > 0.01)
    integrate_or_refuse(s, initial_states(config, s).front(), theory::log_spaced_times(0.01, t_max, 20),
                        tolerances_of(config));
}

std::int64_t CommitteeModel::steps_per_unit_time(const core::Config& config) const {
  return config.get_integer_in("committee.N", 1, 100'000'000);
}

std::vector<std::string> CommitteeModel::milestone_names() const {
  return {"t_spec", "t_star", "eg_plateau", "plateau_start", "plateau_end", "final_eg"};
}

Trajectory CommitteeModel::theory(const core::Config& config, const std::vector<double>& times) const {
  const auto s = settings_of(config);
  const auto parameters = s.parameters();
  const auto tolerances = tolerances_of(config);
  const auto starts = initial_states(config, s);
  Trajectory mean;
  std::vector<std::vector<double>> milestone_values;
  for (const auto& start : starts) {
    // The milestones' fine grid first, so that a divergence is reported at the time it happens.
    const double t_last = times.empty() ? 0.0 : times.back();
    const double nan = std::nan("");
    std::optional<theory::Milestones> m;
    if (t_last > 0.01) {
      try {
        m = theory::theory_milestones(parameters, start, t_last, tolerances);
      } catch (const theory::Divergence& d) {
        refuse(d, s);
      }
    }
    const auto run = integrate_or_refuse(s, start, times, tolerances);
    if (mean.columns.empty()) {
      mean.columns = {"t"};
      mean.columns.insert(mean.columns.end(), run.names.begin(), run.names.end());
      mean.rows.assign(run.times.size(), std::vector<double>(mean.columns.size(), 0.0));
    }
    for (std::size_t i = 0; i < run.times.size(); ++i) {
      mean.rows[i][0] = run.times[i];
      for (std::size_t c = 0; c < run.names.size(); ++c) mean.rows[i][c + 1] += run.columns[c][i] / starts.size();
    }
    // The milestones come from the ODE's own log grid from t = 0.01 up to the last requested time.
    if (!m) {
      milestone_values.push_back(std::vector<double>(milestone_names().size(), nan));
      continue;
    }
    milestone_values.push_back({m->t_spec.value_or(nan), m->t_star.value_or(nan), m->eps_plateau.value_or(nan),
                                m->plateau_start.value_or(nan), m->plateau_end.value_or(nan), m->final_eps_g});
  }
  // Each milestone is the mean over the seeds' ODEs (NaN when one of them does not reach it).
  const auto names = milestone_names();
  for (std::size_t k = 0; k < names.size(); ++k) {
    double sum = 0;
    for (const auto& v : milestone_values) sum += v[k];
    mean.milestones.push_back({names[k], sum / milestone_values.size()});
  }
  return mean;
}

void CommitteeModel::validate_simulation(const core::Config& config) const { settings_of(config); }

std::unique_ptr<simulation::SimulatedSystem> CommitteeModel::simulated_system(const core::Config& config) const {
#ifdef COTDYN_WITH_TORCH
  return simulation::committee::make_committee_system(settings_of(config));
#else
  (void)config;
  return nullptr;
#endif
}

core::MemoryEstimate CommitteeModel::simulation_memory(const core::Config& config) const {
  return simulation::committee::memory_estimate(settings_of(config));
}

int CommitteeModel::training_threads(const core::Config& config) const {
  // The fused step is one loop per seed on the CPU; committee.threads = 1 keeps LibTorch's
  // measurements serial too (docs/models/committee.md §8.5).
  const auto s = settings_of(config);
  return s.threads == 1 && s.device == simulation::DeviceKind::cpu ? 1 : 0;
}

std::string CommitteeModel::simulation_summary(const core::Config& config) const {
  const auto s = settings_of(config);
  return fmt::format("committee machine, N = {}, K = {} student and M = {} teacher units, {}, {} seeds, {} steps",
                     s.N, s.K, s.M, theory::to_string(s.activation), s.seeds,
                     simulation::observation_step(core::resolve_t_max(config), s.N));
}

std::vector<ComparedQuantity> CommitteeModel::compared(const core::Config& config) const {
  const auto s = settings_of(config);
  std::vector<ComparedQuantity> pairs = {{"eg", "eg"}, {"eg_test", "eg"}};
  for (int i = 0; i < s.K; ++i)
    for (int k = i; k < s.K; ++k) pairs.push_back({fmt::format("Q_{}_{}", i, k), fmt::format("Q_{}_{}", i, k)});
  for (int i = 0; i < s.K; ++i)
    for (int n = 0; n < s.M; ++n) pairs.push_back({fmt::format("R_{}_{}", i, n), fmt::format("R_{}_{}", i, n)});
  return pairs;
}

ComparisonAdditions CommitteeModel::comparison_additions(const core::Config& config,
                                                         const std::vector<ComparedSize>& sizes) const {
  if (sizes.empty() || sizes.back().measured.empty()) return {};
  const double nan = std::nan("");
  ComparisonAdditions added;
  std::vector<SeedSpecialisation> specialisation;
  std::vector<SeedPermutation> permutations;
  Trajectory first_seed_ode;  // the first kept seed's ODE at the largest size
  int K = 0, M = 0;
  for (const auto& size : sizes) {
    const core::Config sized = at_size(*this, config, size.size);
    const auto s = settings_of(sized);
    K = s.K;
    M = s.M;
    const auto tolerances = tolerances_of(config);
    // Each kept seed's own ODE from its initial state (the explicit start when there is one), on the
    // observation times, and its milestones as theory() finds them.
    const auto starts = initial_states(sized, s);
    const auto times = size.theory.column("t");
    std::vector<Trajectory> aligned;
    for (std::size_t e = 0; e < size.measured.size(); ++e) {
      const auto& start = starts.at(starts.size() == 1 ? 0 : static_cast<std::size_t>(size.seeds[e] - s.base_seed));
      const auto run = integrate_or_refuse(s, start, times, tolerances);
      if (&size == &sizes.back() && e == 0) {
        first_seed_ode.columns = {"t"};
        first_seed_ode.columns.insert(first_seed_ode.columns.end(), run.names.begin(), run.names.end());
        for (std::size_t j = 0; j < run.times.size(); ++j) {
          std::vector<double> row = {run.times[j]};
          for (const auto& column : run.columns) row.push_back(column[j]);
          first_seed_ode.rows.push_back(row);
        }
      }
      // t_spec per seed (docs/models/committee.md §6, §8.7).
      double own_t_spec = nan;
      if (times.back() > 0.01) {
        try {
          own_t_spec = theory::theory_milestones(s.parameters(), start, times.back(), tolerances).t_spec.value_or(nan);
        } catch (const theory::Divergence& d) {
          refuse(d, s);
        }
      }
      specialisation.push_back({size.size, size.seeds[e], measured_t_spec(size.measured[e], s.K, s.M), own_t_spec,
                                size.theory.milestone("t_spec")});
      // The student units aligned to this seed's ODE at the last observation (§8.7).
      const std::size_t last = times.size() - 1;
      const auto pi = aligning_permutation(measured_state(size.measured[e], last, s.K, s.M).R, run.state(last).R);
      aligned.push_back(aligned_columns(size.measured[e], pi, s.K, s.M));
      permutations.push_back({size.size, size.seeds[e], pi});
    }
    added.derived.push_back(std::move(aligned));
  }
  for (int i = 0; i < K; ++i)
    for (int k = i; k < K; ++k) {
      const std::string name = fmt::format("Q_{}_{}", i, k);
      added.derived_pairs.push_back({aligned_name(name), name});
    }
  for (int i = 0; i < K; ++i)
    for (int n = 0; n < M; ++n) {
      const std::string name = fmt::format("R_{}_{}", i, n);
      added.derived_pairs.push_back({aligned_name(name), name});
    }
  const ComparedSize& largest = sizes.back();
  added.figures = {learning_curve_figure(sizes), overlap_figure(largest, K, M), one_seed_figure(largest, 0, first_seed_ode, K, M)};
  add_specialisation_times(specialisation, added);
  add_student_permutations(permutations, added);
  return added;
}

std::vector<std::string> CommitteeModel::generic_defaults() const {
  return {"train.t_max=500", "observe.times=\"log:0.1:t_max:60\"", "compare.d=[250, 500, 1000, 2000]"};
}

}  // namespace cotdyn::models::committee
