#include <cotdyn/simulation/state_tracking/system.hpp>


#include <filesystem>
#include <mutex>
#include <thread>

#include <ATen/Parallel.h>
#include <torch/serialize.h>

#include <cotdyn/core/memory.hpp>
#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/optimizer.hpp>
#include <cotdyn/simulation/state_tracking/seed_streams.hpp>
#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>

namespace cotdyn::simulation {

namespace {

std::shared_ptr<StateTrackingNetwork> make_network(const SimulationSettings& settings, bool general,
                                                   const at::TensorOptions& options) {
  std::vector<std::uint64_t> seeds;
  for (int i = 0; i < settings.seeds; ++i) seeds.push_back(settings.base_seed + i);
  // The general model draws the solvable model's initial values first (same order, same streams).
  const auto init = draw_initialisation(settings.task.num_states(), settings.task.num_actions(), settings.d,
                                        settings.sigma2, seeds);
  if (general) return std::make_shared<GeneralTransformerModel>(init, seeds, settings.L, settings.ablation, options);
  if (settings.logic == LogicStorage::tensor) return std::make_shared<TensorLogicModel>(init, settings.L, options);
  const int threads = intra_op_threads(settings, static_cast<int>(std::thread::hardware_concurrency()));
  return std::make_shared<CoefficientLogicModel>(init, settings.L, options, threads);
}

class PermutationTrackingSystem : public SimulatedSystem {
 public:
  PermutationTrackingSystem(const SimulationSettings& settings, bool general)
      : settings_(settings),
        streams_(settings_.task, settings_.L, settings_.base_seed, settings_.seeds, settings_.label_noise),
        probes_(probes_of(settings_)),
        columns_(measurement_columns(probes_)) {
    device_ = at::Device(settings.device == DeviceKind::cuda ? at::kCUDA : at::kCPU);
    const auto options =
        at::TensorOptions().dtype(settings.dtype == Precision::float32 ? at::kFloat : at::kDouble).device(device_);
    network_ = make_network(settings, general, options);
    optimizer_ = make_optimizer(*network_, settings.ablation, rates());
    evaluation_ = make_evaluation_set(settings_.task, settings.L, settings.eval_sequences, settings.eval_seed, device_);
    transition_ = transition_table(settings_.task, device_);
  }

  int num_seeds() const override { return settings_.seeds; }

  std::vector<double> train_step() override {
    const auto batch = streams_.next(settings_.batch, device_);
    at::Tensor loss = simulation::train_step(*network_, optimizer_.get(), batch.actions, batch.states, batch.targets,
                                             rates())
                          .to(at::TensorOptions().dtype(at::kDouble).device(at::kCPU));
    return std::vector<double>(loss.data_ptr<double>(), loss.data_ptr<double>() + settings_.seeds);
  }

  const std::vector<std::string>& observable_names() const override { return columns_; }

  std::vector<std::vector<double>> observe() override {
    return rows_per_seed(measure(*network_, evaluation_, transition_, &saturated_, probes_));
  }

  // A softmax counts as saturated when more than half of the evaluation queries saturate it.
  std::vector<std::vector<std::string>> saturated_softmaxes() const override {
    std::vector<std::vector<std::string>> names(static_cast<std::size_t>(settings_.seeds));
    if (!saturated_.defined()) return names;
    const auto fraction = saturated_.accessor<double, 2>();
    for (int e = 0; e < settings_.seeds; ++e)
      for (std::size_t k = 0; k < softmax_names().size(); ++k)
        if (fraction[e][static_cast<std::int64_t>(k)] > 0.5) names[e].push_back(softmax_names()[k]);
    return names;
  }

  std::string nonfinite_weight(int e) const override { return network_->nonfinite_weight(e); }

  // The network's weights and buffers, the optimiser's state (Adam's moments and step counts) and the
  // samplers' states.
  void save(const std::string& directory) const override {
    torch::serialize::OutputArchive archive;
    network_->save(archive);
    archive.save_to(directory + "/model.pt");
    if (optimizer_) {
      torch::serialize::OutputArchive optimizer_archive;
      optimizer_->save(optimizer_archive);
      optimizer_archive.save_to(directory + "/optimizer.pt");
    }
    streams_.save(directory);
  }

  void load(const std::string& directory) override {
    torch::serialize::InputArchive archive;
    archive.load_from(directory + "/model.pt", device_);
    network_->load(archive);
    if (optimizer_) {
      torch::serialize::InputArchive optimizer_archive;
      optimizer_archive.load_from(directory + "/optimizer.pt", device_);
      optimizer_->load(optimizer_archive);
    }
    streams_.load(directory);
  }

  StateTrackingNetwork& network() { return *network_; }

 private:
  LearningRates rates() const { return {settings_.eta_W, settings_.eta_A}; }

  SimulationSettings settings_;
  SeedStreams streams_;  // after settings_: its samplers point to settings_.task
  MeasurementProbes probes_;
  std::vector<std::string> columns_;  // measurement_columns(probes_)
  at::Device device_ = at::kCPU;
  std::shared_ptr<StateTrackingNetwork> network_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  at::Tensor saturated_;  // [E, softmax_names()] of the last observe()
  EvaluationSet evaluation_;
  at::Tensor transition_;
};

std::unique_ptr<SimulatedSystem> make_system(const SimulationSettings& settings, bool general) {
  validate(settings);
  core::keep_large_blocks_in_heap();
  const int threads = intra_op_threads(settings, static_cast<int>(std::thread::hardware_concurrency()));
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
  return std::make_unique<PermutationTrackingSystem>(settings, general);
}

}  // namespace

std::unique_ptr<SimulatedSystem> make_permutation_tracking_system(const SimulationSettings& settings) {
  return make_system(settings, settings.ablation.any());
}

std::unique_ptr<SimulatedSystem> make_ablation_system(const SimulationSettings& settings) {
  return make_system(settings, true);
}

StateTrackingNetwork& network_of(SimulatedSystem& system) {
  return dynamic_cast<PermutationTrackingSystem&>(system).network();
}

StateTrackingModel& model_of(SimulatedSystem& system) { return dynamic_cast<StateTrackingModel&>(network_of(system)); }

GeneralTransformerModel& general_model_of(SimulatedSystem& system) {
  return dynamic_cast<GeneralTransformerModel&>(network_of(system));
}

}  // namespace cotdyn::simulation
