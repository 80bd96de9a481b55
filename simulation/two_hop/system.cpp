#include <cotdyn/simulation/two_hop/system.hpp>

#include <cmath>
#include <limits>

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <torch/serialize.h>

#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/transformer/optimizer.hpp>
#include <cotdyn/simulation/two_hop/arms.hpp>

namespace cotdyn::simulation::two_hop {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One arm's run: its rows, network, optimiser, batch streams and last measurements.
struct ArmRun {
  Arm arm;
  std::vector<Row> rows;
  int length = 0;  // the longest row
  transformer::Transformer network{nullptr};
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<BatchSampler> samplers;
  std::int64_t steps = 0;
  std::vector<double> loss;
  std::vector<std::vector<double>> columns;  // per member, this arm's columns at the last evaluation
  std::vector<std::vector<double>> bypass;   // per member, this arm's bypass columns (after both arms')
};

}  // namespace

struct TwoHopSystem::Impl {
  TwoHopSettings settings;
  TaskData task;
  std::vector<TwoHop> lens_items;
  std::vector<ArmRun> runs;
  std::vector<std::string> names;
  transformer::OptimizerSettings optimizer_settings;

  explicit Impl(const TwoHopSettings& s)
      : settings(s), task(task_data(s)), names(column_names(s)), optimizer_settings(s.optimizer()) {
    validate(s);
    core::keep_large_blocks_in_heap();
    if (at::get_num_threads() != 1) at::set_num_threads(1);
    const auto& iid = probe(task, "test_inferred_iid").two_hops;
    lens_items.assign(iid.begin(), iid.begin() + std::min<std::size_t>(iid.size(), std::size_t(s.lens_items)));
    for (Arm arm : all_arms()) {
      ArmRun run;
      run.arm = arm;
      run.rows = training_rows(task, arm);
      for (const auto& row : run.rows) run.length = std::max(run.length, int(row.tokens.size()));
      run.network = transformer::Transformer(s.network(task.vocab.size(), task.vocab.end_token), s.member_seeds(),
                                             torch::kFloat32);
      run.optimizer = transformer::make_optimizer(*run.network, optimizer_settings);
      for (auto seed : s.member_seeds()) run.samplers.emplace_back(seed, run.rows.size());
      run.loss.assign(s.seeds, kNaN);
      runs.push_back(std::move(run));
    }
  }

  void step(ArmRun& run) {
    std::vector<std::vector<std::size_t>> indices;
    for (auto& sampler : run.samplers) indices.push_back(sampler.next(settings.batch));
    const MemberBatch batch = encode_members(run.rows, indices, run.length);
    const torch::Tensor losses = member_losses(*run.network, batch);
    transformer::train_step(*run.network, *run.optimizer, optimizer_settings, losses.sum(), run.steps);
    ++run.steps;
    const torch::Tensor l = losses.detach().to(torch::kFloat64).contiguous();
    run.loss.assign(l.data_ptr<double>(), l.data_ptr<double>() + settings.seeds);
  }

  void evaluate(ArmRun& run) {
    const int E = settings.seeds;
    run.columns.assign(E, {});
    for (int e = 0; e < E; ++e) run.columns[e].push_back(run.loss[e]);
    std::vector<double> bridge(E, kNaN);
    for (const auto& set : task.probes) {
      std::vector<double> b;
      const auto acc = probe_accuracy(*run.network, task.vocab, set, run.arm, &b);
      if (set.name == "test_inferred_ood") bridge = b;
      for (int e = 0; e < E; ++e) run.columns[e].push_back(acc[e]);
    }
    for (int e = 0; e < E; ++e) run.columns[e].push_back(bridge[e]);
    const LogitLens lens = logit_lens(*run.network, task.vocab, lens_items, run.arm);
    const auto L = std::size_t(settings.layers) + 1;
    auto append = [&](const std::vector<std::vector<double>>& mrr) {
      for (int e = 0; e < E; ++e)
        for (std::size_t l = 0; l < L; ++l) run.columns[e].push_back(mrr.empty() ? kNaN : mrr[e][l]);
    };
    append(lens.bridge_at_r1);
    append(lens.bridge_at_r2);
    if (run.arm == Arm::cot) append(lens.answer_at_b);
    const BlockBypass bypass = block_bypass(*run.network, task.vocab, lens_items, run.arm);
    run.bypass.assign(E, {});
    for (const auto& position : bypass_positions(run.arm)) {
      const auto& ratios = position == "r2" ? bypass.at_r2 : bypass.at_b;  // the positions of settings.hpp
      for (int e = 0; e < E; ++e)
        for (int l = 0; l < settings.layers; ++l) run.bypass[e].push_back(ratios.empty() ? kNaN : ratios[e][l]);
    }
  }

  template <class F>
  void for_each_arm(F&& f) {
    tbb::parallel_for(std::size_t(0), runs.size(), [&](std::size_t i) { f(runs[i]); });
  }
};

TwoHopSystem::TwoHopSystem(const TwoHopSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
TwoHopSystem::~TwoHopSystem() = default;

int TwoHopSystem::num_seeds() const { return impl_->settings.seeds; }

std::vector<double> TwoHopSystem::train_step() {
  impl_->for_each_arm([&](ArmRun& run) { impl_->step(run); });
  std::vector<double> mean(num_seeds(), 0.0);
  for (const auto& run : impl_->runs)
    for (int e = 0; e < num_seeds(); ++e) mean[e] += run.loss[e] / double(impl_->runs.size());
  return mean;
}

const std::vector<std::string>& TwoHopSystem::observable_names() const { return impl_->names; }

std::vector<std::vector<double>> TwoHopSystem::observe() {
  impl_->for_each_arm([&](ArmRun& run) { impl_->evaluate(run); });
  std::vector<std::vector<double>> rows(num_seeds());
  for (const auto& run : impl_->runs)
    for (int e = 0; e < num_seeds(); ++e) rows[e].insert(rows[e].end(), run.columns[e].begin(), run.columns[e].end());
  for (const auto& run : impl_->runs)  // column_names(): the bypass after both arms' other columns
    for (int e = 0; e < num_seeds(); ++e) rows[e].insert(rows[e].end(), run.bypass[e].begin(), run.bypass[e].end());
  return rows;
}

std::string TwoHopSystem::nonfinite_weight(int e) const {
  for (const auto& run : impl_->runs) {
    const std::string bad = run.network->nonfinite_parameter(e);
    if (!bad.empty()) return to_string(run.arm) + " " + bad;
  }
  return "";
}

void TwoHopSystem::save(const std::string& directory) const {
  for (const auto& run : impl_->runs) {
    const std::string stem = directory + "/two_hop_" + to_string(run.arm);
    torch::serialize::OutputArchive archive;
    run.network->save(archive);
    std::vector<std::int64_t> states;
    for (const auto& s : run.samplers) states.push_back(static_cast<std::int64_t>(s.state()));
    archive.write("state.samplers", torch::tensor(states, torch::kInt64));
    archive.write("state.steps", torch::tensor(run.steps, torch::kInt64));
    archive.write("state.loss", torch::tensor(run.loss, torch::kFloat64));
    archive.save_to(stem + ".pt");
    torch::save(*run.optimizer, stem + "_adam.pt");
  }
}

void TwoHopSystem::load(const std::string& directory) {
  for (auto& run : impl_->runs) {
    const std::string stem = directory + "/two_hop_" + to_string(run.arm);
    torch::serialize::InputArchive archive;
    archive.load_from(stem + ".pt");
    run.network->load(archive);
    torch::Tensor t;
    archive.read("state.samplers", t);
    for (std::size_t e = 0; e < run.samplers.size(); ++e)
      run.samplers[e].set_state(static_cast<std::uint64_t>(t[std::int64_t(e)].item<std::int64_t>()));
    archive.read("state.steps", t);
    run.steps = t.item<std::int64_t>();
    torch::Tensor loss;  // a fresh tensor: read() into the int64 one above would keep its dtype's view
    archive.read("state.loss", loss);
    for (std::size_t e = 0; e < run.loss.size(); ++e) run.loss[e] = loss[std::int64_t(e)].item<double>();
    torch::load(*run.optimizer, stem + "_adam.pt");
  }
}

std::unique_ptr<simulation::SimulatedSystem> make_two_hop_system(const TwoHopSettings& settings) {
  return std::make_unique<TwoHopSystem>(settings);
}

}  // namespace cotdyn::simulation::two_hop
