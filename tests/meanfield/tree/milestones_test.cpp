// Phase times, d = infinity accuracy and retrieval masses of the tree ODE (docs/models/tree.md §5-§6).
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <cotdyn/meanfield/tree/milestones.hpp>

using namespace cotdyn::meanfield::tree;

namespace {
bool same_or_both_nan(double a, double b, double tolerance) {
  return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) <= tolerance;
}
}  // namespace

TEST_CASE("the phase times of the backward task are the reference ones") {
  // Reference entry phase "bwd" (grid dt = 0.01, T_run = 100).
  const PhaseTimes t = phase_times(default_parameters(Task::backward));
  CHECK(std::abs(t.t_B - 36.98078202976412) < 1e-6);
  CHECK(std::abs(t.t_acc - 24.24991845908091) < 1e-6);
  CHECK(std::isnan(t.t_F));
  CHECK(std::isnan(t.t_S));
  CHECK(t.forward_head == -1);
}

TEST_CASE("the phase times of the forward task are the reference ones and head 2 specialises") {
  // Reference entry phase "fwd" (grid dt = 0.01, T_run = 250).
  const PhaseTimes t = phase_times(default_parameters(Task::forward));
  CHECK(std::abs(t.t_B - 59.340395139515955) < 1e-6);
  CHECK(std::abs(t.t_F - 140.39490863535957) < 1e-6);
  CHECK(std::abs(t.t_S - 146.22914463599133) < 1e-6);
  CHECK(std::abs(t.t_acc - 170.5554628630519) < 1e-6);
  CHECK(t.forward_head == 1);
}

TEST_CASE("the phase rules on named series: head 0 retrieves backward, head 1 forward and specialises") {
  // Two heads on t = 0..4: max_h m_B crosses 1/2 at t = 1.5, max_h m_F at t = 2.5 (head 1, the last
  // value decides the forward head), o_X - o_Y of head 1 at t = 3.25, the smallest margin turns
  // positive at t = 3.5.
  const std::vector<double> t = {0, 1, 2, 3, 4};
  const std::map<std::string, std::vector<double>> series = {
      {"head0_m_B", {0, 0.4, 0.6, 0.7, 0.8}}, {"head1_m_B", {0, 0.1, 0.2, 0.2, 0.2}},
      {"head0_m_F", {0, 0.1, 0.2, 0.2, 0.1}}, {"head1_m_F", {0, 0.1, 0.4, 0.6, 0.9}},
      {"head1_o_X", {0, 0, 0, 1.25, 1.75}},    {"head1_o_Y", {1, 1, 1, 1.5, 1}},
      {"min_margin", {-3, -2, -1, -0.5, 0.5}}};
  const auto lookup = [&](const std::string& name) -> const std::vector<double>& { return series.at(name); };
  const PhaseTimes p = phase_times(Task::forward, 2, t, lookup);
  CHECK(p.t_B == doctest::Approx(1.5));
  CHECK(p.t_F == doctest::Approx(2.5));
  CHECK(p.forward_head == 1);
  CHECK(p.t_S == doctest::Approx(3.25));
  CHECK(p.t_acc == doctest::Approx(3.5));
  const PhaseTimes b = phase_times(Task::backward, 2, t, lookup);
  CHECK(b.t_B == doctest::Approx(1.5));
  CHECK(std::isnan(b.t_F));
  CHECK(b.forward_head == -1);
}

TEST_CASE("the epsilon scan: specialisation slows down as eps shrinks and fails at eps = 0.01") {
  // Reference entry eps_scan (T_run = 1000, dt = 0.1), entries eps = 0.5, 0.05 and 0.01.
  struct Entry {
    double eps, t_B, t_acc, t_F, t_S;
  };
  for (const Entry& e : {Entry{0.5, 51.83530200498769, 127.01309219264073, 95.57821447155142, 85.47264221225808},
                         Entry{0.05, 64.52478545261354, 321.4577906894655, 280.65510439061, 294.68852762144144},
                         Entry{0.01, 66.57150707061824, 667.8111147969456, NAN, NAN}}) {
    Parameters p = default_parameters(Task::forward);
    p.epsilon = e.eps;
    const PhaseTimes t = phase_times(p, PhaseGrid{0.1, 1000.0});
    INFO("eps = " << e.eps);
    CHECK(same_or_both_nan(t.t_B, e.t_B, 1e-5));
    CHECK(same_or_both_nan(t.t_acc, e.t_acc, 1e-5));
    CHECK(same_or_both_nan(t.t_F, e.t_F, 1e-5));
    CHECK(same_or_both_nan(t.t_S, e.t_S, 1e-5));
    CHECK(t.forward_head == 1);
  }
}

TEST_CASE("the kappa-ODE phase times of the reference table") {
  // docs/models/tree.md §8, kappa-ODE table (3 decimals).
  struct Entry {
    Task task;
    double d, t_B, t_F, t_S, t_acc;
  };
  for (const Entry& e : {Entry{Task::backward, 64, 27.869, NAN, NAN, 18.013},
                         Entry{Task::backward, 256, 34.245, NAN, NAN, 22.375},
                         Entry{Task::forward, 64, 44.936, 97.107, 99.199, 120.082},
                         Entry{Task::forward, 256, 55.014, 126.759, 131.478, 154.215}}) {
    Parameters p = default_parameters(e.task);
    p.d = e.d;
    const PhaseTimes t = phase_times(p);
    INFO(to_string(e.task) << " d = " << e.d);
    CHECK(same_or_both_nan(t.t_B, e.t_B, 5e-4));
    CHECK(same_or_both_nan(t.t_F, e.t_F, 5e-4));
    CHECK(same_or_both_nan(t.t_S, e.t_S, 5e-4));
    CHECK(same_or_both_nan(t.t_acc, e.t_acc, 5e-4));
    if (e.task == Task::forward) CHECK(t.forward_head == 1);
  }
}

TEST_CASE("the per-query margins turn positive at the step times of the accuracy") {
  // docs/models/tree.md §6.1: backward 2.360, 21.085, 24.250; forward q1 39.336, q2 46.583, q4 92.051, q5 170.555.
  const std::vector<std::pair<Task, std::vector<std::pair<int, double>>>> cases = {
      {Task::backward, {{0, 2.360}, {1, 21.085}, {2, 24.250}}},
      {Task::forward, {{1, 39.336}, {2, 46.583}, {4, 92.051}, {5, 170.555}}}};
  for (const auto& [task, crossings] : cases) {
    const Parameters p = default_parameters(task);
    const Trajectory tr = integrate(p, grid_times({}, task));
    for (const auto& [q, time] : crossings) {
      INFO(to_string(task) << " q" << q);
      CHECK(std::abs(first_positive_crossing(tr.times, tr.column("margin_q" + std::to_string(q))) - time) < 5e-4);
    }
  }
}

TEST_CASE("the d = infinity accuracy is the step function of the theory") {
  const Parameters bwd = default_parameters(Task::backward), fwd = default_parameters(Task::forward);
  const Trajectory b = integrate(bwd, {0.0, 1.0, 10.0, 22.0, 30.0});
  const std::vector<double> b_expected = {1.0 / 21, 0.0, 1.0 / 3, 2.0 / 3, 1.0};
  for (std::size_t n = 0; n < b_expected.size(); ++n) CHECK(b.column("step_acc_inf")[n] == doctest::Approx(b_expected[n]));
  CHECK(b.column("exact_acc_inf") == std::vector<double>{0, 0, 0, 0, 1});

  const Trajectory f = integrate(fwd, {0.0, 0.01, 1.0, 40.0, 50.0, 100.0, 171.0});
  const std::vector<double> f_expected = {1.0 / 20, 1.0 / 4, 1.0 / 3, 1.0 / 2, 2.0 / 3, 5.0 / 6, 1.0};
  for (std::size_t n = 0; n < f_expected.size(); ++n) CHECK(f.column("step_acc_inf")[n] == doctest::Approx(f_expected[n]));
  CHECK(f.column("exact_acc_inf").back() == 1.0);
  CHECK(f.column("exact_acc_inf")[5] == 0.0);
}

TEST_CASE("credits and margins at the stored reference states") {
  // Reference entry rows "bwd", t = 0: credits (1/7, 0, 0), margins (0, -0.0125, -0.011764705882352941).
  const TreeOde bwd(default_parameters(Task::backward));
  const Accuracy a0 = accuracy(bwd.sample(), bwd.forward(bwd.initial_state()).logits);
  CHECK(a0.credits[0] == doctest::Approx(1.0 / 7));
  CHECK(a0.credits[1] == 0.0);
  CHECK(a0.credits[2] == 0.0);
  CHECK(a0.margins[1] == doctest::Approx(-0.012500000000000004).epsilon(1e-12));
  CHECK(a0.margins[2] == doctest::Approx(-0.011764705882352941).epsilon(1e-12));
  CHECK(a0.per_step == doctest::Approx(1.0 / 21));
  // "bwd" row t = 0: masses m_B = 0.06266339869281046.
  CHECK(retrieval_masses(bwd.sample(), bwd.forward(bwd.initial_state())).backward[0] ==
        doctest::Approx(0.06266339869281046).epsilon(1e-14));
  CHECK(std::isnan(retrieval_masses(bwd.sample(), bwd.forward(bwd.initial_state())).forward[0]));

  // "fwd" row t = 0: z = 0, every query ties among all 20 symbols; m_F = 0.19239766081871346 in both heads.
  const TreeOde fwd(default_parameters(Task::forward));
  const CanonicalPass pass = fwd.forward(fwd.initial_state());
  const Accuracy f0 = accuracy(fwd.sample(), pass.logits);
  for (const double c : f0.credits) CHECK(c == doctest::Approx(0.05));
  CHECK_FALSE(f0.exact_match);
  const RetrievalMasses m = retrieval_masses(fwd.sample(), pass);
  CHECK(m.forward[0] == doctest::Approx(0.19239766081871346).epsilon(1e-14));
  CHECK(m.forward[1] == doctest::Approx(0.19239766081871346).epsilon(1e-14));
}

TEST_CASE("the trained solutions transfer to other depths and alphabet sizes at d = infinity") {
  // docs/models/tree.md §6.2: the forward solution (t = 250) is exact at D' = 1, 2, 3 (N' = 20) and 3, 4, 5 (N' = 64);
  // the backward one (t = 100) at D' = 1..5.
  const std::vector<double> forward_theta = integrate(default_parameters(Task::forward), {250.0}).state(0);
  const std::vector<double> backward_theta = integrate(default_parameters(Task::backward), {100.0}).state(0);
  for (const auto& [N, D] : std::vector<std::pair<int, int>>{{20, 1}, {20, 2}, {20, 3}, {64, 3}, {64, 4}, {64, 5}})
    for (const Task task : {Task::forward, Task::backward}) {
      Parameters p = default_parameters(task);
      p.N = N;
      p.D = D;
      const TreeOde ode(p);
      const Accuracy a = accuracy(ode.sample(), ode.forward(task == Task::forward ? forward_theta : backward_theta).logits);
      INFO(to_string(task) << " N' = " << N << " D' = " << D);
      CHECK(a.exact_match);
    }
}

TEST_CASE("crossing rules: linear interpolation, strict levels, no crossing") {
  const std::vector<double> t = {0.0, 1.0, 2.0, 3.0};
  CHECK(first_upward_crossing(t, {0.0, 0.25, 0.75, 1.0}, 0.5) == doctest::Approx(1.5));
  CHECK(first_upward_crossing(t, {0.6, 0.4, 0.5, 1.0}, 0.5) == doctest::Approx(2.0));  // y[n-1] < c <= y[n]
  CHECK(std::isnan(first_upward_crossing(t, {0.6, 0.7, 0.8, 0.9}, 0.5)));               // starts above: no crossing
  CHECK(first_positive_crossing(t, {-1.0, 0.0, 0.0, 2.0}) == doctest::Approx(2.0));     // 0 is not positive
  CHECK(first_positive_crossing(t, {-1.0, 1.0, -1.0, 1.0}) == doctest::Approx(0.5));
  CHECK(std::isnan(first_positive_crossing(t, {-1.0, -0.5, -0.2, 0.0})));
  CHECK_THROWS_AS(first_upward_crossing(t, {0.0}, 0.5), std::invalid_argument);
}

TEST_CASE("the phase grid: default run times, endpoints, bad steps") {
  CHECK(grid_times({}, Task::forward).size() == 25001u);
  CHECK(grid_times({}, Task::forward).back() == doctest::Approx(250.0));
  CHECK(grid_times({}, Task::backward).back() == doctest::Approx(100.0));
  CHECK(grid_times({0.1, 1000.0}, Task::forward).size() == 10001u);
  CHECK_THROWS_WITH_AS(grid_times({0.0, 10.0}, Task::forward), doctest::Contains("dt = 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(grid_times({20.0, 10.0}, Task::forward), doctest::Contains("dt = 20"), std::invalid_argument);
}
