// The reduced ODE of docs/models/tree.md §4: right-hand side, gradient, canonical sample, kappa variant.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <cotdyn/meanfield/tree/ode.hpp>
#include <cotdyn/simulation/tree/task.hpp>

using namespace cotdyn::meanfield::tree;
namespace sim = cotdyn::simulation::tree;

namespace {
std::vector<double> flatten(const std::vector<std::vector<double>>& heads) {
  std::vector<double> x;
  for (const auto& h : heads) x.insert(x.end(), h.begin(), h.end());
  return x;
}
std::vector<double> rhs(const TreeOde& ode, const std::vector<double>& x) {
  std::vector<double> dxdt;
  ode(x, dxdt, 0.0);
  return dxdt;
}
// Stored theta of the reference trajectory (defaults, eta = 10, eps = 0.2): rows t = 100 of "bwd" and "fwd".
const std::vector<double> bwd_theta_100 = {5.181615482116193, -0.2489749467061945, -0.7151361442542157,
    0.03763874443443243, 0.0, 0.0, 0.0, 0.0, -0.3012440201036487, 0.015854948426507812, 6.3634021703231785,
    -0.32438958791174644};
const std::vector<double> fwd_theta_100 = flatten({
    {4.265553721225416, -0.20483779045986916, -0.6780672109281042, 0.03568774794358442, -0.5826680724754594,
     -0.012369456015669267, -0.7113320045902457, 0.037438526557381356, 0.6140171233075251, -0.032316690700396083,
     5.174671003746759, -0.2618247896708826},
    {2.0593406413781907, -0.09779650322551854, -0.4640299638459979, 0.024422629676105152, -0.4133380938041064,
     0.0002185374862462104, 0.36258456909348463, -0.019083398373341286, 1.4107925241370767, -0.07425223811247778,
     2.843917220009488, -0.1602061694741838}});

void check_close(const std::vector<double>& got, const std::vector<double>& expected, double tolerance) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("entry " << i << " (" << order_parameter_names[i % per_head] << " of head " << i / per_head << ")");
    CHECK(std::abs(got[i] - expected[i]) <= tolerance * std::max(1.0, std::abs(expected[i])));
  }
}
}  // namespace

TEST_CASE("the right-hand side reproduces the reference RHS vectors") {
  const TreeOde bwd(default_parameters(Task::backward)), fwd(default_parameters(Task::forward));
  // Quoted to 8 significant digits, so the tolerance is 5e-8 relative to the largest entry of the row.
  SUBCASE("backward, t = 0 and t = 100") {
    check_close(rhs(bwd, bwd.initial_state()),
                {5.4793606e-3, -2.4717648e-4, -1.7741671e-3, 9.3377214e-5, 0, 0, 0, 0, -1.9750587e-3,
                 1.0395046e-4, 3.7250617e-2, -1.9605588e-3}, 5e-10);
    check_close(rhs(bwd, bwd_theta_100),
                {5.8846227e-3, -2.8447462e-4, -5.1223144e-4, 2.6959550e-5, 0, 0, 0, 0, -6.2251910e-4,
                 3.2764163e-5, 1.5545048e-2, -8.1816043e-4}, 5e-10);
  }
  SUBCASE("forward, t = 0 and t = 100, both heads") {
    const std::vector<double> head1_0 = {2.7394732e-3, -1.2346192e-4, -8.8479391e-4, 4.6568100e-5,
        -3.6034164e-4, -7.2894674e-6, -1.1836463e-3, 6.2297171e-5, 1.3570817e-2, -7.1425352e-4, 3.7545150e-2,
        -1.9760605e-3};
    const std::vector<double> head2_0 = {-2.7394732e-3, 1.2346192e-4, 8.8479391e-4, -4.6568100e-5,
        3.6034164e-4, 7.2894674e-6, 1.1836463e-3, -6.2297171e-5, 1.3570817e-2, -7.1425352e-4, 3.7545150e-2,
        -1.9760605e-3};
    check_close(rhs(fwd, fwd.initial_state()), flatten({head1_0, head2_0}), 5e-10);
    check_close(rhs(fwd, fwd_theta_100),
                flatten({{9.0002824e-3, -4.3570095e-4, -9.2589444e-4, 4.8731287e-5, -9.9467417e-3, -4.4868967e-4,
                          -1.4931416e-2, 7.8586401e-4, -2.1067065e-3, 1.1087929e-4, 2.4837096e-2, -1.3072156e-3},
                         {9.2429960e-3, -4.4632021e-4, -1.4594931e-3, 7.6815428e-5, -6.8088011e-3, -4.5144495e-5,
                          1.1165686e-2, -5.8766769e-4, 1.9043091e-2, -1.0022680e-3, 1.0641362e-2, -5.6007166e-4}}),
                5e-10);
  }
}

TEST_CASE("the loss at the stored reference states is the tabulated one") {
  // Rows t = 0 and t = 100 of "bwd" and "fwd".
  CHECK(TreeOde(default_parameters(Task::backward)).forward({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0}).loss ==
        doctest::Approx(2.980749357597654).epsilon(1e-13));
  CHECK(TreeOde(default_parameters(Task::backward)).forward(bwd_theta_100).loss ==
        doctest::Approx(0.033509663540843095).epsilon(1e-12));
  CHECK(TreeOde(default_parameters(Task::forward)).forward(fwd_theta_100).loss ==
        doctest::Approx(1.1969760653086878).epsilon(1e-12));
  // At t = 0 the forward heads cancel: z = 0 and L = log N.
  CHECK(TreeOde(default_parameters(Task::forward)).forward(flatten({{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0},
                                                                    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.2, 0}}))
            .loss == doctest::Approx(std::log(20.0)).epsilon(1e-14));
}

TEST_CASE("the analytic gradient matches central finite differences of the canonical loss") {
  for (const Task task : {Task::backward, Task::forward}) {
    Parameters p = default_parameters(task);
    p.H = 3;
    p.D = 2;
    p.N = 9;
    const TreeOde ode(p);
    std::vector<double> x(ode.dimension());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(1.7 * i + 0.3) * (is_diagonal(i % 12) ? 1.5 : 0.3);
    const auto gradient = ode.loss_gradient(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
      auto plus = x, minus = x;
      plus[i] += 1e-5;
      minus[i] -= 1e-5;
      const double fd = (ode.forward(plus).loss - ode.forward(minus).loss) / 2e-5;
      INFO("entry " << i);
      CHECK(gradient[i] == doctest::Approx(fd).epsilon(1e-7).scale(1.0));
    }
  }
}

TEST_CASE("the right-hand side conserves o_s + (N-1) r_s and a_tauY + (N-1) b_tauY at any state") {
  Parameters p = default_parameters(Task::forward);
  p.H = 3;
  const TreeOde ode(p);
  std::vector<double> x(ode.dimension());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::cos(0.9 * i) * 2.0;
  const auto dx = rhs(ode, x);
  for (int h = 0; h < p.H; ++h) {
    const double* d = dx.data() + 12 * h;
    CHECK(std::abs(d[ov_index(0, 0)] + 19 * d[ov_index(0, 1)]) < 1e-15);
    CHECK(std::abs(d[ov_index(1, 0)] + 19 * d[ov_index(1, 1)]) < 1e-15);
    CHECK(std::abs(d[qk_index(0, 1, 0)] + 19 * d[qk_index(0, 1, 1)]) < 1e-15);
    CHECK(std::abs(d[qk_index(1, 1, 0)] + 19 * d[qk_index(1, 1, 1)]) < 1e-15);
    // The X blocks have no such law (the goal token has no X symbol).
    CHECK(std::abs(d[qk_index(0, 0, 0)] + 19 * d[qk_index(0, 0, 1)]) > 1e-6);
  }
}

TEST_CASE("the t = 0 output rates at theta = 0 follow the uniform-attention formula") {
  // docs/models/tree.md §5: do_s/dt = -(eta/(N Q)) sum_q (n_s(q)/N - c_s(q)) / (i_q + 1).
  for (const Task task : {Task::backward, Task::forward}) {
    const Parameters p = default_parameters(task);
    const TreeOde ode(p);
    const auto& s = ode.sample();
    for (int slot = 0; slot < 2; ++slot) {
      double sum = 0.0;
      for (int q = 0; q < s.queries(); ++q) {
        int present = 0, correct = 0;
        for (int k = 0; k <= s.position[q]; ++k) {
          const int symbol = slot == 0 ? s.x[k] : s.y[k];
          present += symbol != none;
          correct += symbol == s.target[q];
        }
        sum += (present / 20.0 - correct) / (s.position[q] + 1);
      }
      const auto dx = rhs(ode, std::vector<double>(ode.dimension(), 0.0));
      CHECK(dx[ov_index(slot, 0)] == doctest::Approx(-10.0 / (20.0 * s.queries()) * sum).epsilon(1e-13));
    }
  }
  // The table of §5, to its 6 decimals.
  const TreeOde bwd(default_parameters(Task::backward)), fwd(default_parameters(Task::forward));
  const auto db = rhs(bwd, std::vector<double>(12, 0.0)), df = rhs(fwd, std::vector<double>(24, 0.0));
  CHECK(std::abs(db[ov_index(1, 0)] - 0.037663) < 5e-7);
  CHECK(std::abs(db[ov_index(0, 0)] - -0.001906) < 5e-7);
  CHECK(std::abs(df[ov_index(1, 0)] - 0.037545) < 5e-7);
  CHECK(std::abs(df[ov_index(0, 0)] - 0.013571) < 5e-7);
}

TEST_CASE("the theory's canonical sample is the task generator's canonical sample") {
  for (int D = 1; D <= 5; ++D)
    for (const Task task : {Task::backward, Task::forward}) {
      Parameters p = default_parameters(task);
      p.D = D;
      p.N = (2 << D) - 1;
      const CanonicalSample theory = canonical_sample(p);
      const sim::Sample generated =
          sim::canonical_sample({task == Task::forward ? sim::Task::forward : sim::Task::backward, p.N, D});
      REQUIRE(theory.x.size() == generated.tokens.size());
      for (std::size_t k = 0; k < theory.x.size(); ++k) {
        CHECK(theory.x[k] == generated.tokens[k].x);
        CHECK(theory.y[k] == generated.tokens[k].y);
      }
      CHECK(theory.position == generated.query_positions);
      CHECK(theory.target == generated.targets);
      for (int q = 0; q < theory.queries(); ++q)
        CHECK((theory.stage[q] == 1) == (generated.tokens[generated.query_positions[q]].flag == sim::Flag::F));
    }
}

TEST_CASE("the kappa-ODE multiplies the diagonal rates and the diagonal init by 1 + (N-1)/d") {
  Parameters p = default_parameters(Task::forward);
  p.d = 64;
  const TreeOde kappa_ode(p), plain(default_parameters(Task::forward));
  CHECK(p.kappa() == 1.296875);
  for (int i = 0; i < 12; ++i)
    CHECK(kappa_ode.rates()[i] == doctest::Approx(plain.rates()[i] * (is_diagonal(i) ? 1.296875 : 1.0)));
  CHECK(kappa_ode.initial_state()[ov_index(1, 0)] == doctest::Approx(0.2 * 1.296875));
  CHECK(kappa_ode.initial_state()[12 + ov_index(1, 0)] == doctest::Approx(-0.2 * 1.296875));
  const auto dk = rhs(kappa_ode, fwd_theta_100), d1 = rhs(plain, fwd_theta_100);
  for (int i = 0; i < 24; ++i) CHECK(dk[i] == doctest::Approx(d1[i] * (is_diagonal(i % 12) ? 1.296875 : 1.0)));
}

TEST_CASE("the optional off-diagonal Gram factor scales only the off-diagonal rates by 1 + 1/d") {
  Parameters p = default_parameters(Task::forward);
  p.d = 64;
  const TreeOde kappa_only(p);
  p.offdiagonal_gram = true;
  const TreeOde full(p);
  for (int i = 0; i < 12; ++i)
    CHECK(full.rates()[i] == doctest::Approx(kappa_only.rates()[i] * (is_diagonal(i) ? 1.0 : 1.015625)));
}

TEST_CASE("the backward task leaves the F blocks at exactly zero") {
  const TreeOde ode(default_parameters(Task::backward));
  const auto dx = rhs(ode, bwd_theta_100);
  for (int i = 4; i < 8; ++i) CHECK(dx[i] == 0.0);
}
