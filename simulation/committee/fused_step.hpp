#pragma once
// One online-SGD step of the soft committee machine for one seed (docs/models/committee.md §1,
// §8.2), written as one pass over the raw weights: the K student and M teacher fields as dot
// products over N, the activations, delta, then the rank-one update of w and the update of v, with
// weight decay. It is exactly the step torch::optim::SGD takes with the closed-form gradients
// (§8.2), without the twenty-odd tensor operations and their dispatch (§8.4). Torch-free.
#include <cotdyn/simulation/committee/settings.hpp>

namespace cotdyn::simulation::committee {

// The pointers are one seed's row-major blocks: w [K, N] and v [K] (updated in place; v only when
// settings.eta_v > 0), w_star [M, N], v_star [M], the input x [N] and the label noise zeta (used
// only when settings.sigma > 0). All fields and delta come from the pre-step weights. Returns the
// loss 1/2 delta^2 of this input.
double fused_step(const CommitteeSettings& settings, double* w, double* v, const double* w_star, const double* v_star,
                  const double* x, double zeta);

}  // namespace cotdyn::simulation::committee
