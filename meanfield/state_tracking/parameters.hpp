#pragma once
// The constants of the mean-field ODE (docs/theory.md §4). Names follow the config keys.
#include <string>

namespace cotdyn::meanfield {

struct ModelParameters {
  int n = 24;             // number of states (n = m! for the group S_m)
  int K = 4;              // number of actions
  int L = 9;              // context length (number of actions per sequence)
  double eta_W = 10.0;    // logic-module learning rate (times d)
  double eta_A = 2.0;     // attention learning rate (times d)
  double sigma2 = 0.01;   // attention init scale: |q|^2 ~ |k|^2 ~ sigma2
  double label_noise = 0; // epsilon: each training target is replaced by a uniform state with this
                          // probability (docs/theory.md §16); 0 = the clean task of §4
};

struct Tolerances {
  double rtol = 1e-10;
  double atol = 1e-12;
};

// Throws std::invalid_argument naming the config key, the value and what is allowed.
void validate(const ModelParameters& parameters);
void validate(const Tolerances& tolerances);

// Number of wrong-lag count vectors, C(L + K - 2, K - 1), as a double (it can be astronomically large).
double count_vector_number(int K, int L);

// Largest count-vector enumeration cotdyn accepts (each right-hand side sums over all of them).
inline constexpr double max_count_vectors = 2.0e6;

}  // namespace cotdyn::meanfield
