#pragma once
// Measurements of the Boolean-DAG experiment beyond the observed columns (docs/models/natbool.md §3.3).
// Torch-free header.
#include <cotdyn/simulation/natbool/settings.hpp>

namespace cotdyn::simulation::natbool {

// The inference wall time per answer (µs) of `regime` at settings.r: the median over `repeats`
// evaluations of all members' n_test held-out answers, each divided by members x n_test, with the
// initial weights on one LibTorch thread (the work of an evaluation does not depend on the weights).
double inference_microseconds(const NatboolSettings& settings, Regime regime, int repeats = 5);

}  // namespace cotdyn::simulation::natbool
