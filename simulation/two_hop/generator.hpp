#pragma once
// The two-hop reasoning task (docs/models/two_hop.md): a random knowledge graph of atomic facts
// (h, r) -> t, its ID/OOD split, the two-hop queries (h, r1, r2) -> t through a bridge b, the
// λ-subsample of training two-hops, optional label noise, the probe sets, and the token rows of the
// atomic, CoT and no-CoT formats. Seeded and deterministic; Torch-free.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::simulation::two_hop {

// Which label of a noisy training two-hop is replaced by a uniform random entity (docs/models/two_hop.md §1.5).
enum class NoiseTarget { t, b, both };
NoiseTarget parse_noise_target(const std::string& name);  // t, b, both
std::string to_string(NoiseTarget target);

// docs/models/two_hop.md §1; the defaults are the scaled-down experiment.
struct Parameters {
  int num_entities = 200;       // |E|
  int num_relations = 20;       // |R|
  int out_degree = 10;          // distinct relations per head entity, <= |R|
  double ood_ratio = 0.10;      // ρ: fraction of atomic facts that are OOD
  double lambda = 7.2;          // λ: training two-hops per ID atomic fact
  double noise = 0.0;           // ξ: probability that a training two-hop gets a random label
  NoiseTarget noise_target = NoiseTarget::t;
  int min_test_id = 300;        // both-ID two-hops always kept out of training (for test_id)
  int max_test_id = 1000;       // size cap of test_id
  int probe_size = 1000;        // size of the id_atomic and train_two_hop probes
  std::uint64_t seed = 0;
};
// Throws std::invalid_argument naming the field, its value and what is allowed.
void validate(const Parameters& p);

struct Fact {
  int h = 0, r = 0, t = 0;
  bool ood = false;
};

// (h, r1, r2) -> t through the bridge b: facts[first] = (h, r1, b), facts[second] = (b, r2, t).
// In a noisy training two-hop, b and/or t are replaced and no longer match the facts.
struct TwoHop {
  int h = 0, r1 = 0, r2 = 0, b = 0, t = 0;
  int first = 0, second = 0;  // indices into Dataset::facts
  bool noisy = false;
};

enum class Category { both_id, both_ood, ood_first_only, ood_second_only };
Category category(const std::vector<Fact>& facts, const TwoHop& item);

struct Dataset {
  Parameters parameters;
  // Fact list: for h = 0 ... |E|-1 the out_degree facts of h in relation draw order; fact i of h is
  // facts[h * out_degree + i].
  std::vector<Fact> facts;
  std::vector<int> id_facts, ood_facts;  // indices into facts, fact-list order

  // Every two-hop, by category, in enumeration order (h, then its facts, then the bridge's facts).
  std::vector<TwoHop> both_id, both_ood, ood_first_only, ood_second_only;

  // The uniform permutation of both_id: its first n_tr items (noise applied) and the next ones.
  std::vector<TwoHop> train_two_hops;
  std::vector<TwoHop> test_id;

  // Probe sets (docs/models/two_hop.md §2), fixed for the run.
  std::vector<Fact> id_atomic_probe() const;         // the first probe_size ID facts, fact-list order
  std::vector<Fact> ood_atomic_probe() const;        // all OOD facts, fact-list order
  std::vector<TwoHop> train_two_hop_probe() const;   // the first probe_size training two-hops
  // test_id, both_ood (= test_ood), ood_first_only and ood_second_only are the members above.
};

// Builds the dataset of docs/models/two_hop.md §1 (validates p).
Dataset make_dataset(const Parameters& p);

// ---- Token rows (docs/models/two_hop.md §3) ----

// Entity i = token i, relation j = token |E| + j, and the optional end token </a> = |E| + |R|.
struct Vocabulary {
  int num_entities = 0, num_relations = 0;
  bool end_token = false;
  int entity(int i) const { return i; }
  int relation(int j) const { return num_entities + j; }
  int end() const { return num_entities + num_relations; }
  int size() const { return num_entities + num_relations + (end_token ? 1 : 0); }
};
Vocabulary vocabulary(const Parameters& p, bool end_token = false);

enum class Arm { cot, no_cot };
Arm parse_arm(const std::string& name);  // cot, no_cot
std::string to_string(Arm arm);

// Input tokens and next-token targets: the output at target_positions[k] is trained on targets[k].
// atomic `h r` -> t at 1; CoT `h r1 r2 b` -> b at 2, t at 3; no-CoT `h r1 r2` -> t at 2. With the end
// token the last target is followed by </a> (its input position holds that target).
struct Row {
  std::vector<int> tokens;
  std::vector<int> target_positions;
  std::vector<int> targets;
};
Row atomic_row(const Vocabulary& vocab, const Fact& fact);
Row two_hop_row(const Vocabulary& vocab, const TwoHop& item, Arm arm);

// The training rows: every atomic fact (ID and OOD) in fact-list order, then the training two-hops.
std::vector<Row> training_rows(const Dataset& data, const Vocabulary& vocab, Arm arm);

// Row-major [rows, length] token ids (padding 0 at the end of shorter rows) and per-position targets
// (kIgnoreTarget where there is no loss). With a causal mask the padding cannot affect any target.
inline constexpr std::int64_t kIgnoreTarget = -100;
struct EncodedBatch {
  int rows = 0, length = 0;
  std::vector<std::int64_t> tokens, targets;
};
EncodedBatch encode(const std::vector<Row>& rows);
EncodedBatch encode(const std::vector<Row>& rows, const std::vector<std::size_t>& indices);

// Training batches: B row indices drawn uniformly with replacement, from the seed's own stream.
class BatchSampler {
 public:
  BatchSampler(std::uint64_t seed, std::size_t rows);
  std::vector<std::size_t> next(int B);
  std::uint64_t state() const { return state_; }  // resume with set_state
  void set_state(std::uint64_t state) { state_ = state; }

 private:
  std::uint64_t state_;
  std::size_t rows_;
};

// ---- Scoring (docs/models/two_hop.md §4) ----
// Predictions are token ids of the greedy outputs; a relation or end token is simply wrong.

double atomic_accuracy(const std::vector<Fact>& facts, const std::vector<int>& t_hat);
double no_cot_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& t_hat);
// Right iff b̂ = b and t̂ = t (t̂ decoded after feeding b̂ back).
double cot_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& b_hat, const std::vector<int>& t_hat);
// bridge_ood on test_ood: b̂ = b, t ignored.
double bridge_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& b_hat);

}  // namespace cotdyn::simulation::two_hop
