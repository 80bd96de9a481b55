#include <cotdyn/simulation/state_tracking/ablation_system.hpp>

#include <stdexcept>

#include <ATen/Parallel.h>
#include <torch/serialize.h>

#include <cotdyn/simulation/state_tracking/general_measurements.hpp>
#include <cotdyn/simulation/state_tracking/general_transformer_model.hpp>
#include <cotdyn/simulation/state_tracking/seed_streams.hpp>

namespace cotdyn::simulation {

namespace {

class AblationSystem : public SimulatedSystem {
 public:
  explicit AblationSystem(const SimulationSettings& settings)
      : settings_(settings), streams_(settings_.task, settings_.L, settings_.base_seed, settings_.seeds) {
    const at::Device device(settings.device == "cuda" ? at::kCUDA : at::kCPU);
    const auto options = at::TensorOptions().dtype(settings.dtype == "float32" ? at::kFloat : at::kDouble).device(device);
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < settings.seeds; ++i) seeds.push_back(settings.base_seed + i);
    // The solvable model's draws first (same order, same streams), then the general model's own.
    const auto init = draw_initialisation(settings.task.num_states(), settings.task.num_actions(), settings.d,
                                          settings.sigma2, seeds);
    model_ = std::make_shared<GeneralTransformerModel>(init, seeds, settings.L, settings.ablation, options);
    evaluation_ = make_evaluation_set(settings_.task, settings.L, settings.eval_sequences, settings.eval_seed, device);
    transition_ = transition_table(settings_.task, device);
    device_ = device;
  }

  int num_seeds() const override { return settings_.seeds; }

  std::vector<double> train_step() override {
    const auto batch = streams_.next(settings_.batch, device_);
    at::Tensor loss = model_->train_step(batch.actions, batch.states, {settings_.eta_W, settings_.eta_A})
                          .to(at::TensorOptions().dtype(at::kDouble).device(at::kCPU));
    return std::vector<double>(loss.data_ptr<double>(), loss.data_ptr<double>() + settings_.seeds);
  }

  const std::vector<std::string>& observable_names() const override { return measurement_columns(); }

  std::vector<std::vector<double>> observe() override {
    return rows_per_seed(measure_general(*model_, evaluation_, transition_));
  }

  std::string nonfinite_weight(int e) const override { return model_->nonfinite_weight(e); }

  // Weights, Adam's moments and step count (buffers of the model), and the samplers' states.
  void save(const std::string& directory) const override {
    torch::serialize::OutputArchive archive;
    model_->save(archive);
    archive.save_to(directory + "/model.pt");
    streams_.save(directory);
  }

  void load(const std::string& directory) override {
    torch::serialize::InputArchive archive;
    archive.load_from(directory + "/model.pt", device_);
    model_->load(archive);
    streams_.load(directory);
  }

  GeneralTransformerModel& model() { return *model_; }

 private:
  SimulationSettings settings_;
  SeedStreams streams_;  // after settings_: its samplers point to settings_.task
  std::shared_ptr<GeneralTransformerModel> model_;
  EvaluationSet evaluation_;
  at::Tensor transition_;
  at::Device device_ = at::kCPU;
};

}  // namespace

std::unique_ptr<SimulatedSystem> make_ablation_system(const SimulationSettings& settings) {
  validate(settings);
  // threads = 0: one. A step's products are small (d = 64: a few ms on one core); a second OpenMP
  // thread on a loaded 2-core machine made a step up to 20x slower (measured, spin-waiting).
  const int threads = settings.threads > 0 ? settings.threads : 1;
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
  return std::make_unique<AblationSystem>(settings);
}

GeneralTransformerModel& general_model_of(SimulatedSystem& system) {
  return dynamic_cast<AblationSystem&>(system).model();
}

}  // namespace cotdyn::simulation
