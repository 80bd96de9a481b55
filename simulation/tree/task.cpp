#include <cotdyn/simulation/tree/task.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::simulation::tree {

namespace {
constexpr int max_depth = 20;  // n_T = 2^21 - 1 symbols: far beyond any use, and no int overflow

bool is_permutation_of_range(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != static_cast<int>(i)) return false;
  return true;
}
}  // namespace

void validate(const TreeTask& task) {
  if (task.D < 1 || task.D > max_depth)
    throw std::invalid_argument(
        fmt::format("D = {}: the tree depth must be an integer from 1 to {}", task.D, max_depth));
  if (task.N < task.nodes())
    throw std::invalid_argument(fmt::format(
        "N = {}: the number of symbols must be at least n_T = 2^(D+1) - 1 = {} for depth D = {} "
        "(the node labels are distinct)", task.N, task.nodes(), task.D));
}

std::string to_string(Task task) { return task == Task::forward ? "forward" : "backward"; }

Task task_from_string(const std::string& name) {
  if (name == "forward") return Task::forward;
  if (name == "backward") return Task::backward;
  throw std::invalid_argument(fmt::format("task = \"{}\": allowed are \"backward\" and \"forward\"", name));
}

// docs/models/tree.md §1.2-§1.3: path, tokens, queries and targets from the three draws.
Sample make_sample(const TreeTask& task, std::vector<int> labels, int goal, std::vector<int> edge_order) {
  validate(task);
  const int n = task.nodes(), E = task.edges(), D = task.D;
  if (static_cast<int>(labels.size()) != n ||
      std::any_of(labels.begin(), labels.end(), [&](int v) { return v < 0 || v >= task.N; }) ||
      std::set<int>(labels.begin(), labels.end()).size() != labels.size())
    throw std::invalid_argument(
        fmt::format("labels: need n_T = {} distinct symbols of [0, {})", n, task.N));
  if (goal < 0 || goal >= task.leaves())
    throw std::invalid_argument(fmt::format("goal = {}: allowed is 0 .. 2^D - 1 = {}", goal, task.leaves() - 1));
  if (static_cast<int>(edge_order.size()) != E || !is_permutation_of_range(edge_order))
    throw std::invalid_argument(fmt::format("edge_order: need a permutation of [0, {})", E));

  Sample s;
  s.labels = std::move(labels);
  s.goal = goal;
  s.edge_order = std::move(edge_order);

  s.path.assign(D + 1, 0);  // h_D = goal leaf, h_{k-1} = parent(h_k)
  for (int k = D, h = task.leaves() - 1 + goal; k >= 0; --k, h = (h - 1) / 2) s.path[k] = s.labels[h];
  const auto& v = s.path;

  s.tokens.reserve(task.tokens());
  for (int p = 0; p < E; ++p) {
    const int child = s.edge_order[p] + 1;
    s.tokens.push_back({s.labels[child], s.labels[(child - 1) / 2], Flag::E});
  }
  s.tokens.push_back({none, v[D], Flag::B});                                   // goal token
  for (int j = 1; j <= D - 1; ++j) s.tokens.push_back({v[D - j + 1], v[D - j], Flag::B});  // backward CoT
  if (task.task == Task::forward) {
    s.tokens.push_back({v[1], v[0], Flag::F});                                 // the root
    for (int k = 1; k <= D - 1; ++k) s.tokens.push_back({v[k - 1], v[k], Flag::F});  // forward CoT
  }

  for (int q = 0; q < task.queries(); ++q) {
    s.query_positions.push_back(E + q);
    s.targets.push_back(q < D ? v[D - 1 - q] : v[q - D + 1]);
  }
  return s;
}

Sample canonical_sample(const TreeTask& task) {
  validate(task);
  std::vector<int> labels(task.nodes()), order(task.edges());
  std::iota(labels.begin(), labels.end(), 0);
  std::iota(order.begin(), order.end(), 0);
  return make_sample(task, std::move(labels), 0, std::move(order));
}

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t bound) {
  // Reject the lowest 2^64 mod bound values, so that r mod bound is exactly uniform.
  const std::uint64_t threshold = (0 - bound) % bound;
  std::uint64_t r;
  do r = next();
  while (r < threshold);
  return r % bound;
}

SampleGenerator::SampleGenerator(const TreeTask& task, std::uint64_t seed) : task_(task), rng_(seed) {
  validate(task_);
}

Sample SampleGenerator::next() {
  // lab: the first n_T entries of a uniform permutation of [N] (forward Fisher-Yates, stopped early).
  std::vector<int> symbols(task_.N);
  std::iota(symbols.begin(), symbols.end(), 0);
  for (int i = 0; i < task_.nodes(); ++i)
    std::swap(symbols[i], symbols[i + static_cast<int>(rng_.below(task_.N - i))]);
  symbols.resize(task_.nodes());
  const int goal = static_cast<int>(rng_.below(task_.leaves()));
  // order: a uniform permutation of [E] (Fisher-Yates from the top).
  std::vector<int> order(task_.edges());
  std::iota(order.begin(), order.end(), 0);
  for (int i = task_.edges() - 1; i > 0; --i) std::swap(order[i], order[rng_.below(i + 1)]);
  return make_sample(task_, std::move(symbols), goal, std::move(order));
}

std::vector<Sample> fresh_samples(const TreeTask& task, int count, std::uint64_t seed,
                                  const std::function<bool(const std::vector<int>&)>& seen) {
  validate(task);
  if (count < 0) throw std::invalid_argument(fmt::format("count = {}: must be >= 0", count));
  double labellings = 1.0;  // N! / (N - n_T)!, capped: only its comparison with count matters
  for (int i = 0; i < task.nodes() && labellings <= count; ++i) labellings *= task.N - i;
  if (labellings < count)
    throw std::invalid_argument(fmt::format(
        "count = {}: only {} distinct labelled trees exist for N = {}, D = {}", count, labellings, task.N, task.D));
  SampleGenerator generator(task, seed);
  std::set<std::vector<int>> drawn;
  std::vector<Sample> samples;
  samples.reserve(count);
  constexpr long max_rejections_in_a_row = 1000000;  // `seen` may exclude (almost) every tree
  for (long rejected = 0; static_cast<int>(samples.size()) < count;) {
    Sample s = generator.next();
    if ((seen && seen(s.labels)) || !drawn.insert(s.labels).second) {
      if (++rejected == max_rejections_in_a_row)
        throw std::runtime_error(fmt::format(
            "fresh_samples: {} draws in a row were seen or repeated after {} of {} samples", rejected,
            samples.size(), count));
      continue;
    }
    rejected = 0;
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace cotdyn::simulation::tree
