// The two-hop generator (docs/models/two_hop.md): determinism, the split, out-degree, the λ subsample,
// noise, probe sets, token rows and scoring.
#include <cotdyn/simulation/two_hop/generator.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace th = cotdyn::simulation::two_hop;

namespace {

auto key(const th::TwoHop& x) { return std::make_tuple(x.h, x.r1, x.r2, x.b, x.t, x.first, x.second, x.noisy); }

bool same(const std::vector<th::TwoHop>& a, const std::vector<th::TwoHop>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (key(a[i]) != key(b[i])) return false;
  return true;
}

bool same(const std::vector<th::Fact>& a, const std::vector<th::Fact>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tie(a[i].h, a[i].r, a[i].t, a[i].ood) != std::tie(b[i].h, b[i].r, b[i].t, b[i].ood)) return false;
  return true;
}

std::string message(const th::Parameters& p) {
  try {
    th::validate(p);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("two_hop the same seed gives the same dataset and another seed a different one") {
  const th::Dataset a = th::make_dataset({}), b = th::make_dataset({});
  CHECK(same(a.facts, b.facts));
  CHECK(same(a.train_two_hops, b.train_two_hops));
  CHECK(same(a.test_id, b.test_id));
  CHECK(same(a.both_ood, b.both_ood));
  th::Parameters other;
  other.seed = 1;
  const th::Dataset c = th::make_dataset(other);
  CHECK_FALSE(same(a.facts, c.facts));
  CHECK_FALSE(same(a.train_two_hops, c.train_two_hops));
}

TEST_CASE("two_hop facts: out-degree, distinct relations, fact-list order") {
  const th::Parameters p;
  const th::Dataset data = th::make_dataset(p);
  REQUIRE(data.facts.size() == 2000u);
  std::vector<int> tail_counts(p.num_entities, 0);
  for (int h = 0; h < p.num_entities; ++h) {
    std::set<int> relations;
    for (int i = 0; i < p.out_degree; ++i) {
      const th::Fact& f = data.facts[h * p.out_degree + i];
      CHECK(f.h == h);
      CHECK(f.r >= 0);
      CHECK(f.r < p.num_relations);
      CHECK(f.t >= 0);
      CHECK(f.t < p.num_entities);
      relations.insert(f.r);
      ++tail_counts[f.t];
    }
    CHECK(relations.size() == static_cast<std::size_t>(p.out_degree));
  }
  // Relations are not always drawn in increasing order (the draw order is kept).
  bool unsorted = false;
  for (int h = 0; h < p.num_entities && !unsorted; ++h)
    for (int i = 1; i < p.out_degree; ++i)
      unsorted |= data.facts[h * p.out_degree + i].r < data.facts[h * p.out_degree + i - 1].r;
  CHECK(unsorted);
  // Tails are uniform: 2000 draws over 200 entities, mean 10 each.
  int max_count = 0;
  for (int n : tail_counts) max_count = std::max(max_count, n);
  CHECK(max_count < 30);
}

TEST_CASE("two_hop split sizes and categories at the defaults") {
  const th::Parameters p;
  const th::Dataset data = th::make_dataset(p);
  CHECK(data.ood_facts.size() == 200u);  // round(0.1 * 2000)
  CHECK(data.id_facts.size() == 1800u);
  const std::size_t all = data.both_id.size() + data.both_ood.size() + data.ood_first_only.size() +
                          data.ood_second_only.size();
  CHECK(all == 2000u * 10u);  // every fact continues through the out_degree facts of its tail
  // Expected sizes |A| d (1-ρ)^2 = 16200, |A| d ρ^2 = 200, |A| d ρ(1-ρ) = 1800; loose bounds.
  CHECK(data.both_id.size() > 15500u);
  CHECK(data.both_id.size() < 16900u);
  CHECK(data.both_ood.size() > 100u);
  CHECK(data.both_ood.size() < 320u);
  CHECK(data.ood_first_only.size() > 1500u);
  CHECK(data.ood_second_only.size() > 1500u);
  // λ subsample: n_tr = round(7.2 * 1800) = 12960, test_id = the next 1000.
  CHECK(data.train_two_hops.size() == 12960u);
  CHECK(data.test_id.size() == 1000u);
  for (const auto& [set, expected] : {std::pair{&data.both_id, th::Category::both_id},
                                      std::pair{&data.both_ood, th::Category::both_ood},
                                      std::pair{&data.ood_first_only, th::Category::ood_first_only},
                                      std::pair{&data.ood_second_only, th::Category::ood_second_only}})
    for (const auto& item : *set) {
      CHECK(th::category(data.facts, item) == expected);
      const th::Fact &f1 = data.facts[item.first], &f2 = data.facts[item.second];
      CHECK(f1.h == item.h);
      CHECK(f1.r == item.r1);
      CHECK(f1.t == item.b);
      CHECK(f2.h == item.b);
      CHECK(f2.r == item.r2);
      CHECK(f2.t == item.t);
    }
}

TEST_CASE("two_hop OOD facts appear in training only as atomic facts") {
  const th::Dataset data = th::make_dataset({});
  for (const auto& item : data.train_two_hops) {
    CHECK_FALSE(data.facts[item.first].ood);
    CHECK_FALSE(data.facts[item.second].ood);
  }
  const auto vocab = th::vocabulary(data.parameters);
  const auto rows = th::training_rows(data, vocab, th::Arm::cot);
  CHECK(rows.size() == data.facts.size() + data.train_two_hops.size());
  std::size_t ood_rows = 0;
  for (std::size_t i = 0; i < data.facts.size(); ++i) ood_rows += data.facts[i].ood ? 1 : 0;
  CHECK(ood_rows == data.ood_facts.size());
  // No test two-hop is a training two-hop.
  std::set<std::pair<int, int>> train;
  for (const auto& item : data.train_two_hops) train.insert({item.first, item.second});
  for (const auto& item : data.test_id) CHECK(train.count({item.first, item.second}) == 0);
}

TEST_CASE("two_hop the lambda subsample is a nested prefix of one permutation") {
  th::Parameters p;
  p.lambda = 1.8;
  const th::Dataset small = th::make_dataset(p);
  p.lambda = 7.2;
  const th::Dataset large = th::make_dataset(p);
  CHECK(small.train_two_hops.size() == 3240u);  // round(1.8 * 1800)
  CHECK(same(small.train_two_hops, std::vector<th::TwoHop>(large.train_two_hops.begin(),
                                                           large.train_two_hops.begin() + 3240)));
  // It is a permutation: distinct items, all both-ID, not in enumeration order.
  std::set<std::pair<int, int>> seen;
  for (const auto& item : large.train_two_hops) seen.insert({item.first, item.second});
  CHECK(seen.size() == large.train_two_hops.size());
  CHECK_FALSE(same(std::vector<th::TwoHop>(large.both_id.begin(), large.both_id.begin() + 100),
                   std::vector<th::TwoHop>(large.train_two_hops.begin(), large.train_two_hops.begin() + 100)));
  // λ is capped so that min_test_id both-ID items stay out of training.
  p.lambda = 18.0;
  const th::Dataset capped = th::make_dataset(p);
  CHECK(capped.train_two_hops.size() == capped.both_id.size() - 300);
  CHECK(capped.test_id.size() == 300u);
  p.lambda = 0.0;
  const th::Dataset none = th::make_dataset(p);
  CHECK(none.train_two_hops.empty());
  CHECK(none.test_id.size() == 1000u);
  CHECK(none.train_two_hop_probe().empty());
}

TEST_CASE("two_hop noise: labels only, nested in xi, rows and tests unchanged") {
  th::Parameters p;
  const th::Dataset clean = th::make_dataset(p);
  p.noise = 0.2;
  const th::Dataset low = th::make_dataset(p);
  p.noise = 0.4;
  const th::Dataset high = th::make_dataset(p);
  p.noise_target = th::NoiseTarget::b;
  const th::Dataset bridge = th::make_dataset(p);
  REQUIRE(low.train_two_hops.size() == clean.train_two_hops.size());
  std::size_t noisy_low = 0, noisy_high = 0, changed_t = 0;
  for (std::size_t i = 0; i < clean.train_two_hops.size(); ++i) {
    const auto &c = clean.train_two_hops[i], &l = low.train_two_hops[i], &h = high.train_two_hops[i];
    const auto& b = bridge.train_two_hops[i];
    CHECK_FALSE(c.noisy);
    CHECK(std::tie(c.h, c.r1, c.r2, c.b, c.first, c.second) == std::tie(l.h, l.r1, l.r2, l.b, l.first, l.second));
    if (l.noisy) CHECK(h.noisy);  // nested
    if (!l.noisy) CHECK(l.t == c.t);
    noisy_low += l.noisy ? 1 : 0;
    noisy_high += h.noisy ? 1 : 0;
    changed_t += h.t != c.t ? 1 : 0;
    CHECK(b.t == c.t);  // noise on b keeps t
    CHECK(b.noisy == h.noisy);
    if (!b.noisy) CHECK(b.b == c.b);
  }
  const double n = static_cast<double>(clean.train_two_hops.size());
  CHECK(std::abs(noisy_low / n - 0.2) < 0.02);
  CHECK(std::abs(noisy_high / n - 0.4) < 0.02);
  CHECK(changed_t < noisy_high);  // a replacement may draw t itself
  CHECK(changed_t > noisy_high * 0.95);
  CHECK(same(clean.test_id, high.test_id));
  CHECK(same(clean.both_ood, high.both_ood));
  CHECK(same(clean.facts, high.facts));
}

TEST_CASE("two_hop probe sets") {
  const th::Dataset data = th::make_dataset({});
  const auto id_atomic = data.id_atomic_probe();
  REQUIRE(id_atomic.size() == 1000u);
  for (std::size_t k = 0; k < id_atomic.size(); ++k) {
    CHECK_FALSE(id_atomic[k].ood);
    CHECK(std::tie(id_atomic[k].h, id_atomic[k].r) ==
          std::tie(data.facts[data.id_facts[k]].h, data.facts[data.id_facts[k]].r));
  }
  for (std::size_t k = 1; k < data.id_facts.size(); ++k) CHECK(data.id_facts[k - 1] < data.id_facts[k]);
  const auto ood_atomic = data.ood_atomic_probe();
  CHECK(ood_atomic.size() == 200u);
  for (const auto& f : ood_atomic) CHECK(f.ood);
  CHECK(same(data.train_two_hop_probe(),
             std::vector<th::TwoHop>(data.train_two_hops.begin(), data.train_two_hops.begin() + 1000)));
  // ood_first_only: the first hop (h, r1) is OOD, the second is ID; ood_second_only the reverse.
  for (const auto& item : data.ood_first_only) {
    CHECK(data.facts[item.first].ood);
    CHECK_FALSE(data.facts[item.second].ood);
  }
  for (const auto& item : data.ood_second_only) {
    CHECK_FALSE(data.facts[item.first].ood);
    CHECK(data.facts[item.second].ood);
  }
  // Enumeration order: by first fact, then by second fact.
  for (std::size_t k = 1; k < data.both_ood.size(); ++k)
    CHECK(std::pair{data.both_ood[k - 1].first, data.both_ood[k - 1].second} <
          std::pair{data.both_ood[k].first, data.both_ood[k].second});
  // Small probe size.
  th::Parameters p;
  p.probe_size = 7;
  const th::Dataset small = th::make_dataset(p);
  CHECK(small.id_atomic_probe().size() == 7u);
  CHECK(small.train_two_hop_probe().size() == 7u);
}

TEST_CASE("two_hop token rows of the three formats and the end token") {
  const th::Parameters p;  // |E| = 200, |R| = 20
  const th::Fact fact{3, 4, 5, false};
  const th::TwoHop item{3, 4, 7, 5, 9, 0, 0, false};
  const auto vocab = th::vocabulary(p);
  CHECK(vocab.size() == 220);
  const auto atomic = th::atomic_row(vocab, fact);
  CHECK(atomic.tokens == std::vector<int>{3, 204});
  CHECK(atomic.target_positions == std::vector<int>{1});
  CHECK(atomic.targets == std::vector<int>{5});
  const auto cot = th::two_hop_row(vocab, item, th::Arm::cot);
  CHECK(cot.tokens == std::vector<int>{3, 204, 207, 5});
  CHECK(cot.target_positions == std::vector<int>{2, 3});
  CHECK(cot.targets == std::vector<int>{5, 9});
  const auto no_cot = th::two_hop_row(vocab, item, th::Arm::no_cot);
  CHECK(no_cot.tokens == std::vector<int>{3, 204, 207});
  CHECK(no_cot.target_positions == std::vector<int>{2});
  CHECK(no_cot.targets == std::vector<int>{9});

  const auto with_end = th::vocabulary(p, true);
  CHECK(with_end.size() == 221);
  const auto cot_end = th::two_hop_row(with_end, item, th::Arm::cot);
  CHECK(cot_end.tokens == std::vector<int>{3, 204, 207, 5, 9});
  CHECK(cot_end.target_positions == std::vector<int>{2, 3, 4});
  CHECK(cot_end.targets == std::vector<int>{5, 9, 220});
  CHECK(th::atomic_row(with_end, fact).tokens == std::vector<int>{3, 204, 5});

  const auto batch = th::encode({atomic, cot, no_cot});
  CHECK(batch.rows == 3);
  CHECK(batch.length == 4);
  CHECK(batch.tokens == std::vector<std::int64_t>{3, 204, 0, 0, 3, 204, 207, 5, 3, 204, 207, 0});
  const auto I = th::kIgnoreTarget;
  CHECK(batch.targets == std::vector<std::int64_t>{I, 5, I, I, I, I, 5, 9, I, I, 9, I});
  const auto picked = th::encode({atomic, cot, no_cot}, {2, 2});
  CHECK(picked.length == 3);
  CHECK(picked.tokens == std::vector<std::int64_t>{3, 204, 207, 3, 204, 207});
}

TEST_CASE("two_hop batch sampler is uniform with replacement and resumable") {
  th::BatchSampler sampler(0, 10);
  std::vector<int> counts(10, 0);
  const auto state = sampler.state();
  const auto first = sampler.next(256);
  for (auto i : first) ++counts[i];
  for (int n : counts) CHECK(n > 5);
  th::BatchSampler again(0, 10);
  again.set_state(state);
  CHECK(again.next(256) == first);
  CHECK(sampler.next(256) != first);
}

TEST_CASE("two_hop scoring: CoT needs bridge and tail, bridge accuracy ignores the tail") {
  const std::vector<th::TwoHop> items = {{0, 0, 0, 1, 2, 0, 0, false}, {0, 0, 0, 3, 4, 0, 0, false}};
  CHECK(th::cot_accuracy(items, {1, 3}, {2, 0}) == doctest::Approx(0.5));
  CHECK(th::bridge_accuracy(items, {1, 3}) == doctest::Approx(1.0));
  CHECK(th::no_cot_accuracy(items, {2, 4}) == doctest::Approx(1.0));
  CHECK(th::atomic_accuracy({{0, 0, 7, false}}, {207}) == doctest::Approx(0.0));  // a relation token is wrong
  CHECK_THROWS_AS(th::bridge_accuracy(items, {1}), std::invalid_argument);
}

TEST_CASE("two_hop parameter validation names the field, the value and what is allowed") {
  th::Parameters p;
  CHECK(message(p).empty());
  p.out_degree = 21;
  CHECK(message(p) == "two_hop.out_degree = 21: allowed are 1 <= out_degree <= two_hop.relations = 20");
  p = {};
  p.ood_ratio = 1.5;
  CHECK(message(p) == "two_hop.ood_ratio = 1.5: allowed is 0 <= ood_ratio <= 1");
  p = {};
  p.lambda = -1;
  CHECK(message(p) == "two_hop.lambda = -1: allowed is a finite lambda >= 0");
  p = {};
  p.noise = 2;
  CHECK(message(p) == "two_hop.noise = 2: allowed is 0 <= noise <= 1");
  p = {};
  p.num_entities = 0;
  CHECK(message(p) == "two_hop.entities = 0: allowed is >= 1");
  p.num_entities = 1000000;
  CHECK(message(p) == "two_hop.entities = 1000000: allowed is entities * out_degree^2 <= 5e7 (two_hop.out_degree = 10)");
  CHECK_THROWS_WITH_AS(th::parse_noise_target("h"), "two_hop.noise_target = \"h\": allowed are t, b, both",
                       std::invalid_argument);
  CHECK(th::parse_arm("no_cot") == th::Arm::no_cot);
  CHECK_THROWS_AS(th::parse_arm("nocot"), std::invalid_argument);
}

TEST_CASE("two_hop full-scale recipe sizes") {
  th::Parameters p;
  p.num_entities = 2000;
  p.num_relations = 200;
  p.out_degree = 20;
  p.ood_ratio = 0.05;
  const th::Dataset data = th::make_dataset(p);
  CHECK(data.facts.size() == 40000u);
  CHECK(data.ood_facts.size() == 2000u);
  CHECK(data.ood_atomic_probe().size() == 2000u);
  CHECK(data.train_two_hops.size() == 273600u);  // round(7.2 * 38000)
  CHECK(data.both_id.size() + data.both_ood.size() + data.ood_first_only.size() + data.ood_second_only.size() ==
        800000u);
}
