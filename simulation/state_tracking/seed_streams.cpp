#include <cotdyn/simulation/state_tracking/seed_streams.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace cotdyn::simulation {

SeedStreams::SeedStreams(const task::PermutationTask& task, int L, std::uint64_t base_seed, int seeds,
                         double label_noise)
    : L_(L) {
  for (int i = 0; i < seeds; ++i) samplers_.emplace_back(task, L, base_seed + i, label_noise);
}

SeedStreams::Batch SeedStreams::next(int B, const at::Device& device) {
  const auto E = static_cast<std::int64_t>(samplers_.size());
  scratch_.actions.clear();  // the host buffers keep their room from step to step
  scratch_.states.clear();
  scratch_.targets.clear();
  scratch_.count = 0;
  for (auto& sampler : samplers_) sampler.sample_into(scratch_, B);  // seed by seed: [E, B, ...]
  const auto i64 = at::TensorOptions().dtype(at::kLong);
  if (!device.is_cpu())
    return {at::from_blob(scratch_.actions.data(), {E, B, L_}, i64).to(device, false, /*copy=*/true),
            at::from_blob(scratch_.states.data(), {E, B, L_ + 1}, i64).to(device, false, /*copy=*/true),
            at::from_blob(scratch_.targets.data(), {E, B, L_}, i64).to(device, false, /*copy=*/true)};
  // On the CPU the batch's tensors are the streams' own, made once and refilled: a step's allocations and
  // tensor constructions cost more than the step's sampling (BENCHMARKS.md).
  if (!batch_.actions.defined() || batch_.actions.size(1) != B)
    batch_ = {at::empty({E, B, L_}, i64), at::empty({E, B, L_ + 1}, i64), at::empty({E, B, L_}, i64)};
  const auto fill = [](at::Tensor& tensor, const std::vector<std::int64_t>& values) {
    std::copy(values.begin(), values.end(), tensor.data_ptr<std::int64_t>());
  };
  fill(batch_.actions, scratch_.actions);
  fill(batch_.states, scratch_.states);
  fill(batch_.targets, scratch_.targets);
  return batch_;
}

void SeedStreams::save(const std::string& directory) const {
  std::ofstream out(directory + "/samplers.txt");
  for (const auto& sampler : samplers_) out << sampler.state() << '\n';
  if (!out) throw std::runtime_error("cannot write " + directory + "/samplers.txt");
}

void SeedStreams::load(const std::string& directory) {
  std::ifstream in(directory + "/samplers.txt");
  for (auto& sampler : samplers_) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("checkpoint " + directory + ": samplers.txt is short");
    sampler.restore(line);
  }
}

}  // namespace cotdyn::simulation
