#pragma once
// The attention-bypass probe (docs/models/entropy.md): at the logic module's input, the ratio of the
// attention output's norm to the current token's, ||v|| / ||u_s||, averaged over the teacher-forced
// evaluation queries. A small ratio means the residual stream (the current token) dominates what the
// logic reads. The state-tracking task needs retrieval, so here it is a negative control.
#include <string>

#include <ATen/ATen.h>

namespace cotdyn::simulation {

// "bypass".
const std::string& bypass_probe_column();

// Attention outputs v [E, Q, d] and current tokens x [E, Q, d]: [E] (float64), mean ||v|| / ||x||.
at::Tensor bypass_probe(const at::Tensor& attention_output, const at::Tensor& current_token);

}  // namespace cotdyn::simulation
