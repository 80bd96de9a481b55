#pragma once
// The tree path-finding task (docs/models/tree.md §1): a perfect binary tree of depth D in heap order,
// labelled with distinct symbols of [N], its edges in random order, then a chain of thought from the
// goal leaf to the root (backward task) and, for the forward task, back down to the goal.
// Torch-free and deterministic from a seed (SplitMix64, docs/models/tree.md §1.4).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cotdyn::simulation::tree {

enum class Task { backward, forward };  // backward: goal -> root; forward: goal -> root -> goal
enum class Flag { E, B, F };            // context edge, backward-stage query, forward-stage query

inline constexpr int none = -1;  // the empty X slot of the goal token

struct Token {
  int x = none;  // edge child / previous path node (none for the goal token)
  int y = 0;     // edge parent / current path node
  Flag flag = Flag::E;
  bool operator==(const Token& other) const { return x == other.x && y == other.y && flag == other.flag; }
};

struct TreeTask {
  Task task = Task::forward;
  int N = 20;  // number of symbols
  int D = 3;   // depth of the tree

  int nodes() const { return (2 << D) - 1; }       // n_T = 2^(D+1) - 1
  int edges() const { return nodes() - 1; }        // E
  int leaves() const { return 1 << D; }            // 2^D
  int queries() const { return task == Task::forward ? 2 * D : D; }  // Q
  int tokens() const { return edges() + queries(); }                 // T (the last output is no input)
};

// Throws std::invalid_argument naming the field, the value and what is allowed (D >= 1, N >= n_T).
void validate(const TreeTask& task);

std::string to_string(Task task);
Task task_from_string(const std::string& name);  // "backward" or "forward"; throws std::invalid_argument

struct Sample {
  std::vector<int> labels;      // lab[h]: the symbol of heap node h (n_T distinct symbols of [N])
  int goal = 0;                 // g: the goal is heap node 2^D - 1 + g
  std::vector<int> edge_order;  // order[p] = e: context position p holds the edge of child e + 1
  std::vector<int> path;        // v_0 .. v_D: the symbols from the root to the goal
  std::vector<Token> tokens;    // T tokens
  std::vector<int> query_positions;  // i_q = E + q
  std::vector<int> targets;          // t_q
};

// The sample with the given draws; throws std::invalid_argument if they are not of the right form.
Sample make_sample(const TreeTask& task, std::vector<int> labels, int goal, std::vector<int> edge_order);

// lab = identity, g = 0, order = identity (docs/models/tree.md §1.3).
Sample canonical_sample(const TreeTask& task);

// SplitMix64 (Steele, Lea, Flood 2014) with unbiased bounded draws by rejection.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound);  // uniform on [bound], bound >= 1

 private:
  std::uint64_t state_;
};

// Training samples: each next() draws lab, then g, then order, as in docs/models/tree.md §1.2.
class SampleGenerator {
 public:
  SampleGenerator(const TreeTask& task, std::uint64_t seed);
  Sample next();
  const TreeTask& task() const { return task_; }

 private:
  TreeTask task_;
  SplitMix64 rng_;
};

// An evaluation set of `count` samples whose labelled trees are pairwise distinct and for which
// `seen(labels)` is false (a tree that has not been trained on). Drawn from its own stream:
// a SampleGenerator with seed `seed`, rejecting repeats. Throws std::invalid_argument if fewer than
// `count` distinct labelled trees exist, std::runtime_error if `seen` rejects 10^6 draws in a row.
std::vector<Sample> fresh_samples(const TreeTask& task, int count, std::uint64_t seed,
                                  const std::function<bool(const std::vector<int>&)>& seen = {});

}  // namespace cotdyn::simulation::tree
