#pragma once
// Observation times: "linear:a:b:n" (n points including both ends), "log:a:b:n" (a > 0, log-spaced,
// with t = 0 prepended), or an explicit list. The symbol t_max may stand for an end point.
#include <string>
#include <vector>

namespace cotdyn::core {

class Config;

// Throws std::invalid_argument naming observe.times. The result is sorted and lies in [0, t_max].
std::vector<double> parse_observation_grid(const std::string& spec, double t_max);
void check_observation_times(const std::vector<double>& times, double t_max);

// train.t_max, checked (a positive number), and observe.times resolved against it: every model
// trains to train.t_max and is observed at observe.times.
double resolve_t_max(const Config& config);
std::vector<double> resolve_observation_times(const Config& config);

}  // namespace cotdyn::core
