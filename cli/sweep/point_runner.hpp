#pragma once
// What one kind of sweep point computes: a resolved Config in, a PointRecord out (the milestones of
// points.csv and the trajectory table stored in the point's own file). theory is implemented here;
// simulate and compare plug in behind the same interface.
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "sweep/sweep_plan.hpp"

namespace cotdyn::sweep {

struct PointRecord {
  std::vector<double> milestones;                // in the order of PointRunner::milestone_names()
  std::vector<std::string> trajectory_columns;
  std::vector<std::vector<double>> trajectory;   // rows of trajectory_columns
};

class PointRunner {
 public:
  virtual ~PointRunner() = default;
  virtual std::vector<std::string> milestone_names() const = 0;
  // Throws std::invalid_argument (naming the config key) if the point cannot run: every point is
  // checked before anything is written.
  virtual void check(const cli::Config& config) const = 0;
  // Thread-safe: points run concurrently, each call on its own config.
  virtual PointRecord run(const cli::Config& config) const = 0;
};

// Throws std::invalid_argument for kinds this build cannot run, saying what is missing.
std::unique_ptr<PointRunner> make_point_runner(SweepKind kind);

}  // namespace cotdyn::sweep
