#include <cotdyn/models/registry.hpp>

#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/committee/model.hpp>
#include <cotdyn/models/entropy/model.hpp>
#include <cotdyn/models/state_tracking/model.hpp>
#include <cotdyn/models/tree/model.hpp>
#include <cotdyn/models/natbool/model.hpp>
#include <cotdyn/models/two_hop/model.hpp>

namespace cotdyn::models {

namespace {

struct Registry {
  std::vector<std::unique_ptr<Model>> owned;
  std::vector<const Model*> models;
};

void insert(Registry& registry, std::unique_ptr<Model> model) {
  for (const Model* m : registry.models)
    if (m->name() == model->name())
      throw std::invalid_argument(fmt::format("a model named '{}' is registered already", model->name()));
  if (const std::string sections = model->default_sections(); !sections.empty()) core::add_default_sections(sections);
  registry.models.push_back(model.get());
  registry.owned.push_back(std::move(model));
}

std::mutex registry_mutex;

Registry& registry() {
  static Registry r = [] {
    Registry built_in;
    // The built-in models, one line each (docs/models.md, "Adding a model").
    insert(built_in, std::make_unique<state_tracking::StateTrackingModel>());
    insert(built_in, std::make_unique<committee::CommitteeModel>());
    insert(built_in, std::make_unique<tree::TreeModel>());
    insert(built_in, std::make_unique<natbool::NatboolModel>());
    insert(built_in, std::make_unique<two_hop::TwoHopModel>());
    insert(built_in, std::make_unique<entropy::EntropyModel>());
    return built_in;
  }();
  return r;
}

// Every Config made in a program that uses the registry knows the registered models' keys.
const bool sections_loader_installed = (core::set_default_sections_loader([] { all_models(); }), true);

}  // namespace

const std::vector<const Model*>& all_models() { return registry().models; }

void add_model(std::unique_ptr<Model> model) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  insert(registry(), std::move(model));
}

const Model& model_named(const std::string& name) {
  std::string known;
  for (const Model* m : all_models()) {
    if (m->name() == name) return *m;
    known += (known.empty() ? "\"" : ", \"") + m->name() + "\"";
  }
  throw std::invalid_argument(fmt::format("model.kind = \"{}\": not a registered model (registered: {}; `cotdyn models` lists them)",
                                          name, known));
}

const Model& model_for(const core::Config& config) { return model_named(config.get_string("model.kind")); }

core::Config resolve_config(const std::function<void(core::Config&)>& user) {
  all_models();
  core::Config config;
  user(config);
  const Model& model = model_for(config);
  const auto defaults = model.generic_defaults();
  core::Config resolved;
  for (const auto& assignment : defaults) resolved.apply_set(assignment);
  const core::Config before_user = resolved;
  user(resolved);
  // Keys the model derives from its own (Model::derived_keys): the user may not set them.
  for (const auto& derived : model.derived_keys(resolved)) {
    const std::string key = derived.assignment.substr(0, derived.assignment.find('='));
    const std::string mine = core::describe(resolved.get(key)), theirs = core::describe(before_user.get(key));
    if (mine != theirs)
      throw std::invalid_argument(fmt::format("{} = {}: model.kind = \"{}\" sets it from {}; set that instead", key, mine,
                                              model.name(), derived.rule));
    resolved.apply_set(derived.assignment);
  }
  return resolved;
}

}  // namespace cotdyn::models
