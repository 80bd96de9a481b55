#pragma once
// The registry: one instance of every model, found by model.kind (docs/models.md). The built-in
// models are listed in registry.cpp, one line each; a program may add its own with add_model
// before it reads a config (the test suite adds the linear teacher-student model this way).
#include <functional>
#include <memory>
#include <vector>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/model.hpp>

namespace cotdyn::models {

// Every registered model, built-in ones first.
const std::vector<const Model*>& all_models();

// Registers a model and its default config sections; throws std::invalid_argument if its name is taken.
void add_model(std::unique_ptr<Model> model);

// The model named by model.kind; std::invalid_argument names the value and the registered models.
const Model& model_for(const core::Config& config);
const Model& model_named(const std::string& name);

// The config of a run: the embedded defaults, the chosen model's defaults of generic keys
// (Model::generic_defaults()), then the user's settings (`user`: a config file, --set assignments),
// which come last and so win. `user` is applied once to find model.kind and once more on top.
core::Config resolve_config(const std::function<void(core::Config&)>& user);

}  // namespace cotdyn::models
