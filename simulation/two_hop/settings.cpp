#include <cotdyn/simulation/two_hop/settings.hpp>

#include <cmath>
#include <string>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/simulation/two_hop/dataset_directory.hpp>

namespace cotdyn::simulation::two_hop {

const std::vector<Arm>& all_arms() {
  static const std::vector<Arm> arms = {Arm::cot, Arm::no_cot};
  return arms;
}

const std::vector<std::string>& bypass_positions(Arm arm) {
  static const std::vector<std::string> cot = {"r2", "b"}, no_cot = {"r2"};
  return arm == Arm::cot ? cot : no_cot;
}

std::string bypass_column(const std::string& position, Arm arm, int block) {
  return fmt::format("bypass_{}_{}_{}", position, to_string(arm), block);
}

std::vector<std::string> column_names(const TwoHopSettings& settings) {
  std::vector<std::string> names;
  for (Arm arm : all_arms()) {
    const std::string a = to_string(arm);
    names.push_back("loss_" + a);
    for (const auto& probe : probe_names()) names.push_back(probe + "_" + a);
    names.push_back("bridge_ood_" + a);
    for (int l = 0; l <= settings.layers; ++l) names.push_back(fmt::format("lens_b_r1_{}_{}", a, l));
    for (int l = 0; l <= settings.layers; ++l) names.push_back(fmt::format("lens_b_r2_{}_{}", a, l));
    if (arm == Arm::cot)
      for (int l = 0; l <= settings.layers; ++l) names.push_back(fmt::format("lens_t_b_{}_{}", a, l));
  }
  for (Arm arm : all_arms())
    for (const auto& position : bypass_positions(arm))
      for (int l = 1; l <= settings.layers; ++l) names.push_back(bypass_column(position, arm, l));
  return names;
}

transformer::TransformerSettings TwoHopSettings::network(int vocabulary, bool end_token) const {
  transformer::TransformerSettings s;
  s.members = seeds;
  s.vocabulary = vocabulary;
  s.d = width;
  s.heads = heads;
  s.layers = layers;
  s.positions = end_token ? 5 : 4;
  s.outputs = 0;  // tied unembedding
  return s;
}

transformer::OptimizerSettings TwoHopSettings::optimizer() const {
  transformer::OptimizerSettings s;
  s.lr = lr;
  s.weight_decay = weight_decay;
  s.warmup_steps = warmup;
  s.clip_norm = clip_norm;
  return s;
}

std::vector<std::uint64_t> TwoHopSettings::member_seeds() const {
  std::vector<std::uint64_t> out;
  for (int e = 0; e < seeds; ++e) out.push_back(base_seed + std::uint64_t(e));
  return out;
}

void validate(const TwoHopSettings& s) {
  if (s.dataset.empty()) {
    validate(s.task);
    if (!(s.task.ood_ratio > 0 && s.task.ood_ratio < 1))
      throw std::invalid_argument(fmt::format(
          "two_hop.ood_ratio = {}: allowed is 0 < ood_ratio < 1 (the experiment needs ID and OOD facts)", s.task.ood_ratio));
  }
  auto require = [](bool ok, const char* key, double value, const std::string& allowed) {
    if (!ok) throw std::invalid_argument(fmt::format("{} = {}: allowed is {}", key, value, allowed));
  };
  require(s.width >= 2 && s.width <= 1024, "two_hop.width", s.width, "2 <= width <= 1024");
  require(s.heads >= 1 && s.width % s.heads == 0, "two_hop.heads", s.heads,
          fmt::format("a divisor of two_hop.width = {}", s.width));
  require(s.layers >= 1 && s.layers <= 16, "two_hop.layers", s.layers, "1 <= layers <= 16");
  require(s.batch >= 1 && s.batch <= 65536, "two_hop.batch", s.batch, "1 <= batch <= 65536");
  require(std::isfinite(s.lr) && s.lr > 0 && s.lr <= 1, "two_hop.lr", s.lr, "0 < lr <= 1");
  require(s.eval_every >= 1, "two_hop.eval_every", double(s.eval_every), ">= 1");
  require(s.steps >= 1 && s.steps <= 100000000, "two_hop.steps", double(s.steps), "1 <= steps <= 1e8");
  require(s.warmup >= 0, "two_hop.warmup", double(s.warmup), ">= 0");
  require(std::isfinite(s.weight_decay) && s.weight_decay >= 0 && s.weight_decay < 1, "two_hop.weight_decay",
          s.weight_decay, "0 <= weight_decay < 1");
  require(std::isfinite(s.clip_norm) && s.clip_norm >= 0, "two_hop.clip_norm", s.clip_norm, ">= 0 (0 = no clipping)");
  require(s.lens_items >= 1 && s.lens_items <= 100000, "two_hop.lens_items", s.lens_items, "1 <= lens_items <= 1e5");
  require(s.seeds >= 1 && s.seeds <= 1024, "train.seeds", s.seeds, "1 <= train.seeds <= 1024");
}

TaskData task_data(const TwoHopSettings& settings) {
  if (!settings.dataset.empty()) return read_dataset_directory(settings.dataset);
  Parameters p = settings.task;
  p.seed = settings.base_seed;
  const Dataset data = make_dataset(p);
  // docs/models/two_hop.md §1.4: the generator caps n_tr at the both-ID pool less min_test_id; the
  // experiment refuses a λ beyond it rather than train on fewer two-hops than asked.
  const double pool = double(data.both_id.size()) - double(std::min<std::size_t>(data.both_id.size(), p.min_test_id));
  const double ids = double(data.id_facts.size());
  if (std::llround(p.lambda * ids) > std::llround(pool))
    throw std::invalid_argument(fmt::format(
        "two_hop.lambda = {}: allowed is lambda <= {:.3f} for this graph (two_hop.entities = {}, two_hop.out_degree = "
        "{}: {} both-ID two-hops less the {} kept for test_inferred_iid, over {} ID facts); raise two_hop.out_degree "
        "or two_hop.entities for a larger pool",
        p.lambda, ids > 0 ? pool / ids : 0.0, p.num_entities, p.out_degree, data.both_id.size(), p.min_test_id,
        data.id_facts.size()));
  return generated_task(data);
}

}  // namespace cotdyn::simulation::two_hop
