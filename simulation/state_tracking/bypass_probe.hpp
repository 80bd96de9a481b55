#pragma once
// The attention-bypass probe (docs/models/entropy.md §2): at the logic module's input, the ratio of the
// attention output's norm to the current token's, ||v|| / ||u_s||, averaged over the teacher-forced
// evaluation queries. A small ratio means the residual stream (the current token) dominates what the
// logic reads. The state-tracking task needs retrieval, so here it is a negative control. This is the
// ratio's one definition: the shared transformer reads it per block (transformer/bypass_probe.hpp,
// docs/models/transformer.md), with a_l over h_{l-1} in place of v over x. Library cotdyn_bypass_probe.
#include <string>

#include <ATen/ATen.h>

namespace cotdyn::simulation {

// "bypass".
const std::string& bypass_probe_column();

// Attention outputs v [E, Q, d] and what they are added to x [E, Q, d] (the current tokens): [E] (float64),
// the mean over Q of ||v|| / ||x||.
at::Tensor bypass_probe(const at::Tensor& attention_output, const at::Tensor& current_token);

}  // namespace cotdyn::simulation
