#pragma once
// Sweep points of any registered model through the contract (docs/models.md, "sweep"):
//  * theory: the model's theory at the point's observation times; the milestones are the theory's
//    own (Model::milestone_names), the trajectory its table;
//  * simulate: the model's simulated system on its schedule; the milestones are the seed means at
//    train.t_max of every compared simulated column (final_<column>) and the number of seeds kept;
//  * compare: both, the theory's milestones (theory_<m>), the simulation's (sim_<m>) and the RMS of
//    |seed mean - theory| over the observation times of every compared pair (rms_<column>).
// The state-tracking model has point runners of its own (theory_point.hpp, simulate_point.hpp).
#include <memory>

#include <cotdyn/analysis/sweep/point_runner.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::sweep {

std::unique_ptr<PointRunner> make_model_point_runner(SweepKind kind, const models::Model& model,
                                                    const core::Config& base);

}  // namespace cotdyn::sweep
