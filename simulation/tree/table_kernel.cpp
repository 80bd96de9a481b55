#include <cotdyn/simulation/tree/table_kernel.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include <cotdyn/core/vector_clones.hpp>

// The kernels below run their loops over a table row in AVX2 or AVX-512 clones (COTDYN_VECTOR_CLONES,
// under its rule: this file is compiled with -ffp-contract=off and no vectorised loop is a reduction),
// so the results do not depend on the clone nor on the processor (the tree's golden outputs,
// tests/golden, were recorded by the 2-wide build before the clones).

namespace cotdyn::simulation::tree {

namespace {

constexpr int blocks = 6;

// out[c] += sum_l g[l stride] rows[l][c] for c < width, the terms added one by one in increasing l
// (four rows per pass over out, so out is loaded and stored a quarter as often).
inline void accumulate_rows(const double* g, std::size_t stride, const double* rows, std::size_t count,
                            std::size_t width, double* __restrict out) {
  std::size_t l = 0;
  for (; l + 4 <= count; l += 4) {
    const double g0 = g[l * stride], g1 = g[(l + 1) * stride], g2 = g[(l + 2) * stride], g3 = g[(l + 3) * stride];
    const double* r0 = rows + l * width;
    const double* r1 = r0 + width;
    const double* r2 = r1 + width;
    const double* r3 = r2 + width;
    for (std::size_t c = 0; c < width; ++c) out[c] = (((out[c] + g0 * r0[c]) + g1 * r1[c]) + g2 * r2[c]) + g3 * r3[c];
  }
  for (; l < count; ++l) {
    const double gl = g[l * stride];
    const double* r = rows + l * width;
    for (std::size_t c = 0; c < width; ++c) out[c] += gl * r[c];
  }
}

// Attention and logits of one query (docs/models/tree.md §2): keys j <= i with slots xs[j] (NONE < 0)
// and ys[j], current node x = ys[i], stage tau.
class QueryPass {
 public:
  QueryPass(const TableView& tables, int tokens)
      : M_(tables.M), H_(tables.H), N_(tables.N), T_(tokens), table_(std::size_t(tables.N) * tables.N),
        transposed_(std::size_t(H_) * 2 * table_), outputs(std::size_t(H_) * 2 * table_), acc_(N_),
        alpha(std::size_t(H_) * T_), weight(std::size_t(H_) * 2 * N_), z(N_) {
    const std::size_t n = N_, width = std::size_t(H_) * 2 * n;
    for (int h = 0; h < H_; ++h)
      for (int s = 0; s < 2; ++s) {
        const double* O = block(h, 4 + s);
        double* OT = &transposed_[(std::size_t(h) * 2 + s) * table_];
        for (std::size_t y = 0; y < n; ++y)
          for (std::size_t b = 0; b < n; ++b) {
            OT[b * n + y] = O[y * n + b];
            outputs[y * width + (std::size_t(h) * 2 + s) * n + b] = O[y * n + b];
          }
      }
  }

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
      // z[y] += sum_b M_O(h, s)[y, b] w_s[b], the sum over b in increasing order from 0 for each y, as
      // a loop over b outside one over y on the transposed block (so the loop over y runs wide).
      for (int s = 0; s < 2; ++s) {
        const double* OT = &transposed_[(std::size_t(h) * 2 + s) * table_];
        const double* w = w_x + std::size_t(s) * N_;
        std::fill(acc_.begin(), acc_.end(), 0.0);
        accumulate_rows(w, 1, OT, N_, N_, acc_.data());
        for (int y = 0; y < N_; ++y) z[y] += acc_[y];
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
  std::vector<double> transposed_;  // [H][2][N][N]: the output blocks M_O(h, s) transposed
 public:
  std::vector<double> outputs;  // [N][H][2][N]: outputs[y][h][s][a] = M_O(h, s)[y, a], the blocks side by side
 private:
  std::vector<double> acc_;     // [N]

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

COTDYN_VECTOR_CLONES
void gram_sandwich(const double* G, const double* C, int count, int N, double* M) {
  // The `count` tables side by side: row l of a wide matrix holds row l of every table, so the inner
  // loops run count N entries long. Entry (i, j) of G C_k and of (G C_k) G is still the sum over l in
  // increasing order, from 0, of the same products as in the table-by-table loops.
  const std::size_t n = N, table = n * n, width = std::size_t(count) * n;
  std::vector<double> wide(n * width), product(n * width, 0.0);
  for (int k = 0; k < count; ++k)  // wide[l][k N + j] = C_k[l][j]
    for (std::size_t l = 0; l < n; ++l)
      std::copy_n(C + k * table + l * n, n, &wide[l * width + k * n]);
  for (std::size_t i = 0; i < n; ++i)  // product[i][k N + j] = sum_l G[i][l] C_k[l][j]
    accumulate_rows(&G[i * n], 1, wide.data(), n, width, &product[i * width]);
  for (int k = 0; k < count; ++k)  // wide[l][k N + i] = (G C_k)[i][l]
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t l = 0; l < n; ++l) wide[l * width + k * n + i] = product[i * width + k * n + l];
  std::fill(product.begin(), product.end(), 0.0);
  for (std::size_t j = 0; j < n; ++j)  // product[j][k N + i] = sum_l G[l][j] (G C_k)[i][l] = (G C_k G)[i][j]
    accumulate_rows(&G[j], n, wide.data(), n, width, &product[j * width]);
  for (int k = 0; k < count; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) M[k * table + i * n + j] = product[j * width + k * n + i];
}

COTDYN_VECTOR_CLONES
double loss_and_gradient(const TableView& tables, const TreeTask& task, const std::vector<const Sample*>& samples,
                         double* gradient) {
  const int H = tables.H, N = tables.N, Q = task.queries(), E = task.edges(), D = task.D;
  const std::size_t table = std::size_t(N) * N;
  QueryPass pass(tables, task.tokens());
  std::vector<int> xs, ys;
  std::vector<double> delta(N), f(task.tokens());
  // The output blocks' gradient and v_s[a] = sum_y delta_y M_O(h, s)[y, a] with the 2H blocks side by
  // side ([N][H][2][N], as pass.outputs and pass.weight), so their loops run 2 H N long: each entry
  // still gets the same terms in the same order (queries in turn; y increasing from 0 for v).
  const std::size_t n = N, width = std::size_t(H) * 2 * n;
  std::vector<double> output_gradient(n * width), v(width);
  for (int h = 0; h < H; ++h)
    for (int s = 0; s < 2; ++s)
      for (std::size_t y = 0; y < n; ++y)
        std::copy_n(gradient + (std::size_t(h) * blocks + 4 + s) * table + y * n, n,
                    &output_gradient[y * width + (std::size_t(h) * 2 + s) * n]);
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
      // dL/dM_O(h, s)[y, a] += delta_y w^h_s[a]
      for (std::size_t y = 0; y < n; ++y) {
        const double dy = delta[y];
        double* row = &output_gradient[y * width];
        for (std::size_t c = 0; c < width; ++c) row[c] += dy * pass.weight[c];
      }
      std::fill(v.begin(), v.end(), 0.0);
      accumulate_rows(delta.data(), 1, pass.outputs.data(), n, width, v.data());
      for (int h = 0; h < H; ++h) {
        const double* v_x = &v[std::size_t(2 * h) * n];
        const double* v_y = v_x + n;
        // f_j, then the softmax's Jacobian, into the rows x of the stage's query-key blocks.
        const double* a = &pass.alpha[std::size_t(h) * task.tokens()];
        double mean = 0;
        for (int j = 0; j <= i; ++j) {
          f[j] = (xs[j] >= 0 ? v_x[xs[j]] : 0.0) + v_y[ys[j]];
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
  for (int h = 0; h < H; ++h)
    for (int s = 0; s < 2; ++s)
      for (std::size_t y = 0; y < n; ++y)
        std::copy_n(&output_gradient[y * width + (std::size_t(h) * 2 + s) * n], n,
                    gradient + (std::size_t(h) * blocks + 4 + s) * table + y * n);
  return loss;
}

COTDYN_VECTOR_CLONES
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
