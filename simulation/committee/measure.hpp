#pragma once
// Measurements of the simulated committee machine from its weights, per seed
// (docs/models/committee.md §8.3): the order parameters Q, R, T, v; eps_g from the theory's closed
// form at the measured overlaps; eps_g_test on a fixed test set with noise-free labels.
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include <cotdyn/meanfield/committee/parameters.hpp>
#include <cotdyn/simulation/committee/network.hpp>

namespace cotdyn::simulation::committee {

// Q = w w^T/N, R = w w*^T/N, T = w* w*^T/N and v of every seed.
std::vector<meanfield::committee::State> order_parameters(const CommitteeNetworkImpl& network);

// P inputs [P, N] drawn once from their own generator (test_seed), shared by all seeds, and each
// seed's noise-free teacher output on them [E, P].
struct TestSet {
  torch::Tensor x;
  torch::Tensor labels;
};
TestSet make_test_set(const CommitteeNetworkImpl& network, int P, std::uint64_t test_seed);

// eps_g_test = (1/2P) sum_mu (y_hat(x_mu) - y_mu)^2 per seed [E].
torch::Tensor test_error(CommitteeNetworkImpl& network, const TestSet& test);

// The observed columns: the theory's (meanfield::committee::column_names: eps_g, Q_i_k for i <= k,
// R_i_n, v_i), then eps_g_test, then T_n_m for n <= m.
std::vector<std::string> column_names(int K, int M);

// One row per seed in the order of column_names.
std::vector<std::vector<double>> measure(CommitteeNetworkImpl& network, const meanfield::committee::Parameters& parameters,
                                         const TestSet& test);

}  // namespace cotdyn::simulation::committee
