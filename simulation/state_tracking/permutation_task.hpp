#pragma once
// The state-tracking task of docs/theory.md §1: states are the elements of the symmetric group S_m
// in lexicographic order, actions act by left multiplication, s_t = g_{a_t} o s_{t-1}.
// Torch-free, so the CLI can validate a task even in a theory-only build.
#include <string>
#include <vector>

namespace cotdyn::task {

using Permutation = std::vector<int>;  // tuple (g(0), ..., g(m-1))

struct PermutationTask {
  int m = 0;                                  // degree of the symmetric group S_m
  std::vector<Permutation> states;            // all m! permutations, lexicographic (index 0 = identity)
  std::vector<Permutation> actions;           // the K configured group elements g_a
  std::vector<std::vector<int>> transition;   // transition[a][s] = index of g_a o states[s]

  int num_states() const { return static_cast<int>(states.size()); }   // n
  int num_actions() const { return static_cast<int>(actions.size()); } // K
};

// Parses "S4" (or "S2".."S7") into m. Throws std::invalid_argument naming `task.group`.
int symmetric_group_degree(const std::string& group);

// Builds the task and checks the task's required property (docs/theory.md §1) (distinct images of every state).
// Throws std::invalid_argument naming `task.actions` or `task.group` with the offending value.
PermutationTask make_permutation_task(const std::string& group, const std::vector<Permutation>& actions);

// Index of a permutation in lexicographic order (the Lehmer code), -1 if it is not a permutation of [m].
int lexicographic_index(const Permutation& p);

}  // namespace cotdyn::task
