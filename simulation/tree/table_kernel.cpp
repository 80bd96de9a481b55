#include <cotdyn/simulation/tree/table_kernel.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace cotdyn::simulation::tree {

namespace {

constexpr int blocks = 6;

// Attention and logits of one query (docs/models/tree.md §2): keys j <= i with slots xs[j] (NONE < 0)
// and ys[j], current node x = ys[i], stage tau.
class QueryPass {
 public:
  QueryPass(const TableView& tables, int tokens)
      : M_(tables.M), H_(tables.H), N_(tables.N), T_(tokens), table_(std::size_t(tables.N) * tables.N),
        alpha(std::size_t(H_) * T_), weight(std::size_t(H_) * 2 * N_), z(N_) {}

  const double* block(int h, int k) const { return M_ + (std::size_t(h) * blocks + k) * table_; }

  void run(const int* xs, const int* ys, int i, int tau) {
    const int x = ys[i];
    std::fill(weight.begin(), weight.end(), 0.0);
    std::fill(z.begin(), z.end(), 0.0);
    for (int h = 0; h < H_; ++h) {
      const double* row_x = block(h, 2 * tau) + std::size_t(x) * N_;
      const double* row_y = block(h, 2 * tau + 1) + std::size_t(x) * N_;
      double* a = &alpha[std::size_t(h) * T_];
      double top = -std::numeric_limits<double>::infinity();
      for (int j = 0; j <= i; ++j) {
        a[j] = (xs[j] >= 0 ? row_x[xs[j]] : 0.0) + row_y[ys[j]];
        top = std::max(top, a[j]);
      }
      double sum = 0;
      for (int j = 0; j <= i; ++j) sum += (a[j] = std::exp(a[j] - top));
      double* w_x = &weight[std::size_t(2 * h) * N_];
      double* w_y = w_x + N_;
      for (int j = 0; j <= i; ++j) {
        a[j] /= sum;
        if (xs[j] >= 0) w_x[xs[j]] += a[j];
        w_y[ys[j]] += a[j];
      }
      // z[y] += sum_a M_O(h, s)[y, a] w_s[a].
      for (int s = 0; s < 2; ++s) {
        const double* O = block(h, 4 + s);
        const double* w = w_x + std::size_t(s) * N_;
        for (int y = 0; y < N_; ++y) {
          const double* row = O + std::size_t(y) * N_;
          double acc = 0;
          for (int b = 0; b < N_; ++b) acc += row[b] * w[b];
          z[y] += acc;
        }
      }
    }
  }

  // argmax z, ties to the lowest symbol.
  int prediction() const { return static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin()); }
  double log_sum_exp() const {
    const double top = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (double v : z) sum += std::exp(v - top);
    return top + std::log(sum);
  }

 private:
  const double* M_;
  int H_, N_, T_;
  std::size_t table_;

 public:
  std::vector<double> alpha;   // [H][T]
  std::vector<double> weight;  // [H][2][N]: attention on the keys whose slot s holds a
  std::vector<double> z;       // [N]
};

void slots_of(const Sample& sample, std::vector<int>& xs, std::vector<int>& ys) {
  xs.resize(sample.tokens.size());
  ys.resize(sample.tokens.size());
  for (std::size_t j = 0; j < sample.tokens.size(); ++j) {
    xs[j] = sample.tokens[j].x;
    ys[j] = sample.tokens[j].y;
  }
}

}  // namespace

void for_each_seed(int seeds, int threads, const std::function<void(int)>& f) {
  if (threads == 1 || seeds <= 1) {
    for (int e = 0; e < seeds; ++e) f(e);
    return;
  }
  oneapi::tbb::task_arena arena(threads > 0 ? threads : oneapi::tbb::task_arena::automatic);
  arena.execute([&] { oneapi::tbb::parallel_for(0, seeds, [&](int e) { f(e); }); });
}

void gram_sandwich(const double* G, const double* C, int count, int N, double* M) {
  const std::size_t table = std::size_t(N) * N;
  std::vector<double> GC(table);
  for (int k = 0; k < count; ++k) {
    const double* c = C + k * table;
    double* m = M + k * table;
    std::fill(GC.begin(), GC.end(), 0.0);
    std::fill(m, m + table, 0.0);
    for (int i = 0; i < N; ++i)
      for (int l = 0; l < N; ++l) {
        const double g = G[std::size_t(i) * N + l];
        const double* row = c + std::size_t(l) * N;
        double* out = &GC[std::size_t(i) * N];
        for (int j = 0; j < N; ++j) out[j] += g * row[j];
      }
    for (int i = 0; i < N; ++i)
      for (int l = 0; l < N; ++l) {
        const double v = GC[std::size_t(i) * N + l];
        const double* row = G + std::size_t(l) * N;
        double* out = m + std::size_t(i) * N;
        for (int j = 0; j < N; ++j) out[j] += v * row[j];
      }
  }
}

double loss_and_gradient(const TableView& tables, const TreeTask& task, const std::vector<const Sample*>& samples,
                         double* gradient) {
  const int H = tables.H, N = tables.N, Q = task.queries(), E = task.edges(), D = task.D;
  const std::size_t table = std::size_t(N) * N;
  QueryPass pass(tables, task.tokens());
  std::vector<int> xs, ys;
  std::vector<double> delta(N), f(task.tokens()), v(2 * std::size_t(N));
  const double scale = 1.0 / (static_cast<double>(samples.size()) * Q);
  double loss = 0;
  for (const Sample* sample : samples) {
    slots_of(*sample, xs, ys);
    for (int q = 0; q < Q; ++q) {
      const int i = E + q, tau = q < D ? 0 : 1, x = ys[i], t = sample->targets[q];
      pass.run(xs.data(), ys.data(), i, tau);
      const double lse = pass.log_sum_exp();
      loss += (lse - pass.z[t]) * scale;
      for (int y = 0; y < N; ++y) delta[y] = std::exp(pass.z[y] - lse) * scale;
      delta[t] -= scale;
      for (int h = 0; h < H; ++h) {
        const double* w = &pass.weight[std::size_t(2 * h) * N];
        for (int s = 0; s < 2; ++s) {
          const double* O = pass.block(h, 4 + s);
          double* gO = gradient + (std::size_t(h) * blocks + 4 + s) * table;
          double* vs = &v[std::size_t(s) * N];
          std::fill(vs, vs + N, 0.0);
          for (int y = 0; y < N; ++y) {
            const double dy = delta[y];
            const double* row = O + std::size_t(y) * N;
            double* grow = gO + std::size_t(y) * N;
            for (int a = 0; a < N; ++a) {
              grow[a] += dy * w[std::size_t(s) * N + a];
              vs[a] += dy * row[a];
            }
          }
        }
        // f_j, then the softmax's Jacobian, into the rows x of the stage's query-key blocks.
        const double* a = &pass.alpha[std::size_t(h) * task.tokens()];
        double mean = 0;
        for (int j = 0; j <= i; ++j) {
          f[j] = (xs[j] >= 0 ? v[xs[j]] : 0.0) + v[std::size_t(N) + ys[j]];
          mean += a[j] * f[j];
        }
        double* g_x = gradient + (std::size_t(h) * blocks + 2 * tau) * table + std::size_t(x) * N;
        double* g_y = gradient + (std::size_t(h) * blocks + 2 * tau + 1) * table + std::size_t(x) * N;
        for (int j = 0; j <= i; ++j) {
          const double g = a[j] * (f[j] - mean);
          if (xs[j] >= 0) g_x[xs[j]] += g;
          g_y[ys[j]] += g;
        }
      }
    }
  }
  return loss;
}

void evaluate_samples(const TableView& tables, const TreeTask& task, const std::vector<Sample>& samples,
                      std::size_t first, std::size_t count, EvaluationSums& sums) {
  const int H = tables.H, N = tables.N, Q = task.queries(), E = task.edges(), D = task.D;
  const bool forward_task = Q > D;
  if (sums.margins.empty()) {
    sums.margins.assign(Q, 0.0);
    sums.mass_B.assign(H, 0.0);
    sums.mass_F.assign(H, 0.0);
  }
  QueryPass pass(tables, task.tokens());
  std::vector<int> xs, ys, predictions(Q);
  for (std::size_t n = first; n < first + count; ++n) {
    const Sample& sample = samples[n];
    slots_of(sample, xs, ys);
    bool all_right = true;
    for (int q = 0; q < Q; ++q) {
      const int i = E + q, tau = q < D ? 0 : 1, x = ys[i], t = sample.targets[q];
      pass.run(xs.data(), ys.data(), i, tau);
      sums.loss += (pass.log_sum_exp() - pass.z[t]) / Q;
      predictions[q] = pass.prediction();
      all_right = all_right && predictions[q] == t;
      sums.correct += (predictions[q] == t ? 1.0 : 0.0) / Q;
      double other = -std::numeric_limits<double>::infinity();
      for (int y = 0; y < N; ++y)
        if (y != t) other = std::max(other, pass.z[y]);
      sums.margins[q] += pass.z[t] - other;
      // Retrieval masses (docs/models/tree.md §3.4): B queries on keys with X = x_q, F queries on Y = x_q.
      for (int h = 0; h < H; ++h) {
        const double* a = &pass.alpha[std::size_t(h) * task.tokens()];
        const int* slot = tau == 0 ? xs.data() : ys.data();
        double mass = 0;
        for (int j = 0; j <= i; ++j)
          if (slot[j] == x) mass += a[j];
        (tau == 0 ? sums.mass_B : sums.mass_F)[h] += mass / D;
      }
    }
    if (!all_right) {
      for (int q = 0; q < Q; ++q) {
        const int i = E + q;
        pass.run(xs.data(), ys.data(), i, q < D ? 0 : 1);
        predictions[q] = pass.prediction();
        if (q + 1 < Q) {
          xs[i + 1] = ys[i];
          ys[i + 1] = predictions[q];
        }
      }
    }
    bool exact = true, forward_exact = true;
    for (int q = 0; q < Q; ++q) {
      const bool right = predictions[q] == sample.targets[q];
      exact = exact && right;
      if (q >= D) forward_exact = forward_exact && right;
    }
    sums.exact += exact ? 1.0 : 0.0;
    if (forward_task) sums.forward_exact += forward_exact ? 1.0 : 0.0;
  }
}

}  // namespace cotdyn::simulation::tree
