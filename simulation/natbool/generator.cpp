#include <cotdyn/simulation/natbool/generator.hpp>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::simulation::natbool {

namespace {

std::uint64_t input_mask(int m) { return (std::uint64_t{1} << m) - 1; }

int parity(std::uint64_t v) {
  v ^= v >> 32; v ^= v >> 16; v ^= v >> 8; v ^= v >> 4; v ^= v >> 2; v ^= v >> 1;
  return static_cast<int>(v & 1);
}

}  // namespace

// docs/models/natbool.md §1.1
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// docs/models/natbool.md §1.2
std::uint64_t stream_start(std::uint64_t seed, Stream stream) {
  return (seed << 8) | static_cast<std::uint64_t>(stream);
}

Shape parse_shape(const std::string& name) {
  if (name == "balanced") return Shape::balanced;
  if (name == "chain") return Shape::chain;
  throw std::invalid_argument(fmt::format("natbool.shape = \"{}\": allowed are balanced, chain", name));
}

std::string to_string(Shape shape) { return shape == Shape::balanced ? "balanced" : "chain"; }

void validate(const Parameters& p) {
  if (p.m < 2 || p.m > 62)
    throw std::invalid_argument(fmt::format("natbool.m = {}: allowed are 2 <= m <= 62", p.m));
  if (p.r < 2 || p.r > p.m)
    throw std::invalid_argument(fmt::format("natbool.r = {}: allowed are 2 <= r <= m = {}", p.r, p.m));
  if (p.shape != Shape::balanced && p.shape != Shape::chain)
    throw std::invalid_argument(fmt::format("natbool.shape = {}: allowed are balanced, chain",
                                            static_cast<int>(p.shape)));
}

// docs/models/natbool.md §1.3
Dag::Dag(const Parameters& p) : p_(p) {
  validate(p);
  SplitMix64 rng(stream_start(p.seed, Stream::dag));
  // 1. Leaves: the first r steps of a Fisher-Yates shuffle of [0, m).
  std::vector<int> a(p.m);
  std::iota(a.begin(), a.end(), 0);
  for (int i = 0; i < p.r; ++i) {
    const auto j = i + static_cast<int>(rng.below(static_cast<std::uint64_t>(p.m - i)));
    std::swap(a[i], a[j]);
  }
  leaves_.assign(a.begin(), a.begin() + p.r);

  // 2. Gates, in creation order (= level order). Levels of nodes: inputs 0, gates from gates_.
  auto level = [&](int node) { return node < p.m ? 0 : gates_[node - p.m].level; };
  auto new_gate = [&](int u, int v) {
    gates_.push_back(Gate{u, v, GateType::XOR, 1 + std::max(level(u), level(v))});
    return p.m + static_cast<int>(gates_.size()) - 1;
  };
  if (p.shape == Shape::balanced) {
    std::vector<int> cur = leaves_;
    while (cur.size() > 1) {
      std::vector<int> nxt;
      for (std::size_t t = 0; t + 1 < cur.size(); t += 2) nxt.push_back(new_gate(cur[t], cur[t + 1]));
      if (cur.size() % 2 == 1) nxt.push_back(cur.back());  // carried up unchanged
      cur = std::move(nxt);
    }
  } else {
    int g = new_gate(leaves_[0], leaves_[1]);
    for (int i = 2; i < p.r; ++i) g = new_gate(g, leaves_[i]);
  }

  // 3. Types: the top bit of the next G outputs of the same stream.
  for (auto& gate : gates_) {
    gate.type = static_cast<GateType>(rng.next() >> 63);
    xnor_parity_ ^= static_cast<int>(gate.type);
  }
}

std::vector<int> Dag::level_sizes() const {
  std::vector<int> sizes(depth(), 0);
  for (const auto& gate : gates_) ++sizes[gate.level - 1];
  return sizes;
}

std::uint64_t Dag::leaf_mask() const {
  std::uint64_t mask = 0;
  for (int leaf : leaves_) mask |= std::uint64_t{1} << leaf;
  return mask;
}

std::vector<int> Dag::gate_values(std::uint64_t x) const {
  std::vector<int> c(gates_.size());
  auto value = [&](int node) { return node < p_.m ? static_cast<int>((x >> node) & 1) : c[node - p_.m]; };
  for (std::size_t g = 0; g < gates_.size(); ++g)
    c[g] = value(gates_[g].u) ^ value(gates_[g].v) ^ static_cast<int>(gates_[g].type);
  return c;
}

int Dag::answer(std::uint64_t x) const { return parity(x & leaf_mask()) ^ xnor_parity_; }

std::string Dag::gate_list() const {
  auto node = [&](int id) { return id < p_.m ? fmt::format("x{}", id) : fmt::format("g{}", id - p_.m + 1); };
  std::vector<std::string> parts;
  for (std::size_t g = 0; g < gates_.size(); ++g)
    parts.push_back(fmt::format("g{}={}({},{})", g + 1, gates_[g].type == GateType::XOR ? "XOR" : "XNOR",
                                node(gates_[g].u), node(gates_[g].v)));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string Dag::describe() const {
  return fmt::format("m={} r={} seed={} shape={} | leaves=[{}] | {} | D={} level_sizes=[{}]", p_.m, p_.r,
                     p_.seed, to_string(p_.shape), fmt::join(leaves_, ", "), gate_list(), depth(),
                     fmt::join(level_sizes(), ", "));
}

// docs/models/natbool.md §1.4
std::uint64_t HeldOutSet::count(int m) const {
  std::uint64_t n = 0;
  for (std::uint64_t x = 0, end = std::uint64_t{1} << m; x < end; ++x) n += contains(x) ? 1 : 0;
  return n;
}

TrainingStream::TrainingStream(const Parameters& p, std::uint64_t consumed)
    : s0_(stream_start(p.seed, Stream::training)), mask_((validate(p), input_mask(p.m))), consumed_(consumed),
      held_out_(p.seed) {}

std::uint64_t TrainingStream::next() {
  for (;;) {
    const std::uint64_t x = SplitMix64::output(s0_, consumed_++) & mask_;
    if (!held_out_.contains(x)) return x;
  }
}

void TrainingStream::next_batch(int B, std::vector<std::uint64_t>& inputs) {
  if (B < 1) throw std::invalid_argument(fmt::format("natbool batch size B = {}: allowed is B >= 1", B));
  inputs.resize(static_cast<std::size_t>(B));
  for (auto& x : inputs) x = next();
}

std::vector<std::uint64_t> test_inputs(const Parameters& p, int n_test) {
  validate(p);
  if (n_test < 0) throw std::invalid_argument(fmt::format("natbool.n_test = {}: allowed is n_test >= 0", n_test));
  const std::uint64_t s0 = stream_start(p.seed, Stream::test), mask = input_mask(p.m);
  const HeldOutSet held_out(p.seed);
  std::vector<std::uint64_t> inputs;
  inputs.reserve(static_cast<std::size_t>(n_test));
  for (std::uint64_t i = 0; inputs.size() < static_cast<std::size_t>(n_test); ++i) {
    const std::uint64_t x = SplitMix64::output(s0, i) & mask;
    if (held_out.contains(x)) inputs.push_back(x);
  }
  return inputs;
}

// docs/models/natbool.md §2
Regime parse_regime(const std::string& name) {
  if (name == "direct") return Regime::direct;
  if (name == "explicit") return Regime::explicit_cot;
  if (name == "implicit") return Regime::implicit;
  if (name == "aligned") return Regime::aligned;
  throw std::invalid_argument(
      fmt::format("natbool.regime = \"{}\": allowed are direct, explicit, implicit, aligned", name));
}

const std::vector<Regime>& all_regimes() {
  static const std::vector<Regime> regimes = {Regime::direct, Regime::explicit_cot, Regime::implicit, Regime::aligned};
  return regimes;
}

std::string to_string(Regime regime) {
  switch (regime) {
    case Regime::direct: return "direct";
    case Regime::explicit_cot: return "explicit";
    case Regime::implicit: return "implicit";
    case Regime::aligned: return "aligned";
  }
  return "?";
}

Layout make_layout(const Dag& dag, Regime regime) {
  const int m = dag.parameters().m, G = dag.num_gates();
  Layout layout;
  layout.regime = regime;
  switch (regime) {
    case Regime::direct:
      layout.length = m + 1;
      layout.target_positions = {m};
      layout.target_gates = {G};
      layout.pass_lengths = {m + 1};
      break;
    case Regime::explicit_cot:  // [x, SEP, c_1 ... c_{G-1}], position m+g-1 -> c_g
      layout.length = m + G;
      for (int g = 1; g <= G; ++g) {
        layout.target_positions.push_back(m + g - 1);
        layout.target_gates.push_back(g);
        layout.pass_lengths.push_back(m + g);
      }
      break;
    case Regime::implicit:
    case Regime::aligned: {  // [x, SEP, LAT_1 ... LAT_G], pass l adds the n_l gates of level l
      layout.length = m + G + 1;
      if (regime == Regime::implicit) {
        layout.target_positions = {m + G};
        layout.target_gates = {G};
      } else {
        for (int g = 1; g <= G; ++g) {
          layout.target_positions.push_back(m + g);
          layout.target_gates.push_back(g);
        }
      }
      int length = m + 1;
      for (int n : dag.level_sizes()) layout.pass_lengths.push_back(length += n);
      break;
    }
  }
  layout.position_gate.assign(static_cast<std::size_t>(layout.length), 0);
  for (int pos = m + 1; pos < layout.length; ++pos) layout.position_gate[pos] = pos - m;
  return layout;
}

EncodedBatch encode(const Dag& dag, const Layout& layout, const std::vector<std::uint64_t>& inputs) {
  const int m = dag.parameters().m;
  EncodedBatch batch;
  batch.rows = static_cast<int>(inputs.size());
  batch.length = layout.length;
  batch.targets = static_cast<int>(layout.target_gates.size());
  batch.tokens.resize(static_cast<std::size_t>(batch.rows) * batch.length);
  batch.target_values.resize(static_cast<std::size_t>(batch.rows) * batch.targets);
  for (int row = 0; row < batch.rows; ++row) {
    const std::uint64_t x = inputs[row];
    const std::vector<int> c = dag.gate_values(x);
    std::int64_t* tokens = batch.tokens.data() + static_cast<std::size_t>(row) * batch.length;
    for (int i = 0; i < m; ++i) tokens[i] = static_cast<std::int64_t>((x >> i) & 1);
    tokens[m] = kTokenSep;
    for (int pos = m + 1; pos < batch.length; ++pos)
      tokens[pos] = layout.regime == Regime::explicit_cot ? c[pos - m - 1] : kTokenLat;
    std::int64_t* targets = batch.target_values.data() + static_cast<std::size_t>(row) * batch.targets;
    for (int k = 0; k < batch.targets; ++k) targets[k] = c[layout.target_gates[k] - 1];
  }
  return batch;
}

}  // namespace cotdyn::simulation::natbool
