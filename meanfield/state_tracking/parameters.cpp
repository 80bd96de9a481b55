#include <cotdyn/meanfield/state_tracking/parameters.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::meanfield {

double count_vector_number(int K, int L) {
  // C(L+K-2, K-1) through lgamma: exact enough to compare against a limit.
  const double top = L + K - 2, pick = K - 1;
  return std::round(std::exp(std::lgamma(top + 1) - std::lgamma(pick + 1) - std::lgamma(top - pick + 1)));
}

void validate(const ModelParameters& p) {
  if (p.K < 2)
    throw std::invalid_argument(fmt::format("task.K = {}: at least 2 actions are needed", p.K));
  if (p.K > p.n - 1)
    throw std::invalid_argument(fmt::format(
        "task.K = {} with n = {} states: K must be at most n - 1 = {} (otherwise P, the mean "
        "logit of the non-images, is undefined)", p.K, p.n, p.n - 1));
  if (p.L < 2)
    throw std::invalid_argument(fmt::format("task.L = {}: the context length must be at least 2", p.L));
  if (!(p.eta_W > 0) || !std::isfinite(p.eta_W))
    throw std::invalid_argument(fmt::format("train.eta_W = {}: must be a positive number", p.eta_W));
  if (!(p.eta_A > 0) || !std::isfinite(p.eta_A))
    throw std::invalid_argument(fmt::format("train.eta_A = {}: must be a positive number", p.eta_A));
  if (!(p.sigma2 > 0) || !std::isfinite(p.sigma2))
    throw std::invalid_argument(fmt::format("model.sigma2 = {}: must be a positive number", p.sigma2));
  if (!(p.label_noise >= 0 && p.label_noise < 1))
    throw std::invalid_argument(fmt::format(
        "task.label_noise = {}: must lie in [0, 1) (the probability that a training target is replaced by a "
        "uniform state; at 1 nothing is learnable)", p.label_noise));
  const double count = count_vector_number(p.K, p.L);
  if (count > max_count_vectors)
    throw std::invalid_argument(fmt::format(
        "task.K = {}, task.L = {}: the context average enumerates C(L+K-2, K-1) = {:.3g} count vectors, "
        "{:.3g} times the practical limit of {:.0e}; lower K or L",
        p.K, p.L, count, count / max_count_vectors, max_count_vectors));
}

void validate(const Tolerances& t) {
  // Below about 1e-15 a double cannot resolve the requested accuracy.
  if (!(t.rtol >= 1e-15) || !(t.rtol < 1))
    throw std::invalid_argument(fmt::format("theory.rtol = {}: must lie in [1e-15, 1)", t.rtol));
  if (!(t.atol > 0) || !std::isfinite(t.atol))
    throw std::invalid_argument(fmt::format("theory.atol = {}: must be a positive number", t.atol));
}

}  // namespace cotdyn::meanfield
