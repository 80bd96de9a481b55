#include <cotdyn/simulation/two_hop/generator.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace cotdyn::simulation::two_hop {

namespace {

// SplitMix64; each purpose has its own stream starting in state (seed << 8) | id
// (docs/models/two_hop.md §1.6).
enum Stream : std::uint64_t { facts_stream = 1, split_stream = 2, permutation_stream = 3, noise_stream = 4,
                              batch_stream = 5 };

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(std::uint64_t seed, Stream stream) : state_((seed << 8) | stream) {}
  explicit Rng(std::uint64_t state) : state_(state) {}
  std::uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ULL); }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::uint64_t state() const { return state_; }

  // The first k entries of a uniform random permutation of v (a partial Fisher-Yates shuffle).
  template <class T>
  void shuffle_prefix(std::vector<T>& v, std::size_t k) {
    for (std::size_t i = 0; i < k && i + 1 < v.size(); ++i) std::swap(v[i], v[i + below(v.size() - i)]);
  }

 private:
  std::uint64_t state_;
};

[[noreturn]] void reject(const std::string& field, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument(fmt::format("two_hop.{} = {}: {}", field, value, allowed));
}

std::size_t rounded(double v) { return static_cast<std::size_t>(std::llround(v)); }

template <class T>
std::vector<T> prefix(const std::vector<T>& v, int n) {
  return {v.begin(), v.begin() + std::min<std::size_t>(v.size(), static_cast<std::size_t>(n))};
}

}  // namespace

NoiseTarget parse_noise_target(const std::string& name) {
  if (name == "t") return NoiseTarget::t;
  if (name == "b") return NoiseTarget::b;
  if (name == "both") return NoiseTarget::both;
  reject("noise_target", fmt::format("\"{}\"", name), "allowed are t, b, both");
}

std::string to_string(NoiseTarget target) {
  return target == NoiseTarget::t ? "t" : target == NoiseTarget::b ? "b" : "both";
}

Arm parse_arm(const std::string& name) {
  if (name == "cot") return Arm::cot;
  if (name == "no_cot") return Arm::no_cot;
  reject("arm", fmt::format("\"{}\"", name), "allowed are cot, no_cot");
}

std::string to_string(Arm arm) { return arm == Arm::cot ? "cot" : "no_cot"; }

void validate(const Parameters& p) {
  if (p.num_entities < 1) reject("entities", std::to_string(p.num_entities), "allowed is >= 1");
  if (p.num_relations < 1) reject("relations", std::to_string(p.num_relations), "allowed is >= 1");
  if (p.out_degree < 1 || p.out_degree > p.num_relations)
    reject("out_degree", std::to_string(p.out_degree),
           fmt::format("allowed are 1 <= out_degree <= two_hop.relations = {}", p.num_relations));
  // All |E| out_degree^2 two-hops are enumerated and stored (the public code's scale has 8e5).
  if (static_cast<double>(p.num_entities) * p.out_degree * p.out_degree > 5e7)
    reject("entities", std::to_string(p.num_entities),
           fmt::format("allowed is entities * out_degree^2 <= 5e7 (two_hop.out_degree = {})", p.out_degree));
  if (!(p.ood_ratio >= 0.0 && p.ood_ratio <= 1.0))
    reject("ood_ratio", fmt::format("{}", p.ood_ratio), "allowed is 0 <= ood_ratio <= 1");
  if (!(p.lambda >= 0.0 && std::isfinite(p.lambda)))
    reject("lambda", fmt::format("{}", p.lambda), "allowed is a finite lambda >= 0");
  if (!(p.noise >= 0.0 && p.noise <= 1.0)) reject("noise", fmt::format("{}", p.noise), "allowed is 0 <= noise <= 1");
  if (p.noise_target != NoiseTarget::t && p.noise_target != NoiseTarget::b && p.noise_target != NoiseTarget::both)
    reject("noise_target", std::to_string(static_cast<int>(p.noise_target)), "allowed are t, b, both");
  if (p.min_test_id < 0) reject("min_test_id", std::to_string(p.min_test_id), "allowed is >= 0");
  if (p.max_test_id < 0) reject("max_test_id", std::to_string(p.max_test_id), "allowed is >= 0");
  if (p.probe_size < 0) reject("probe_size", std::to_string(p.probe_size), "allowed is >= 0");
}

Category category(const std::vector<Fact>& facts, const TwoHop& item) {
  const bool first = facts[item.first].ood, second = facts[item.second].ood;
  if (first && second) return Category::both_ood;
  if (first) return Category::ood_first_only;
  if (second) return Category::ood_second_only;
  return Category::both_id;
}

// docs/models/two_hop.md §1
Dataset make_dataset(const Parameters& p) {
  validate(p);
  Dataset data;
  data.parameters = p;
  const int E = p.num_entities, d = p.out_degree;

  // §1.1 Facts: per head, out_degree distinct relations, then a uniform tail for each, in that order.
  Rng facts_rng(p.seed, facts_stream);
  std::vector<int> relations(static_cast<std::size_t>(p.num_relations));
  data.facts.reserve(static_cast<std::size_t>(E) * d);
  for (int h = 0; h < E; ++h) {
    std::iota(relations.begin(), relations.end(), 0);
    facts_rng.shuffle_prefix(relations, static_cast<std::size_t>(d));
    const std::size_t begin = data.facts.size();
    for (int i = 0; i < d; ++i) data.facts.push_back(Fact{h, relations[i], 0, false});
    for (int i = 0; i < d; ++i) data.facts[begin + i].t = static_cast<int>(facts_rng.below(E));
  }

  // §1.2 OOD split: round(ρ |A|) facts, uniformly without replacement.
  const std::size_t n_ood = std::min(rounded(p.ood_ratio * data.facts.size()), data.facts.size());
  std::vector<int> order(data.facts.size());
  std::iota(order.begin(), order.end(), 0);
  Rng split_rng(p.seed, split_stream);
  split_rng.shuffle_prefix(order, n_ood);
  for (std::size_t k = 0; k < n_ood; ++k) data.facts[order[k]].ood = true;
  for (int i = 0; i < static_cast<int>(data.facts.size()); ++i)
    (data.facts[i].ood ? data.ood_facts : data.id_facts).push_back(i);

  // §1.3 Every two-hop (h, r1, b), (b, r2, t), classified by which hops are OOD.
  for (int first = 0; first < static_cast<int>(data.facts.size()); ++first) {
    const Fact& f1 = data.facts[first];
    for (int k = 0; k < d; ++k) {
      const int second = f1.t * d + k;
      const Fact& f2 = data.facts[second];
      const TwoHop item{f1.h, f1.r, f2.r, f1.t, f2.t, first, second, false};
      switch (category(data.facts, item)) {
        case Category::both_id: data.both_id.push_back(item); break;
        case Category::both_ood: data.both_ood.push_back(item); break;
        case Category::ood_first_only: data.ood_first_only.push_back(item); break;
        case Category::ood_second_only: data.ood_second_only.push_back(item); break;
      }
    }
  }

  // §1.4 One uniform permutation of the both-ID two-hops: n_tr training items, then test_id.
  std::vector<TwoHop> permuted = data.both_id;
  Rng permutation_rng(p.seed, permutation_stream);
  permutation_rng.shuffle_prefix(permuted, permuted.size());
  const std::size_t available = permuted.size() - std::min(permuted.size(), static_cast<std::size_t>(p.min_test_id));
  const std::size_t n_tr = std::min(rounded(p.lambda * data.id_facts.size()), available);
  const std::size_t n_test = std::min(permuted.size() - n_tr, static_cast<std::size_t>(p.max_test_id));
  data.train_two_hops.assign(permuted.begin(), permuted.begin() + n_tr);
  data.test_id.assign(permuted.begin() + n_tr, permuted.begin() + n_tr + n_test);

  // §1.5 Noise: every training item draws (u, t', b'); it is noisy iff u < ξ, so the noisy sets are
  // nested in ξ and the rows never change.
  Rng noise_rng(p.seed, noise_stream);
  for (auto& item : data.train_two_hops) {
    const double u = noise_rng.uniform();
    const int t_noise = static_cast<int>(noise_rng.below(E)), b_noise = static_cast<int>(noise_rng.below(E));
    if (!(u < p.noise)) continue;
    item.noisy = true;
    if (p.noise_target != NoiseTarget::b) item.t = t_noise;
    if (p.noise_target != NoiseTarget::t) item.b = b_noise;
  }
  return data;
}

// docs/models/two_hop.md §2
std::vector<Fact> Dataset::id_atomic_probe() const {
  std::vector<Fact> probe;
  for (int i : prefix(id_facts, parameters.probe_size)) probe.push_back(facts[i]);
  return probe;
}

std::vector<Fact> Dataset::ood_atomic_probe() const {
  std::vector<Fact> probe;
  for (int i : ood_facts) probe.push_back(facts[i]);
  return probe;
}

std::vector<TwoHop> Dataset::train_two_hop_probe() const { return prefix(train_two_hops, parameters.probe_size); }

// docs/models/two_hop.md §3
Vocabulary vocabulary(const Parameters& p, bool end_token) {
  return Vocabulary{p.num_entities, p.num_relations, end_token};
}

namespace {

// Appends the end token after the last target: its input position holds that target.
Row finish(const Vocabulary& vocab, Row row) {
  if (vocab.end_token) {
    row.tokens.push_back(row.targets.back());
    row.target_positions.push_back(static_cast<int>(row.tokens.size()) - 1);
    row.targets.push_back(vocab.end());
  }
  return row;
}

}  // namespace

Row atomic_row(const Vocabulary& vocab, const Fact& fact) {
  return finish(vocab, Row{{vocab.entity(fact.h), vocab.relation(fact.r)}, {1}, {vocab.entity(fact.t)}});
}

Row two_hop_row(const Vocabulary& vocab, const TwoHop& item, Arm arm) {
  const int h = vocab.entity(item.h), r1 = vocab.relation(item.r1), r2 = vocab.relation(item.r2);
  const int b = vocab.entity(item.b), t = vocab.entity(item.t);
  if (arm == Arm::cot) return finish(vocab, Row{{h, r1, r2, b}, {2, 3}, {b, t}});
  return finish(vocab, Row{{h, r1, r2}, {2}, {t}});
}

std::vector<Row> training_rows(const Dataset& data, const Vocabulary& vocab, Arm arm) {
  std::vector<Row> rows;
  rows.reserve(data.facts.size() + data.train_two_hops.size());
  for (const auto& fact : data.facts) rows.push_back(atomic_row(vocab, fact));
  for (const auto& item : data.train_two_hops) rows.push_back(two_hop_row(vocab, item, arm));
  return rows;
}

EncodedBatch encode(const std::vector<Row>& rows, const std::vector<std::size_t>& indices) {
  EncodedBatch batch;
  batch.rows = static_cast<int>(indices.size());
  for (auto i : indices) batch.length = std::max(batch.length, static_cast<int>(rows.at(i).tokens.size()));
  batch.tokens.assign(static_cast<std::size_t>(batch.rows) * batch.length, 0);
  batch.targets.assign(batch.tokens.size(), kIgnoreTarget);
  for (int k = 0; k < batch.rows; ++k) {
    const Row& row = rows[indices[k]];
    const std::size_t offset = static_cast<std::size_t>(k) * batch.length;
    std::copy(row.tokens.begin(), row.tokens.end(), batch.tokens.begin() + offset);
    for (std::size_t j = 0; j < row.targets.size(); ++j)
      batch.targets[offset + row.target_positions[j]] = row.targets[j];
  }
  return batch;
}

EncodedBatch encode(const std::vector<Row>& rows) {
  std::vector<std::size_t> all(rows.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  return encode(rows, all);
}

BatchSampler::BatchSampler(std::uint64_t seed, std::size_t rows)
    : state_(Rng(seed, batch_stream).state()), rows_(rows) {
  if (rows == 0) reject("training rows", "0", "allowed is at least one row");
}

std::vector<std::size_t> BatchSampler::next(int B) {
  if (B < 1) reject("batch_size", std::to_string(B), "allowed is >= 1");
  Rng rng(state_);
  std::vector<std::size_t> indices(static_cast<std::size_t>(B));
  for (auto& i : indices) i = static_cast<std::size_t>(rng.below(rows_));
  state_ = rng.state();
  return indices;
}

// docs/models/two_hop.md §4
namespace {

template <class Right>
double fraction(std::size_t n, Right right) {
  if (n == 0) return 0.0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) correct += right(i) ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(n);
}

void require_size(std::size_t items, std::size_t predictions) {
  if (items != predictions)
    throw std::invalid_argument(fmt::format("two_hop scoring: {} predictions for {} items", predictions, items));
}

}  // namespace

double atomic_accuracy(const std::vector<Fact>& facts, const std::vector<int>& t_hat) {
  require_size(facts.size(), t_hat.size());
  return fraction(facts.size(), [&](std::size_t i) { return t_hat[i] == facts[i].t; });
}

double no_cot_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& t_hat) {
  require_size(items.size(), t_hat.size());
  return fraction(items.size(), [&](std::size_t i) { return t_hat[i] == items[i].t; });
}

double cot_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& b_hat, const std::vector<int>& t_hat) {
  require_size(items.size(), b_hat.size());
  require_size(items.size(), t_hat.size());
  return fraction(items.size(), [&](std::size_t i) { return b_hat[i] == items[i].b && t_hat[i] == items[i].t; });
}

double bridge_accuracy(const std::vector<TwoHop>& items, const std::vector<int>& b_hat) {
  require_size(items.size(), b_hat.size());
  return fraction(items.size(), [&](std::size_t i) { return b_hat[i] == items[i].b; });
}

}  // namespace cotdyn::simulation::two_hop
