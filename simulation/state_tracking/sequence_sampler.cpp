#include <cotdyn/simulation/state_tracking/sequence_sampler.hpp>

#include <limits>
#include <sstream>
#include <stdexcept>

namespace cotdyn::simulation {

namespace {
std::mt19937_64 make_engine(std::uint64_t seed) {
  // Seed the data stream through a seed sequence so that nearby seeds give unrelated streams.
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         0x64617461u /* "data" */};
  return std::mt19937_64(sequence);
}
}  // namespace

SequenceSampler::SequenceSampler(const task::PermutationTask& task, int L, std::uint64_t seed, double label_noise)
    : task_(&task),
      L_(L),
      label_noise_(label_noise),
      engine_(make_engine(seed)),
      actions_(task.num_actions()),
      states_(task.num_states()) {}

SequenceSampler::Range::Range(std::int64_t range)
    : size(static_cast<std::uint64_t>(range)),
      limit(std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % size) {}

std::int64_t SequenceSampler::uniform(const Range& range) {
  // Rejection sampling: the implementation-defined std::uniform_int_distribution is avoided so
  // that the stream is the same with every standard library.
  std::uint64_t x;
  do {
    x = engine_();
  } while (x >= range.limit);
  return static_cast<std::int64_t>(x % range.size);
}

double SequenceSampler::unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

void SequenceSampler::sample_into(SequenceBatch& batch, int count) {
  if (batch.count == 0) batch.L = L_;
  if (batch.L != L_) throw std::logic_error("SequenceSampler::sample_into: batch has a different L");
  for (int b = 0; b < count; ++b) {
    const std::size_t a0 = batch.actions.size();
    for (int j = 0; j < L_; ++j) batch.actions.push_back(uniform(actions_));
    std::int64_t s = uniform(states_);
    batch.states.push_back(s);
    for (int t = 0; t < L_; ++t) {
      s = task_->transition[batch.actions[a0 + t]][s];
      batch.states.push_back(s);
    }
    // The training targets (docs/theory.md §16): s_t, each replaced with probability eps by a state
    // uniform on all n (possibly s_t itself), drawn after the sequence.
    const std::size_t s0 = batch.states.size() - L_;
    for (int t = 0; t < L_; ++t) {
      std::int64_t target = batch.states[s0 + t];
      if (label_noise_ > 0 && unit() < label_noise_) target = uniform(states_);
      batch.targets.push_back(target);
    }
  }
  batch.count += count;
}

SequenceBatch SequenceSampler::sample(int count) {
  SequenceBatch batch;
  batch.L = L_;
  batch.actions.reserve(static_cast<std::size_t>(count) * L_);
  batch.states.reserve(static_cast<std::size_t>(count) * (L_ + 1));
  batch.targets.reserve(static_cast<std::size_t>(count) * L_);
  sample_into(batch, count);
  return batch;
}

std::string SequenceSampler::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void SequenceSampler::restore(const std::string& state) {
  std::istringstream in(state);
  in >> engine_;
  if (!in) throw std::runtime_error("SequenceSampler::restore: unreadable generator state");
}

}  // namespace cotdyn::simulation
