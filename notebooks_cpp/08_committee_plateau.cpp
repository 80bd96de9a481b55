// Notebook 8 — How long is the committee machine's plateau, against the initial weight scale?
//
// A student with K = 2 erf units learning from a teacher with M = 2 (eta = 0.5, second layer fixed,
// no noise) first reaches an unspecialised plateau on which both student units are alike; it leaves
// it when the small differences between the units, which grow exponentially there, become of order
// one. The initial differences are of order s/sqrt(N) (s: the initial weight scale), so the
// plateau's end should move later as s shrinks, by about ln(1/s)/lambda with lambda the growth rate
// of the asymmetric mode on the plateau (docs/models/committee.md §6.2). This notebook measures that
// with the ODE over three decades of s (each seed's ODE from that seed's own initial weights, the seed
// mean reported) and trains the network at a few s to set the simulation's specialisation times beside
// the ODE's.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <cotdyn/meanfield/committee/milestones.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>
#include <cotdyn/simulation/training_loop.hpp>

namespace nb = cotdyn::notebook;
namespace mf = cotdyn::meanfield::committee;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

struct TheoryPoint {
  double s = 0;
  cotdyn::models::Trajectory trajectory;  // seed mean of the ODEs, with the milestones
};

struct SimulatedPoint {
  double s = 0;
  std::vector<double> t_spec;  // per seed (NaN: not specialised by t_max)
  double ode_t_spec = NAN;     // seed mean of the same seeds' ODEs
};

cotdyn::core::Config at_scale(const cotdyn::core::Config& base, double s) {
  auto config = base;
  config.apply_set(fmt::format("committee.init_scale={:.17g}", s));
  return config;
}

// The first observation at which a seed's measured overlaps are specialised (§6), NaN if none.
double measured_t_spec(const cotdyn::simulation::TrainingResult& result, std::uint64_t seed, int K, int M) {
  for (const auto& row : result.measurements) {
    if (row.seed != seed) continue;
    mf::State state{Eigen::MatrixXd(K, K), Eigen::MatrixXd(K, M), Eigen::MatrixXd(M, M), Eigen::VectorXd(K)};
    auto get = [&](const std::string& name) { return result.value(row, name); };
    for (int i = 0; i < K; ++i)
      for (int k = i; k < K; ++k) state.Q(i, k) = state.Q(k, i) = get(fmt::format("Q_{}_{}", i, k));
    for (int i = 0; i < K; ++i)
      for (int n = 0; n < M; ++n) state.R(i, n) = get(fmt::format("R_{}_{}", i, n));
    for (int n = 0; n < M; ++n)
      for (int m = n; m < M; ++m) state.T(n, m) = state.T(m, n) = get(fmt::format("T_{}_{}", n, m));
    for (int i = 0; i < K; ++i) state.v(i) = get(fmt::format("v_{}", i));
    if (mf::is_specialised(state)) return row.t;
  }
  return NAN;
}

// The mean, NaN for no values.
double mean_of(const std::vector<double>& v) {
  if (v.empty()) return NAN;
  double sum = 0;
  for (double x : v) sum += x / v.size();
  return sum;
}

void body(nb::Context& c) {
  const bool reduced = c.options.reduced;
  const auto& model = cotdyn::models::model_for(c.config);
  const double t_max = c.config.get_number("train.t_max");
  const int K = static_cast<int>(c.config.get_integer("committee.K"));
  const int M = static_cast<int>(c.config.get_integer("committee.M"));
  const std::vector<double> scales = reduced ? std::vector<double>{0.01, 0.1, 1.0} : nb::log_space(1e-3, 1.0, 13);
  // The network is trained to t = 500 (s >= 0.01 specialises well before), the ODE runs longer.
  const double simulated_t_max = std::min(t_max, 500.0);
  const std::vector<double> simulated_scales = reduced ? std::vector<double>{0.1} : std::vector<double>{0.01, 0.1, 1.0};

  // The theory: one ODE per seed from its measured initial overlaps, seed means (CommitteeModel).
  std::vector<TheoryPoint> theory(scales.size());
  c.log(fmt::format("solving the ODEs of {} seeds at {} initial scales", c.config.get_integer("train.seeds"), scales.size()));
  tbb::parallel_for(std::size_t(0), scales.size(), [&](std::size_t j) {
    const auto config = at_scale(c.config, scales[j]);
    theory[j] = {scales[j], model.theory(config, nb::log_space(0.01, t_max, 200))};
  });

  // The simulation at a few scales: the model's own system on its schedule, one job per scale.
  std::vector<SimulatedPoint> simulated(simulated_scales.size());
  tbb::parallel_for(std::size_t(0), simulated_scales.size(), [&](std::size_t j) {
    auto config = at_scale(c.config, simulated_scales[j]);
    config.apply_set(fmt::format("train.t_max={:.17g}", simulated_t_max));
    c.log(fmt::format("training s = {} ({} seeds, N = {})", simulated_scales[j], config.get_integer("train.seeds"),
                      config.get_integer("committee.N")));
    auto system = model.simulated_system(config);
    cotdyn::simulation::RunOptions options;
    options.progress = false;
    const auto schedule = cotdyn::models::schedule(model, config);
    const auto result = cotdyn::simulation::train(*system, schedule, options);
    SimulatedPoint point{simulated_scales[j], {}, NAN};
    for (int e = 0; e < system->num_seeds(); ++e)
      point.t_spec.push_back(measured_t_spec(result, schedule.base_seed + e, K, M));
    point.ode_t_spec = model.theory(config, {0.0, t_max}).milestone("t_spec");
    simulated[j] = point;
  });
  c.log("done");

  // The figure: (a) the ODE's plateau start and end and t_spec against s, the simulated t_spec;
  // (b) the ODE's learning curves at a few s.
  Figure figure;
  figure.name = "committee_plateau";
  figure.title = "Committee machine (erf, M = K = 2): the plateau against the initial weight scale s";
  figure.columns = 2;
  Panel a, b;  // added to the figure once filled
  a.title = "(a) plateau and specialisation";
  a.x_label = "initial weight scale s";
  a.y_label = "t";
  a.log_x = true;
  a.key = cotdyn::plots::KeyPosition::top_right;
  std::vector<double> s, start, end, t_spec;
  for (const auto& p : theory) {
    s.push_back(p.s);
    start.push_back(p.trajectory.milestone("plateau_start"));
    end.push_back(p.trajectory.milestone("plateau_end"));
    t_spec.push_back(p.trajectory.milestone("t_spec"));
  }
  a.add(Series::band("plateau of the ODE (|d ln eg / d ln t| < 0.1)", s, start, end).with_color(cotdyn::plots::palette_color(0)));
  a.add(Series::line("t_{spec}, ODE (seed mean)", s, t_spec).with_color(cotdyn::plots::palette_color(1)).with_points(7, 0.8));
  std::vector<double> sim_s, sim_mean, sim_sd;
  for (const auto& p : simulated) {
    std::vector<double> finite;  // seeds that specialised by t_max
    for (double x : p.t_spec)
      if (std::isfinite(x)) finite.push_back(x);
    const double mean = mean_of(finite);
    double var = 0;
    for (double x : finite) var += (x - mean) * (x - mean) / finite.size();
    sim_s.push_back(p.s);
    sim_mean.push_back(mean);
    sim_sd.push_back(std::sqrt(var));
  }
  a.add(Series::error_bars("t_{spec}, simulation (mean ± s.d.)", sim_s, sim_mean, sim_sd)
            .with_color("#000000")
            .with_points(5, 1.2));
  b.title = "(b) the ODE's learning curves";
  b.x_label = "t";
  b.y_label = "{/Symbol e}_g";
  b.log_x = b.log_y = true;
  b.key = cotdyn::plots::KeyPosition::bottom_left;
  for (std::size_t j = 0; j < theory.size(); j += std::max<std::size_t>(1, theory.size() / 4))
    b.add(Series::line(fmt::format("s = {}", nb::sig(theory[j].s, 2)), theory[j].trajectory.column("t"),
                       theory[j].trajectory.column("eg"))
              .with_color(cotdyn::plots::palette_color(j)));
  figure.add(a);
  figure.add(b);
  const std::string stem = c.save(figure);

  // The numbers: the milestones per s, and the slope of the plateau's end against ln(1/s) over s <= 0.1.
  std::vector<std::vector<std::string>> rows;
  nlohmann::json results;
  std::vector<double> log_inverse, ends;
  for (const auto& p : theory) {
    const auto& m = p.trajectory;
    rows.push_back({nb::sig(p.s, 3), nb::fixed(m.milestone("plateau_start"), 1), nb::fixed(m.milestone("plateau_end"), 1),
                    nb::fixed(m.milestone("plateau_end") - m.milestone("plateau_start"), 1),
                    nb::sig(m.milestone("eg_plateau"), 4), nb::fixed(m.milestone("t_spec"), 1)});
    results["theory"].push_back({{"s", p.s},
                                 {"plateau_start", nb::json_number(m.milestone("plateau_start"))},
                                 {"plateau_end", nb::json_number(m.milestone("plateau_end"))},
                                 {"eg_plateau", nb::json_number(m.milestone("eg_plateau"))},
                                 {"t_spec", nb::json_number(m.milestone("t_spec"))}});
    if (p.s <= 0.1 + 1e-12 && std::isfinite(m.milestone("t_spec"))) {
      log_inverse.push_back(std::log(1 / p.s));
      ends.push_back(m.milestone("t_spec"));
    }
  }
  // t_spec = a + b ln(1/s): a straight line in ln(1/s) (least squares).
  double slope = NAN, intercept = NAN;
  if (log_inverse.size() >= 2) {
    const double mx = mean_of(log_inverse), my = mean_of(ends);
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      sxx += (log_inverse[i] - mx) * (log_inverse[i] - mx);
      sxy += (log_inverse[i] - mx) * (ends[i] - my);
    }
    slope = sxy / sxx;
    intercept = my - slope * mx;
  }
  std::vector<std::vector<std::string>> sim_rows;
  for (const auto& p : simulated) {
    std::vector<double> finite;
    for (double x : p.t_spec)
      if (std::isfinite(x)) finite.push_back(x);
    sim_rows.push_back({nb::sig(p.s, 3), fmt::format("{}/{}", finite.size(), p.t_spec.size()), nb::join(p.t_spec),
                        nb::fixed(mean_of(finite), 1), nb::fixed(p.ode_t_spec, 1)});
    results["simulation"].push_back({{"s", p.s}, {"t_spec", p.t_spec}, {"ode_t_spec", nb::json_number(p.ode_t_spec)}});
  }
  results["t_spec_slope_in_ln_inverse_s"] = nb::json_number(slope);
  results["t_spec_intercept"] = nb::json_number(intercept);

  c.report.summary(fmt::format(
      "The ODE's specialisation time grows by {} per unit of ln(1/s) for s <= 0.1 (t_spec = {} at s = {}, {} at "
      "s = {}); the simulated seeds specialise at mean t = {} (s = {}) against their ODEs' {}.",
      nb::fixed(slope, 1), nb::fixed(theory.front().trajectory.milestone("t_spec"), 1), nb::sig(theory.front().s, 2),
      nb::fixed(theory.back().trajectory.milestone("t_spec"), 1), nb::sig(theory.back().s, 2),
      nb::fixed(sim_mean.front(), 1), nb::sig(simulated.front().s, 2), nb::fixed(simulated.front().ode_t_spec, 1)));
  c.report.paragraph(
      "**Question.** The committee machine's plateau ends when the student units break their symmetry. How does "
      "its length depend on the initial weight scale s, and does the trained network follow its ODE?");
  c.report.paragraph(fmt::format(
      "**Computation.** erf, M = K = {}, eta = {}, v = v* = 1, sigma = 0, N = {}, {} seeds (seed e from train.seed "
      "+ e). For each s, one ODE per seed from that seed's initial overlaps (committee.initial = \"measured\"), "
      "integrated to t = {:g}; the milestones (docs/models/committee.md §6) are the seed means of the seeds' ODE "
      "milestones. The network is trained by online SGD to t = {:g} at s = {} and the first observation with "
      "specialised overlaps (the rule of §6 on the measured Q, R, T) is each seed's t_spec.",
      K, c.config.get_number("committee.eta"), c.config.get_integer("committee.N"), c.config.get_integer("train.seeds"),
      t_max, simulated_t_max, nb::join(simulated_scales)));
  c.report.figure(stem, "(a) The ODE's plateau (band) and specialisation time against s, with the simulation's t_spec; "
                        "(b) the ODE's eg at a few s.");
  c.report.heading("Numbers: the ODE");
  c.report.table({"s", "plateau start", "plateau end", "length", "eg on the plateau", "t_spec"}, rows);
  c.report.paragraph(fmt::format("Least squares over s ≤ 0.1: t_spec ≈ {} + {} ln(1/s).", nb::fixed(intercept, 1),
                                 nb::fixed(slope, 1)));
  c.report.heading("Numbers: the simulation");
  c.report.table({"s", "seeds specialised", "t_spec per seed", "mean", "ODE (seed mean)"}, sim_rows);
  std::string gaps;
  for (std::size_t j = 0; j < simulated.size(); ++j)
    gaps += fmt::format("{}{} (s = {}, seed s.d. {})", j ? ", " : "", nb::fixed(sim_mean[j] - simulated[j].ode_t_spec, 1),
                        nb::sig(simulated[j].s, 2), nb::fixed(sim_sd[j], 1));
  c.report.paragraph(
      "**What to look for.** On the plateau the asymmetric mode grows like exp(lambda t), so the ODE's t_spec grows "
      "linearly in ln(1/s) once s is small enough for the initial transient not to matter (docs/models/committee.md "
      "§6.2). In the network the SGD noise also breaks the symmetry, with amplitude ~1/sqrt(N) whatever s, which "
      "would end the simulated plateau earlier than the ODE's at small s. Measured, simulation minus ODE (seed "
      "means): " + gaps + "; a difference within about one seed standard deviation over sqrt(seeds) is not "
      "resolved by this many seeds.");
  c.manifest.results() = results;
  c.manifest.json()["threads"]["used"] = "oneTBB default; LibTorch 1 thread per job";
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"08_committee_plateau",
                  "Notebook 8 — Committee machine: the plateau against the initial weight scale",
                  "The committee machine's plateau and specialisation time against the initial weight scale.",
                  [](bool reduced) {
                    return std::vector<std::string>{
                        "model.kind=committee",
                        reduced ? "committee.N=100" : "committee.N=500",
                        reduced ? "train.t_max=100" : "train.t_max=1000",
                        reduced ? "train.seeds=2" : "train.seeds=5",
                        "committee.threads=1",
                        "committee.test_size=100",
                        reduced ? "observe.times=\"log:0.1:t_max:20\"" : "observe.times=\"log:0.1:t_max:100\""};
                  },
                  body});
}
