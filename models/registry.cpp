#include <cotdyn/models/registry.hpp>

#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include <cotdyn/models/committee/model.hpp>
#include <cotdyn/models/state_tracking/model.hpp>
#include <cotdyn/models/tree/model.hpp>

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
  const auto defaults = model_for(config).generic_defaults();
  if (defaults.empty()) return config;
  core::Config resolved;
  for (const auto& assignment : defaults) resolved.apply_set(assignment);
  user(resolved);
  return resolved;
}

}  // namespace cotdyn::models
