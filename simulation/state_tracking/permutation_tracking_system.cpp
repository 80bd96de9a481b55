#include <cotdyn/simulation/state_tracking/permutation_tracking_system.hpp>

#include <malloc.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include <ATen/Parallel.h>
#include <torch/serialize.h>

#include <cotdyn/simulation/state_tracking/ablation_system.hpp>
#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/measurements.hpp>
#include <cotdyn/simulation/state_tracking/seed_streams.hpp>
#include <cotdyn/simulation/state_tracking/tensor_logic_model.hpp>

namespace cotdyn::simulation {

namespace {

class PermutationTrackingSystem : public SimulatedSystem {
 public:
  explicit PermutationTrackingSystem(const SimulationSettings& settings)
      : settings_(settings), streams_(settings_.task, settings_.L, settings_.base_seed, settings_.seeds) {
    const at::Device device(settings.device == "cuda" ? at::kCUDA : at::kCPU);
    const auto options = at::TensorOptions().dtype(settings.dtype == "float32" ? at::kFloat : at::kDouble).device(device);
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < settings.seeds; ++i) seeds.push_back(settings.base_seed + i);
    const auto init = draw_initialisation(settings.task.num_states(), settings.task.num_actions(), settings.d,
                                          settings.sigma2, seeds);
    if (settings.logic == "tensor")
      model_ = std::make_shared<TensorLogicModel>(init, settings.L, options);
    else
      model_ = std::make_shared<CoefficientLogicModel>(init, settings.L, options);
    evaluation_ = make_evaluation_set(settings_.task, settings.L, settings.eval_sequences, settings.eval_seed, device);
    transition_ = transition_table(settings_.task, device);
    device_ = device;
  }

  int num_seeds() const override { return settings_.seeds; }

  std::vector<double> train_step() override {
    const auto batch = streams_.next(settings_.batch, device_);
    at::Tensor loss = model_->sgd_step(batch.actions, batch.states, settings_.eta_W, settings_.eta_A)
                          .to(at::TensorOptions().dtype(at::kDouble).device(at::kCPU));
    return std::vector<double>(loss.data_ptr<double>(), loss.data_ptr<double>() + settings_.seeds);
  }

  const std::vector<std::string>& observable_names() const override { return measurement_columns(); }

  std::vector<std::vector<double>> observe() override {
    return rows_per_seed(measure(*model_, evaluation_, transition_));
  }

  std::string nonfinite_weight(int e) const override { return model_->nonfinite_weight(e); }

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

  StateTrackingModel& model() { return *model_; }

 private:
  SimulationSettings settings_;
  SeedStreams streams_;  // after settings_: its samplers point to settings_.task
  std::shared_ptr<StateTrackingModel> model_;
  EvaluationSet evaluation_;
  at::Tensor transition_;
  at::Device device_ = at::kCPU;
};

// The evaluation's temporaries (2,000 sequences x L queries x n logits, per seed) are tens of MB.
// glibc serves blocks above 32 MB with a fresh mmap and returns them on free, so every observation
// paid for page faults on memory it had just released: half of its time (measured, d = 256, 5 seeds).
// Keeping such blocks in the heap makes them reusable. Process-wide, set once; no effect on results.
void keep_large_blocks_in_heap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

}  // namespace

std::unique_ptr<SimulatedSystem> make_permutation_tracking_system(const SimulationSettings& settings) {
  validate(settings);
  keep_large_blocks_in_heap();
  // A switch on leaves the solvable model: the general model (all off stays on the code below).
  if (settings.ablation.any()) return make_ablation_system(settings);
  // threads = 0: the core count for the tensor storage. The coefficient storage's operations are far
  // below any parallel grain; extra OpenMP threads only spin-wait, which on a loaded machine made a
  // step 80x slower (measured), so it uses one thread unless told otherwise.
  const int threads = settings.threads > 0        ? settings.threads
                      : settings.logic == "tensor" ? static_cast<int>(std::thread::hardware_concurrency())
                                                   : 1;
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
  return std::make_unique<PermutationTrackingSystem>(settings);
}

StateTrackingModel& model_of(SimulatedSystem& system) {
  return dynamic_cast<PermutationTrackingSystem&>(system).model();
}

}  // namespace cotdyn::simulation
