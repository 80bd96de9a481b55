// The NatBool-DAG generator (docs/models/natbool.md): every line of the bit-exact test vectors, the
// Walsh spectrum of the answer, the held-out split and the token layouts.
#include <cotdyn/simulation/natbool/generator.hpp>

#include <doctest/doctest.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace nb = cotdyn::simulation::natbool;

namespace {

template <class T>
std::string list(const std::vector<T>& values) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
  out << ']';
  return out.str();
}

std::string hex(std::uint64_t v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%016" PRIx64, v);
  return buffer;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// The test-vector header "m=12 r=4 seed=0 shape=balanced | ..." as parameters.
nb::Parameters parse_header(const std::string& line) {
  int m = 0, r = 0;
  unsigned long long seed = 0;
  char shape[16] = {};
  REQUIRE(std::sscanf(line.c_str(), "m=%d r=%d seed=%llu shape=%15s", &m, &r, &seed, shape) == 4);
  return nb::Parameters{m, r, nb::parse_shape(shape), seed};
}

// Both lines after the header, generated from the parameters.
std::pair<std::string, std::string> data_lines(const nb::Parameters& p) {
  const nb::Dag dag(p);
  nb::TrainingStream stream(p);
  std::vector<std::uint64_t> first8;
  std::vector<int> answers;
  std::uint64_t sum = 0;
  for (int k = 0; k < 1000; ++k) {
    const std::uint64_t x = stream.next();
    sum += x;
    if (k < 8) {
      first8.push_back(x);
      answers.push_back(dag.answer(x));
    }
  }
  std::ostringstream train, test;
  train << "    train[0..7]=" << list(first8) << " answers=" << list(answers) << " | sum(train[0..999])=" << sum
        << " candidates_consumed(1000 kept)=" << stream.consumed();
  test << "    test[0..7]=" << list(nb::test_inputs(p, 8))
       << " | held-out count over all 2^m inputs=" << nb::HeldOutSet(p.seed).count(p.m);
  return {train.str(), test.str()};
}

// In-place Walsh-Hadamard transform (unnormalised): w[S] = sum_x f(x) (-1)^{|x & S|}.
void walsh_hadamard(std::vector<std::int64_t>& f) {
  for (std::size_t h = 1; h < f.size(); h *= 2)
    for (std::size_t i = 0; i < f.size(); i += 2 * h)
      for (std::size_t j = i; j < i + h; ++j) {
        const std::int64_t a = f[j], b = f[j + h];
        f[j] = a + b;
        f[j + h] = a - b;
      }
}

}  // namespace

TEST_CASE("natbool SplitMix64 and mix64 reproduce the first two test-vector lines") {
  const auto lines = read_lines(COTDYN_SOURCE_DIR "/tests/simulation/natbool/testvectors.txt");
  REQUIRE(lines.size() == 2 + 3 * 17);
  nb::SplitMix64 rng(0);
  const std::uint64_t o0 = rng.next(), o1 = rng.next(), o2 = rng.next();
  CHECK(lines[0] == "splitmix64 state0=0 outputs 1..3: " + hex(o0) + " " + hex(o1) + " " + hex(o2));
  CHECK(lines[1] == "mix64(0x5851F42D4C957F2D ^ 0) = " + hex(nb::mix64(0x5851F42D4C957F2DULL ^ 0)));
  CHECK(o0 == 0xe220a8397b1dcdafULL);
  // Counter form: output i of the stream from s0 is mix64(s0 + (i+1) gamma).
  for (std::uint64_t i = 0; i < 3; ++i) CHECK(nb::SplitMix64::output(0, i) == (i == 0 ? o0 : i == 1 ? o1 : o2));
}

TEST_CASE("natbool every test-vector case reproduces line by line") {
  const auto lines = read_lines(COTDYN_SOURCE_DIR "/tests/simulation/natbool/testvectors.txt");
  int cases = 0;
  for (std::size_t k = 2; k + 2 < lines.size(); k += 3) {
    const nb::Parameters p = parse_header(lines[k]);
    CAPTURE(lines[k]);
    CHECK(nb::Dag(p).describe() == lines[k]);
    const auto [train, test] = data_lines(p);
    CHECK(train == lines[k + 1]);
    CHECK(test == lines[k + 2]);
    ++cases;
  }
  CHECK(cases == 17);
}

TEST_CASE("natbool the documented example m 12 r 4 seed 0") {
  const nb::Parameters p{12, 4, nb::Shape::balanced, 0};
  const nb::Dag dag(p);
  CHECK(dag.leaves() == std::vector<int>{5, 9, 2, 0});
  CHECK(dag.gate_list() == "g1=XOR(x5,x9); g2=XNOR(x2,x0); g3=XNOR(g1,g2)");
  CHECK(dag.depth() == 2);
  nb::TrainingStream stream(p);
  std::vector<std::uint64_t> batch;
  stream.next_batch(8, batch);
  CHECK(batch == std::vector<std::uint64_t>{1742, 815, 1636, 691, 1414, 1411, 3327, 2156});
  std::vector<int> answers;
  for (auto x : batch) answers.push_back(dag.answer(x));
  CHECK(answers == std::vector<int>{0, 0, 1, 1, 1, 1, 1, 0});
  CHECK(nb::test_inputs(p, 8) == std::vector<std::uint64_t>{3329, 2502, 3920, 463, 4081, 3937, 3811, 1672});
}

TEST_CASE("natbool exactly one Walsh coefficient of modulus 1 at the leaf set and balanced gates") {
  struct Case { int m, r; };
  const std::vector<Case> grid = {{2, 2}, {5, 3}, {6, 5}, {8, 7}, {12, 2}, {12, 3}, {12, 4},
                                  {12, 5}, {12, 6}, {12, 8}, {12, 12}, {16, 8}};
  int checked = 0;
  for (const auto& [m, r] : grid)
    for (std::uint64_t seed : {0, 1, 2, 7})
      for (auto shape : {nb::Shape::balanced, nb::Shape::chain}) {
        const nb::Dag dag({m, r, shape, seed});
        CAPTURE(dag.describe());
        const std::size_t N = std::size_t{1} << m;
        std::vector<std::int64_t> f(N);
        std::vector<std::int64_t> ones(static_cast<std::size_t>(dag.num_gates()), 0);
        for (std::size_t x = 0; x < N; ++x) {
          const auto c = dag.gate_values(x);
          REQUIRE(c.back() == dag.answer(x));
          for (std::size_t g = 0; g < c.size(); ++g) ones[g] += c[g];
          f[x] = 1 - 2 * c.back();
        }
        walsh_hadamard(f);
        int nonzero = 0;
        for (std::size_t S = 0; S < N; ++S)
          if (f[S] != 0) {
            ++nonzero;
            CHECK(S == dag.leaf_mask());
            CHECK(std::llabs(f[S]) == static_cast<long long>(N));  // |coefficient| = 1 after 1/2^m
          }
        CHECK(nonzero == 1);
        for (auto n : ones) CHECK(2 * n == static_cast<std::int64_t>(N));
        ++checked;
      }
  CHECK(checked == 12 * 4 * 2);
}

TEST_CASE("natbool DAG structure: levels, depth, nesting and a seed-independent layout") {
  const std::vector<std::vector<int>> balanced = {{1}, {1, 1}, {2, 1}, {2, 1, 1}, {3, 1, 1}, {3, 2, 1}, {4, 2, 1}};
  for (int r = 2; r <= 8; ++r) {
    const nb::Dag b({12, r, nb::Shape::balanced, 0}), c({12, r, nb::Shape::chain, 0});
    CHECK(b.num_gates() == r - 1);
    CHECK(b.level_sizes() == balanced[r - 2]);
    CHECK(b.depth() == static_cast<int>(std::ceil(std::log2(r))));
    CHECK(c.depth() == r - 1);
    CHECK(c.level_sizes() == std::vector<int>(r - 1, 1));
    for (std::size_t g = 1; g < b.gates().size(); ++g) CHECK(b.gates()[g - 1].level <= b.gates()[g].level);
    // Leaves are nested in r for one seed.
    const nb::Dag smaller({12, r - 1 < 2 ? 2 : r - 1, nb::Shape::balanced, 0});
    for (std::size_t i = 0; i < smaller.leaves().size(); ++i) CHECK(smaller.leaves()[i] == b.leaves()[i]);
    // Operand pattern (leaf slots and gates) and levels depend on (r, shape) only.
    for (std::uint64_t seed : {1, 2, 5}) {
      const nb::Dag other({12, r, nb::Shape::balanced, seed});
      auto slot = [](const nb::Dag& d, int node) {
        if (node >= d.parameters().m) return 1000 + node;
        for (std::size_t i = 0; i < d.leaves().size(); ++i)
          if (d.leaves()[i] == node) return static_cast<int>(i);
        return -1;
      };
      for (std::size_t g = 0; g < b.gates().size(); ++g) {
        CHECK(slot(b, b.gates()[g].u) == slot(other, other.gates()[g].u));
        CHECK(slot(b, b.gates()[g].v) == slot(other, other.gates()[g].v));
        CHECK(b.gates()[g].level == other.gates()[g].level);
      }
    }
  }
}

TEST_CASE("natbool training and test streams: disjoint, resumable, deterministic") {
  const nb::Parameters p{12, 4, nb::Shape::balanced, 1};
  const nb::HeldOutSet held_out(p.seed);
  nb::TrainingStream a(p);
  std::vector<std::uint64_t> first, second;
  a.next_batch(128, first);
  const std::uint64_t consumed = a.consumed();
  a.next_batch(128, second);
  nb::TrainingStream resumed(p, consumed);
  std::vector<std::uint64_t> again;
  resumed.next_batch(128, again);
  CHECK(again == second);
  for (auto x : first) CHECK_FALSE(held_out.contains(x));
  for (auto x : nb::test_inputs(p, 256)) {
    CHECK(held_out.contains(x));
    CHECK(x < 4096);
  }
  CHECK(nb::test_inputs(p, 256) == nb::test_inputs(p, 256));
  CHECK(nb::test_inputs(p, 0).empty());
  CHECK(nb::stream_start(3, nb::Stream::test) == ((3u << 8) | 3u));
}

TEST_CASE("natbool parameter validation names the field, the value and the allowed range") {
  auto message = [](nb::Parameters p) {
    try {
      nb::validate(p);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message({12, 4, nb::Shape::balanced, 0}).empty());
  CHECK(message({1, 2, nb::Shape::balanced, 0}) == "natbool.m = 1: allowed are 2 <= m <= 62");
  CHECK(message({63, 2, nb::Shape::balanced, 0}) == "natbool.m = 63: allowed are 2 <= m <= 62");
  CHECK(message({12, 13, nb::Shape::balanced, 0}) == "natbool.r = 13: allowed are 2 <= r <= m = 12");
  CHECK(message({12, 1, nb::Shape::balanced, 0}) == "natbool.r = 1: allowed are 2 <= r <= m = 12");
  CHECK_THROWS_WITH_AS(nb::parse_shape("tree"), "natbool.shape = \"tree\": allowed are balanced, chain",
                       std::invalid_argument);
  CHECK_THROWS_AS(nb::parse_regime("latent"), std::invalid_argument);
  CHECK_THROWS_AS(nb::Dag({12, 20, nb::Shape::chain, 0}), std::invalid_argument);
  CHECK_THROWS_AS(nb::TrainingStream({70, 2, nb::Shape::chain, 0}), std::invalid_argument);
  CHECK_THROWS_AS(nb::test_inputs({12, 2, nb::Shape::chain, 0}, -1), std::invalid_argument);
  CHECK(nb::parse_shape("chain") == nb::Shape::chain);
  for (auto regime : {nb::Regime::direct, nb::Regime::explicit_cot, nb::Regime::implicit, nb::Regime::aligned})
    CHECK(nb::parse_regime(nb::to_string(regime)) == regime);
}

TEST_CASE("natbool token layouts of the four regimes") {
  const nb::Dag dag({12, 4, nb::Shape::balanced, 0});  // G = 3, D = 2, levels [2, 1]
  const std::uint64_t x = 1742;
  const auto c = dag.gate_values(x);  // c_1, c_2, c_3 = y
  std::vector<std::int64_t> bits;
  for (int i = 0; i < 12; ++i) bits.push_back((x >> i) & 1);
  auto tokens_with = [&](std::vector<std::int64_t> tail) {
    auto t = bits;
    t.push_back(nb::kTokenSep);
    t.insert(t.end(), tail.begin(), tail.end());
    return t;
  };

  SUBCASE("direct") {
    const auto layout = nb::make_layout(dag, nb::Regime::direct);
    const auto batch = nb::encode(dag, layout, {x});
    CHECK(batch.tokens == tokens_with({}));
    CHECK(layout.target_positions == std::vector<int>{12});
    CHECK(batch.target_values == std::vector<std::int64_t>{c[2]});
    CHECK(layout.sequential_steps() == 1);
  }
  SUBCASE("explicit") {
    const auto layout = nb::make_layout(dag, nb::Regime::explicit_cot);
    const auto batch = nb::encode(dag, layout, {x});
    CHECK(batch.tokens == tokens_with({c[0], c[1]}));
    CHECK(layout.target_positions == std::vector<int>{12, 13, 14});
    CHECK(batch.target_values == std::vector<std::int64_t>{c[0], c[1], c[2]});
    CHECK(layout.pass_lengths == std::vector<int>{13, 14, 15});
    CHECK(layout.position_gate[13] == 1);
    CHECK(layout.sequential_steps() == 3);
  }
  SUBCASE("implicit and aligned") {
    const auto implicit = nb::make_layout(dag, nb::Regime::implicit);
    const auto aligned = nb::make_layout(dag, nb::Regime::aligned);
    const auto lat = nb::kTokenLat;
    CHECK(nb::encode(dag, implicit, {x}).tokens == tokens_with({lat, lat, lat}));
    CHECK(implicit.target_positions == std::vector<int>{15});
    CHECK(aligned.target_positions == std::vector<int>{13, 14, 15});
    CHECK(aligned.target_gates == std::vector<int>{1, 2, 3});
    CHECK(nb::encode(dag, aligned, {x}).target_values == std::vector<std::int64_t>{c[0], c[1], c[2]});
    CHECK(implicit.pass_lengths == std::vector<int>{15, 16});  // m+1+n_1, m+1+n_1+n_2
    CHECK(aligned.position_gate == std::vector<int>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
  }
  SUBCASE("sequential steps and speedup") {
    for (int r : {4, 6}) {
      const nb::Dag d({12, r, nb::Shape::balanced, 0});
      const int G = nb::make_layout(d, nb::Regime::explicit_cot).sequential_steps();
      const int D = nb::make_layout(d, nb::Regime::aligned).sequential_steps();
      CHECK(G == r - 1);
      CHECK(D == (r == 4 ? 2 : 3));
    }
    const nb::Dag r2({12, 2, nb::Shape::balanced, 0});
    const auto layout = nb::make_layout(r2, nb::Regime::aligned);  // one pass on [x, SEP, LAT]
    CHECK(layout.length == 14);
    CHECK(layout.target_positions == std::vector<int>{13});
    CHECK(layout.pass_lengths == std::vector<int>{14});
  }
  SUBCASE("a batch is row-major") {
    const auto layout = nb::make_layout(dag, nb::Regime::explicit_cot);
    const auto batch = nb::encode(dag, layout, {x, 815});
    CHECK(batch.rows == 2);
    CHECK(batch.tokens.size() == 2u * 15u);
    CHECK(batch.target_values[3 + 2] == dag.answer(815));
  }
}
