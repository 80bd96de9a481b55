#include <cotdyn/simulation/state_tracking/network.hpp>

#include <cmath>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>

namespace cotdyn::simulation {

ModelInitialisation draw_initialisation(int n, int K, int d, double sigma2, const std::vector<std::uint64_t>& seeds) {
  const auto f64 = at::TensorOptions().dtype(at::kDouble);
  std::vector<at::Tensor> U, E, WQ, WK;
  for (std::uint64_t seed : seeds) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor u = at::randn({n, d}, generator, f64);
    at::Tensor e = at::randn({K, d}, generator, f64);
    U.push_back(u / u.norm(2, {1}, true));
    E.push_back(e / e.norm(2, {1}, true));
    WQ.push_back(at::randn({d, d}, generator, f64) * std::sqrt(sigma2 / d));
    WK.push_back(at::randn({d, d}, generator, f64) * std::sqrt(sigma2 / d));
  }
  return {at::stack(U), at::stack(E), at::stack(WQ), at::stack(WK)};
}

StateTrackingNetwork::StateTrackingNetwork(const ModelInitialisation& init, int L, const at::TensorOptions& options,
                                           bool trainable)
    : L_(L) {
  const auto copy = [&](const at::Tensor& x) { return x.to(options, /*non_blocking=*/false, /*copy=*/true); };
  if (trainable) {
    state_embedding_ = register_parameter("state_embedding", copy(init.state_embedding));
    action_embedding_ = register_parameter("action_embedding", copy(init.action_embedding));
  } else {
    state_embedding_ = register_buffer("state_embedding", copy(init.state_embedding));
    action_embedding_ = register_buffer("action_embedding", copy(init.action_embedding));
  }
}

at::Tensor StateTrackingNetwork::attention_output(const EvaluationSet&, const TeacherForced& teacher_forced) const {
  return at::bmm(teacher_forced.action_weights, action_embedding_);
}

at::Tensor StateTrackingNetwork::current_tokens(const EvaluationSet& evaluation) const {
  const std::int64_t E = seeds(), N = evaluation.states.size(0);
  at::Tensor s_cur = evaluation.states.narrow(1, 0, L_).reshape({1, N * L_}).expand({E, N * L_});
  at::Tensor offset = at::arange(E, s_cur.options()).mul_(n()).unsqueeze(1);
  return state_embedding_.reshape({E * n(), d()}).index_select(0, (s_cur + offset).reshape({-1})).view({E, N * L_, d()});
}

at::Tensor clean_targets(const at::Tensor& states) { return states.narrow(2, 1, states.size(2) - 1); }

at::Tensor StateTrackingNetwork::closed_form_step(const at::Tensor&, const at::Tensor&, const at::Tensor&, double,
                                                  double) {
  throw std::logic_error("this network has no closed-form step: train it through torch::optim (optimizer.hpp)");
}

bool StateTrackingNetwork::is_attention_weight(const std::string& name) {
  return name == "W_Q" || name == "W_K" || name == "W_V" || name == "W_O";
}

at::Tensor StateTrackingNetwork::cross_entropy(const at::Tensor& logits, const at::Tensor& target) {
  at::Tensor picked = logits.gather(2, target.unsqueeze(2)).squeeze(2);
  return (logits.logsumexp(2) - picked).mean(1);
}

at::Tensor StateTrackingNetwork::current_states(const at::Tensor& states) {
  const auto L = states.size(2) - 1;
  return states.narrow(2, 0, L).reshape({states.size(0), -1});
}

}  // namespace cotdyn::simulation
