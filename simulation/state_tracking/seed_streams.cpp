#include <cotdyn/simulation/state_tracking/seed_streams.hpp>

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
  scratch_.actions.clear();
  scratch_.states.clear();
  scratch_.targets.clear();
  scratch_.actions.reserve(static_cast<std::size_t>(E * B * L_));
  scratch_.states.reserve(static_cast<std::size_t>(E * B * (L_ + 1)));
  scratch_.targets.reserve(static_cast<std::size_t>(E * B * L_));
  scratch_.count = 0;
  for (auto& sampler : samplers_) sampler.sample_into(scratch_, B);  // seed by seed: [E, B, ...]
  const auto i64 = at::TensorOptions().dtype(at::kLong);
  // On the CPU each tensor takes over its filled buffer (the three copies' dispatch was 17 % of a
  // one-seed coefficient step, BENCHMARKS.md); on a device it is copied there.
  const auto tensor = [&](std::vector<std::int64_t>& values, at::IntArrayRef sizes) {
    if (!device.is_cpu()) return at::from_blob(values.data(), sizes, i64).to(device, false, /*copy=*/true);
    auto* held = new std::vector<std::int64_t>(std::move(values));
    values = {};
    return at::from_blob(held->data(), sizes, [held](void*) { delete held; }, i64);
  };
  return {tensor(scratch_.actions, {E, B, L_}), tensor(scratch_.states, {E, B, L_ + 1}),
          tensor(scratch_.targets, {E, B, L_})};
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
