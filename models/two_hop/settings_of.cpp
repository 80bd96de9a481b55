#include <cotdyn/models/two_hop/settings_of.hpp>

#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include <cotdyn/models/schedule.hpp>

namespace cotdyn::models::two_hop {

namespace sim = simulation::two_hop;

sim::TwoHopSettings settings_of(const core::Config& config) {
  sim::TwoHopSettings s;
  s.task.num_entities = config.get_int("two_hop.entities");
  s.task.num_relations = config.get_int("two_hop.relations");
  s.task.out_degree = config.get_int("two_hop.out_degree");
  s.task.ood_ratio = config.get_number("two_hop.ood_ratio");
  s.task.lambda = config.get_number("two_hop.lambda");
  const double noise_t = config.get_number("two_hop.noise_t"), noise_b = config.get_number("two_hop.noise_b");
  for (const auto& [key, value] : {std::pair{"two_hop.noise_t", noise_t}, std::pair{"two_hop.noise_b", noise_b}})
    if (!(value >= 0 && value <= 1))
      throw std::invalid_argument(fmt::format("{} = {}: allowed is 0 <= {} <= 1", key, value, key));
  if (noise_t > 0 && noise_b > 0 && noise_t != noise_b)
    throw std::invalid_argument(fmt::format(
        "two_hop.noise_b = {} with two_hop.noise_t = {}: allowed is one of them 0, or both equal (t and b replaced "
        "together)", noise_b, noise_t));
  s.task.noise = noise_t > 0 ? noise_t : noise_b;
  s.task.noise_target = noise_t > 0 && noise_b > 0 ? sim::NoiseTarget::both
                        : noise_b > 0              ? sim::NoiseTarget::b
                                                   : sim::NoiseTarget::t;
  s.dataset = config.get_string("two_hop.dataset");
  s.layers = config.get_int("two_hop.layers");
  s.width = config.get_int("two_hop.width");
  s.heads = config.get_int("two_hop.heads");
  s.steps = config.get_integer("two_hop.steps");
  s.eval_every = config.get_integer("two_hop.eval_every");
  s.batch = config.get_int("two_hop.batch");
  s.lr = config.get_number("two_hop.lr");
  s.warmup = config.get_integer("two_hop.warmup");
  s.weight_decay = config.get_number("two_hop.weight_decay");
  s.clip_norm = config.get_number("two_hop.clip_norm");
  s.lens_items = config.get_int("two_hop.lens_items");
  s.seeds = config.get_int("train.seeds");
  s.base_seed = base_seed(config);
  sim::validate(s);
  return s;
}

}  // namespace cotdyn::models::two_hop
