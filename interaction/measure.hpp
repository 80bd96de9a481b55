#pragma once
// Monte Carlo measurement of Delta_r with the real model (INTERACTION.md "Measuring it"): a LibTorch forward and
// autograd backward pass of f = sigma(b + v sum_j softmax(w)_j x_j) at w = 0, target y = prod_{j in S} x_j.
// Estimator: one sample = one antithetic pair (x_rest, -x_rest) of the T - r irrelevant tokens with the exact
// enumeration of the 2^r relevant settings (Gaussian tokens: relevant magnitudes |N(0,1)|, all 2^r sign
// patterns); Deltahat = mean_{j in S} Ghat_j - mean_{j not in S} Ghat_j; stderr = sd(Deltahat)/sqrt(pairs).
// This header is Torch-free; the implementation (measure.cpp) is the only Torch translation unit.
#include <cstdint>
#include <vector>

#include <cotdyn/interaction/prediction.hpp>

namespace cotdyn::interaction {

struct Measurement {
  double delta = 0;      // mean of Deltahat over the pairs
  double std_error = 0;  // sd(Deltahat) / sqrt(pairs)
};

// One cell, on the calling thread with the current LibTorch thread settings. Seeded by `seed` alone.
// Throws std::invalid_argument for r < 1, r >= T (no irrelevant position: the T = r cell is not measurable),
// or pairs < 2.
Measurement measure_cell(Activation a, double b, double v, TokenLaw tokens, int r, int T, std::int64_t pairs,
                         std::uint64_t seed);

// Fills delta_measured, std_error and ratio of every row (T = r cells stay NaN), `pairs` antithetic pairs per
// cell, in parallel over cells (tbb::parallel_for, 1 LibTorch intra-op thread per task; the thread count is
// restored afterwards). Each cell's seed is derived from `seed` and the cell's own (activation, b, v, tokens, r, T),
// so a cell's result does not depend on the rest of the table or on scheduling.
void measure_rows(std::vector<InteractionRow>& rows, std::int64_t pairs, std::uint64_t seed);

}  // namespace cotdyn::interaction
