#pragma once
// The NatBool-DAG task (docs/models/natbool.md): a hidden XOR/XNOR tree over r of m input bits, its
// SplitMix64 streams, held-out set, training and test inputs (§1, bit-exact) and the token layouts of
// the four regimes (§2). Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace cotdyn::simulation::natbool {

// ---- SplitMix64 (docs/models/natbool.md §1.1) ----

std::uint64_t mix64(std::uint64_t z);

class SplitMix64 {
 public:
  static constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t next() { return mix64(state_ += kGamma); }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // plain modulo, as the contract says
  std::uint64_t state() const { return state_; }
  // The i-th output (i = 0, 1, ...) of a stream that starts in state s0: mix64(s0 + (i+1) gamma).
  static std::uint64_t output(std::uint64_t s0, std::uint64_t i) { return mix64(s0 + (i + 1) * kGamma); }

 private:
  std::uint64_t state_;
};

// Each (seed, purpose) has its own stream starting in state (seed << 8) | id (§1.2).
enum class Stream : std::uint64_t { dag = 1, training = 2, test = 3 };
std::uint64_t stream_start(std::uint64_t seed, Stream stream);

// ---- Parameters (§1) ----

enum class Shape { balanced, chain };
Shape parse_shape(const std::string& name);  // throws std::invalid_argument naming natbool.shape
std::string to_string(Shape shape);

struct Parameters {
  int m = 12;                      // input bits, 2 <= m <= 62
  int r = 4;                       // interaction order = number of leaves, 2 <= r <= m
  Shape shape = Shape::balanced;
  std::uint64_t seed = 0;          // instance (= ensemble member) seed
};
// Throws std::invalid_argument naming the field, its value and the allowed range.
void validate(const Parameters& p);

// ---- The DAG (§1.3) ----

enum class GateType : std::uint8_t { XOR = 0, XNOR = 1 };

// Node ids: input i is node i, gate g (1-based, creation order) is node m + g - 1.
struct Gate {
  int u = 0, v = 0;  // operand node ids
  GateType type = GateType::XOR;
  int level = 1;     // 1 + max(level(u), level(v)), inputs have level 0
};

class Dag {
 public:
  explicit Dag(const Parameters& p);  // validates p

  const Parameters& parameters() const { return p_; }
  int num_gates() const { return static_cast<int>(gates_.size()); }  // G = r - 1
  int depth() const { return gates_.back().level; }                  // D = level of the output gate
  const std::vector<int>& leaves() const { return leaves_; }         // in draw order
  const std::vector<Gate>& gates() const { return gates_; }          // gate g is gates()[g - 1]
  std::vector<int> level_sizes() const;                              // n_1 ... n_D
  std::uint64_t leaf_mask() const;                                   // bit i set iff input i is a leaf

  // c_1 ... c_G of input x (c_G = y), evaluated gate by gate.
  std::vector<int> gate_values(std::uint64_t x) const;
  // y = parity(x & leaf_mask) ^ parity(number of XNOR gates): the tree evaluated in closed form.
  int answer(std::uint64_t x) const;

  // "g1=XOR(x5,x9); g2=XNOR(x2,x0); g3=XNOR(g1,g2)" (x_i = input node i, g_j = gate node m + j - 1).
  std::string gate_list() const;
  // "m=12 r=4 seed=0 shape=balanced | leaves=[5, 9, 2, 0] | <gate_list> | D=2 level_sizes=[2, 1]".
  std::string describe() const;

 private:
  Parameters p_;
  std::vector<int> leaves_;
  std::vector<Gate> gates_;
  int xnor_parity_ = 0;
};

// ---- Inputs (§1.4): an input is x in [0, 2^m), bit i is the token at position i ----

// H(seed): x is held out iff (mix64(x ^ salt) >> 61) == 0, salt = mix64(0x5851F42D4C957F2D ^ seed).
class HeldOutSet {
 public:
  static constexpr std::uint64_t kSaltKey = 0x5851F42D4C957F2DULL;
  explicit HeldOutSet(std::uint64_t seed) : salt_(mix64(kSaltKey ^ seed)) {}
  bool contains(std::uint64_t x) const { return (mix64(x ^ salt_) >> 61) == 0; }
  std::uint64_t salt() const { return salt_; }
  std::uint64_t count(int m) const;  // |H ∩ [0, 2^m)|, by enumerating all 2^m inputs

 private:
  std::uint64_t salt_;
};

// The training inputs: candidates (i-th output of stream 2) & (2^m - 1), i = 0, 1, ..., with the
// held-out ones skipped. Training step t uses kept candidates tB ... tB + B - 1 (call next_batch(B)
// once per step). `consumed` resumes after that many candidates (a checkpoint stores consumed()).
class TrainingStream {
 public:
  explicit TrainingStream(const Parameters& p, std::uint64_t consumed = 0);
  std::uint64_t next();                                        // the next kept candidate
  void next_batch(int B, std::vector<std::uint64_t>& inputs);  // resizes to B
  std::uint64_t consumed() const { return consumed_; }         // candidates drawn so far

 private:
  std::uint64_t s0_, mask_, consumed_;
  HeldOutSet held_out_;
};

// The first n_test candidates of stream 3 that are in H (duplicates kept).
std::vector<std::uint64_t> test_inputs(const Parameters& p, int n_test);

// ---- Token layouts of the four regimes (§2) ----

enum class Regime { direct, explicit_cot, implicit, aligned };
Regime parse_regime(const std::string& name);  // direct, explicit, implicit, aligned
std::string to_string(Regime regime);
// direct, explicit, implicit, aligned: every regime, in this order.
const std::vector<Regime>& all_regimes();

inline constexpr int kTokenZero = 0, kTokenOne = 1, kTokenSep = 2, kTokenLat = 3, kVocabularySize = 4;

// The input-independent part of a regime's sequences for one DAG. Positions 0 ... m-1 hold the input
// bits and position m holds SEP; in (b) position m+g holds the token c_g (g < G), in (c, d) position
// m+g holds LAT, to be replaced by the latent t_g of gate g.
struct Layout {
  Regime regime = Regime::direct;
  int length = 0;                     // tokens per sequence
  std::vector<int> target_positions;  // supervised output positions, in target order
  std::vector<int> target_gates;      // the gate g whose value c_g each target is (G = the answer)
  std::vector<int> position_gate;     // per position: the gate whose token or latent it holds, 0 = prompt
  // Sequential forward passes per answer and the number of positions each one runs on:
  // direct [m+1]; explicit (greedy) [m+1, ..., m+G]; implicit/aligned [m+1+n_1, ..., m+1+n_1+...+n_D].
  std::vector<int> pass_lengths;
  int sequential_steps() const { return static_cast<int>(pass_lengths.size()); }
};
Layout make_layout(const Dag& dag, Regime regime);

// Row-major token ids [rows, length] and target bits [rows, targets] of a batch of inputs.
struct EncodedBatch {
  int rows = 0, length = 0, targets = 0;
  std::vector<std::int64_t> tokens;
  std::vector<std::int64_t> target_values;
};
EncodedBatch encode(const Dag& dag, const Layout& layout, const std::vector<std::uint64_t>& inputs);

}  // namespace cotdyn::simulation::natbool
