// Notebook 9 — Does a larger student generalise better? The committee machine at sigma > 0.
//
// A two-layer teacher with M = 2 erf units labels its inputs with output noise sigma = 0.1; a
// student with K >= M units learns from them by online SGD. Goldt et al. (2019) found that when only
// the first layer is trained (eta_v = 0, v fixed at the teacher's v* = 1) a larger student ends with
// a *higher* generalisation error than K = M: its surplus units cannot be switched off, so they fit
// the noise. When the second layer is trained too (eta_v > 0), the surplus units' output weights
// shrink and the error does not grow with K (for erf it falls). docs/models/committee.md §6.1 derives
// what to expect; this notebook integrates the ODEs of §4 to t = 1e5 for K = 2 ... 6 with and without
// second-layer training, from three random initial conditions each, and reports the final eg.
//
// Theory only (no LibTorch): every (K, eta_v, initial condition) is one ODE, solved in parallel.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/notebooks_cpp/notebook.hpp>

namespace nb = cotdyn::notebook;
namespace mf = cotdyn::meanfield::committee;
using cotdyn::plots::Figure;
using cotdyn::plots::Panel;
using cotdyn::plots::Series;

namespace {

// The order parameters of random weights: an orthonormal teacher (T = I exactly, scaled to |w*|^2 = N)
// and a student with iid N(0, s^2) components, at input dimension N. Seeded, so the draws repeat.
mf::State random_start(int K, int M, double s, int N, unsigned seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd teacher(M, N), student(K, N);
  for (int n = 0; n < M; ++n)
    for (int j = 0; j < N; ++j) teacher(n, j) = normal(engine);
  for (int i = 0; i < K; ++i)
    for (int j = 0; j < N; ++j) student(i, j) = s * normal(engine);
  // Gram-Schmidt: T = teacher teacher^T / N = I.
  for (int n = 0; n < M; ++n) {
    for (int m = 0; m < n; ++m) teacher.row(n) -= teacher.row(n).dot(teacher.row(m)) / N * teacher.row(m);
    teacher.row(n) *= std::sqrt(N) / teacher.row(n).norm();
  }
  mf::State state;
  state.Q = student * student.transpose() / N;
  state.R = student * teacher.transpose() / N;
  state.T = teacher * teacher.transpose() / N;
  state.v = Eigen::VectorXd::Ones(K);
  return state;
}

struct Point {
  int K = 0;
  double eta_v = 0;
  int draw = 0;
  double final_eg = NAN;
  std::vector<double> t, eg;  // the learning curve, for the figure
  double surplus_v = NAN;     // smallest |v_i| at the end (eta_v > 0: the switched-off units)
  double seconds = 0;
};

void body(nb::Context& c) {
  const bool reduced = c.options.reduced;
  const int M = 2;
  const double eta = 0.5, sigma = 0.1, init_scale = 1.0;
  const int N = 1000;  // the input dimension the random initial overlaps are drawn at
  const double t_max = reduced ? 100.0 : 1e5;
  const std::vector<int> Ks = reduced ? std::vector<int>{2, 3} : std::vector<int>{2, 3, 4, 5, 6};
  const std::vector<double> eta_vs = {0.0, 0.5};
  const int draws = reduced ? 1 : 3;
  const auto times = mf::log_spaced_times(0.01, t_max, 10);

  std::vector<Point> points;
  for (double eta_v : eta_vs)
    for (int K : Ks)
      for (int d = 0; d < draws; ++d) points.push_back({K, eta_v, d});
  c.log(fmt::format("solving {} ODEs to t = {}", points.size(), t_max));
  // Longest first: the cost grows with K.
  std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.K > b.K; });
  tbb::parallel_for(std::size_t(0), points.size(), [&](std::size_t j) {
    Point& p = points[j];
    const auto start = std::chrono::steady_clock::now();
    mf::Parameters parameters;
    parameters.M = M;
    parameters.K = p.K;
    parameters.eta = eta;
    parameters.eta_v = p.eta_v;
    parameters.sigma = sigma;
    parameters.v_star = Eigen::VectorXd::Ones(M);
    const auto run = mf::integrate(parameters, random_start(p.K, M, init_scale, N, 1000 * p.K + p.draw), times);
    p.t = run.times;
    p.eg = run.column("eg");
    p.final_eg = p.eg.back();
    p.surplus_v = run.state(run.times.size() - 1).v.cwiseAbs().minCoeff();
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  c.log("solved");

  // Per (eta_v, K): min, mean and max of the final eg over the initial conditions.
  struct Summary {
    double lo = INFINITY, hi = -INFINITY, mean = 0, surplus_v = INFINITY;
  };
  std::map<std::pair<double, int>, Summary> summary;
  for (const auto& p : points) {
    auto& s = summary[{p.eta_v, p.K}];
    s.lo = std::min(s.lo, p.final_eg);
    s.hi = std::max(s.hi, p.final_eg);
    s.mean += p.final_eg / draws;
    s.surplus_v = std::min(s.surplus_v, p.surplus_v);
  }

  // The figure: (a) final eg against K, both settings, a marker per initial condition and the
  // mean joined; (b) the learning curves of the first initial condition, K = M and the largest K.
  Figure figure;
  figure.name = "overparameterisation";
  figure.title = fmt::format("Committee machine, M = {}, sigma = {}: final eg against the student's K", M, sigma);
  figure.columns = 2;
  Panel a, b;  // added to the figure once filled
  a.title = fmt::format("(a) {{/Symbol e}}_g at t = {:g}", t_max);
  a.x_label = "student units K";
  a.y_label = "{/Symbol e}_g(t_{max})";
  a.log_y = true;
  a.x_tics = std::vector<double>(Ks.begin(), Ks.end());
  a.x_format = "%.0f";
  a.key = cotdyn::plots::KeyPosition::top_left;
  b.title = "(b) learning curves (first initial condition)";
  b.x_label = "t";
  b.y_label = "{/Symbol e}_g";
  b.log_x = b.log_y = true;
  b.x_range.min = times.front();
  b.key = cotdyn::plots::KeyPosition::bottom_left;
  for (std::size_t e = 0; e < eta_vs.size(); ++e) {
    const auto colour = cotdyn::plots::palette_color(e);
    const std::string label = eta_vs[e] > 0 ? fmt::format("both layers (eta_v = {})", eta_vs[e]) : "first layer only";
    std::vector<double> k, mean, scatter_k, scatter;
    for (int K : Ks) {
      k.push_back(K);
      mean.push_back(summary[{eta_vs[e], K}].mean);
    }
    for (const auto& p : points)
      if (p.eta_v == eta_vs[e]) {
        scatter_k.push_back(p.K);
        scatter.push_back(p.final_eg);
      }
    a.add(Series::line(label + ", mean", k, mean).with_color(colour).with_points(7, 1.0));
    a.add(Series::points("", scatter_k, scatter).with_color(colour).with_points(6, 1.4));
    for (const auto& p : points)
      if (p.eta_v == eta_vs[e] && p.draw == 0 && (p.K == Ks.front() || p.K == Ks.back()))
        b.add(Series::line(fmt::format("K = {}, {}", p.K, label), p.t, p.eg)
                  .with_color(colour)
                  .with_dash(p.K == Ks.front() ? 1 : 2));
  }
  figure.add(a);
  figure.add(b);
  const std::string stem = c.save(figure);

  // The numbers, and the two statements the published effect makes.
  std::vector<std::vector<std::string>> rows;
  nlohmann::json results;
  bool worse_without = true, non_increasing_with = true;
  double previous_with = INFINITY;
  const double at_M_without = summary[{0.0, M}].mean;
  for (int K : Ks) {
    const auto& without = summary[{0.0, K}];
    const auto& with = summary[{0.5, K}];
    rows.push_back({std::to_string(K), nb::sig(without.mean, 4), fmt::format("{} … {}", nb::sig(without.lo), nb::sig(without.hi)),
                    nb::sig(with.mean, 4), fmt::format("{} … {}", nb::sig(with.lo), nb::sig(with.hi)),
                    nb::sig(with.surplus_v, 3)});
    if (K > M && !(without.lo > at_M_without)) worse_without = false;
    if (with.hi > previous_with * (1 + 1e-6)) non_increasing_with = false;
    previous_with = with.hi;
    results["final_eg"]["first_layer_only"][std::to_string(K)] = {nb::json_number(without.lo), nb::json_number(without.hi)};
    results["final_eg"]["both_layers"][std::to_string(K)] = {nb::json_number(with.lo), nb::json_number(with.hi)};
  }
  double smallest_v_over_M = INFINITY, largest_v_over_M = -INFINITY;
  for (int K : Ks)
    if (K > M) {
      smallest_v_over_M = std::min(smallest_v_over_M, summary[{0.5, K}].surplus_v);
      largest_v_over_M = std::max(largest_v_over_M, summary[{0.5, K}].surplus_v);
    }
  results["worse_than_K_equals_M_without_second_layer"] = worse_without;
  results["non_increasing_with_second_layer"] = non_increasing_with;
  double slowest = 0;
  for (const auto& p : points) slowest = std::max(slowest, p.seconds);
  results["slowest_solve_seconds"] = slowest;

  c.report.summary(fmt::format(
      "At sigma = {}, eg at t = {:g}: with the first layer only, every K > M ends {} K = M ({}); with both layers "
      "trained eg is {} in K ({} at K = {} down to {} at K = {}).",
      sigma, t_max, worse_without ? "above" : "NOT always above", nb::sig(at_M_without, 3),
      non_increasing_with ? "non-increasing" : "NOT non-increasing", nb::sig(summary[{0.5, Ks.front()}].mean, 3),
      Ks.front(), nb::sig(summary[{0.5, Ks.back()}].mean, 3), Ks.back()));
  c.report.paragraph(
      "**Question.** With label noise, does a student with more hidden units than the teacher generalise worse "
      "(only the first layer trained) or at least as well (both layers trained), as Goldt et al. (2019) reported?");
  c.report.paragraph(fmt::format(
      "**Computation.** The ODEs of docs/models/committee.md §4 (erf, M = {}, eta = {}, sigma = {}, v(0) = v* = 1, "
      "T = I) integrated with Dormand–Prince (rtol 1e-10) to t = {:g} for K = {} and eta_v = 0 and 0.5, from {} "
      "random initial condition(s) each (student weights iid N(0, {}²) at N = {}, an orthonormal teacher). eg is "
      "the noise-free generalisation error (§3).",
      M, eta, sigma, t_max, nb::join(Ks), draws, init_scale, N));
  c.report.figure(stem, "(a) eg at t_max against K, first layer only and both layers; markers are the initial "
                        "conditions, the line their mean. (b) Learning curves at K = M and the largest K.");
  c.report.heading("Numbers");
  c.report.table({"K", "eg, first layer only (mean)", "range", "eg, both layers (mean)", "range",
                  "smallest |v_i| at t_max (both layers)"},
                 rows);
  c.report.paragraph(fmt::format(
      "**What to look for.** Without second-layer training every student unit keeps its output weight 1, so the "
      "surplus units cannot be switched off and are heated by the noise: eg(K) > eg(M) for every K > M, and not "
      "monotonically in K (an even number of surplus units can pair up with opposite weight vectors and cancel, "
      "docs/models/committee.md §6.1). With both layers trained the second-layer weights adapt: here the smallest "
      "|v_i| at t_max is {} for K = {} and between {} and {} for K > M, i.e. several student units share a teacher "
      "unit's output, and eg falls with K. For K > M the approach to the final state is slow, so eg at t_max is not "
      "the t → ∞ value; the ranges over initial conditions show how far it is settled.",
      nb::sig(summary[{0.5, M}].surplus_v, 3), M, nb::sig(smallest_v_over_M, 3), nb::sig(largest_v_over_M, 3)));
  c.manifest.results() = results;
  c.manifest.json()["threads"]["used"] = "oneTBB default";
}

}  // namespace

int main(int argc, char** argv) {
  return nb::run(argc, argv,
                 {"09_committee_overparameterisation",
                  "Notebook 9 — Committee machine: final eg against K, with and without second-layer training",
                  "The final generalisation error of the committee machine at sigma > 0 against the student's K.",
                  nullptr, body});
}
