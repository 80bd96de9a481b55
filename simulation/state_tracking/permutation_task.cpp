#include <cotdyn/simulation/state_tracking/permutation_task.hpp>

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::task {

int symmetric_group_degree(const std::string& group) {
  // S_8 already has 40320 states: the logic tensor would have n^2 K entries, far beyond any use here.
  if (group.size() == 2 && group[0] == 'S' && group[1] >= '2' && group[1] <= '7') return group[1] - '0';
  throw std::invalid_argument(fmt::format(
      "task.group = \"{}\": allowed are the symmetric groups \"S2\" .. \"S7\"", group));
}

int lexicographic_index(const Permutation& p) {
  const int m = static_cast<int>(p.size());
  std::vector<bool> used(m, false);
  int index = 0;
  for (int i = 0; i < m; ++i) {
    if (p[i] < 0 || p[i] >= m || used[p[i]]) return -1;
    int smaller_unused = 0;
    for (int v = 0; v < p[i]; ++v) smaller_unused += used[v] ? 0 : 1;
    used[p[i]] = true;
    int factorial = 1;
    for (int k = 2; k <= m - 1 - i; ++k) factorial *= k;
    index += smaller_unused * factorial;
  }
  return index;
}

PermutationTask make_permutation_task(const std::string& group, const std::vector<Permutation>& actions) {
  PermutationTask task;
  task.m = symmetric_group_degree(group);
  Permutation p(task.m);
  std::iota(p.begin(), p.end(), 0);
  do {
    task.states.push_back(p);
  } while (std::next_permutation(p.begin(), p.end()));

  if (actions.size() < 2)
    throw std::invalid_argument(fmt::format(
        "task.actions has K = {} action(s): at least 2 are needed", actions.size()));
  for (const auto& g : actions) {
    if (static_cast<int>(g.size()) != task.m || lexicographic_index(g) < 0)
      throw std::invalid_argument(fmt::format(
          "task.actions contains {}: each action must be a permutation of 0..{} (an element of {})",
          g, task.m - 1, group));
  }
  task.actions = actions;

  task.transition.assign(actions.size(), std::vector<int>(task.states.size()));
  for (std::size_t a = 0; a < actions.size(); ++a) {
    for (std::size_t s = 0; s < task.states.size(); ++s) {
      Permutation image(task.m);
      for (int i = 0; i < task.m; ++i) image[i] = actions[a][task.states[s][i]];  // (g_a o s)(i) = g_a(s(i))
      task.transition[a][s] = lexicographic_index(image);
    }
  }
  // docs/theory.md §1: required property: the K images of every state are distinct.
  for (std::size_t s = 0; s < task.states.size(); ++s) {
    std::set<int> images;
    for (std::size_t a = 0; a < actions.size(); ++a) images.insert(task.transition[a][s]);
    if (images.size() != actions.size())
      throw std::invalid_argument(fmt::format(
          "task.actions = {}: the images of state {} are not distinct (the actions must be distinct "
          "group elements)", actions, task.states[s]));
  }
  if (task.num_actions() > task.num_states() - 1)
    throw std::invalid_argument(fmt::format(
        "task.actions has K = {} actions but {} has n = {} states: K must be at most n - 1",
        task.num_actions(), group, task.num_states()));
  return task;
}

}  // namespace cotdyn::task
