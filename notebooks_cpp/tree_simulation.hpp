#pragma once
// Training the tree network from a notebook (LibTorch builds): one run is one TreeSystem (all its seeds
// batched, one thread), observed at given times; several runs go side by side on oneTBB. Each seed's
// measured series and its phase times by the rules of docs/models/tree.md §5, as `cotdyn compare`
// computes them (the masses on the unseen evaluation trees, o_X - o_Y in coefficient space, min_margin).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <cotdyn/meanfield/tree/milestones.hpp>
#include <cotdyn/simulation/tree/settings.hpp>

namespace cotdyn::notebook {

struct TreeSeedSeries {
  std::vector<double> t;                              // observation times (step / d)
  std::map<std::string, std::vector<double>> values;  // observable_names() -> value at each time
  meanfield::tree::PhaseTimes phases;                 // §5 on these series
  const std::vector<double>& operator[](const std::string& name) const { return values.at(name); }
};

struct TreeRun {
  simulation::tree::TreeSettings settings;
  std::vector<TreeSeedSeries> seeds;
  const std::vector<double>& times() const { return seeds.front().t; }
  std::vector<double> mean(const std::string& name) const;     // over seeds, at each time
  std::vector<double> std_dev(const std::string& name) const;  // ddof 0
};

// Trains `settings` (threads forced to 1) and observes at `times` (step round(t d); the first may be 0),
// which must be non-decreasing. The last time is the run's end.
TreeRun run_tree(simulation::tree::TreeSettings settings, const std::vector<double>& times);

// run_tree for every entry, all at once on oneTBB (every core); `progress` is called after each run.
std::vector<TreeRun> run_trees(const std::vector<simulation::tree::TreeSettings>& settings,
                               const std::vector<std::vector<double>>& times,
                               const std::function<void(const TreeRun&)>& progress = {});

}  // namespace cotdyn::notebook
