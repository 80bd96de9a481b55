#pragma once
// The settings of the simulated tree path-finding network (docs/models/tree.md §2 and §10):
// task and sizes, learning rate, initialisation, storage, seeds and the evaluation set. Torch-free,
// so configs can be checked without LibTorch.
#include <cstdint>
#include <string>
#include <vector>

#include <cotdyn/meanfield/tree/parameters.hpp>
#include <cotdyn/simulation/tree/task.hpp>

namespace cotdyn::simulation::tree {

// How the six trained blocks of a head are held (docs/models/tree.md §10):
//  * tensor: the d x d blocks W themselves, the forward pass on 4d-dimensional token vectors, autograd;
//  * coefficients: the N x N coefficient tables C with W = U^T C U, the forward pass by table look-ups
//    in M = G C G, and the step C <- C - (eta/d) dloss/dM (the exact cheap implementation).
enum class Storage { tensor, coefficients };
std::string to_string(Storage storage);
Storage storage_from_string(const std::string& name);  // "tensor" or "coefficients"; throws std::invalid_argument

struct TreeSettings {
  Task task = Task::forward;
  int N = 20;              // symbols
  int D = 3;               // tree depth
  int d = 64;              // embedding dimension; time t = steps / d
  int H = 2;               // heads
  double eta = 10.0;       // every block: W <- W - (eta/d) grad
  int batch = 4;           // B fresh samples per step
  double epsilon = 0.2;    // head asymmetry of the o_Y init: W_OY(0) = eps_h sum_v u_v u_v^T
  std::vector<double> head_epsilons;  // eps_h per head; empty: the theory's rule (+eps, -eps for H = 2)
  double init_scale = 0.0;  // sigma: every block also gets iid N(0, sigma^2/d) entries in W-space
  Storage storage = Storage::coefficients;
  int seeds = 5;                   // seeds trained side by side
  std::uint64_t base_seed = 0;     // seed e uses base_seed + e (embeddings, init, training samples)
  int eval_size = 1000;            // evaluation trees, shared by all seeds, never trained on
  std::uint64_t eval_seed = 12345; // the evaluation set's own stream
  int threads = 1;                 // seeds stepped and evaluated at once, LibTorch intra-op threads; 0 = every core

  TreeTask tree_task() const { return {task, N, D}; }
  double head_epsilon(int h) const { return parameters().head_epsilon(h); }
  // The theory's parameters for the same model; finite_d adds d (the kappa-ODE, docs/models/tree.md §4.4).
  meanfield::tree::Parameters parameters(bool finite_d = false) const;
};

// The defaults of docs/models/tree.md §2 for a task: backward with one head, forward with two.
TreeSettings default_settings(Task task);

// Throws std::invalid_argument naming the key (tree.<field>), its value and what is allowed.
void validate(const TreeSettings& settings);

}  // namespace cotdyn::simulation::tree
