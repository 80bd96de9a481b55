// The simulated tree network (docs/models/tree.md §10): the block forward pass against the
// 4d-dimensional form, the two storages against each other, autograd against finite differences, the
// measurements against their definitions and the theory at t = 0, determinism, batched seeds,
// checkpoints, and a short run against the ODE.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/meanfield/tree/integrate.hpp>
#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/simulation/tree/measure.hpp>
#include <cotdyn/simulation/tree/network.hpp>
#include <cotdyn/simulation/tree/system.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation::tree;
namespace mf = cotdyn::meanfield::tree;

namespace {

using Rows = std::vector<std::vector<double>>;

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.detach() - b.detach()).abs().max().item<double>();
}

double column(const Rows& rows, const std::vector<std::string>& names, int seed, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  REQUIRE_MESSAGE(it != names.end(), name);
  return rows.at(seed).at(static_cast<std::size_t>(it - names.begin()));
}

// Forward task, two heads, d = 32 >= N = 20 (so coefficient space exists for the tensor storage).
TreeSettings small_settings(Storage storage = Storage::coefficients) {
  TreeSettings s;
  s.d = 32;
  s.seeds = 2;
  s.base_seed = 11;
  s.eval_size = 40;
  s.storage = storage;
  return s;
}

std::string temporary_directory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("cotdyn_tree_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

Batch some_batch(const TreeSettings& s, std::uint64_t seed) {
  std::vector<std::vector<Sample>> samples(s.seeds);
  for (int e = 0; e < s.seeds; ++e) {
    SampleGenerator generator(s.tree_task(), seed + e);
    for (int b = 0; b < 3; ++b) samples[e].push_back(generator.next());
  }
  return make_batch(samples);
}

}  // namespace

TEST_CASE("the tensor storage's forward pass is the 4d-dimensional form tok_i W_QK tok_j and U W_OV tok_j") {
  TreeSettings s = small_settings(Storage::tensor);
  s.init_scale = 1.0;  // every block non-zero
  TreeSystem system(s);
  for (int step = 0; step < 5; ++step) system.train_step();
  auto& net = system.network();
  const Batch batch = some_batch(s, 99);
  torch::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    logits = net.forward(batch);
  }
  const auto tokens = net.token_vectors(batch);  // [E, B, T, 4d]
  const int Q = net.layout.queries, E0 = net.layout.edges, d = s.d;
  // Token vectors: [u_X | u_Y | u_Y [B] | u_Y [F]], zero X for NONE.
  CHECK(tokens[0][0][E0].slice(0, 0, d).abs().max().item<double>() == 0.0);  // the goal token
  CHECK(max_difference(tokens[0][0][E0 + 1].slice(0, 2 * d, 3 * d), tokens[0][0][E0 + 1].slice(0, d, 2 * d)) == 0.0);
  CHECK(tokens[0][0][E0 + 1].slice(0, 3 * d, 4 * d).abs().max().item<double>() == 0.0);
  CHECK(tokens[0][0][0].slice(0, 2 * d, 4 * d).abs().max().item<double>() == 0.0);  // a context edge
  double largest = 0;
  for (int e = 0; e < s.seeds; ++e)
    for (int b = 0; b < 3; ++b)
      for (int q = 0; q < Q; ++q) {
        const int i = E0 + q;
        const auto visible = tokens[e][b].slice(0, 0, i + 1);  // [i + 1, 4d]
        auto output = torch::zeros({d}, torch::kDouble);
        for (int h = 0; h < s.H; ++h) {
          const auto scores = torch::matmul(visible, torch::matmul(net.qk_matrix(e, h).t(), tokens[e][b][i]));
          output += torch::matmul(net.ov_matrix(e, h), torch::matmul(visible.t(), torch::softmax(scores, 0)));
        }
        const auto z = torch::matmul(net.U[e], output);
        largest = std::max(largest, max_difference(z, logits[e][b][q]));
      }
  CHECK(largest < 1e-12);
  CHECK(logits.abs().max().item<double>() > 0.1);
}

TEST_CASE("tensor and coefficient storage stay equal to 1e-9 over SGD steps, with and without an iid init") {
  for (const double init_scale : {0.0, 0.5}) {
    TreeSettings s = small_settings();
    s.init_scale = init_scale;
    s.storage = Storage::tensor;
    TreeSystem tensor(s);
    s.storage = Storage::coefficients;
    TreeSystem coefficients(s);
    INFO("init_scale = " << init_scale);
    REQUIRE(max_difference(tensor.network().logit_tables(), coefficients.network().logit_tables()) < 1e-12);
    const auto initial = coefficients.network().logit_tables();
    double loss_gap = 0;
    for (int step = 0; step < 60; ++step) {
      const auto a = tensor.train_step(), b = coefficients.train_step();
      for (int e = 0; e < s.seeds; ++e) loss_gap = std::max(loss_gap, std::abs(a[e] - b[e]));
    }
    CHECK(loss_gap < 1e-9);
    const auto M = coefficients.network().logit_tables();
    CHECK(max_difference(tensor.network().logit_tables(), M) < 1e-9);
    CHECK(max_difference(tensor.network().coefficient_tables(), coefficients.network().coefficient_tables()) < 1e-9);
    CHECK(max_difference(M, initial) > 0.05);  // the tables moved far more than the tolerance
    // Both forward passes on the same batch, and the measurements.
    const Batch batch = some_batch(s, 5);
    torch::NoGradGuard no_grad;
    CHECK(max_difference(tensor.network().forward(batch), coefficients.network().forward(batch)) < 1e-9);
    const auto rows_t = tensor.observe(), rows_c = coefficients.observe();
    for (int e = 0; e < s.seeds; ++e)
      for (std::size_t c = 0; c < rows_t[e].size(); ++c) CHECK(std::abs(rows_t[e][c] - rows_c[e][c]) < 1e-8);
  }
}

TEST_CASE("the coefficient step is dloss/dM on the free table, and autograd through C = G C G would differ") {
  TreeSettings s = small_settings();
  TreeSystem system(s);
  for (int step = 0; step < 20; ++step) system.train_step();
  auto& net = system.network();
  const Batch batch = some_batch(s, 3);
  const auto M = net.logit_tables().requires_grad_(true);
  loss_per_seed(table_forward(M, batch, net.layout).logits, batch.targets).sum().backward();
  const auto free_table = M.grad().clone();
  const auto C = net.C.detach().clone().requires_grad_(true);
  const auto g = net.gram.view({s.seeds, 1, 1, s.N, s.N});
  loss_per_seed(table_forward(torch::matmul(torch::matmul(g, C), g), batch, net.layout).logits, batch.targets).sum().backward();
  // The trap: the chain rule through G C G multiplies by the Gram matrix on both sides.
  const auto through_C = C.grad();
  CHECK(max_difference(through_C, torch::matmul(torch::matmul(g, free_table), g)) < 1e-12);
  CHECK(max_difference(through_C, free_table) > 0.1 * free_table.abs().max().item<double>());
}

TEST_CASE("the autograd gradient of the tensor storage equals central finite differences of the loss") {
  TreeSettings s = small_settings(Storage::tensor);
  s.d = 8;  // d < N is allowed in tensor storage
  s.init_scale = 1.0;
  TreeSystem system(s);
  auto& net = system.network();
  const Batch batch = some_batch(s, 17);
  const auto loss = [&] {
    torch::NoGradGuard no_grad;
    return loss_per_seed(net.forward(batch), batch.targets).sum().item<double>();
  };
  net.zero_grad();
  loss_per_seed(net.forward(batch), batch.targets).sum().backward();
  const auto grad_qk = net.W_qk.grad().clone(), grad_ov = net.W_ov.grad().clone();
  CHECK(grad_qk.abs().max().item<double>() > 1e-3);
  const double step = 1e-5;
  double largest_error = 0;
  for (const auto& [weights, grad] : {std::pair{net.W_qk, grad_qk}, std::pair{net.W_ov, grad_ov}}) {
    auto flat = weights.detach().view({-1});
    const auto g = grad.view({-1});
    for (std::int64_t k = 0; k < flat.numel(); k += flat.numel() / 23 + 1) {
      const double original = flat[k].item<double>();
      flat[k] = original + step;
      const double up = loss();
      flat[k] = original - step;
      const double down = loss();
      flat[k] = original;
      largest_error = std::max(largest_error, std::abs((up - down) / (2 * step) - g[k].item<double>()));
    }
  }
  CHECK(largest_error < 1e-8);
}

TEST_CASE("measured order parameters at init equal their definitions, and the t = 0 observables the theory's") {
  for (const auto storage : {Storage::tensor, Storage::coefficients}) {
    TreeSettings s = small_settings(storage);
    s.eval_size = 200;
    TreeSystem system(s);
    const auto rows = system.observe();
    const auto& names = system.observable_names();
    REQUIRE(names == column_names(s));
    auto& net = system.network();
    const auto theory = mf::integrate(s.parameters(), {0.0});
    for (int e = 0; e < s.seeds; ++e) {
      // Logit space: W_OY = eps_h U^T U, so T_OY = eps_h G^2 and every other table is zero.
      const torch::Tensor gram_e = net.gram[e];
      const auto G = gram_e.accessor<double, 2>();
      double diagonal = 0, off = 0;
      for (int x = 0; x < s.N; ++x)
        for (int y = 0; y < s.N; ++y) {
          double g2 = 0;
          for (int v = 0; v < s.N; ++v) g2 += G[x][v] * G[v][y];
          (x == y ? diagonal : off) += g2;
        }
      diagonal /= s.N;
      off /= s.N * (s.N - 1.0);
      for (int h = 0; h < s.H; ++h) {
        const double eps = s.head_epsilon(h);
        for (int i = 0; i < 12; ++i) {
          const auto name = "head" + std::to_string(h) + "_" + mf::order_parameter_names[i];
          const double logit = i == 10 ? eps * diagonal : i == 11 ? eps * off : 0.0;
          const double coefficient = i == 10 ? eps : 0.0;
          INFO(to_string(storage) << " seed " << e << " " << name);
          CHECK(std::abs(column(rows, names, e, name + "_logit") - logit) < 1e-12);
          CHECK(std::abs(column(rows, names, e, name) - coefficient) < 1e-10);
        }
        // Uniform attention at init: the retrieval masses are the theory's at t = 0 (the same on every tree).
        for (const char* mass : {"_m_B", "_m_F"}) {
          const auto name = "head" + std::to_string(h) + mass;
          CHECK(std::abs(column(rows, names, e, name) - theory.column(name)[0]) < 1e-12);
        }
      }
      // The +-eps heads cancel exactly: z = 0, loss log N, every margin 0, the theory's t = 0 loss.
      CHECK(std::abs(column(rows, names, e, "loss") - std::log(20.0)) < 1e-12);
      CHECK(std::abs(column(rows, names, e, "loss") - theory.column("loss")[0]) < 1e-6);
      CHECK(column(rows, names, e, "min_margin") == 0.0);
    }
  }
}

TEST_CASE("measured order parameters are the class means of U W U^T and of C, computed entry by entry") {
  TreeSettings s = small_settings(Storage::tensor);
  s.init_scale = 0.3;
  TreeSystem system(s);
  for (int step = 0; step < 30; ++step) system.train_step();
  const auto rows = system.observe();
  const auto& names = system.observable_names();
  auto& net = system.network();
  const auto inverse = torch::inverse(net.gram);
  const char* block_names[6][2] = {{"a_BX", "b_BX"}, {"a_BY", "b_BY"}, {"a_FX", "b_FX"},
                                   {"a_FY", "b_FY"}, {"o_X", "r_X"},   {"o_Y", "r_Y"}};
  for (int e = 0; e < s.seeds; ++e)
    for (int h = 0; h < s.H; ++h)
      for (int k = 0; k < 6; ++k) {
        const auto W = k < 4 ? net.W_qk[e][h][k / 2][k % 2].detach() : net.W_ov[e][h][k - 4].detach();
        const auto T = torch::matmul(torch::matmul(net.U[e], W), net.U[e].t());
        const auto C = torch::matmul(torch::matmul(inverse[e], T), inverse[e]);
        for (const auto& [table, suffix] : {std::pair{T, std::string("_logit")}, std::pair{C, std::string()}}) {
          double diagonal = 0, off = 0;
          for (int x = 0; x < s.N; ++x)
            for (int y = 0; y < s.N; ++y) (x == y ? diagonal : off) += table[x][y].item<double>();
          const auto prefix = "head" + std::to_string(h) + "_";
          CHECK(std::abs(column(rows, names, e, prefix + block_names[k][0] + suffix) - diagonal / s.N) < 1e-9);
          CHECK(std::abs(column(rows, names, e, prefix + block_names[k][1] + suffix) - off / (s.N * (s.N - 1.0))) < 1e-9);
        }
      }
  // The exact conservation laws in coefficient space (docs/models/tree.md §3.2) survive the iid init
  // as constants: o_s + (N-1) r_s and a_tauY + (N-1) b_tauY keep their t = 0 values.
  TreeSystem fresh(s);
  const auto start = fresh.observe();
  for (int e = 0; e < s.seeds; ++e)
    for (const auto& [a, b] : {std::pair{"o_X", "r_X"}, {"o_Y", "r_Y"}, {"a_BY", "b_BY"}, {"a_FY", "b_FY"}}) {
      const auto law = [&](const Rows& r) {
        return column(r, names, e, std::string("head1_") + a) + (s.N - 1) * column(r, names, e, std::string("head1_") + b);
      };
      CHECK(std::abs(law(rows) - law(start)) < 1e-9);
    }
}

TEST_CASE("the evaluation set is the fresh-sample stream and the exact match a rollout of the network") {
  TreeSettings s = small_settings();
  s.N = 7;  // 5040 labelled trees of depth 2: the training stream meets evaluation trees
  s.D = 2;
  s.eval_size = 300;
  s.d = 16;
  TreeSystem system(s);
  const auto& evaluation = system.evaluation_set();
  const auto expected = fresh_samples(s.tree_task(), s.eval_size, s.eval_seed);
  REQUIRE(evaluation.size() == expected.size());
  for (std::size_t n = 0; n < expected.size(); ++n) CHECK(evaluation[n].labels == expected[n].labels);
  for (int step = 0; step < 150; ++step) system.train_step();
  const auto rows = system.observe();
  const auto& names = system.observable_names();

  // The rollout by hand through the network's own forward pass, one sample at a time.
  auto& net = system.network();
  torch::NoGradGuard no_grad;
  const int Q = s.tree_task().queries(), edges = s.tree_task().edges();
  std::vector<double> exact(s.seeds, 0.0), forward_exact(s.seeds, 0.0), per_step(s.seeds, 0.0);
  for (const auto& sample : evaluation) {
    std::vector<std::vector<Sample>> sequences(s.seeds, std::vector<Sample>{sample});
    const auto teacher_forced = net.forward(make_batch(sequences)).argmax(3);  // [E, 1, Q]
    std::vector<std::vector<bool>> right(s.seeds, std::vector<bool>(Q));
    for (int q = 0; q < Q; ++q) {
      const auto prediction = net.forward(make_batch(sequences)).select(2, q).argmax(2);  // [E, 1]
      for (int e = 0; e < s.seeds; ++e) {
        const int p = static_cast<int>(prediction[e][0].item<std::int64_t>());
        right[e][q] = p == sample.targets[q];
        per_step[e] += (teacher_forced[e][0][q].item<std::int64_t>() == sample.targets[q]) / double(Q * evaluation.size());
        if (q + 1 < Q) sequences[e][0].tokens[edges + q + 1] = {sequences[e][0].tokens[edges + q].y, p, sample.tokens[edges + q + 1].flag};
      }
    }
    for (int e = 0; e < s.seeds; ++e) {
      exact[e] += std::all_of(right[e].begin(), right[e].end(), [](bool b) { return b; }) / double(evaluation.size());
      forward_exact[e] += std::all_of(right[e].begin() + s.D, right[e].end(), [](bool b) { return b; }) / double(evaluation.size());
    }
  }
  for (int e = 0; e < s.seeds; ++e) {
    INFO("seed " << e << ": accuracy " << per_step[e] << ", exact " << exact[e] << ", forward exact " << forward_exact[e]);
    CHECK(std::abs(column(rows, names, e, "step_acc") - per_step[e]) < 1e-12);
    CHECK(std::abs(column(rows, names, e, "exact_acc") - exact[e]) < 1e-12);
    CHECK(std::abs(column(rows, names, e, "forward_exact_acc") - forward_exact[e]) < 1e-12);
    CHECK(exact[e] < forward_exact[e]);  // some rollouts err in the B stage only: the two differ
    CHECK(per_step[e] > 0.3);
  }
}

TEST_CASE("the same settings give the same run and another base seed a different one") {
  for (const auto storage : {Storage::tensor, Storage::coefficients}) {
    TreeSettings s = small_settings(storage);
    TreeSystem a(s), b(s);
    s.base_seed += 100;
    TreeSystem c(s);
    for (int step = 0; step < 30; ++step) {
      CHECK(a.train_step() == b.train_step());
      c.train_step();
    }
    CHECK(torch::equal(a.network().logit_tables(), b.network().logit_tables()));
    CHECK(a.observe() == b.observe());
    CHECK_FALSE(torch::equal(a.network().U, c.network().U));
  }
}

TEST_CASE("the coefficient storage's run does not depend on tree.threads (seeds run as independent tasks)") {
  TreeSettings s = small_settings();
  s.seeds = 3;
  TreeSystem serial(s);
  s.threads = 2;
  TreeSystem parallel(s);
  for (int step = 0; step < 30; ++step) CHECK(serial.train_step() == parallel.train_step());
  CHECK(torch::equal(serial.network().C, parallel.network().C));
  CHECK(serial.observe() == parallel.observe());
}

TEST_CASE("seed e of a batched run equals a single-seed run with base seed base_seed + e") {
  for (const auto storage : {Storage::tensor, Storage::coefficients}) {
    TreeSettings batched = small_settings(storage);
    batched.seeds = 3;
    batched.init_scale = 0.2;
    TreeSystem all(batched);
    std::vector<std::unique_ptr<TreeSystem>> singles;
    for (int e = 0; e < batched.seeds; ++e) {
      TreeSettings one = batched;
      one.seeds = 1;
      one.base_seed = batched.base_seed + e;
      singles.push_back(std::make_unique<TreeSystem>(one));
    }
    double gap = 0;
    for (int step = 0; step < 40; ++step) {
      const auto losses = all.train_step();
      for (int e = 0; e < batched.seeds; ++e) gap = std::max(gap, std::abs(singles[e]->train_step()[0] - losses[e]));
    }
    // Batched and single tensor products may sum in another order: equal to rounding.
    CHECK(gap < 1e-12);
    const auto rows = all.observe();
    for (int e = 0; e < batched.seeds; ++e) {
      CHECK(torch::equal(all.network().U[e], singles[e]->network().U[0]));
      CHECK(max_difference(all.network().logit_tables()[e], singles[e]->network().logit_tables()[0]) < 1e-12);
      const auto single = singles[e]->observe()[0];
      for (std::size_t c = 0; c < single.size(); ++c) CHECK(std::abs(rows[e][c] - single[c]) < 1e-10);
    }
  }
}

TEST_CASE("a run saved and loaded into a new system continues exactly as the uninterrupted run") {
  for (const auto storage : {Storage::tensor, Storage::coefficients}) {
    TreeSettings s = small_settings(storage);
    TreeSystem uninterrupted(s), first(s);
    for (int step = 0; step < 40; ++step) {
      uninterrupted.train_step();
      first.train_step();
    }
    const auto dir = temporary_directory("resume");
    first.save(dir);
    TreeSettings other = s;
    other.base_seed = 1234;  // embeddings, weights and sample streams come from the checkpoint
    TreeSystem resumed(other);
    resumed.load(dir);
    for (int step = 0; step < 40; ++step) REQUIRE(resumed.train_step() == uninterrupted.train_step());
    CHECK(torch::equal(resumed.network().logit_tables(), uninterrupted.network().logit_tables()));
    CHECK(resumed.observe() == uninterrupted.observe());

    TreeSettings wrong = s;
    wrong.storage = storage == Storage::tensor ? Storage::coefficients : Storage::tensor;
    TreeSystem other_storage(wrong);
    CHECK_THROWS_AS(other_storage.load(dir), std::runtime_error);
    TreeSettings wider = s;
    wider.d = 40;
    TreeSystem other_size(wider);
    CHECK_THROWS_AS(other_size.load(dir), std::runtime_error);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("nonfinite_weight names the non-finite block of a seed") {
  TreeSystem tensor(small_settings(Storage::tensor)), coefficients(small_settings());
  CHECK(tensor.nonfinite_weight(1).empty());
  CHECK(coefficients.nonfinite_weight(1).empty());
  {
    torch::NoGradGuard no_grad;
    tensor.network().W_ov[1][0][0][2][3] = std::nan("");
    coefficients.network().C[1][1][3][0][0] = INFINITY;
  }
  CHECK(tensor.nonfinite_weight(0).empty());
  CHECK(tensor.nonfinite_weight(1) == "W_ov");
  CHECK(coefficients.nonfinite_weight(1) == "C");
  {
    torch::NoGradGuard no_grad;
    tensor.network().W_qk[1][1][1][0][0][0] = INFINITY;
  }
  CHECK(tensor.nonfinite_weight(1) == "W_qk");
}

namespace {

// Seed means of the named columns at the observation times (train() of the training loop is not
// needed: observe after round(t d) steps).
struct Run {
  std::vector<double> times;
  std::vector<Rows> rows;  // rows[n][seed]
  std::vector<std::string> names;
  double mean(std::size_t n, const std::string& name) const {
    double sum = 0;
    for (std::size_t e = 0; e < rows[n].size(); ++e) sum += column(rows[n], names, static_cast<int>(e), name);
    return sum / rows[n].size();
  }
};

Run run(const TreeSettings& s, const std::vector<double>& times) {
  TreeSystem system(s);
  Run out{times, {}, system.observable_names()};
  long step = 0;
  for (const double t : times) {
    for (; step < std::lround(t * s.d); ++step) system.train_step();
    out.rows.push_back(system.observe());
  }
  return out;
}

// RMS over the times, heads and key order parameters of docs/models/tree.md §10 of
// (seed mean of the simulation - theory).
double rms_error(const Run& simulated, const mf::Trajectory& theory, const TreeSettings& s, const std::string& suffix) {
  std::vector<std::string> keys = {"a_BX", "a_BY", "o_X", "o_Y"};
  if (s.task == Task::forward) keys.insert(keys.end(), {"a_FX", "a_FY"});
  double sum = 0;
  int count = 0;
  for (std::size_t n = 0; n < simulated.times.size(); ++n)
    for (int h = 0; h < s.H; ++h)
      for (const auto& key : keys) {
        const auto name = "head" + std::to_string(h) + "_" + key;
        const double gap = simulated.mean(n, name + suffix) - theory.column(name)[n];
        sum += gap * gap;
        ++count;
      }
  return std::sqrt(sum / count);
}

}  // namespace

TEST_CASE("a backward run at d = 64 follows the ODE in coefficient space and the kappa-ODE in logit space") {
  // Backward task, H = 1, 4 seeds, t = 10, 20, ..., 100 (through the lock-on t_B ~ 28-37). The
  // deviations are the O(1/d) Gram corrections, systematic and much larger than the seed spread
  // (docs/models/tree.md §10). Pooled over a_BX, a_BY, o_X, o_Y and the checkpoints, the
  // reference implementation found RMS 0.295 (coefficient space vs the plain ODE) and 0.163 (logit space
  // vs the kappa-ODE) at d = 64; the tolerances are 1.5 times these, 0.45 and 0.25. The control, the
  // ODE at 0.8 eta, must fail the coefficient tolerance.
  TreeSettings s = default_settings(Task::backward);
  s.seeds = 4;
  s.eval_size = 0;
  std::vector<double> times;
  for (int n = 1; n <= 10; ++n) times.push_back(10.0 * n);
  const Run simulated = run(s, times);
  const auto ode = mf::integrate(s.parameters(), times);
  const auto kappa_ode = mf::integrate(s.parameters(true), times);
  auto slow = s.parameters();
  slow.eta *= 0.8;
  const auto wrong = mf::integrate(slow, times);
  const double coefficient_error = rms_error(simulated, ode, s, "");
  const double logit_error = rms_error(simulated, kappa_ode, s, "_logit");
  const double wrong_error = rms_error(simulated, wrong, s, "");
  MESSAGE("coefficient vs ODE " << coefficient_error << ", logit vs kappa-ODE " << logit_error << ", control "
                                << wrong_error);
  CHECK(coefficient_error < 0.45);
  CHECK(logit_error < 0.25);
  CHECK(wrong_error > 0.45);
}

// Reports for docs/models/tree.md §10 (not run by default: --no-skip).
TEST_CASE("report: seed-steps per second at the defaults" * doctest::skip()) {
  for (const auto task : {Task::backward, Task::forward})
    for (const auto storage : {Storage::tensor, Storage::coefficients}) {
      TreeSettings s = default_settings(task);
      s.storage = storage;
      s.eval_size = 1000;
      TreeSystem system(s);
      for (int step = 0; step < 20; ++step) system.train_step();
      const int steps = 400;
      const auto start = std::chrono::steady_clock::now();
      for (int step = 0; step < steps; ++step) system.train_step();
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const auto observe_start = std::chrono::steady_clock::now();
      system.observe();
      const double observe_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - observe_start).count();
      std::cout << to_string(task) << " " << to_string(storage) << " d = " << s.d << ", " << s.seeds << " seeds: "
                << steps * s.seeds / seconds << " seed-steps/s, one observation " << observe_seconds << " s\n";
    }
}

TEST_CASE("report: theory against simulation at the defaults" * doctest::skip()) {
  for (const auto task : {Task::backward, Task::forward})
    for (const int d : {32, 64}) {
      TreeSettings s = default_settings(task);
      s.d = d;
      const double t_run = task == Task::forward ? 250 : 100, dt = task == Task::forward ? 5 : 2.5;
      std::vector<double> times;
      for (int n = 0; n * dt <= t_run + 1e-9; ++n) times.push_back(n * dt);
      const Run simulated = run(s, times);
      const auto ode = mf::integrate(s.parameters(), times);
      const auto kappa_ode = mf::integrate(s.parameters(true), times);
      std::cout << to_string(task) << " d = " << d << ": coefficient vs ODE " << rms_error(simulated, ode, s, "")
                << ", logit vs ODE " << rms_error(simulated, ode, s, "_logit") << ", logit vs kappa-ODE "
                << rms_error(simulated, kappa_ode, s, "_logit") << "\n";
      const std::size_t last = times.size() - 1;
      std::cout << "  at t = " << t_run << ": accuracy " << simulated.mean(last, "step_acc") << ", exact match "
                << simulated.mean(last, "exact_acc") << ", loss " << simulated.mean(last, "loss") << " (ODE "
                << ode.column("loss")[last] << ")\n";
      for (int h = 0; h < s.H; ++h)
        for (const char* key : {"a_BX", "a_FY", "o_X", "o_Y"}) {
          const auto name = "head" + std::to_string(h) + "_" + std::string(key);
          if (task == Task::backward && std::string(key) == "a_FY") continue;
          std::cout << "  " << name << ": coef " << simulated.mean(last, name) << " (ODE " << ode.column(name)[last]
                    << "), logit " << simulated.mean(last, name + "_logit") << " (kappa-ODE " << kappa_ode.column(name)[last] << ")\n";
        }
      // Phase times of the seed means on the checkpoints (first upward crossings, docs/models/tree.md §5).
      std::vector<double> m_B(times.size()), m_F(times.size());
      for (std::size_t n = 0; n < times.size(); ++n)
        for (int h = 0; h < s.H; ++h) {
          m_B[n] = std::max(h == 0 ? -1.0 : m_B[n], simulated.mean(n, "head" + std::to_string(h) + "_m_B"));
          if (task == Task::forward) m_F[n] = std::max(h == 0 ? -1.0 : m_F[n], simulated.mean(n, "head" + std::to_string(h) + "_m_F"));
        }
      std::vector<double> accuracy(times.size());
      for (std::size_t n = 0; n < times.size(); ++n) accuracy[n] = simulated.mean(n, "step_acc");
      std::cout << "  t_B " << mf::first_upward_crossing(times, m_B, 0.5);
      if (task == Task::forward) {
        std::cout << ", t_F " << mf::first_upward_crossing(times, m_F, 0.5) << ", forward head m_F at t_run: "
                  << simulated.mean(last, "head0_m_F") << " / " << simulated.mean(last, "head1_m_F")
                  << ", forward exact match " << simulated.mean(last, "forward_exact_acc");
      }
      std::cout << ", t_99 " << mf::first_upward_crossing(times, accuracy, 0.99) << "\n";
    }
}

