#include <cotdyn/simulation/entropy/system.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <torch/serialize.h>

#include <cotdyn/simulation/entropy/jensen_gap.hpp>
#include <cotdyn/simulation/entropy/spike_statistics.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/sparsity_probe.hpp>
#include <cotdyn/simulation/state_tracking/system.hpp>

namespace cotdyn::simulation::entropy {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct VariantRun {
  EntropyVariant variant;
  std::unique_ptr<SimulatedSystem> system;
  std::vector<std::string> measured;         // the state-tracking system's columns
  std::int64_t target_steps = 0;             // round(t_max d)
  std::int64_t steps = 0;
  std::vector<double> loss;                  // the last step's, per seed
  std::vector<std::int64_t> window_steps;    // the Jensen window's observation steps
  JensenGap jensen;
  std::vector<double> gap;                   // per seed, once the window is complete
  std::vector<std::vector<double>> cached;   // the last rows, reused once frozen
  // Instability runs: per seed, the loss of every step and the dead fraction at every probe step.
  std::vector<std::vector<double>> step_loss, dead;
  std::vector<std::int64_t> probe_steps;
};

}  // namespace

struct EntropySystem::Impl {
  EntropySettings settings;
  std::vector<VariantRun> runs;
  std::vector<std::string> names;
  EvaluationSet evaluation, probe;
  std::int64_t steps = 0;

  explicit Impl(const EntropySettings& s) : settings(s), names(column_names(s)) {
    validate(s);
    settings.base.threads = 1;
    const auto& task = settings.base.task;
    evaluation = make_evaluation_set(task, s.base.L, s.base.eval_sequences, s.base.eval_seed, at::kCPU);
    probe = make_evaluation_set(task, s.base.L, s.probe_sequences, s.base.eval_seed + 1, at::kCPU);
    for (auto& v : variants_of(settings)) {
      VariantRun run;
      v.run.threads = 1;
      run.variant = v;
      run.system = make_permutation_tracking_system(v.run);
      run.measured = run.system->observable_names();
      run.target_steps = static_cast<std::int64_t>(std::llround(v.t_max * s.base.d));
      for (double t : window_times(s.base.observation_times, v.t_max, s.window))
        run.window_steps.push_back(std::llround(t * s.base.d));
      run.loss.assign(s.base.seeds, kNaN);
      run.gap.assign(s.base.seeds, kNaN);
      if (v.spikes) {
        run.step_loss.assign(s.base.seeds, {});
        run.dead.assign(s.base.seeds, {});
      }
      runs.push_back(std::move(run));
    }
    if (at::get_num_threads() != 1) at::set_num_threads(1);
  }

  int seeds() const { return settings.base.seeds; }

  void probe_dead(VariantRun& run) {
    at::NoGradGuard no_grad;
    const at::Tensor fractions = sparsity_probe(network_of(*run.system).hidden_gates(probe));
    run.probe_steps.push_back(run.steps);
    for (int e = 0; e < seeds(); ++e) run.dead[e].push_back(fractions[e][0].item<double>());
  }

  void step(VariantRun& run) {
    if (run.steps >= run.target_steps) return;
    if (run.variant.spikes && run.steps % settings.dead_every == 0) probe_dead(run);
    run.loss = run.system->train_step();
    ++run.steps;
    if (run.variant.spikes)
      for (int e = 0; e < seeds(); ++e) run.step_loss[e].push_back(run.loss[e]);
    run.cached.clear();
  }

  void evaluate(VariantRun& run) {
    const bool in_window = std::find(run.window_steps.begin(), run.window_steps.end(), steps) != run.window_steps.end();
    if (run.cached.empty() || in_window) {
      const auto rows = run.system->observe();
      run.cached.assign(seeds(), {});
      for (int e = 0; e < seeds(); ++e) {
        const auto value = [&](const std::string& column) {
          const auto it = std::find(run.measured.begin(), run.measured.end(), column);
          return it == run.measured.end() ? kNaN : rows[e][static_cast<std::size_t>(it - run.measured.begin())];
        };
        for (const auto& c : probe_columns()) run.cached[e].push_back(c == "jensen_gap" ? kNaN : value(c));
      }
    }
    if (in_window && run.jensen.snapshots() < static_cast<int>(run.window_steps.size())) {
      at::NoGradGuard no_grad;
      const auto& network = network_of(*run.system);
      run.jensen.add(network.teacher_forced(evaluation, network.logit_tensor()).logits);
      if (run.jensen.snapshots() == static_cast<int>(run.window_steps.size())) {
        const at::Tensor gap = run.jensen.gap();
        for (int e = 0; e < seeds(); ++e) run.gap[e] = gap[e].item<double>();
      }
    }
    const auto jensen_index = static_cast<std::size_t>(
        std::find(probe_columns().begin(), probe_columns().end(), "jensen_gap") - probe_columns().begin());
    for (int e = 0; e < seeds(); ++e) run.cached[e][jensen_index] = run.gap[e];
  }

  std::vector<double> spike_row(const VariantRun& run, int e) const {
    // Over the whole trace so far (spike_statistics.hpp); a frozen run's trace ends at its t_max.
    const SpikeStatistics s = spike_statistics(run.step_loss[e], run.probe_steps, run.dead[e]);
    return {double(s.spikes), double(s.cooccurring), s.shuffled, s.p_shuffled};
  }

  template <class F>
  void for_each_run(F&& f) {
    tbb::parallel_for(std::size_t(0), runs.size(), [&](std::size_t i) { f(runs[i]); });
  }
};

EntropySystem::EntropySystem(const EntropySettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
EntropySystem::~EntropySystem() = default;

int EntropySystem::num_seeds() const { return impl_->seeds(); }

std::vector<double> EntropySystem::train_step() {
  std::vector<char> training(impl_->runs.size());
  for (std::size_t i = 0; i < impl_->runs.size(); ++i)
    training[i] = impl_->runs[i].steps < impl_->runs[i].target_steps;
  impl_->for_each_run([&](VariantRun& run) { impl_->step(run); });
  ++impl_->steps;
  std::vector<double> mean(num_seeds(), 0.0);
  int count = 0;
  for (std::size_t i = 0; i < impl_->runs.size(); ++i) {
    if (!training[i]) continue;
    ++count;
    for (int e = 0; e < num_seeds(); ++e) mean[e] += impl_->runs[i].loss[e];
  }
  for (double& x : mean) x = count > 0 ? x / count : 0.0;
  return mean;
}

const std::vector<std::string>& EntropySystem::observable_names() const { return impl_->names; }

std::vector<std::vector<double>> EntropySystem::observe() {
  impl_->for_each_run([&](VariantRun& run) { impl_->evaluate(run); });
  std::vector<std::vector<double>> rows(num_seeds());
  for (const auto& run : impl_->runs)
    for (int e = 0; e < num_seeds(); ++e) {
      rows[e].insert(rows[e].end(), run.cached[e].begin(), run.cached[e].end());
      if (run.variant.spikes) {
        const auto spikes = impl_->spike_row(run, e);
        rows[e].insert(rows[e].end(), spikes.begin(), spikes.end());
      }
    }
  return rows;
}

std::string EntropySystem::nonfinite_weight(int e) const {
  for (const auto& run : impl_->runs) {
    const std::string bad = run.system->nonfinite_weight(e);
    if (!bad.empty()) return run.variant.name + " " + bad;
  }
  return "";
}

void EntropySystem::save(const std::string& directory) const {
  torch::serialize::OutputArchive archive;
  archive.write("steps", torch::tensor(impl_->steps, torch::kInt64));
  for (const auto& run : impl_->runs) {
    const std::string sub = directory + "/entropy_" + run.variant.name;
    std::filesystem::create_directories(sub);
    run.system->save(sub);
    const std::string key = run.variant.name;
    archive.write(key + ".steps", torch::tensor(run.steps, torch::kInt64));
    archive.write(key + ".loss", torch::tensor(run.loss, torch::kFloat64));
    archive.write(key + ".gap", torch::tensor(run.gap, torch::kFloat64));
    archive.write(key + ".jensen_count", torch::tensor(std::int64_t(run.jensen.snapshots()), torch::kInt64));
    if (run.jensen.snapshots() > 0) archive.write(key + ".jensen", run.jensen.state());
    if (run.variant.spikes) {
      archive.write(key + ".probe_steps", torch::tensor(run.probe_steps, torch::kInt64));
      std::vector<double> flat_loss, flat_dead;
      for (int e = 0; e < num_seeds(); ++e) {
        flat_loss.insert(flat_loss.end(), run.step_loss[e].begin(), run.step_loss[e].end());
        flat_dead.insert(flat_dead.end(), run.dead[e].begin(), run.dead[e].end());
      }
      archive.write(key + ".step_loss", torch::tensor(flat_loss, torch::kFloat64));
      archive.write(key + ".dead", torch::tensor(flat_dead, torch::kFloat64));
    }
  }
  archive.save_to(directory + "/entropy_state.pt");
}

void EntropySystem::load(const std::string& directory) {
  torch::serialize::InputArchive archive;
  archive.load_from(directory + "/entropy_state.pt");
  // A fresh tensor per key: reading into a defined tensor of another dtype would reuse its dtype.
  const auto read = [&](const std::string& key) {
    torch::Tensor x;
    archive.read(key, x);
    return x;
  };
  const auto doubles = [](const torch::Tensor& x) {
    const torch::Tensor c = x.to(torch::kFloat64).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  };
  impl_->steps = read("steps").item<std::int64_t>();
  const int E = num_seeds();
  for (auto& run : impl_->runs) {
    run.system->load(directory + "/entropy_" + run.variant.name);
    const std::string key = run.variant.name;
    run.steps = read(key + ".steps").item<std::int64_t>();
    run.loss = doubles(read(key + ".loss"));
    run.gap = doubles(read(key + ".gap"));
    const int count = static_cast<int>(read(key + ".jensen_count").item<std::int64_t>());
    run.jensen = JensenGap();
    if (count > 0) {
      const torch::Tensor state = read(key + ".jensen");
      const auto n = run.variant.run.task.num_states();
      run.jensen.set_state(state, count, (state.size(1) - 1) / n, n);
    }
    run.cached.clear();
    if (run.variant.spikes) {
      const torch::Tensor p = read(key + ".probe_steps").to(torch::kInt64).contiguous();
      run.probe_steps.assign(p.data_ptr<std::int64_t>(), p.data_ptr<std::int64_t>() + p.numel());
      const auto loss = doubles(read(key + ".step_loss"));
      const auto dead = doubles(read(key + ".dead"));
      const std::size_t per_loss = loss.size() / E, per_dead = dead.size() / E;
      for (int e = 0; e < E; ++e) {
        run.step_loss[e].assign(loss.begin() + e * per_loss, loss.begin() + (e + 1) * per_loss);
        run.dead[e].assign(dead.begin() + e * per_dead, dead.begin() + (e + 1) * per_dead);
      }
    }
  }
}

std::unique_ptr<simulation::SimulatedSystem> make_entropy_system(const EntropySettings& settings) {
  return std::make_unique<EntropySystem>(settings);
}

}  // namespace cotdyn::simulation::entropy
