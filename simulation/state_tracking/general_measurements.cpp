#include <cotdyn/simulation/state_tracking/general_measurements.hpp>

#include <limits>

#include <ATen/core/grad_mode.h>

namespace cotdyn::simulation {

at::Tensor measure_general(const GeneralTransformerModel& model, const EvaluationSet& evaluation,
                           const at::Tensor& transition) {
  at::NoGradGuard no_grad;
  const int E = model.seeds(), n = model.n(), K = model.K(), L = model.L();
  const auto N = evaluation.actions.size(0);

  at::Tensor q = model.beacon_query(), k = model.beacon_key();
  at::Tensor M = model.retrieval_score();
  at::Tensor norm = 0.5 * (q.square().sum(1) + k.square().sum(1));

  at::Tensor T = model.logit_tensor();
  at::Tensor logit_classes = class_means(T, transition);  // R, Q, P
  at::Tensor C = model.coefficients();
  at::Tensor coefficient_classes = C.defined() ? class_means(C, transition)
                                               : at::full({E, 3}, std::numeric_limits<double>::quiet_NaN(), T.options());

  // Teacher-forced queries: all N*L at once.
  at::Tensor actions = evaluation.actions.unsqueeze(0).expand({E, N, L}).contiguous();
  at::Tensor states = evaluation.states.unsqueeze(0).expand({E, N, L + 1}).contiguous();
  at::Tensor tokens = states.narrow(2, 0, L);
  at::Tensor s_cur = tokens.reshape({E, N * L});
  at::Tensor target = states.narrow(2, 1, L).reshape({E, N * L});
  const auto logic = model.prepare_logic(model.value_basis());
  const auto attention = model.attend(actions, tokens, 1, L);
  at::Tensor c = attention.type_weights.reshape({E, N * L, model.token_types()});
  at::Tensor z = model.logic_logits(logic, c, s_cur);  // [E, N*L, n]
  // Keys 0..L-1 are the action positions 1..L: query t's correct key is its t-th.
  at::Tensor alpha = attention.weights.narrow(3, 0, L).diagonal(0, 2, 3).mean({1, 2});
  at::Tensor loss = (z.logsumexp(2) - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean(1);
  at::Tensor step_acc = z.argmax(2).eq(target).to(z.scalar_type()).mean(1);  // ties go to the lowest index

  // Logit noise around the three-class mean field (docs/theory.md §3); w_b is the attention weight on
  // the tokens of action b.
  const auto [var_image, var_other] = logit_noise(z, c.narrow(2, 0, K), s_cur, logit_classes, transition);

  // Autoregressive rollout: the prediction for step t becomes the state token of position L + t + 1.
  at::Tensor rolled = at::zeros_like(tokens);
  rolled.select(2, 0).copy_(states.select(2, 0));  // s_0
  at::Tensor predicted;
  at::Tensor exact = at::ones({E, N}, at::TensorOptions().dtype(at::kBool).device(z.device()));
  for (int t = 1; t <= L; ++t) {
    const auto step = model.attend(actions, rolled, t, 1);
    predicted = model.logic_logits(logic, step.type_weights.reshape({E, N, model.token_types()}), rolled.select(2, t - 1))
                    .argmax(2);
    exact.logical_and_(predicted.eq(states.select(2, t)));
    if (t < L) rolled.select(2, t).copy_(predicted);
  }
  at::Tensor rollout_acc = exact.to(z.scalar_type()).mean(1);
  at::Tensor final_acc = predicted.eq(states.select(2, L)).to(z.scalar_type()).mean(1);

  at::Tensor columns = at::stack({M, alpha, logit_classes.select(1, 0), logit_classes.select(1, 1),
                                  logit_classes.select(1, 2), coefficient_classes.select(1, 0),
                                  coefficient_classes.select(1, 1), coefficient_classes.select(1, 2), norm, loss,
                                  step_acc, rollout_acc, final_acc, var_image, var_other},
                                 1);
  return columns.to(at::TensorOptions().dtype(at::kDouble).device(at::kCPU));
}

}  // namespace cotdyn::simulation
