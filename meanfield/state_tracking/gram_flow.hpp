#pragma once
// The finite-d theory of docs/theory.md §4.8: the population gradient flow of the one-block model at
// the quenched Gram matrices of one draw of the fixed random embeddings, as an Odeint system.
//   T = G_u C G_e G_u (mode by mode),  z = sum_a w_a T[., a, s_cur]   (exact at every d, §2.4, §3.2)
//   dC/dt = -eta_W E_q[(p - y) (x) w (x) e_{s_cur}]   (the W-space SGD step in coefficients, averaged)
//   dM/dt = 2 eta_A N L/(L-1) E_q[alpha (sum_b w_b f_b - f_{a_t})],  f_b = (p - y) . T[., b, s_cur]
// The context average runs over the target action and the wrong-lag counts with the ODE's attention
// weights w_b = alpha [b = a_t] + beta c_b; N = sqrt(M^2 + sigma^4). With G_u = G_e = 1 the flow stays
// on the three-class manifold and is the ODE of §4.3; at finite d the Gram matrices precondition the
// flow in logit space, which leaves the manifold. SGD noise and the wrong-lag score spread are left out.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include <cotdyn/meanfield/state_tracking/count_vectors.hpp>
#include <cotdyn/meanfield/state_tracking/meanfield_ode.hpp>
#include <cotdyn/meanfield/state_tracking/parameters.hpp>

namespace cotdyn::meanfield {

// G_u = U U^T (n x n) and G_e = E E^T (K x K) of unit-norm embedding rows.
struct GramMatrices {
  Eigen::MatrixXd state, action;
};

// The d = infinity limit: both Gram matrices are the identity.
GramMatrices identity_gram(int n, int K);

// One draw at dimension d: rows iid N(0, 1) normalised to unit norm, U first, then E, from a
// Boost.Random mt19937_64 seeded with `seed` (the same numbers on every platform). Not the simulation's
// own draw, which uses LibTorch's generator: the theory averages over draws (docs/theory.md §4.8).
GramMatrices draw_gram_matrices(int n, int K, int d, std::uint64_t seed);

// Class means (docs/theory.md §3.2) of a tensor X[s', a, s] stored as GramFlow stores C.
struct ClassMeans {
  double teacher = 0, image = 0, other = 0;  // R, Q, P
};

struct GramObservables {
  double M = 0, alpha = 0;
  ClassMeans logit;         // R, Q, P of T
  ClassMeans coefficient;   // R_c, Q_c, P_c of C
  double loss = 0;          // clean population loss at this state
  double step_acc = 0;      // population step accuracy (argmax, ties to the lowest state index)
};

class GramFlow {
 public:
  // transition[a][s] = index of the image of state s under action a (distinct images per state).
  GramFlow(const ModelParameters& parameters, std::vector<std::vector<int>> transition, GramMatrices gram);

  // x = (M, C) with C[s', a, s] at 1 + s' + n (a + K s); the Odeint system signature.
  void operator()(const State& x, State& dxdt, double t) const;

  State initial_state() const;  // M = 0, C = 0
  GramObservables observe(const State& x) const;
  // T = G_u C G_e G_u in the same layout as C (without M).
  Eigen::VectorXd logit_tensor(const State& x) const;
  ClassMeans class_means(const double* X) const;
  int dimension() const { return 1 + n_ * K_ * n_; }
  const ModelParameters& parameters() const { return p_; }

 private:
  // Per state s: the logits of every context class as the columns of an n x (K |c|) matrix, and the
  // matching attention weights (K x (K |c|)).
  Eigen::MatrixXd weights(double alpha) const;

  ModelParameters p_;
  int n_, K_;
  std::vector<std::vector<int>> transition_;
  GramMatrices gram_;
  CountVectors counts_;              // full enumeration: the Gram matrices single out every label
  Eigen::VectorXd context_weight_;   // rho(c) / K per column: target action a_t, then count vector
  std::vector<int> target_action_;   // per column
  // Scratch of the right-hand side, kept between calls (a flow object serves one thread at a time).
  struct Workspace {
    Eigen::MatrixXd logits, forces;
    Eigen::ArrayXXd residuals;
  };
  mutable Workspace work_;
};

}  // namespace cotdyn::meanfield
