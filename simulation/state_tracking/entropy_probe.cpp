#include <cotdyn/simulation/state_tracking/entropy_probe.hpp>

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/meanfield/state_tracking/label_noise.hpp>

namespace cotdyn::simulation {

const std::vector<std::string>& entropy_probe_columns() {
  static const std::vector<std::string> columns = {"entropy", "p_correct", "sharpening", "kl"};
  return columns;
}

at::Tensor entropy_probe(const at::Tensor& logits, const at::Tensor& correct, double label_noise) {
  if (!(label_noise > 0 && label_noise < 1))
    throw std::invalid_argument(fmt::format("task.label_noise = {}: the entropy probe needs 0 < eps < 1", label_noise));
  const at::Tensor z = logits.to(at::kDouble);
  const auto n = z.size(2);
  meanfield::ModelParameters p;
  p.n = static_cast<int>(n);
  p.label_noise = label_noise;
  // The target law of docs/theory.md §16.1 and the log-ratio log(p_c / (eps/n)) = log(n p_c / eps).
  const double p_c = meanfield::target_correct_probability(p), p_other = label_noise / static_cast<double>(n);
  const double log_ratio = std::log(p_c / p_other);

  at::Tensor log_q = z.log_softmax(2);                                   // [E, Q, n]
  at::Tensor q = log_q.exp();
  at::Tensor H = -(q * log_q).sum(2);                                    // H(q) [E, Q]
  at::Tensor q_c = q.gather(2, correct.unsqueeze(2)).squeeze(2);         // [E, Q]
  at::Tensor sharpening = (q_c - p_c) * log_ratio;
  // KL(q||p) = sum q log q - sum q log p = -H(q) - [q_c log p_c + (1 - q_c) log(eps/n)].
  at::Tensor kl = -H - (q_c * std::log(p_c) + (1 - q_c) * std::log(p_other));
  return at::stack({H.mean(1), q_c.mean(1), sharpening.mean(1), kl.mean(1)}, 1);
}

}  // namespace cotdyn::simulation
