#include <cotdyn/simulation/natbool/measure.hpp>

#include <algorithm>
#include <chrono>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cotdyn/simulation/natbool/network.hpp>
#include <cotdyn/simulation/natbool/regimes.hpp>

namespace cotdyn::simulation::natbool {

double inference_microseconds(const NatboolSettings& settings, Regime regime, int repeats) {
  validate(settings);
  std::vector<Dag> dags;
  std::vector<std::vector<std::uint64_t>> inputs;
  for (int e = 0; e < settings.seeds; ++e) {
    dags.emplace_back(settings.task(e));
    inputs.push_back(test_inputs(settings.task(e), settings.n_test));
  }
  const Layout layout = make_layout(dags.front(), regime);
  const std::vector<int> levels = gate_levels(dags.front());
  auto network = make_network(settings);
  const MemberBatch test = encode_members(dags, layout, inputs);
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  std::vector<double> times;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const Inference result = infer(*network, layout, levels, test.tokens);
    (void)result.answer.sum().item<std::int64_t>();
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    times.push_back(elapsed.count() / (double(settings.seeds) * settings.n_test));
  }
  at::set_num_threads(threads);
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace cotdyn::simulation::natbool
