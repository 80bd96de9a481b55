#pragma once
// The model contract (docs/models.md): what a model provides so that every command and analysis
// (theory, simulate, compare, sweep) runs it by name. A model is a stateless object registered once
// (models/registry.hpp); it reads its inputs from the resolved config and knows nothing of the
// analyses that call it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/memory.hpp>
#include <cotdyn/models/comparison.hpp>
#include <cotdyn/models/trajectory.hpp>
#include <cotdyn/simulation/simulated_system.hpp>

namespace cotdyn::models {

// What `cotdyn theory` writes: the trajectory (theory.csv), the manifest's results and a report.
struct TheoryRun {
  Trajectory trajectory;
  nlohmann::json results;
  std::string report;
};

class Model {
 public:
  virtual ~Model() = default;

  // The value of model.kind that chooses this model, and one line for `cotdyn models`.
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  // TOML text of the model's own config sections with every default, or "" when its keys are the
  // embedded config's. The one place its defaults are written.
  virtual std::string default_sections() const = 0;
  // Checks every key the model reads; std::invalid_argument names the key, the value and what is
  // allowed. Called before anything is written.
  virtual void validate(const core::Config& config) const = 0;
  // Warnings about a valid config (a setting that is allowed but cannot do what it is for), printed by
  // the commands before they run. None by default.
  virtual std::vector<std::string> warnings(const core::Config& config) const {
    (void)config;
    return {};
  }

  // The simulation's size key (model.d, linear.N, ...): compare sets it to each of compare.d.
  virtual std::string size_key() const = 0;
  // The name of the size's column wherever the generic code writes or reads it: simulation.csv and
  // simulation_summary.csv, checkpoints, compare's theory.csv, discrepancy.csv, report and figures.
  virtual std::string size_column() const { return "d"; }
  // Training steps per unit of time (t = steps / this), from the config; it is also the value of the
  // size column (size_column()) of simulation.csv.
  virtual std::int64_t steps_per_unit_time(const core::Config& config) const = 0;
  // The value of the size column of simulation.csv. Default: steps_per_unit_time(config) (d, N); the
  // Boolean-DAG experiment, whose time is its step count, writes its order r.
  virtual std::int64_t size_value(const core::Config& config) const { return steps_per_unit_time(config); }

  // Theory (Torch-free) at the given times, with its milestones (named by milestone_names, in that
  // order; NaN when not reached).
  virtual Trajectory theory(const core::Config& config, const std::vector<double>& times) const = 0;
  virtual std::vector<std::string> milestone_names() const = 0;
  // theory() with the size key (size_key()) set to `size`: what compare holds against each simulated
  // size.
  Trajectory theory_at_size(const core::Config& config, int size, const std::vector<double>& times) const;
  // `cotdyn theory`: the theory at the config's observation times, with its report. The default
  // writes theory() and its milestones.
  virtual TheoryRun theory_run(const core::Config& config) const;

  // Checks the keys only the simulation reads (cheap: nothing is allocated). simulated_system()
  // checks them too; this lets a command refuse bad input before it writes or trains anything.
  virtual void validate_simulation(const core::Config& config) const = 0;
  // The simulated system of the config, all seeds batched; nullptr in a build without LibTorch.
  virtual std::unique_ptr<simulation::SimulatedSystem> simulated_system(const core::Config& config) const = 0;
  // One line printed before training (sizes, seeds, variant).
  virtual std::string simulation_summary(const core::Config& config) const = 0;
  // The threads one training run of the config computes on: 1 when it is serial (compare then trains
  // its sizes side by side, one per core), 0 when it may use every core or the model does not say
  // (compare trains its sizes one after another).
  virtual int training_threads(const core::Config& /*config*/) const { return 0; }
  // What simulated_system() and its training will allocate, from the config alone (nothing is
  // allocated): each part with the key that makes it large. Checked against the machine's memory
  // before a run starts (models/memory_check.hpp). Empty in a build without LibTorch.
  virtual core::MemoryEstimate simulation_memory(const core::Config& config) const = 0;

  // The pairs compare holds against each other, in report order (they may depend on the config's
  // sizes, e.g. one R_i_n per student and teacher unit).
  virtual std::vector<ComparedQuantity> compared(const core::Config& config) const = 0;

  // Optional: what the model adds to `compare` beside the generic comparison (tables, figures, report
  // sections, manifest results, derived compared pairs; models/comparison.hpp), from the sizes it
  // simulated (increasing). The default adds nothing.
  virtual ComparisonAdditions comparison_additions(const core::Config& config,
                                                   const std::vector<ComparedSize>& sizes) const;

  // Optional: `section.key=value` defaults of generic keys (train, observe, compare) for this model's
  // runs, applied over the embedded defaults and under the user's config file and --set
  // (models::resolve_config). The default changes none.
  virtual std::vector<std::string> generic_defaults() const { return {}; }
  // Optional: generic keys the model sets from its own keys after the user's config
  // (models::resolve_config), as `section.key=value`; setting one of them in a config file or by --set
  // is an error that names the model's key to set instead. The Boolean-DAG experiment's step cap and
  // evaluation interval (natbool.cap, natbool.eval_every) set train.t_max and observe.times. Default: none.
  struct DerivedKey {
    std::string assignment;  // "train.t_max=800"
    std::string rule;        // "natbool.cap"
  };
  virtual std::vector<DerivedKey> derived_keys(const core::Config& config) const {
    (void)config;
    return {};
  }

  // Optional: `cotdyn dataset`: writes what the model's data generator produces for this config into
  // an existing directory (atomically, file by file) and returns the file names. Models without a
  // generator throw std::invalid_argument naming model.kind (the default).
  virtual std::vector<std::string> write_dataset(const core::Config& config, const std::string& directory) const;
  // The files write_dataset() writes; empty (the default) for a model without a generator.
  virtual std::vector<std::string> dataset_files() const { return {}; }
};

// The config at one simulated size: size_key() set to `size` (compare.d's values, sweeps over sizes).
core::Config at_size(const Model& model, core::Config config, std::int64_t size);

}  // namespace cotdyn::models
