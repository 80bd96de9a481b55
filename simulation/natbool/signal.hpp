#pragma once
// The gradient signal at initialisation (docs/models/natbool.md §3.3): for a supervised target with
// bit c(x), s = 1 - 2c and f = logit(1) - logit(0) at its position,
//   S = || E_x[ s(x) grad_theta f(x) ] ||_2   over all parameters of one member,
// E_x exact and uniform over all 2^m inputs; S_qk the same norm over the query and key columns of
// W_qkv of every block. grad f is the full derivative (no stop-gradient, also for aligned latents).
// Torch-free header.
#include <cstdint>
#include <vector>

#include <cotdyn/simulation/natbool/settings.hpp>

namespace cotdyn::simulation::natbool {

struct TargetSignal {
  Regime regime = Regime::direct;
  int r = 2;
  int target = 0;  // index in the layout's targets
  int gate = 0;    // the gate g whose value c_g the target is (G = the answer)
  int level = 0;   // the gate's level
  std::vector<double> S, S_qk;  // per member
};

// Which supervised targets: all, or only those of level-1 gates (the aligned regime's first latents,
// read in the first pass: only that pass is run).
enum class SignalTargets { all, first_level };

// The supervised targets of `regime` at settings.r, for the members' initial weights (the same
// weights a run with these settings starts from). Inputs are processed in chunks of `chunk`.
std::vector<TargetSignal> initial_signals(const NatboolSettings& settings, Regime regime,
                                          SignalTargets targets = SignalTargets::all, int chunk = 512);

}  // namespace cotdyn::simulation::natbool
