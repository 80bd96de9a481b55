#pragma once
// The sparsity probe of the MLP logic with ReLU (docs/models/entropy.md): from the gates of the hidden
// units on the teacher-forced evaluation queries (a unit is active on a query when its pre-activation
// is positive, i.e. its ReLU output is non-zero),
//  * dead_fraction: the fraction of units active on no evaluation query;
//  * active_fraction: the fraction of units active per query, averaged over the queries (dynamic
//    sparsity).
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace cotdyn::simulation {

// "dead_fraction", "active_fraction", in the order sparsity_probe returns them.
const std::vector<std::string>& sparsity_probe_columns();

// Gates [E, Q, width] (bool: pre-activation > 0): [E, 2] (float64), the columns above per seed.
at::Tensor sparsity_probe(const at::Tensor& active);

}  // namespace cotdyn::simulation
