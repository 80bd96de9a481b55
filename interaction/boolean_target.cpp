#include <cotdyn/interaction/boolean_target.hpp>

#include <bitset>
#include <stdexcept>
#include <string>

#include <cotdyn/interaction/rademacher_exact.hpp>

namespace cotdyn::interaction {

namespace {

int popcount(unsigned mask) { return int(std::bitset<32>(mask).count()); }

// x_{i+1} in {-1, +1} from the table index.
int token(unsigned mask, int i) { return (mask >> i) & 1u ? 1 : -1; }

TruthTable make_table(int r, double (*rule)(unsigned, int)) {
  if (r < 1 || r > 20) throw std::invalid_argument("truth table: r = " + std::to_string(r) + " must be in 1..20");
  TruthTable t{r, std::vector<double>(std::size_t(1) << r)};
  for (unsigned mask = 0; mask < t.values.size(); ++mask) t.values[mask] = rule(mask, r);
  return t;
}

}  // namespace

TruthTable parity_table(int r) {
  return make_table(r, [](unsigned mask, int r) {
    double y = 1;
    for (int i = 0; i < r; ++i) y *= token(mask, i);
    return y;
  });
}

TruthTable and_table(int r) {
  return make_table(r, [](unsigned mask, int r) { return mask == (1u << r) - 1 ? 1.0 : 0.0; });
}

TruthTable majority_table(int r) {
  return make_table(r, [](unsigned mask, int r) {
    int sum = 0;
    for (int i = 0; i < r; ++i) sum += token(mask, i);
    return sum > 0 ? 1.0 : (sum < 0 ? -1.0 : 0.0);
  });
}

std::vector<double> walsh_coefficients(const TruthTable& table) {
  const std::size_t n = table.values.size();
  if (table.r < 1 || n != (std::size_t(1) << table.r))
    throw std::invalid_argument("truth table: " + std::to_string(n) + " values do not match r = " +
                                std::to_string(table.r) + " (need 2^r)");
  std::vector<double> yhat(n, 0.0);
  for (unsigned U = 0; U < n; ++U) {
    double sum = 0;
    for (unsigned x = 0; x < n; ++x) {
      const int minus = popcount(U & ~x);  // positions of U where x_i = -1
      sum += (minus % 2 ? -1.0 : 1.0) * table.values[x];
    }
    yhat[U] = sum / double(n);
  }
  return yhat;
}

BooleanDecomposition decompose_boolean_target(const TruthTable& table, Activation a, double b, double v, int T) {
  const std::vector<double> yhat = walsh_coefficients(table);
  const int r = table.r;
  if (r > T)
    throw std::invalid_argument("interaction.r = " + std::to_string(r) + " is invalid: r must be <= T = " +
                                std::to_string(T));
  BooleanDecomposition d;
  d.g_relevant.assign(r, 0.0);
  for (int k = 1; k <= r; ++k) {
    LevelContribution level;
    level.level = k;
    level.delta = rademacher_exact(a, b, v, k, T).delta;  // 0 for k = T (degenerate)
    std::vector<double> g_level(r, 0.0);
    for (unsigned U = 1; U < yhat.size(); ++U) {
      if (popcount(U) != k) continue;
      level.weight += yhat[U] * yhat[U];
      level.g_out -= yhat[U] * (double(k) / T) * level.delta;
      for (int j = 0; j < r; ++j)
        g_level[j] += ((U >> j) & 1u) ? yhat[U] * (1.0 - double(k) / T) * level.delta
                                       : -yhat[U] * (double(k) / T) * level.delta;
    }
    for (int j = 0; j < r; ++j) {
      d.g_relevant[j] += g_level[j];
      level.g_in += g_level[j] / r;
    }
    d.g_out += level.g_out;
    d.levels.push_back(level);
  }
  for (double g : d.g_relevant) d.g_in += g / r;
  if (T == r) d.g_out = 0;
  return d;
}

}  // namespace cotdyn::interaction
