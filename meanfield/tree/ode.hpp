#pragma once
// The reduced ODE of the tree model (docs/models/tree.md §4): gradient flow of the canonical-sample
// loss on the 12 class means per head, plus the finite-d kappa-corrected variant.
#include <vector>

#include <Eigen/Core>

#include <cotdyn/meanfield/tree/parameters.hpp>

namespace cotdyn::meanfield::tree {

inline constexpr int none = -1;  // the empty X slot of the goal token; equal to no symbol

// The canonical sample (lab = identity, g = 0, order = identity) as the theory reads it:
// key k has slots (x[k], y[k]); query q sits at position E + q with current node y[E + q].
struct CanonicalSample {
  std::vector<int> x, y;       // T keys
  std::vector<int> position;   // i_q
  std::vector<int> stage;      // tau_q: 0 = B (the first D queries), 1 = F
  std::vector<int> target;     // t_q
  int queries() const { return static_cast<int>(position.size()); }
  int current(int q) const { return y[position[q]]; }  // x_q
};
CanonicalSample canonical_sample(const Parameters& parameters);

// The canonical forward pass at a state (docs/models/tree.md §4.2).
struct CanonicalPass {
  std::vector<Eigen::MatrixXd> attention;  // per head, Q x T: alpha_qk (0 for k > i_q)
  Eigen::MatrixXd logits;                  // Q x N: z_qy
  Eigen::MatrixXd probabilities;           // Q x N: p_qy
  double loss = 0.0;                       // L = mean_q -log p_{q, t_q}
};

class TreeOde {
 public:
  explicit TreeOde(const Parameters& parameters);  // validates

  // dtheta/dt = -rate * dL/dtheta on the canonical loss L, t = steps/d, theta the 12H class means;
  // rate = eta/N on diagonal classes (times kappa = 1 + (N-1)/d in the finite-d variant) and
  // eta/(N(N-1)) on off-diagonal ones (times 1 + 1/d if offdiagonal_gram; docs/models/tree.md §4.3-§4.4).
  void operator()(const std::vector<double>& x, std::vector<double>& dxdt, double t) const;

  CanonicalPass forward(const std::vector<double>& x) const;
  std::vector<double> loss_gradient(const std::vector<double>& x) const;  // dL/dtheta, 12H entries

  // theta(0): 0 except o_Y^h = eps_h, every diagonal entry times kappa (only o_Y is non-zero).
  std::vector<double> initial_state() const;
  const std::vector<double>& rates() const { return rates_; }  // 12 entries, the same for every head
  const Parameters& parameters() const { return parameters_; }
  const CanonicalSample& sample() const { return sample_; }
  int dimension() const { return per_head * parameters_.H; }

 private:
  // Forward pass; with `gradient` non-null also dL/dtheta.
  CanonicalPass evaluate(const std::vector<double>& x, std::vector<double>* gradient) const;

  Parameters parameters_;
  CanonicalSample sample_;
  std::vector<double> rates_;
};

}  // namespace cotdyn::meanfield::tree
