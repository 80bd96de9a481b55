// The closed-form table pass (simulation/tree/table_kernel.hpp) against the autograd reference
// table_forward (network.hpp) on random logit tables: the loss and dloss/dM to rounding, and the
// teacher-forced evaluation sums (loss, accuracy, margins, retrieval masses) of docs/models/tree.md §10.3.
#include <limits>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/simulation/tree/network.hpp>
#include <cotdyn/simulation/tree/table_kernel.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation::tree;

namespace {

// Tables of order 1 everywhere (so every softmax is far from uniform) and B samples of each task.
struct Case {
  TreeTask task;
  int H;
  torch::Tensor M;  // [1, H, 6, N, N]
  std::vector<Sample> samples;
};

Case random_case(Task kind, int H, int D, std::uint64_t seed) {
  Case c{{kind, (2 << D) - 1 + 5, D}, H, {}, {}};  // N = n_T + 5 symbols
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  c.M = torch::randn({1, H, blocks_per_head, c.task.N, c.task.N}, generator, torch::kDouble) * 1.5;
  SampleGenerator samples(c.task, seed);
  for (int b = 0; b < 5; ++b) c.samples.push_back(samples.next());
  return c;
}

}  // namespace

TEST_CASE("the closed-form loss and gradient equal autograd through table_forward on the free table") {
  for (const auto& [kind, H, D] : {std::tuple{Task::forward, 2, 3}, {Task::backward, 1, 2}, {Task::forward, 3, 2}}) {
    CAPTURE(to_string(kind));
    CAPTURE(H);
    const Case c = random_case(kind, H, D, 7 + H);
    const auto M = c.M.clone().requires_grad_(true);
    const Batch batch = make_batch({c.samples});
    const auto reference = loss_per_seed(table_forward(M, batch, QueryLayout(c.task)).logits, batch.targets);
    reference.sum().backward();
    std::vector<const Sample*> pointers;
    for (const auto& s : c.samples) pointers.push_back(&s);
    auto gradient = torch::zeros_like(c.M);
    const double loss = loss_and_gradient({c.M.data_ptr<double>(), H, c.task.N}, c.task, pointers, gradient.data_ptr<double>());
    CHECK(loss == doctest::Approx(reference.item<double>()).epsilon(1e-13));
    const double scale = M.grad().abs().max().item<double>();
    CHECK(scale > 1e-3);
    CHECK((gradient - M.grad()).abs().max().item<double>() < 1e-13 * std::max(1.0, scale));
  }
}

TEST_CASE("the teacher-forced evaluation sums equal the quantities of table_forward's logits and attention") {
  const Case c = random_case(Task::forward, 2, 3, 21);
  const QueryLayout layout(c.task);
  const Batch batch = make_batch({c.samples});
  const auto pass = table_forward(c.M, batch, layout);
  EvaluationSums sums;
  evaluate_samples({c.M.data_ptr<double>(), c.H, c.task.N}, c.task, c.samples, 1, 3, sums);  // samples 1, 2, 3
  const auto z = pass.logits.select(0, 0).slice(0, 1, 4);  // [3, Q, N]
  const auto targets = batch.targets.select(0, 0).slice(0, 1, 4);
  const int Q = c.task.queries(), D = c.task.D;
  const auto picked = z.gather(2, targets.unsqueeze(2)).squeeze(2);
  CHECK(sums.loss == doctest::Approx((torch::logsumexp(z, 2) - picked).mean(1).sum().item<double>()).epsilon(1e-13));
  CHECK(sums.correct == doctest::Approx((z.argmax(2) == targets).to(torch::kDouble).mean(1).sum().item<double>()));
  const auto others = z.scatter(2, targets.unsqueeze(2), -std::numeric_limits<double>::infinity());
  const auto margins = (picked - std::get<0>(others.max(2))).sum(0);
  for (int q = 0; q < Q; ++q) CHECK(sums.margins[q] == doctest::Approx(margins[q].item<double>()).epsilon(1e-13));
  // Masses: B queries on keys whose X is the current node, F queries on keys whose Y is.
  const auto attention = pass.attention.select(0, 0).slice(1, 1, 4);  // [H, 3, Q, T]
  const auto current = batch.y.select(0, 0).slice(0, 1, 4).index_select(1, layout.positions).unsqueeze(2);  // [3, Q, 1]
  const auto on_X = (attention * (batch.x.select(0, 0).slice(0, 1, 4).unsqueeze(1) == current)).sum(3);  // [H, 3, Q]
  const auto on_Y = (attention * (batch.y.select(0, 0).slice(0, 1, 4).unsqueeze(1) == current)).sum(3);
  for (int h = 0; h < c.H; ++h) {
    CHECK(sums.mass_B[h] == doctest::Approx(on_X[h].slice(1, 0, D).sum().item<double>() / D).epsilon(1e-13));
    CHECK(sums.mass_F[h] == doctest::Approx(on_Y[h].slice(1, D, Q).sum().item<double>() / D).epsilon(1e-13));
  }
}

TEST_CASE("gram_sandwich is G C G of every table") {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(5);
  const int N = 9;
  const auto G = torch::randn({N, N}, generator, torch::kDouble);
  const auto C = torch::randn({4, N, N}, generator, torch::kDouble);
  auto M = torch::empty_like(C);
  gram_sandwich(G.data_ptr<double>(), C.data_ptr<double>(), 4, N, M.data_ptr<double>());
  CHECK((M - torch::matmul(torch::matmul(G, C), G)).abs().max().item<double>() < 1e-12);
}

TEST_CASE("gram_sandwich rounds as the table-by-table loops, bit for bit") {
  // The plain loops the vector version replaced: each entry of G C and of (G C) G summed over l in
  // increasing order from 0. Odd sizes exercise the loops' remainders.
  for (const auto [N, count] : {std::pair{7, 3}, std::pair{9, 4}, std::pair{20, 12}}) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(11 + N);
    const auto G = torch::randn({N, N}, generator, torch::kDouble);
    const auto C = torch::randn({count, N, N}, generator, torch::kDouble);
    const double* g = G.data_ptr<double>();
    const double* c = C.data_ptr<double>();
    std::vector<double> reference(std::size_t(count) * N * N, 0.0), GC(std::size_t(N) * N);
    for (int k = 0; k < count; ++k) {
      std::fill(GC.begin(), GC.end(), 0.0);
      for (int i = 0; i < N; ++i)
        for (int l = 0; l < N; ++l)
          for (int j = 0; j < N; ++j) GC[i * N + j] += g[i * N + l] * c[(k * N + l) * N + j];
      for (int i = 0; i < N; ++i)
        for (int l = 0; l < N; ++l)
          for (int j = 0; j < N; ++j) reference[(k * N + i) * N + j] += GC[i * N + l] * g[l * N + j];
    }
    std::vector<double> M(reference.size());
    gram_sandwich(g, c, count, N, M.data());
    CHECK(M == reference);
  }
}
