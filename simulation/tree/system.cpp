#include <cotdyn/simulation/tree/system.hpp>

#include <set>
#include <stdexcept>

#include <ATen/Parallel.h>
#include <torch/serialize.h>

#include <cotdyn/simulation/tree/measure.hpp>
#include <cotdyn/simulation/tree/network.hpp>
#include <cotdyn/simulation/tree/table_kernel.hpp>

namespace cotdyn::simulation::tree {

namespace {

void set_threads(int threads) {
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
}

// W <- W - (eta/d) grad for every trained tensor (docs/models/tree.md §2): torch::optim::SGD with
// lr = eta/d. In coefficient storage the gradient handed to it is dloss/dM, not dloss/dC.
std::unique_ptr<torch::optim::SGD> make_optimizer(TreeNetworkImpl& network, const TreeSettings& s) {
  return std::make_unique<torch::optim::SGD>(network.parameters(), torch::optim::SGDOptions(s.eta / s.d));
}

}  // namespace

struct TreeSystem::Impl {
  explicit Impl(const TreeSettings& s)
      : settings(s),
        task(s.tree_task()),
        generators(seed_generators(s)),
        network(s, generators),
        names(column_names(s)),
        evaluation(fresh_samples(task, s.eval_size, s.eval_seed)),
        seed_runner(s.threads) {
    optimizer = make_optimizer(*network, s);
    for (const auto& sample : evaluation) evaluation_trees.insert(sample.labels);
    for (int e = 0; e < s.seeds; ++e) {
      stream_seeds.push_back(s.base_seed + static_cast<std::uint64_t>(e));
      samplers.emplace_back(task, stream_seeds.back());
      draws.push_back(0);
    }
  }

  Sample draw(int e) {
    for (;;) {
      Sample s = samplers[e].next();
      ++draws[e];
      if (!evaluation_trees.count(s.labels)) return s;
    }
  }

  torch::Tensor step() {
    auto& net = *network;
    optimizer->zero_grad();
    if (settings.storage == Storage::tensor) {
      std::vector<std::vector<Sample>> samples(settings.seeds);
      for (int e = 0; e < settings.seeds; ++e)
        for (int b = 0; b < settings.batch; ++b) samples[e].push_back(draw(e));
      const Batch batch = make_batch(samples);
      const auto loss = loss_per_seed(net.forward(batch), batch.targets);
      loss.sum().backward();  // seeds are independent: each block gets its own seed's gradient
      optimizer->step();
      return loss.detach();
    }
    // The exact cheap implementation: M = G C G, dloss/dM with M treated as a free table, in closed
    // form (table_kernel.hpp; held to autograd through table_forward in the tests), then
    // C <- C - (eta/d) dloss/dM (docs/models/tree.md §2). The gradient through M = G C G would be
    // G (dloss/dM) G, another model. Seeds are independent (own samples, tables and gradient): one
    // task per seed (tree.threads at a time); the result does not depend on the thread count.
    const auto C = net.C.detach();
    auto gradient = torch::zeros_like(C);
    auto loss = torch::empty({settings.seeds}, C.options());
    const int N = settings.N, tables = settings.H * blocks_per_head;
    const std::size_t per_seed = std::size_t(tables) * N * N;
    seed_runner(settings.seeds, [&](int e) {
      std::vector<Sample> samples;
      for (int b = 0; b < settings.batch; ++b) samples.push_back(draw(e));
      std::vector<const Sample*> batch;
      for (const auto& sample : samples) batch.push_back(&sample);
      std::vector<double> M(per_seed);
      gram_sandwich(net.gram.data_ptr<double>() + e * N * N, C.data_ptr<double>() + e * per_seed, tables, N, M.data());
      loss.data_ptr<double>()[e] =
          loss_and_gradient({M.data(), settings.H, N}, task, batch, gradient.data_ptr<double>() + e * per_seed);
    });
    net.C.mutable_grad() = gradient;
    optimizer->step();
    return loss;
  }

  TreeSettings settings;
  TreeTask task;
  std::vector<at::Generator> generators;
  TreeNetwork network;
  std::unique_ptr<torch::optim::SGD> optimizer;
  std::vector<std::string> names;
  std::vector<Sample> evaluation;
  std::set<std::vector<int>> evaluation_trees;
  std::vector<std::uint64_t> stream_seeds;
  std::vector<SampleGenerator> samplers;
  std::vector<std::int64_t> draws;  // samples drawn by seed e's stream so far (skipped ones included)
  SeedRunner seed_runner;           // the training step's seeds, tree.threads at a time
};

TreeSystem::TreeSystem(const TreeSettings& settings) {
  validate(settings);
  set_threads(settings.threads);
  impl_ = std::make_unique<Impl>(settings);
}

TreeSystem::~TreeSystem() = default;

int TreeSystem::num_seeds() const { return impl_->settings.seeds; }

std::vector<double> TreeSystem::train_step() {
  const auto loss = impl_->step().contiguous();
  return std::vector<double>(loss.data_ptr<double>(), loss.data_ptr<double>() + loss.numel());
}

const std::vector<std::string>& TreeSystem::observable_names() const { return impl_->names; }

std::vector<std::vector<double>> TreeSystem::observe() { return measure(*impl_->network, impl_->settings, impl_->evaluation); }

std::string TreeSystem::nonfinite_weight(int e) const {
  torch::NoGradGuard no_grad;
  const auto& net = *impl_->network;
  if (net.storage == Storage::tensor) {
    if (!torch::isfinite(net.W_qk[e]).all().item<bool>()) return "W_qk";
    if (!torch::isfinite(net.W_ov[e]).all().item<bool>()) return "W_ov";
    return "";
  }
  return torch::isfinite(net.C[e]).all().item<bool>() ? "" : "C";
}

void TreeSystem::save(const std::string& directory) const {
  const auto& net = *impl_->network;
  torch::serialize::OutputArchive archive;
  archive.write("storage", torch::tensor({static_cast<std::int64_t>(net.storage)}));
  archive.write("U", net.U);
  if (net.storage == Storage::tensor) {
    archive.write("W_qk", net.W_qk.detach());
    archive.write("W_ov", net.W_ov.detach());
  } else {
    archive.write("C", net.C.detach());
  }
  std::vector<std::int64_t> seeds(impl_->stream_seeds.begin(), impl_->stream_seeds.end());
  archive.write("stream_seeds", torch::tensor(seeds));
  archive.write("draws", torch::tensor(impl_->draws));
  archive.save_to(directory + "/tree.pt");
}

void TreeSystem::load(const std::string& directory) {
  auto& net = *impl_->network;
  const std::string file = directory + "/tree.pt";
  torch::serialize::InputArchive archive;
  archive.load_from(file);
  torch::Tensor storage;
  archive.read("storage", storage);
  if (storage.item<std::int64_t>() != static_cast<std::int64_t>(net.storage))
    throw std::runtime_error("tree checkpoint " + file + ": it holds another storage than this run's " + to_string(net.storage));
  torch::NoGradGuard no_grad;
  std::vector<std::pair<const char*, torch::Tensor>> tensors{{"U", net.U}};
  if (net.storage == Storage::tensor) {
    tensors.emplace_back("W_qk", net.W_qk);
    tensors.emplace_back("W_ov", net.W_ov);
  } else {
    tensors.emplace_back("C", net.C);
  }
  for (auto& [name, target] : tensors) {
    torch::Tensor saved;
    archive.read(name, saved);
    if (saved.sizes() != target.sizes())
      throw std::runtime_error("tree checkpoint " + file + ": " + name + " has shape " + c10::str(saved.sizes()) +
                               ", this run needs " + c10::str(target.sizes()));
    target.copy_(saved);
  }
  net.gram.copy_(torch::bmm(net.U, net.U.transpose(1, 2)));
  torch::Tensor seeds, draws;
  archive.read("stream_seeds", seeds);
  archive.read("draws", draws);
  // The sample streams are replayed: the same seed, advanced by the number of draws.
  for (int e = 0; e < impl_->settings.seeds; ++e) {
    impl_->stream_seeds[e] = static_cast<std::uint64_t>(seeds[e].item<std::int64_t>());
    impl_->samplers[e] = SampleGenerator(impl_->task, impl_->stream_seeds[e]);
    impl_->draws[e] = draws[e].item<std::int64_t>();
    for (std::int64_t n = 0; n < impl_->draws[e]; ++n) impl_->samplers[e].next();
  }
}

const TreeSettings& TreeSystem::settings() const { return impl_->settings; }

const std::vector<Sample>& TreeSystem::evaluation_set() const { return impl_->evaluation; }

TreeNetworkImpl& TreeSystem::network() { return *impl_->network; }

std::unique_ptr<simulation::SimulatedSystem> make_tree_system(const TreeSettings& settings) {
  return std::make_unique<TreeSystem>(settings);
}

}  // namespace cotdyn::simulation::tree
