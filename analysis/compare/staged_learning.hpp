#pragma once
// The staged-learning check: does a curve set show the order the theory predicts?
//  1. Q (the mixed heuristic) rises first and peaks near the lock-on time,
//  2. attention locks on (alpha crosses 1/2),
//  3. R then grows faster than before lock-on while Q falls.
// Applied to the seed-mean simulation and to the theory alike, with the same rules.
#include <string>
#include <vector>

namespace cotdyn::compare {

struct StageTimes {
  double offtarget_rise = 0;   // Q first reaches half its peak
  double offtarget_peak = 0;   // time of the largest Q on the grid
  double lock_on = 0;          // alpha first reaches 1/2
  double alignment_slope_before = 0;  // mean dR/dt over [t_1/2 / 2, t_1/2]
  double alignment_slope_after = 0;   // mean dR/dt over [t_1/2, min(3 t_1/2 / 2, t_max)]
  double offtarget_final = 0;  // Q at the last time
  double offtarget_max = 0;
};

struct StageCheck {
  StageTimes times;
  bool heuristic_first = false;       // Q rises before lock-on
  bool peak_near_lock_on = false;     // |t_peak - t_1/2| <= 15 % of t_1/2
  bool locks_on = false;
  bool alignment_accelerates = false; // slope after > slope before
  bool heuristic_decays = false;      // final Q below its peak by more than 2 %
  bool all() const {
    return heuristic_first && peak_near_lock_on && locks_on && alignment_accelerates && heuristic_decays;
  }
  std::string summary() const;        // one plain sentence per stage
};

StageCheck check_stages(const std::vector<double>& t, const std::vector<double>& alpha, const std::vector<double>& R,
                        const std::vector<double>& Q);

}  // namespace cotdyn::compare
