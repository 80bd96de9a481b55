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
      mixed_error, mixed_w, coefficient_step, partition, partials, action_rows;
  std::vector<std::int64_t> present;  // the current states of the batch, each once, in increasing order
  std::vector<std::int64_t> needed;   // a state's index in present, or -1
  std::vector<std::int64_t> starts, fill;  // where each state's queries begin among the sorted terms
  std::vector<std::int64_t> lag;      // (t - r) mod L at t L + r: the position of the action at lag r of query t
  std::vector<std::int64_t> current;  // each query's current state
  std::vector<const Real*> term_w, term_error, term_mixed_w, term_mixed_error;  // the queries, sorted by state

  // A query's room in w and G_e w: K rounded up to whole Lanes.
  static std::int64_t wide(std::int64_t K) {
    constexpr std::int64_t lanes = core::lanes_of<Real>;
    return (K + lanes - 1) / lanes * lanes;
  }

  void size(const CoefficientStepShape& s) {
    const std::int64_t Q = s.B * s.L;
    plane_a.resize(s.half);
    plane_b.resize(s.half);
    alpha.resize(s.L);
    grad_alpha.resize(s.L);
    grad_score.resize(s.L);
    gram_rows.resize(s.n * s.n);
    rows.resize(s.n * s.K * s.n);
    grad_w.resize(Q * s.K + core::lanes_of<Real>);
    partition.resize(Q + core::lanes_of<Real>);
    partials.resize((Q * s.K + core::lanes_of<Real>) * core::lanes_of<Real>);
    coefficient_step.resize(s.K * s.n);
    w.resize(Q * wide(s.K));
    z.resize(Q * s.n);
    z_max.resize(Q);
    error.resize(Q * s.n);
    mixed_error.resize(Q * s.n);
    mixed_w.resize(Q * wide(s.K));
    action_rows.resize(s.K * wide(s.K));
    term_w.resize(Q);
    term_error.resize(Q);
    term_mixed_w.resize(Q);
    term_mixed_error.resize(Q);
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

// y[i] += c x[i], i < count: a Lanes at a time, the tail one by one.
template <typename Real>
inline __attribute__((always_inline)) void add_scaled(Real* __restrict y, Real c, const Real* __restrict x,
                                                      std::int64_t count) {
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  std::int64_t i = 0;
  for (; i + lanes <= count; i += lanes) core::store_lanes(y + i, core::load_lanes(y + i) + c * core::load_lanes(x + i));
  for (; i < count; ++i) y[i] += c * x[i];
}

// Sums of terms out[r][i] (+)= sum_t c_t[r] x_t[i] (r < rows, i < width, t < count), two kinds of terms:
// a matrix product's (term t: row t of b, with the coefficients of column t of a) and a list of rank-one
// updates' (term t: vectors[t], with the coefficients coefficients[t]).
template <typename Real>
struct ProductTerms {
  const Real* a;  // row r at a + r lda
  std::int64_t lda;
  const Real* b;  // row t at b + t ldb
  std::int64_t ldb;
  const Real* vector(std::int64_t t) const { return b + t * ldb; }
  Real coefficient(std::int64_t t, std::int64_t r) const { return a[r * lda + t]; }
};
template <typename Real>
struct ListedTerms {
  const Real* const* coefficients;
  const Real* const* vectors;
  const Real* vector(std::int64_t t) const { return vectors[t]; }
  Real coefficient(std::int64_t t, std::int64_t r) const { return coefficients[t][r]; }
};

// One register tile: rows row0 .. row0 + R - 1 of out by V Lanes of columns from column0, each element taking
// the terms one after another from 0 (from_zero) or from out. The R V sums stay in registers (12 of AVX-512's
// 32 at 4 x 3): each load of a term's vector serves R rows, each coefficient V Lanes, and the independent sums
// keep both adders busy.
template <int R, int V, bool from_zero, typename Real, typename Terms>
inline __attribute__((always_inline)) void tile(const Terms& terms, std::int64_t row0, std::int64_t column0,
                                                std::int64_t count, Real* __restrict out, std::int64_t ldo) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  Vector sum[R][V];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 3
    for (int v = 0; v < V; ++v) sum[r][v] = from_zero ? Vector{} : core::load_lanes(out + r * ldo + v * lanes);
  for (std::int64_t t = 0; t < count; ++t) {
    const Real* x_t = terms.vector(t) + column0;
    Vector x[V];
#pragma GCC unroll 3
    for (int v = 0; v < V; ++v) x[v] = core::load_lanes(x_t + v * lanes);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const Real c = terms.coefficient(t, row0 + r);
#pragma GCC unroll 3
      for (int v = 0; v < V; ++v) sum[r][v] += c * x[v];
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 3
    for (int v = 0; v < V; ++v) core::store_lanes(out + r * ldo + v * lanes, sum[r][v]);
}

// R rows across the width: tiles of 3 Lanes, then of one, then the columns left one by one.
template <int R, bool from_zero, typename Real, typename Terms>
inline __attribute__((always_inline)) void tile_rows(const Terms& terms, std::int64_t row0, std::int64_t count,
                                                     std::int64_t width, Real* __restrict out, std::int64_t ldo) {
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  std::int64_t i = 0;
  for (; i + 3 * lanes <= width; i += 3 * lanes) tile<R, 3, from_zero>(terms, row0, i, count, out + i, ldo);
  for (; i + lanes <= width; i += lanes) tile<R, 1, from_zero>(terms, row0, i, count, out + i, ldo);
  for (; i < width; ++i)
    for (int r = 0; r < R; ++r) {
      Real value = from_zero ? Real(0) : out[r * ldo + i];
      for (std::int64_t t = 0; t < count; ++t) value += terms.coefficient(t, row0 + r) * terms.vector(t)[i];
      out[r * ldo + i] = value;
    }
}

// out[r][i] (+)= sum_t c_t[r] x_t[i] for r < rows, i < width (row r of out at out + r ldo), every element
// taking the terms t < count in order, from 0 with from_zero: tiles of 4 rows, then of the 1 to 3 left.
template <bool from_zero, typename Real, typename Terms>
inline __attribute__((always_inline)) void accumulate(const Terms& terms, std::int64_t rows, std::int64_t count,
                                                      std::int64_t width, Real* __restrict out, std::int64_t ldo) {
  std::int64_t r = 0;
  for (; r + 4 <= rows; r += 4) tile_rows<4, from_zero>(terms, r, count, width, out + r * ldo, ldo);
  switch (rows - r) {
    case 3: tile_rows<3, from_zero>(terms, r, count, width, out + r * ldo, ldo); break;
    case 2: tile_rows<2, from_zero>(terms, r, count, width, out + r * ldo, ldo); break;
    case 1: tile_rows<1, from_zero>(terms, r, count, width, out + r * ldo, ldo); break;
    default: break;
  }
}

// out = a b: out[r][i] = sum_j a[r][j] b[j][i] (r < rows, i < width, j < inner), each sum from 0 over j in
// increasing order.
template <typename Real>
inline __attribute__((always_inline)) void multiply(const Real* a, std::int64_t lda, std::int64_t rows, const Real* b,
                                                    std::int64_t ldb, std::int64_t inner, std::int64_t width,
                                                    Real* __restrict out, std::int64_t ldo) {
  accumulate<true>(ProductTerms<Real>{a, lda, b, ldb}, rows, inner, width, out, ldo);
}

// out[r][i] (+)= sum over t < count of coefficients[t][r] vectors[t][i] (r < rows, out row-major with rows of
// width), the terms taken in order for every element (from 0 instead of out with from_zero).
template <bool from_zero, typename Real>
inline __attribute__((always_inline)) void add_outers(Real* __restrict out, std::int64_t rows, std::int64_t width,
                                                      const Real* const* coefficients, const Real* const* vectors,
                                                      std::int64_t count) {
  accumulate<from_zero>(ListedTerms<Real>{coefficients, vectors}, rows, count, width, out, width);
}

// The largest of x[i], i < count (exact in any order).
template <typename Real>
inline __attribute__((always_inline)) Real maximum(const Real* __restrict x, std::int64_t count) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  Real top = x[0];
  std::int64_t i = 0;
  if (count >= lanes) {
    Vector best = core::load_lanes(x);
    for (i = lanes; i + lanes <= count; i += lanes) {
      const Vector next = core::load_lanes(x + i);
      best = next > best ? next : best;
    }
    if constexpr (std::is_same_v<Real, double> && lanes == 8) {  // halves, quarters, pairs: three shuffles
      using Mask = core::Lanes<double>::bits;
      for (const Mask swap : {Mask{4, 5, 6, 7, 0, 1, 2, 3}, Mask{2, 3, 0, 1, 6, 7, 4, 5}, Mask{1, 0, 3, 2, 5, 4, 7, 6}}) {
        const Vector other = __builtin_shuffle(best, swap);
        best = other > best ? other : best;
      }
      top = best[0];
    } else {
      for (std::int64_t j = 0; j < lanes; ++j) top = best[j] > top ? best[j] : top;
    }
  }
  for (; i < count; ++i) top = x[i] > top ? x[i] : top;
  return top;
}

// The rule of every sum over a row of n numbers here: lane j of a Lanes sums the terms i = j mod lanes in
// increasing order, the lanes are then added from the first to the last starting from 0, and the tail after
// them in order. sum_lanes_each does the second part for `lanes` rows at once: totals[i] = ((0 + v[i][0]) +
// v[i][1]) + ... + v[i][lanes - 1]. For doubles the eight vectors are transposed in registers, so that the
// eight sums run side by side as one vector's; otherwise one vector after another.
template <typename Real>
inline __attribute__((always_inline)) void sum_lanes_each(const Real* __restrict vectors, Real* __restrict totals) {
  using Vector = typename core::Lanes<Real>::type;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  if constexpr (std::is_same_v<Real, double> && lanes == 8) {
    using Mask = core::Lanes<double>::bits;
    Vector v[8];
    for (int i = 0; i < 8; ++i) v[i] = core::load_lanes(vectors + i * lanes);
    const Mask even{0, 8, 2, 10, 4, 12, 6, 14}, odd{1, 9, 3, 11, 5, 13, 7, 15};
    const Mask low_pairs{0, 1, 8, 9, 4, 5, 12, 13}, high_pairs{2, 3, 10, 11, 6, 7, 14, 15};
    const Mask low_half{0, 1, 2, 3, 8, 9, 10, 11}, high_half{4, 5, 6, 7, 12, 13, 14, 15};
    Vector a[8], b[8];
    for (int i = 0; i < 8; i += 2) {  // a[i] = v_i[0] v_i+1[0] v_i[2] v_i+1[2] ..., a[i+1] the odd elements
      a[i] = __builtin_shuffle(v[i], v[i + 1], even);
      a[i + 1] = __builtin_shuffle(v[i], v[i + 1], odd);
    }
    for (int i = 0; i < 8; i += 4) {  // b[i + j] = element j and j + 4 of rows i .. i + 3
      b[i] = __builtin_shuffle(a[i], a[i + 2], low_pairs);
      b[i + 1] = __builtin_shuffle(a[i + 1], a[i + 3], low_pairs);
      b[i + 2] = __builtin_shuffle(a[i], a[i + 2], high_pairs);
      b[i + 3] = __builtin_shuffle(a[i + 1], a[i + 3], high_pairs);
    }
    Vector total = {};
    for (int j = 0; j < 4; ++j) total += __builtin_shuffle(b[j], b[j + 4], low_half);   // element j of every row
    for (int j = 0; j < 4; ++j) total += __builtin_shuffle(b[j], b[j + 4], high_half);  // element j + 4
    core::store_lanes(totals, total);
  } else {
    for (std::int64_t i = 0; i < lanes; ++i) {
      Real total = 0;
      for (std::int64_t j = 0; j < lanes; ++j) total += vectors[i * lanes + j];
      totals[i] = total;
    }
  }
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
  // The L scores side by side, each summed over m in increasing order, in Lanes of residues two at a time
  // (the last Lanes ends at L, overlapping the one before: both compute the overlap the same way).
  {
    using Vector = typename core::Lanes<Real>::type;
    constexpr std::int64_t lanes = core::lanes_of<Real>;
    if (L >= lanes) {
      const std::int64_t chunks = (L + lanes - 1) / lanes;
      for (std::int64_t c = 0; c < chunks; c += 2) {
        const std::int64_t first = std::min(c * lanes, L - lanes), second = std::min((c + 1) * lanes, L - lanes);
        Vector scores0 = {}, scores1 = {};
        for (std::int64_t m = 0; m < half; ++m) {
          scores0 += core::load_lanes(cos_table + m * L + first) * s.plane_a[m] +
                     core::load_lanes(sin_table + m * L + first) * s.plane_b[m];
          scores1 += core::load_lanes(cos_table + m * L + second) * s.plane_a[m] +
                     core::load_lanes(sin_table + m * L + second) * s.plane_b[m];
        }
        core::store_lanes(&s.alpha[first], scores0);
        core::store_lanes(&s.alpha[second], scores1);
      }
    } else {
      std::fill(s.alpha.begin(), s.alpha.end(), Real(0));
      for (std::int64_t m = 0; m < half; ++m)
        for (std::int64_t r = 0; r < L; ++r)
          s.alpha[r] += cos_table[m * L + r] * s.plane_a[m] + sin_table[m * L + r] * s.plane_b[m];
    }
  }
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
  using Vector = typename core::Lanes<Real>::type;
  using Lane = typename core::Lanes<Real>::bits;
  using Index = std::remove_reference_t<decltype(Lane{}[0])>;
  constexpr std::int64_t lanes = core::lanes_of<Real>;
  const std::int64_t wide = Scratch<Real>::wide(K);
  Lane action_lane;
  for (std::int64_t j = 0; j < lanes; ++j) action_lane[j] = static_cast<Index>(j);
  for (std::int64_t b = 0; b < B; ++b) {
    const std::int64_t* actions = batch.actions + b * L;
    for (std::int64_t t = 0; t < L; ++t) {
      const std::int64_t query = b * L + t;
      Real* w = &s.w[query * wide];
      // w_a = sum of alpha_r over the lags r whose action is a: action a_{(t - r) mod L}. The K sums a Lanes
      // at a time, lane a adding alpha_r where the action is a and 0 elsewhere.
      const std::int64_t* lagged = &s.lag[t * L];
      for (std::int64_t first = 0; first < K; first += lanes) {
        Vector sums = {};
        for (std::int64_t r = 0; r < L; ++r)
          sums += (action_lane == static_cast<Index>(actions[lagged[r]] - first)) ? Vector{} + s.alpha[r] : Vector{};
        core::store_lanes(w + first, sums);
      }
    }
  }
  for (std::int64_t query = 0; query < Q; ++query) {
    Real* z = &s.z[query * n];
    const Real* rows = &s.rows[s.needed[s.current[query]] * row];
    combine(z, &s.w[query * wide], K, rows, n, n);
    const Real z_max = maximum(z, n);
    s.z_max[query] = z_max;
    for (std::int64_t sp = 0; sp < n; ++sp) s.error[query * n + sp] = z[sp] - z_max;
  }
  // Their exponentials at once (core/lanes.hpp in double precision), then each query's loss, its error
  // softmax(z) - one_hot(target), and back through w to alpha (the mean over the Q queries).
  if constexpr (std::is_same_v<Real, double>)
    core::exp_in_place(s.error.data(), Q * n);
  else
    for (auto& value : s.error) value = std::exp(value);
  // Sums over a query's n numbers by the rule of sum_lanes_each (a Lanes of partial sums, then its lanes in
  // order, then the tail), the lanes of `lanes` partial sums added at once.
  const std::int64_t body = n - n % lanes;
  Real* partials = s.partials.data();
  const auto sum_partials = [&](std::int64_t count, Real* totals) {
    std::fill_n(partials + count * lanes, (lanes - count % lanes) % lanes * lanes, Real(0));
    for (std::int64_t first = 0; first < count; first += lanes)
      sum_lanes_each(partials + first * lanes, totals + first);
  };
  // The partition functions.
  for (std::int64_t query = 0; query < Q; ++query) {
    const Real* error = &s.error[query * n];
    Vector partial = {};
    for (std::int64_t i = 0; i < body; i += lanes) partial += core::load_lanes(error + i);
    core::store_lanes(partials + query * lanes, partial);
  }
  Real* partition = s.partition.data();
  sum_partials(Q, partition);
  for (std::int64_t query = 0; query < Q; ++query)
    for (std::int64_t i = body; i < n; ++i) partition[query] += s.error[query * n + i];
  // Each query's loss and error softmax(z) - one_hot(target), and the partial sums of its K products with the
  // rows of T, err . T[., a, s_cur].
  Real loss_sum = 0;
  for (std::int64_t query = 0; query < Q; ++query)
    loss_sum += s.z_max[query] + std::log(partition[query]) - s.z[query * n + batch.targets[query]];
  for (std::int64_t query = 0; query < Q; ++query) {
    Real* error = &s.error[query * n];
    for (std::int64_t sp = 0; sp < n; ++sp) error[sp] /= partition[query];
    error[batch.targets[query]] -= 1;
  }
  for (std::int64_t query = 0; query < Q; ++query) {
    const Real* error = &s.error[query * n];
    const Real* rows = &s.rows[s.needed[s.current[query]] * row];
    for (std::int64_t a = 0; a < K; ++a) {
      Vector partial = {};
      for (std::int64_t i = 0; i < body; i += lanes)
        partial += core::load_lanes(error + i) * core::load_lanes(rows + a * n + i);
      core::store_lanes(partials + (query * K + a) * lanes, partial);
    }
  }
  // grad_w[query, a] = err . T[., a, s_cur] / Q, and back through w to alpha (the mean over the Q queries).
  Real* grad_w = s.grad_w.data();
  sum_partials(Q * K, grad_w);
  for (std::int64_t query = 0; query < Q; ++query)
    for (std::int64_t a = 0; a < K; ++a) {
      const Real* error = &s.error[query * n];
      const Real* rows = &s.rows[(s.needed[s.current[query]] * K + a) * n];
      for (std::int64_t i = body; i < n; ++i) grad_w[query * K + a] += error[i] * rows[i];
    }
  for (std::int64_t i = 0; i < Q * K; ++i) grad_w[i] /= static_cast<Real>(Q);
  for (std::int64_t b = 0; b < B; ++b) {
    const std::int64_t* actions = batch.actions + b * L;
    for (std::int64_t t = 0; t < L; ++t)
      for (std::int64_t r = 0; r < L; ++r) s.grad_alpha[r] += grad_w[(b * L + t) * K + actions[s.lag[t * L + r]]];
  }

  // G_u err of every query: mixed_error[query] = sum_j err_j G_u[j, .].
  multiply(s.error.data(), n, Q, seed.state_gram, n, n, n, s.mixed_error.data(), n);

  // Explicit W-space step in coefficients, query after query (docs/theory.md §2.4 and its trap: not
  // autograd on C): C[s', a, s_cur] -= rate (p - y)_s' w_a, and so P[s_cur][a', s''] -= rate (G_u err)_s'' (G_e w)_a'.
  // The queries are taken state by state, each state's in query order: the state's row of P takes their
  // updates one after another in registers, and its row of C (C is stored by current state) their sum.
  const Real logic_rate = static_cast<Real>(eta_W_over_d / static_cast<double>(Q));
  // Each query's coefficients for P: -rate (G_e w)_a'.
  // A Lanes of them at a time, from the rows of G_e padded to wide.
  std::fill(s.action_rows.begin(), s.action_rows.end(), Real(0));
  for (std::int64_t a = 0; a < K; ++a) std::copy_n(seed.action_gram + a * K, K, &s.action_rows[a * wide]);
  for (std::int64_t query = 0; query < Q; ++query) {
    const Real* w = &s.w[query * wide];
    for (std::int64_t first = 0; first < K; first += lanes) {
      Vector value = {};
      for (std::int64_t a = 0; a < K; ++a) value += w[a] * core::load_lanes(&s.action_rows[a * wide + first]);
      core::store_lanes(&s.mixed_w[query * wide + first], value * -logic_rate);
    }
  }
  // The queries' terms sorted by state (a counting sort, each state's in query order).
  s.starts.assign(present + 1, 0);
  for (std::int64_t query = 0; query < Q; ++query) ++s.starts[s.needed[s.current[query]] + 1];
  for (std::int64_t p = 0; p < present; ++p) s.starts[p + 1] += s.starts[p];
  s.fill.assign(s.starts.begin(), s.starts.end() - 1);
  for (std::int64_t query = 0; query < Q; ++query) {
    const std::int64_t j = s.fill[s.needed[s.current[query]]]++;
    s.term_w[j] = &s.w[query * wide];
    s.term_error[j] = &s.error[query * n];
    s.term_mixed_w[j] = &s.mixed_w[query * wide];
    s.term_mixed_error[j] = &s.mixed_error[query * n];
  }
  for (std::int64_t p = 0; p < present; ++p) {
    const std::int64_t current = s.present[p], first = s.starts[p], terms = s.starts[p + 1] - first;
    Real* step = s.coefficient_step.data();  // sum over the state's queries of w_a (p - y)_s', [a, s']
    add_outers<true>(step, K, n, &s.term_w[first], &s.term_error[first], terms);
    add_outers<false>(seed.P + current * row, K, n, &s.term_mixed_w[first], &s.term_mixed_error[first], terms);
    add_scaled(seed.C + current * row, -logic_rate, step, row);  // C by state: C[s_cur][a, s']
  }

  // Back through the residue softmax and the plane rotations to q and k (old q, k in both).
  Real weighted = 0;
  for (std::int64_t r = 0; r < L; ++r) weighted += s.alpha[r] * s.grad_alpha[r];
  for (std::int64_t r = 0; r < L; ++r) s.grad_score[r] = s.alpha[r] * (s.grad_alpha[r] - weighted);
  const Real attention_rate = static_cast<Real>(eta_A_over_d);
  // grad_a[m] = sum_r grad_score[r] cos(r th_m), grad_b[m] likewise with sin, each summed over r in increasing
  // order, a Lanes of planes at a time from the tables by residue.
  Real* grad_a = s.plane_a.data();  // the planes' products are spent
  Real* grad_b = s.plane_b.data();
  std::fill_n(grad_a, half, Real(0));
  std::fill_n(grad_b, half, Real(0));
  for (std::int64_t r = 0; r < L; ++r) {
    add_scaled(grad_a, s.grad_score[r], seed.lag_cos + r * half, half);
    add_scaled(grad_b, s.grad_score[r], seed.lag_sin + r * half, half);
  }
  for (std::int64_t m = 0; m < half; ++m) {
    const Real q0 = q[2 * m], q1 = q[2 * m + 1], k0 = k[2 * m], k1 = k[2 * m + 1];
    q[2 * m] -= attention_rate * (grad_a[m] * k0 + grad_b[m] * k1);
    q[2 * m + 1] -= attention_rate * (grad_a[m] * k1 - grad_b[m] * k0);
    k[2 * m] -= attention_rate * (grad_a[m] * q0 - grad_b[m] * q1);
    k[2 * m + 1] -= attention_rate * (grad_a[m] * q1 + grad_b[m] * q0);
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
