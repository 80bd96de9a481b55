#include <cotdyn/simulation/state_tracking/coefficient_step.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

#include <cotdyn/core/lanes.hpp>
#include <cotdyn/core/vector_clones.hpp>

// The step runs its loops over a row of P or of the logit tensor in AVX2 or AVX-512 clones
// (COTDYN_VECTOR_CLONES, under its rule: this file is compiled with -ffp-contract=off, and every sum
// below has a fixed order: a scalar loop, or Lanes added lane by lane and then the lanes in order), so
// its numbers do not depend on the processor.

namespace cotdyn::simulation {

namespace {

// Storage aligned to a cache line, so that a vector clone's loads and stores never straddle two lines.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t count) { return static_cast<T*>(::operator new(count * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const { return false; }
};
template <typename T>
using Buffer = std::vector<T, CacheLineAllocator<T>>;

// The step's working arrays, one set per thread, kept between steps (no allocation per step).
template <typename Real>
struct Scratch {
  Buffer<Real> plane_a, plane_b, alpha, grad_alpha, grad_score, gram_rows, rows, w, z, z_max, error, grad_w,
      mixed_error, mixed_w, coefficient_step;
  std::vector<std::int64_t> present;  // the current states of the batch, each once, in increasing order
  std::vector<std::int64_t> needed;   // a state's index in present, or -1
  std::vector<std::int64_t> order, starts, fill;  // the queries sorted by state, and where each state's begin
  std::vector<std::int64_t> lag;      // (t - r) mod L at t L + r: the position of the action at lag r of query t
  std::vector<std::int64_t> current;  // each query's current state

  void size(const CoefficientStepShape& s) {
    const std::int64_t Q = s.B * s.L;
    plane_a.resize(s.half);
    plane_b.resize(s.half);
    alpha.resize(s.L);
    grad_alpha.resize(s.L);
    grad_score.resize(s.L);
    gram_rows.resize(s.n * s.n);
    rows.resize(s.n * s.K * s.n);
    grad_w.resize(s.K);
    coefficient_step.resize(s.K * s.n);
    w.resize(Q * s.K);
    z.resize(Q * s.n);
    z_max.resize(Q);
    error.resize(Q * s.n);
    mixed_error.resize(Q * s.n);
    mixed_w.resize(s.K);
    needed.resize(s.n);
    lag.resize(s.L * s.L);
    current.resize(Q);
  }
};

template <typename Real>
Scratch<Real>& scratch() {
  thread_local Scratch<Real> instance;
  return instance;
}

// y[i] += c x[i], i < count (each clone widens the loop to its registers).
template <typename Real>
inline __attribute__((always_inline)) void add_scaled(Real* __restrict y, Real c, const Real* __restrict x,
                                                      std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) y[i] += c * x[i];
}

// sum_i x[i] y[i], i < count, the products summed in the order of sum() above.
// sum_i x[i], i < count: lane j of a Lanes sums the x[i] with i = j mod lanes in increasing order, the lanes
// are then added from the first to the last, and the tail after them in order.
template <typename Real>
inline __attribute__((always_inline)) Real sum(const Real* __restrict x, std::int64_t count) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  Vector partial = {};
  std::int64_t i = 0;
  for (; i + lanes <= count; i += lanes) partial += core::load_lanes(x + i);
  Real total = 0;
  for (std::int64_t j = 0; j < lanes; ++j) total += partial[j];
  for (; i < count; ++i) total += x[i];
  return total;
}

template <typename Real>
inline __attribute__((always_inline)) Real dot(const Real* __restrict x, const Real* __restrict y, std::int64_t count) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  Vector partial = {};
  std::int64_t i = 0;
  for (; i + lanes <= count; i += lanes) partial += core::load_lanes(x + i) * core::load_lanes(y + i);
  Real sum = 0;
  for (std::int64_t j = 0; j < lanes; ++j) sum += partial[j];
  for (; i < count; ++i) sum += x[i] * y[i];
  return sum;
}

// out[i] = sum_j c[j] x[j][i] (i < width, j < count, row j of x at x + j stride), each sum from 0 over j in
// increasing order, a Lanes of out at a time in a register.
template <typename Real>
inline __attribute__((always_inline)) void combine(Real* __restrict out, const Real* __restrict c, std::int64_t count,
                                                   const Real* __restrict x, std::int64_t stride, std::int64_t width) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  std::int64_t i = 0;
  for (; i + lanes <= width; i += lanes) {
    Vector sum = {};
    for (std::int64_t j = 0; j < count; ++j) sum += c[j] * core::load_lanes(x + j * stride + i);
    core::store_lanes(out + i, sum);
  }
  for (; i < width; ++i) {
    Real sum = 0;
    for (std::int64_t j = 0; j < count; ++j) sum += c[j] * x[j * stride + i];
    out[i] = sum;
  }
}

// out[r][i] = sum_j a[r][j] b[j][i] (r < rows, i < width, j < inner; a row r at a + r lda, b row j at
// b + j ldb, out row r at out + r ldo), each sum from 0 over j in increasing order. Tiles of 4 rows by
// one Lanes accumulate in registers: four independent sums per lane keep the adder busy.
template <typename Real>
inline __attribute__((always_inline)) void multiply(const Real* __restrict a, std::int64_t lda, std::int64_t rows,
                                                    const Real* __restrict b, std::int64_t ldb, std::int64_t inner,
                                                    std::int64_t width, Real* __restrict out, std::int64_t ldo) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  std::int64_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const Real *a0 = a + r * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
    std::int64_t i = 0;
    for (; i + lanes <= width; i += lanes) {
      Vector sum0 = {}, sum1 = {}, sum2 = {}, sum3 = {};
      for (std::int64_t j = 0; j < inner; ++j) {
        const Vector x = core::load_lanes(b + j * ldb + i);
        sum0 += a0[j] * x;
        sum1 += a1[j] * x;
        sum2 += a2[j] * x;
        sum3 += a3[j] * x;
      }
      core::store_lanes(out + r * ldo + i, sum0);
      core::store_lanes(out + (r + 1) * ldo + i, sum1);
      core::store_lanes(out + (r + 2) * ldo + i, sum2);
      core::store_lanes(out + (r + 3) * ldo + i, sum3);
    }
    for (; i < width; ++i)
      for (std::int64_t t = 0; t < 4; ++t) {
        Real sum = 0;
        for (std::int64_t j = 0; j < inner; ++j) sum += a[(r + t) * lda + j] * b[j * ldb + i];
        out[(r + t) * ldo + i] = sum;
      }
  }
  for (; r < rows; ++r) {
    const Real* a0 = a + r * lda;
    std::int64_t i = 0;
    for (; i + lanes <= width; i += lanes) {
      Vector sum0 = {};
      for (std::int64_t j = 0; j < inner; ++j) sum0 += a0[j] * core::load_lanes(b + j * ldb + i);
      core::store_lanes(out + r * ldo + i, sum0);
    }
    for (; i < width; ++i) {
      Real sum = 0;
      for (std::int64_t j = 0; j < inner; ++j) sum += a0[j] * b[j * ldb + i];
      out[r * ldo + i] = sum;
    }
  }
}

template <typename Real>
inline __attribute__((always_inline)) double step(const CoefficientStepShape& shape, const CoefficientSeed<Real>& seed,
                                                   const CoefficientBatch& batch, double eta_W_over_d,
                                                   double eta_A_over_d) {
  const std::int64_t n = shape.n, K = shape.K, L = shape.L, half = shape.half, B = shape.B, Q = B * L, row = K * n;
  Scratch<Real>& s = scratch<Real>();
  s.size(shape);
  for (std::int64_t t = 0; t < L; ++t)
    for (std::int64_t r = 0; r < L; ++r) s.lag[t * L + r] = t >= r ? t - r : t - r + L;  // (t - r) mod L
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < L; ++t) s.current[b * L + t] = batch.states[b * (L + 1) + t];
  const Real* cos_table = seed.residue_cos;
  const Real* sin_table = seed.residue_sin;
  Real* q = seed.q;
  Real* k = seed.k;

  // Attention by residue: alpha_r = softmax_r S_r, S_r = sum_m cos(r th_m) a_m + sin(r th_m) b_m.
  for (std::int64_t m = 0; m < half; ++m) {
    s.plane_a[m] = q[2 * m] * k[2 * m] + q[2 * m + 1] * k[2 * m + 1];
    s.plane_b[m] = q[2 * m] * k[2 * m + 1] - q[2 * m + 1] * k[2 * m];
  }
  std::fill(s.alpha.begin(), s.alpha.end(), Real(0));
  for (std::int64_t m = 0; m < half; ++m)  // the L scores side by side, each summed over m in increasing order
    for (std::int64_t r = 0; r < L; ++r) s.alpha[r] += cos_table[m * L + r] * s.plane_a[m] + sin_table[m * L + r] * s.plane_b[m];
  const Real top = *std::max_element(s.alpha.begin(), s.alpha.end());
  Real total = 0;
  for (auto& value : s.alpha) total += (value = std::exp(value - top));
  for (auto& value : s.alpha) value /= total;
  std::fill(s.grad_alpha.begin(), s.grad_alpha.end(), Real(0));

  // The rows of the logit tensor at the batch's current states, before any update:
  // rows[s][a', s''] = T[s'', a', s] = sum_sigma G_u[sigma, s] P[sigma][a', s''], summed over sigma in
  // increasing order; one pass over P serves every state.
  std::fill(s.needed.begin(), s.needed.end(), std::int64_t(-1));
  for (const std::int64_t state : s.current) s.needed[state] = 0;
  s.present.clear();
  for (std::int64_t state = 0; state < n; ++state)
    if (s.needed[state] == 0) {
      s.needed[state] = static_cast<std::int64_t>(s.present.size());  // the state's row in rows
      s.present.push_back(state);
      std::copy_n(seed.state_gram + state * n, n, &s.gram_rows[s.needed[state] * n]);  // G_u symmetric
    }
  const auto present = static_cast<std::int64_t>(s.present.size());
  multiply(s.gram_rows.data(), n, present, seed.P, row, n, row, s.rows.data(), row);

  // Every query's logits z_s'' = sum_a w_a T[s'', a, s_cur], shifted by their maximum.
  for (std::int64_t b = 0; b < B; ++b) {
    const std::int64_t* actions = batch.actions + b * L;
    for (std::int64_t t = 0; t < L; ++t) {
      const std::int64_t query = b * L + t;
      Real* w = &s.w[query * K];
      Real* z = &s.z[query * n];
      // w_a = sum of alpha_r over the lags r whose action is a: action a_{(t - r) mod L}.
      std::fill_n(w, K, Real(0));
      for (std::int64_t r = 0; r < L; ++r) w[actions[s.lag[t * L + r]]] += s.alpha[r];
      const Real* rows = &s.rows[s.needed[s.current[query]] * row];
      combine(z, w, K, rows, n, n);
      const Real z_max = *std::max_element(z, z + n);
      s.z_max[query] = z_max;
      for (std::int64_t sp = 0; sp < n; ++sp) s.error[query * n + sp] = z[sp] - z_max;
    }
  }
  // Their exponentials at once (core/lanes.hpp in double precision), then each query's loss, its error
  // softmax(z) - one_hot(target), and back through w to alpha (the mean over the Q queries).
  if constexpr (std::is_same_v<Real, double>)
    core::exp_in_place(s.error.data(), Q * n);
  else
    for (auto& value : s.error) value = std::exp(value);
  Real loss_sum = 0;
  for (std::int64_t b = 0; b < B; ++b) {
    const std::int64_t* actions = batch.actions + b * L;
    for (std::int64_t t = 0; t < L; ++t) {
      const std::int64_t query = b * L + t, target = batch.targets[query];
      const Real* z = &s.z[query * n];
      Real* error = &s.error[query * n];
      const Real* rows = &s.rows[s.needed[s.current[query]] * row];
      const Real partition = sum(error, n);
      loss_sum += s.z_max[query] + std::log(partition) - z[target];
      for (std::int64_t sp = 0; sp < n; ++sp) error[sp] /= partition;
      error[target] -= 1;
      Real* grad_w = s.grad_w.data();
      for (std::int64_t a = 0; a < K; ++a) grad_w[a] = dot(error, rows + a * n, n) / static_cast<Real>(Q);
      for (std::int64_t r = 0; r < L; ++r) s.grad_alpha[r] += grad_w[actions[s.lag[t * L + r]]];
    }
  }

  // G_u err of every query: mixed_error[query] = sum_j err_j G_u[j, .].
  multiply(s.error.data(), n, Q, seed.state_gram, n, n, n, s.mixed_error.data(), n);

  // Explicit W-space step in coefficients, query after query (docs/theory.md §2.4 and its trap: not
  // autograd on C): C[s', a, s_cur] -= rate (p - y)_s' w_a, and so P[s_cur][a', s''] -= rate (G_u err)_s'' (G_e w)_a'.
  // The queries are taken state by state, each state's in query order: a state's row of P takes their
  // updates one after another while it stays in the cache, and its column of C (strided) their sum at once.
  const Real logic_rate = static_cast<Real>(eta_W_over_d / static_cast<double>(Q));
  s.order.resize(Q);
  s.starts.assign(present + 1, 0);
  for (std::int64_t query = 0; query < Q; ++query) ++s.starts[s.needed[s.current[query]] + 1];
  for (std::int64_t p = 0; p < present; ++p) s.starts[p + 1] += s.starts[p];
  s.fill.assign(s.starts.begin(), s.starts.end() - 1);
  for (std::int64_t query = 0; query < Q; ++query)
    s.order[s.fill[s.needed[s.current[query]]]++] = query;
  for (std::int64_t p = 0; p < present; ++p) {
    const std::int64_t current = s.present[p];
    Real* P_row = seed.P + current * row;
    Real* step = s.coefficient_step.data();  // sum over the state's queries of w_a (p - y)_s', [a, s']
    std::fill_n(step, row, Real(0));
    for (std::int64_t position = s.starts[p]; position < s.starts[p + 1]; ++position) {
      const std::int64_t query = s.order[position];
      const Real* w = &s.w[query * K];
      const Real* error = &s.error[query * n];
      for (std::int64_t a = 0; a < K; ++a) add_scaled(step + a * n, w[a], error, n);
      for (std::int64_t ap = 0; ap < K; ++ap) {
        Real value = 0;
        for (std::int64_t a = 0; a < K; ++a) value += w[a] * seed.action_gram[a * K + ap];
        s.mixed_w[ap] = value;
      }
      for (std::int64_t ap = 0; ap < K; ++ap)
        add_scaled(P_row + ap * n, -logic_rate * s.mixed_w[ap], &s.mixed_error[query * n], n);
    }
    for (std::int64_t sp = 0; sp < n; ++sp)  // column s_cur of C
      for (std::int64_t a = 0; a < K; ++a) seed.C[(sp * K + a) * n + current] -= logic_rate * step[a * n + sp];
  }

  // Back through the residue softmax and the plane rotations to q and k (old q, k in both).
  Real weighted = 0;
  for (std::int64_t r = 0; r < L; ++r) weighted += s.alpha[r] * s.grad_alpha[r];
  for (std::int64_t r = 0; r < L; ++r) s.grad_score[r] = s.alpha[r] * (s.grad_alpha[r] - weighted);
  const Real attention_rate = static_cast<Real>(eta_A_over_d);
  for (std::int64_t m = 0; m < half; ++m) {
    Real grad_a = 0, grad_b = 0;
    for (std::int64_t r = 0; r < L; ++r) {
      grad_a += s.grad_score[r] * cos_table[m * L + r];
      grad_b += s.grad_score[r] * sin_table[m * L + r];
    }
    const Real q0 = q[2 * m], q1 = q[2 * m + 1], k0 = k[2 * m], k1 = k[2 * m + 1];
    q[2 * m] -= attention_rate * (grad_a * k0 + grad_b * k1);
    q[2 * m + 1] -= attention_rate * (grad_a * k1 - grad_b * k0);
    k[2 * m] -= attention_rate * (grad_a * q0 - grad_b * q1);
    k[2 * m + 1] -= attention_rate * (grad_a * q1 + grad_b * q0);
  }
  return static_cast<double>(loss_sum / static_cast<Real>(Q));
}

}  // namespace

COTDYN_VECTOR_CLONES
double coefficient_sgd_step(const CoefficientStepShape& shape, const CoefficientSeed<double>& seed,
                            const CoefficientBatch& batch, double eta_W_over_d, double eta_A_over_d) {
  return step(shape, seed, batch, eta_W_over_d, eta_A_over_d);
}

COTDYN_VECTOR_CLONES
double coefficient_sgd_step(const CoefficientStepShape& shape, const CoefficientSeed<float>& seed,
                            const CoefficientBatch& batch, double eta_W_over_d, double eta_A_over_d) {
  return step(shape, seed, batch, eta_W_over_d, eta_A_over_d);
}

}  // namespace cotdyn::simulation
