#include <cotdyn/simulation/committee/settings.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cotdyn::simulation::committee {

namespace {

[[noreturn]] void reject(const std::string& key, const std::string& value, const std::string& allowed) {
  throw std::invalid_argument(fmt::format("committee.{} = {} is not allowed: {}", key, value, allowed));
}

void require_positive(const char* key, int value) {
  if (value < 1) reject(key, std::to_string(value), "it must be an integer >= 1");
}

void require_finite_nonnegative(const char* key, double value) {
  if (!std::isfinite(value) || value < 0) reject(key, fmt::format("{}", value), "it must be finite and >= 0");
}

void require_units(const char* key, const std::vector<double>& values, int units, const char* count_key) {
  const auto shown = fmt::format("[{}]", fmt::join(values, ", "));
  if (values.size() != 1 && values.size() != static_cast<std::size_t>(units))
    reject(key, shown, fmt::format("give one value for every unit or exactly {} = {} values", count_key, units));
  for (double x : values)
    if (!std::isfinite(x)) reject(key, shown, "every entry must be finite");
}

Eigen::VectorXd expand(const std::vector<double>& values, int units) {
  if (values.size() == 1) return Eigen::VectorXd::Constant(units, values[0]);
  return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

}  // namespace

Eigen::VectorXd CommitteeSettings::v0_vector() const { return expand(v0, K); }
Eigen::VectorXd CommitteeSettings::v_star_vector() const { return expand(v_star, M); }

meanfield::committee::Parameters CommitteeSettings::parameters() const {
  meanfield::committee::Parameters p;
  p.M = M;
  p.K = K;
  p.activation = activation;
  p.eta = eta;
  p.eta_v = eta_v;
  p.sigma = sigma;
  p.kappa = kappa;
  p.batch = batch;
  p.v_star = v_star_vector();
  return p;
}

void validate(const CommitteeSettings& s) {
  require_positive("N", s.N);
  require_positive("M", s.M);
  require_positive("K", s.K);
  if (!std::isfinite(s.eta) || s.eta <= 0) reject("eta", fmt::format("{}", s.eta), "it must be finite and > 0");
  require_finite_nonnegative("eta_v", s.eta_v);
  require_finite_nonnegative("sigma", s.sigma);
  require_finite_nonnegative("weight_decay", s.kappa);
  require_finite_nonnegative("init_scale", s.init_scale);
  // Larger scales overflow the overlaps (Q ~ init_scale^2 N) before the ODE starts.
  if (s.init_scale > 1e6) reject("init_scale", fmt::format("{}", s.init_scale), "it must be at most 1e6");
  require_units("v0", s.v0, s.K, "K");
  require_units("teacher_v", s.v_star, s.M, "M");
  require_positive("batch", s.batch);
  if (s.device == DeviceKind::cuda && !cuda_available("committee.device")) reject("device", "\"cuda\"", no_cuda_device);
  require_positive("seeds", s.seeds);
  require_positive("test_size", s.test_size);
  if (s.threads < 0) reject("threads", std::to_string(s.threads), "it must be >= 0 (0: the library's default)");
}

}  // namespace cotdyn::simulation::committee
