#pragma once
// A sweep file (TOML) turned into a plan: the kind of point, the base config, and the axes whose
// values are combined (outer product or zip) into points. Each point is the base config with one
// value per axis set at its dotted key.
//
//   kind = "theory"                    # "theory" | "simulate" | "compare"
//   base = "config.toml"               # optional, relative to the sweep file; default: embedded config
//   combine = "product"                # or "zip" (all axes of equal length)
//   trajectories = false               # optional; default: kept up to max_points_with_trajectories points
//   [set]                              # optional: keys set on the base for every point (under --set)
//   "theory.rtol" = 1e-6
//   [axes]
//   "train.eta_A" = { log = [0.5, 8, 5] }
//   "model.sigma2" = { values = [1e-3, 1e-2] }
//   "task.L" = { linear = [5, 9, 3] }
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <cotdyn/core/config.hpp>

namespace cotdyn::sweep {

enum class SweepKind { theory, simulate, compare };
enum class Combine { product, zip };
enum class AxisScale { values, linear, log };

std::string to_string(SweepKind kind);
std::string to_string(Combine combine);
std::string to_string(AxisScale scale);

struct Axis {
  std::string key;          // dotted config key, e.g. "train.eta_A"
  AxisScale scale = AxisScale::values;
  toml::array values;       // scalars (numbers, strings, booleans), in sweep order
};

// A sweep without `trajectories` in its file keeps each point's trajectory table when it has at most
// this many points (10^4 points keep about 100 MB of tables; 10^6 would keep about 10 GB).
inline constexpr std::size_t max_points_with_trajectories = 10000;

// Index of each axis' value at point `point`, given each axis' number of values (product: the last
// axis varies fastest; zip: the point's own index on every axis).
std::vector<std::size_t> value_indices(Combine combine, const std::vector<std::size_t>& axis_sizes, std::size_t point);

struct SweepPlan {
  SweepKind kind = SweepKind::theory;
  Combine combine = Combine::product;
  std::vector<Axis> axes;   // in the order of the sweep file
  core::Config base;         // base config with the file's [set], --config and --set applied
  std::optional<bool> trajectories;  // the sweep file's `trajectories`, if it has one

  std::size_t point_count() const;
  // Index of each axis' value at point `point`.
  std::vector<std::size_t> value_indices(std::size_t point) const;
  // The base config with this point's axis values set.
  core::Config point_config(std::size_t point) const;
  // Sets this point's axis values in `config`, a copy of `base` (possibly holding another point's
  // values: every axis key is overwritten), which then equals point_config(point).
  void apply_point(std::size_t point, core::Config& config) const;
  // Whether each point's file keeps its trajectory table: `trajectories` if the file says, else
  // point_count() <= max_points_with_trajectories.
  bool keeps_trajectories() const;

  // The plan as JSON (kind, combine, axes, base config, trajectories kept): equal JSON means the same sweep.
  nlohmann::json to_json() const;
  // A short hash of to_json(): identifies the sweep in every output and chunk file.
  std::string sweep_id() const;
};

// Reads the sweep file. `base` overrides the file's base; `assignments` are --set overrides applied
// on top. Throws std::invalid_argument naming the offending key on bad input.
SweepPlan read_sweep_file(const std::string& path, const std::string& config_override = "",
                          const std::vector<std::string>& assignments = {});
// The same from TOML text; relative `base` paths are resolved against `directory`.
SweepPlan parse_sweep(const std::string& text, const std::string& directory, const std::string& origin,
                      const std::string& config_override = "", const std::vector<std::string>& assignments = {});

// 16 hex digits of the 64-bit FNV-1a hash of `text`.
std::string content_hash(const std::string& text);

// A TOML scalar as a CSV cell / JSON value.
std::string format_value(const toml::node& value);
nlohmann::json value_json(const toml::node& value);

}  // namespace cotdyn::sweep
