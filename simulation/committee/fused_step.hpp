#pragma once
// One online-SGD step of the soft committee machine for one seed (docs/models/committee.md §1,
// §8.2), written as one pass over the raw weights: per input the K student and M teacher fields as
// dot products over N, the activations and delta, then the update of w (rank B) and of v, averaged
// over the step's B = settings.batch inputs, with weight decay. It is exactly the step
// torch::optim::SGD takes with the closed-form gradients (§8.2), without the twenty-odd tensor
// operations and their dispatch (§8.4). Torch-free; Scalar is float or double.
#include <cotdyn/simulation/committee/settings.hpp>

namespace cotdyn::simulation::committee {

// The pointers are one seed's row-major blocks: w [K, N] and v [K] (updated in place; v only when
// settings.eta_v > 0), w_star [M, N], v_star [M], the inputs x [B, N] and the label noises zeta [B]
// (read only when settings.sigma > 0). All fields and deltas come from the pre-step weights. Returns
// the step's loss, the mean over its inputs of 1/2 delta^2 (in double).
template <class Scalar>
double fused_step(const CommitteeSettings& settings, Scalar* w, Scalar* v, const Scalar* w_star, const Scalar* v_star,
                  const Scalar* x, const Scalar* zeta);

}  // namespace cotdyn::simulation::committee
