#include <cotdyn/simulation/committee/system.hpp>

#include <cmath>
#include <stdexcept>

#include <ATen/Parallel.h>
#include <torch/serialize.h>

#include <cotdyn/simulation/committee/fused_step.hpp>
#include <cotdyn/simulation/committee/input_stream.hpp>
#include <cotdyn/simulation/committee/measure.hpp>
#include <cotdyn/simulation/committee/network.hpp>

namespace cotdyn::simulation::committee {

namespace {

// The step of docs/models/committee.md §1 and §8.2 as torch::optim::SGD, whose update is
// p <- p - lr (grad + weight_decay p). With L = 1/2 delta^2, dL/dw_k = delta v_k g'(lambda_k) x/sqrt(N):
//   w: lr = eta, weight_decay = kappa/(N eta)  ->  w - (eta/sqrt N) v g' delta x - (kappa/N) w;
//   v: lr = eta_v/N, weight_decay = kappa/eta_v  ->  v - (eta_v/N) g delta - (kappa/N) v,
// the v group only when eta_v > 0 (a fixed second layer stays fixed, also under weight decay).
std::unique_ptr<torch::optim::SGD> make_optimizer(CommitteeNetworkImpl& network, const CommitteeSettings& s) {
  const double N = s.N;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{network.w},
                      std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(s.eta).weight_decay(s.kappa / (N * s.eta))));
  if (s.eta_v > 0)
    groups.emplace_back(std::vector<torch::Tensor>{network.v},
                        std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(s.eta_v / N).weight_decay(s.kappa / s.eta_v)));
  return std::make_unique<torch::optim::SGD>(std::move(groups), torch::optim::SGDOptions(s.eta));
}

// Seed e's input stream, seeded base_seed + e like its generator of the initial weights (§8.1).
std::vector<InputStream> input_streams(const CommitteeSettings& s) {
  std::vector<InputStream> streams;
  for (int e = 0; e < s.seeds; ++e) streams.emplace_back(s.base_seed + static_cast<std::uint64_t>(e));
  return streams;
}

// The archive key of seed e's input stream.
std::string stream_key(std::size_t e) { return "inputs_" + std::to_string(e); }

void set_threads(int threads) {
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
}

}  // namespace

struct CommitteeSystem::Impl {
  Impl(const CommitteeSettings& s, StepMode step_mode)
      : settings(s),
        parameters(s.parameters()),
        mode(step_mode),
        inputs(input_streams(s)),
        network(make_network(s)),
        names(column_names(s.K, s.M)) {
    if (s.eta_v == 0) network->v.requires_grad_(false);
    optimizer = make_optimizer(*network, s);
    test = make_test_set(*network, s.test_size, s.test_seed);
    const auto options = torch::TensorOptions().dtype(torch::kDouble);
    drawn_x = torch::empty({s.seeds, s.batch, s.N}, options);
    drawn_zeta = torch::zeros({s.seeds, s.batch}, options);
    const bool converted = s.dtype != Precision::float64 || s.device != DeviceKind::cpu;
    x = converted ? torch::empty({s.seeds, s.batch, s.N}, tensor_options(s)) : drawn_x;
    zeta = converted ? torch::zeros({s.seeds, s.batch}, tensor_options(s)) : drawn_zeta;
    // The fused loop runs on the CPU; on a device the tensor step takes its place (§8.2).
    if (mode == StepMode::fused && s.device != DeviceKind::cpu) mode = StepMode::closed_form;
  }

  // The initial weights come from each seed's LibTorch generator, used for nothing else (§8.1).
  static CommitteeNetwork make_network(const CommitteeSettings& s) {
    auto generators = seed_generators(s);
    return CommitteeNetwork(s, generators);
  }

  // Seed by seed from its own input stream, in double: the step's B inputs, then (only when
  // sigma > 0) their B noises; then rounded to the run's precision and moved to its device.
  void draw() {
    const int N = settings.N, B = settings.batch;
    double* inputs_out = drawn_x.data_ptr<double>();
    double* noises_out = drawn_zeta.data_ptr<double>();
    for (int e = 0; e < settings.seeds; ++e) {
      auto& stream = inputs[static_cast<std::size_t>(e)];
      stream.fill(inputs_out + static_cast<std::ptrdiff_t>(e) * B * N, B * N);
      if (settings.sigma > 0) stream.fill(noises_out + static_cast<std::ptrdiff_t>(e) * B, B);
    }
    if (!x.is_same(drawn_x)) {
      x.copy_(drawn_x);
      zeta.copy_(drawn_zeta);
    }
  }

  // One step of every seed; returns each seed's loss, the mean of 1/2 delta^2 over its inputs.
  std::vector<double> step() {
    draw();
    if (mode == StepMode::fused) return x.scalar_type() == torch::kFloat ? fused<float>() : fused<double>();
    const auto loss = tensor_step().to(torch::kCPU, torch::kDouble).contiguous();
    return std::vector<double>(loss.data_ptr<double>(), loss.data_ptr<double>() + loss.numel());
  }

  // docs/models/committee.md §8.2: fused_step on each seed's raw weights, in place.
  template <class Scalar>
  std::vector<double> fused() {
    auto& net = *network;
    const std::ptrdiff_t N = settings.N, K = settings.K, M = settings.M, B = settings.batch;
    Scalar* w = net.w.data_ptr<Scalar>();
    Scalar* v = net.v.data_ptr<Scalar>();
    const Scalar* w_star = net.w_star.data_ptr<Scalar>();
    const Scalar* v_star = net.v_star.data_ptr<Scalar>();
    const Scalar* inputs_in = x.data_ptr<Scalar>();
    const Scalar* noises = zeta.data_ptr<Scalar>();
    std::vector<double> loss(static_cast<std::size_t>(settings.seeds));
    for (std::ptrdiff_t e = 0; e < settings.seeds; ++e)
      loss[static_cast<std::size_t>(e)] =
          fused_step<Scalar>(settings, w + e * K * N, v + e * K, w_star + e * M * N, v_star, inputs_in + e * B * N, noises + e * B);
    return loss;
  }

  // The same step through tensor operations and torch::optim::SGD (§8.2), with the gradients in
  // closed form or from autograd; the loss is the mean over each seed's inputs.
  torch::Tensor tensor_step() {
    auto& net = *network;
    torch::Tensor label;
    {
      torch::NoGradGuard no_grad;
      label = (activation(net.g, net.teacher_fields(x)) * net.v_star).sum(-1);  // [E, B]
      if (settings.sigma > 0) label = label + settings.sigma * zeta;
    }
    if (mode == StepMode::autograd) {
      const auto delta = net.forward(x) - label;
      const auto loss = (delta.square() / 2).mean(1);
      optimizer->zero_grad();
      loss.sum().backward();
      optimizer->step();
      return loss.detach();
    }
    torch::NoGradGuard no_grad;
    const auto lambda = net.student_fields(x);  // [E, B, K]
    const auto delta = (activation(net.g, lambda) * net.v.unsqueeze(1)).sum(-1) - label;
    auto gradients = closed_form_gradients(net, x, lambda, delta);
    net.w.mutable_grad() = std::move(gradients.w);
    if (settings.eta_v > 0) net.v.mutable_grad() = std::move(gradients.v);
    optimizer->step();
    return (delta.square() / 2).mean(1);
  }

  CommitteeSettings settings;
  meanfield::committee::Parameters parameters;
  StepMode mode;
  std::vector<InputStream> inputs;  // one per seed
  CommitteeNetwork network;
  std::unique_ptr<torch::optim::SGD> optimizer;
  TestSet test;
  torch::Tensor drawn_x, drawn_zeta;  // this step's inputs [E, B, N] and noises [E, B] as drawn (double, CPU)
  torch::Tensor x, zeta;              // the same in the run's precision and on its device (drawn_x itself for float64 on the CPU)
  std::vector<std::string> names;
};

CommitteeSystem::CommitteeSystem(const CommitteeSettings& settings, StepMode mode) {
  validate(settings);
  set_threads(settings.threads);
  impl_ = std::make_unique<Impl>(settings, mode);
}

CommitteeSystem::~CommitteeSystem() = default;

int CommitteeSystem::num_seeds() const { return impl_->settings.seeds; }

std::vector<double> CommitteeSystem::train_step() { return impl_->step(); }

const std::vector<std::string>& CommitteeSystem::observable_names() const { return impl_->names; }

std::vector<std::vector<double>> CommitteeSystem::observe() {
  return measure(*impl_->network, impl_->parameters, impl_->test);
}

std::string CommitteeSystem::nonfinite_weight(int e) const {
  torch::NoGradGuard no_grad;
  const auto& net = *impl_->network;
  if (!torch::isfinite(net.w[e]).all().item<bool>()) return "w";
  if (!torch::isfinite(net.v[e]).all().item<bool>()) return "v";
  return "";
}

void CommitteeSystem::save(const std::string& directory) const {
  const auto& net = *impl_->network;
  torch::serialize::OutputArchive archive;
  archive.write("w", net.w.detach().to(torch::kCPU));
  archive.write("v", net.v.detach().to(torch::kCPU));
  archive.write("w_star", net.w_star.to(torch::kCPU));
  for (std::size_t e = 0; e < impl_->inputs.size(); ++e) archive.write(stream_key(e), c10::IValue(impl_->inputs[e].state()));
  archive.save_to(directory + "/committee.pt");
}

void CommitteeSystem::load(const std::string& directory) {
  auto& net = *impl_->network;
  torch::serialize::InputArchive archive;
  archive.load_from(directory + "/committee.pt");
  torch::NoGradGuard no_grad;
  for (auto [name, target] : {std::pair<const char*, torch::Tensor>{"w", net.w}, {"v", net.v}, {"w_star", net.w_star}}) {
    torch::Tensor saved;
    archive.read(name, saved);
    if (saved.sizes() != target.sizes())
      throw std::runtime_error("committee checkpoint " + directory + ": " + name + " has shape " +
                               c10::str(saved.sizes()) + ", this run needs " + c10::str(target.sizes()));
    target.copy_(saved);
  }
  for (std::size_t e = 0; e < impl_->inputs.size(); ++e) {
    c10::IValue state;
    if (!archive.try_read(stream_key(e), state) || !state.isString())
      throw std::runtime_error("committee checkpoint " + directory + ": no input stream for seed " + std::to_string(e) +
                               " (a checkpoint written before the inputs had their own streams, docs/models/committee.md §8.1, "
                               "cannot be continued: start the run again)");
    try {
      impl_->inputs[e].set_state(state.toStringRef());
    } catch (const std::invalid_argument& error) {
      throw std::runtime_error("committee checkpoint " + directory + ": the input stream of seed " + std::to_string(e) + " is " + error.what());
    }
  }
  // The labels of the test set depend on the teacher just read.
  impl_->test.labels = net.teacher(impl_->test.x);
}

std::vector<meanfield::committee::State> CommitteeSystem::states() const { return order_parameters(*impl_->network); }

const CommitteeSettings& CommitteeSystem::settings() const { return impl_->settings; }

CommitteeNetworkImpl& CommitteeSystem::network() { return *impl_->network; }

std::unique_ptr<simulation::SimulatedSystem> make_committee_system(const CommitteeSettings& settings) {
  return std::make_unique<CommitteeSystem>(settings);
}

std::vector<meanfield::committee::State> initial_states(const CommitteeSettings& settings) {
  validate(settings);
  auto generators = seed_generators(settings);
  const CommitteeNetworkImpl network(settings, generators);
  return order_parameters(network);
}

}  // namespace cotdyn::simulation::committee
