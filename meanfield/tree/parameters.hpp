#pragma once
// The constants of the tree model's reduced ODE and its 12 order parameters per head
// (docs/models/tree.md §3-§4).
#include <array>
#include <limits>
#include <string>
#include <vector>

namespace cotdyn::meanfield::tree {

enum class Task { backward, forward };

struct Parameters {
  Task task = Task::forward;
  int N = 20;            // number of symbols (N >= n_T)
  int D = 3;             // tree depth
  int H = 2;             // number of heads
  double eta = 10.0;     // learning rate (times d), the same for every block
  double epsilon = 0.2;  // head asymmetry of the o_Y init (docs/models/tree.md §4.1)
  std::vector<double> head_epsilons;  // explicit eps_h per head; empty: the rule of head_epsilon()
  // Embedding dimension for the finite-d kappa-ODE (docs/models/tree.md §4.4); infinity: the plain ODE.
  double d = std::numeric_limits<double>::infinity();
  // Also scale the off-diagonal rates by 1 + 1/d, the mean-Gram factor of the off-diagonal classes
  // (docs/models/tree.md §4.4); off by default, as in the reference kappa-ODE.
  bool offdiagonal_gram = false;

  int nodes() const { return (2 << D) - 1; }  // n_T
  int edges() const { return nodes() - 1; }   // E
  int queries() const { return task == Task::forward ? 2 * D : D; }  // Q
  int tokens() const { return edges() + queries(); }                 // T
  double kappa() const { return 1.0 + (N - 1) / d; }                 // 1 at d = infinity
  double offdiagonal_factor() const { return offdiagonal_gram ? 1.0 + 1.0 / d : 1.0; }
  // eps_h: head_epsilons[h] if given, else +epsilon for H = 1 and epsilon (1 - 2h/(H-1)) for H >= 2
  // (+epsilon, -epsilon for the two forward heads).
  double head_epsilon(int h) const;
};

// The defaults of docs/models/tree.md §2: backward with one head, forward with two.
Parameters default_parameters(Task task);

struct Tolerances {
  double rtol = 1e-10;
  double atol = 1e-12;
};

// Throw std::invalid_argument naming the field, the value and what is allowed.
void validate(const Parameters& parameters);
void validate(const Tolerances& tolerances);

std::string to_string(Task task);

// The order parameters of one head, in the vector order of docs/models/tree.md §3:
// index 4 tau + 2 s + c for the query-key block (tau: 0 = B, 1 = F; s: 0 = X, 1 = Y; c: 0 = diagonal a,
// 1 = off-diagonal b) and 8 + 2 s + c for the output block s (c: 0 = o, 1 = r).
inline constexpr int per_head = 12;
using HeadOrderParameters = std::array<double, per_head>;
inline constexpr std::array<const char*, per_head> order_parameter_names = {
    "a_BX", "b_BX", "a_BY", "b_BY", "a_FX", "b_FX", "a_FY", "b_FY", "o_X", "r_X", "o_Y", "r_Y"};

constexpr int qk_index(int stage, int slot, int off_diagonal) { return 4 * stage + 2 * slot + off_diagonal; }
constexpr int ov_index(int slot, int off_diagonal) { return 8 + 2 * slot + off_diagonal; }
constexpr bool is_diagonal(int index) { return index % 2 == 0; }

// The column of a per-head quantity: head<h>_<name> (docs/models/tree.md §7), e.g. head0_a_BX, head1_m_F.
std::string head_column(int h, const std::string& name);

// Index of a name of order_parameter_names; throws std::invalid_argument for an unknown name.
int order_parameter_index(const std::string& name);

// The ODE state is the H heads' vectors one after another: x[12 h + i].
HeadOrderParameters head(const std::vector<double>& x, int h);

}  // namespace cotdyn::meanfield::tree
