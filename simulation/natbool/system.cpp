#include <cotdyn/simulation/natbool/system.hpp>

#include <cmath>
#include <limits>

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <torch/serialize.h>

#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/natbool/network.hpp>
#include <cotdyn/simulation/natbool/regimes.hpp>
#include <cotdyn/simulation/transformer/optimizer.hpp>

namespace cotdyn::simulation::natbool {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool has_latents(Regime r) { return r == Regime::implicit || r == Regime::aligned; }

// One regime's run: its network, optimiser, training streams, held-out set and stop state.
struct RegimeRun {
  Regime regime;
  Layout layout;
  std::vector<int> levels;
  transformer::Transformer network{nullptr};
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<TrainingStream> streams;
  MemberBatch test;
  std::int64_t steps = 0;
  std::vector<bool> reached;
  bool stopped = false;
  std::vector<double> loss;                  // per member, the last step's
  std::vector<std::vector<double>> columns;  // per member, this regime's columns at the last evaluation
};

}  // namespace

std::vector<std::string> column_names(const NatboolSettings& settings) {
  std::vector<std::string> names;
  for (Regime regime : regimes_run(settings)) {
    const std::string r = to_string(regime);
    names.push_back("acc_" + r);
    names.push_back("latent_acc_" + r);
    if (has_latents(regime))
      for (int g = 1; g < settings.gates(); ++g) names.push_back(fmt::format("gate_acc_{}_{}", r, g));
    names.push_back("loss_" + r);
    names.push_back("steps_" + r);
  }
  return names;
}

struct NatboolSystem::Impl {
  NatboolSettings settings;
  std::vector<Dag> dags;
  std::vector<RegimeRun> runs;
  std::vector<std::string> names;
  transformer::OptimizerSettings optimizer_settings;

  explicit Impl(const NatboolSettings& s) : settings(s), names(column_names(s)), optimizer_settings(s.optimizer()) {
    validate(s);
    core::keep_large_blocks_in_heap();
    if (at::get_num_threads() != 1) at::set_num_threads(1);
    for (int e = 0; e < s.seeds; ++e) dags.emplace_back(s.task(e));
    for (Regime regime : regimes_run(s)) {
      RegimeRun run;
      run.regime = regime;
      run.layout = make_layout(dags.front(), regime);
      run.levels = gate_levels(dags.front());
      run.network = make_network(s);
      run.optimizer = transformer::make_optimizer(*run.network, optimizer_settings);
      std::vector<std::vector<std::uint64_t>> test_inputs_per_member;
      for (int e = 0; e < s.seeds; ++e) {
        run.streams.emplace_back(s.task(e));
        test_inputs_per_member.push_back(test_inputs(s.task(e), s.n_test));
      }
      run.test = encode_members(dags, run.layout, test_inputs_per_member);
      run.reached.assign(s.seeds, false);
      run.loss.assign(s.seeds, kNaN);
      runs.push_back(std::move(run));
    }
  }

  void step(RegimeRun& run) {
    std::vector<std::vector<std::uint64_t>> inputs(settings.seeds);
    for (int e = 0; e < settings.seeds; ++e) run.streams[e].next_batch(settings.batch, inputs[e]);
    const MemberBatch batch = encode_members(dags, run.layout, inputs);
    const RegimeOutputs out = forward(*run.network, run.layout, run.levels, batch.tokens, stops_gradient(run.regime));
    const torch::Tensor losses = member_losses(out.logits, batch.targets);
    transformer::train_step(*run.network, *run.optimizer, optimizer_settings, losses.sum(), run.steps);
    ++run.steps;
    const torch::Tensor l = losses.detach().to(torch::kFloat64).contiguous();
    run.loss.assign(l.data_ptr<double>(), l.data_ptr<double>() + settings.seeds);
  }

  void evaluate(RegimeRun& run) {
    const Inference inference = infer(*run.network, run.layout, run.levels, run.test.tokens);
    const int G = settings.gates();
    const torch::Tensor answers = run.test.gate_values.select(2, G - 1);
    const torch::Tensor acc = inference.answer.eq(answers).to(torch::kFloat64).mean(1);  // [E]
    torch::Tensor latent_all, per_gate;
    if (has_latents(run.regime) && G > 1) {
      const torch::Tensor right = inference.latent_bits.eq(run.test.gate_values.narrow(2, 0, G - 1));  // [E,N,G-1]
      latent_all = right.all(2).to(torch::kFloat64).mean(1);
      per_gate = right.to(torch::kFloat64).mean(1);  // [E, G-1]
    }
    run.columns.assign(settings.seeds, {});
    for (int e = 0; e < settings.seeds; ++e) {
      auto& c = run.columns[e];
      const double a = acc[e].item<double>();
      c.push_back(a);
      c.push_back(latent_all.defined() ? latent_all[e].item<double>() : kNaN);
      if (has_latents(run.regime))
        for (int g = 1; g < G; ++g) c.push_back(per_gate[e][g - 1].item<double>());
      c.push_back(run.loss[e]);
      c.push_back(double(run.steps));
      if (a >= kReachedAccuracy) run.reached[e] = true;
    }
    run.stopped = std::all_of(run.reached.begin(), run.reached.end(), [](bool b) { return b; });
  }

  template <class F>
  void for_each_running(F&& f) {
    tbb::parallel_for(std::size_t(0), runs.size(), [&](std::size_t i) {
      if (!runs[i].stopped) f(runs[i]);
    });
  }
};

NatboolSystem::NatboolSystem(const NatboolSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
NatboolSystem::~NatboolSystem() = default;

int NatboolSystem::num_seeds() const { return impl_->settings.seeds; }

std::vector<double> NatboolSystem::train_step() {
  impl_->for_each_running([&](RegimeRun& run) { impl_->step(run); });
  std::vector<double> mean(num_seeds(), 0.0);
  int running = 0;
  for (const auto& run : impl_->runs) {
    if (run.stopped) continue;
    ++running;
    for (int e = 0; e < num_seeds(); ++e) mean[e] += run.loss[e];
  }
  for (auto& x : mean) x = running > 0 ? x / running : 0.0;
  return mean;
}

const std::vector<std::string>& NatboolSystem::observable_names() const { return impl_->names; }

std::vector<std::vector<double>> NatboolSystem::observe() {
  impl_->for_each_running([&](RegimeRun& run) { impl_->evaluate(run); });
  std::vector<std::vector<double>> rows(num_seeds());
  for (const auto& run : impl_->runs)
    for (int e = 0; e < num_seeds(); ++e) rows[e].insert(rows[e].end(), run.columns[e].begin(), run.columns[e].end());
  return rows;
}

bool NatboolSystem::finished() const {
  return std::all_of(impl_->runs.begin(), impl_->runs.end(), [](const RegimeRun& r) { return r.stopped; });
}

std::string NatboolSystem::nonfinite_weight(int e) const {
  for (const auto& run : impl_->runs) {
    const std::string bad = run.network->nonfinite_parameter(e);
    if (!bad.empty()) return to_string(run.regime) + " " + bad;
  }
  return "";
}

void NatboolSystem::save(const std::string& directory) const {
  for (const auto& run : impl_->runs) {
    const std::string stem = directory + "/natbool_" + to_string(run.regime);
    torch::serialize::OutputArchive archive;
    run.network->save(archive);
    std::vector<std::int64_t> consumed;
    for (const auto& s : run.streams) consumed.push_back(static_cast<std::int64_t>(s.consumed()));
    archive.write("state.consumed", torch::tensor(consumed, torch::kInt64));
    archive.write("state.steps", torch::tensor(run.steps, torch::kInt64));
    std::vector<std::int64_t> reached(run.reached.begin(), run.reached.end());
    archive.write("state.reached", torch::tensor(reached, torch::kInt64));
    archive.write("state.stopped", torch::tensor(std::int64_t(run.stopped), torch::kInt64));
    archive.write("state.loss", torch::tensor(run.loss, torch::kFloat64));
    std::vector<double> flat;
    for (const auto& c : run.columns) flat.insert(flat.end(), c.begin(), c.end());
    archive.write("state.columns", torch::tensor(flat, torch::kFloat64));
    archive.save_to(stem + ".pt");
    torch::save(*run.optimizer, stem + "_adam.pt");
  }
}

void NatboolSystem::load(const std::string& directory) {
  const int E = num_seeds();
  for (auto& run : impl_->runs) {
    const std::string stem = directory + "/natbool_" + to_string(run.regime);
    torch::serialize::InputArchive archive;
    archive.load_from(stem + ".pt");
    run.network->load(archive);
    torch::Tensor t;
    archive.read("state.consumed", t);
    run.streams.clear();
    for (int e = 0; e < E; ++e) run.streams.emplace_back(impl_->settings.task(e), std::uint64_t(t[e].item<std::int64_t>()));
    archive.read("state.steps", t);
    run.steps = t.item<std::int64_t>();
    archive.read("state.reached", t);
    for (int e = 0; e < E; ++e) run.reached[e] = t[e].item<std::int64_t>() != 0;
    archive.read("state.stopped", t);
    run.stopped = t.item<std::int64_t>() != 0;
    archive.read("state.loss", t);
    for (int e = 0; e < E; ++e) run.loss[e] = t[e].item<double>();
    archive.read("state.columns", t);
    run.columns.assign(E, {});
    const std::int64_t per = E > 0 ? t.numel() / E : 0;
    for (int e = 0; e < E; ++e)
      for (std::int64_t j = 0; j < per; ++j) run.columns[e].push_back(t[e * per + j].item<double>());
    torch::load(*run.optimizer, stem + "_adam.pt");
  }
}

std::unique_ptr<simulation::SimulatedSystem> make_natbool_system(const NatboolSettings& settings) {
  return std::make_unique<NatboolSystem>(settings);
}

}  // namespace cotdyn::simulation::natbool
