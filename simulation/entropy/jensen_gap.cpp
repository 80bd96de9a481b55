#include <cotdyn/simulation/entropy/jensen_gap.hpp>

namespace cotdyn::simulation::entropy {

namespace {
// Entropy per query of distributions [E, Q, n], with 0 log 0 = 0.
at::Tensor entropy_of(const at::Tensor& q) { return -at::xlogy(q, q).sum(2); }
}  // namespace

void JensenGap::add(const at::Tensor& logits) {
  at::Tensor log_q = logits.to(at::kDouble).log_softmax(2);
  at::Tensor q = log_q.exp();
  at::Tensor H = -(q * log_q).sum(2).mean(1);
  if (count_ == 0) {
    sum_q_ = q.clone();
    sum_entropy_ = H;
  } else {
    sum_q_.add_(q);
    sum_entropy_ = sum_entropy_ + H;
  }
  ++count_;
}

at::Tensor JensenGap::gap() const {
  if (count_ == 0) return {};
  return sum_entropy_ / count_ - entropy_of(sum_q_ / count_).mean(1);
}

at::Tensor JensenGap::state() const {
  if (count_ == 0) return {};
  const auto E = sum_q_.size(0);
  return at::cat({sum_q_.reshape({E, -1}), sum_entropy_.unsqueeze(1)}, 1);
}

void JensenGap::set_state(const at::Tensor& state, int count, std::int64_t queries, std::int64_t n) {
  count_ = count;
  if (count == 0) return;
  const auto E = state.size(0);
  sum_q_ = state.narrow(1, 0, queries * n).reshape({E, queries, n}).to(at::kDouble).clone();
  sum_entropy_ = state.select(1, queries * n).to(at::kDouble).clone();
}

}  // namespace cotdyn::simulation::entropy
