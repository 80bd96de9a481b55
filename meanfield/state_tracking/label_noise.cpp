#include <cotdyn/meanfield/state_tracking/label_noise.hpp>

#include <cmath>

namespace cotdyn::meanfield {

double target_correct_probability(const ModelParameters& p) {
  return 1.0 - p.label_noise + p.label_noise / p.n;
}

double target_entropy(const ModelParameters& p) {
  const double correct = target_correct_probability(p), other = p.label_noise / p.n;
  // 0 log 0 = 0: the clean target is deterministic.
  const double other_term = other > 0 ? (p.n - 1) * other * std::log(other) : 0.0;
  return -correct * std::log(correct) - other_term + 0.0;  // + 0.0: no negative zero at eps = 0
}

}  // namespace cotdyn::meanfield
