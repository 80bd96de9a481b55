#include <cotdyn/tests/models/linear/system.hpp>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace cotdyn::testing::linear {

LinearSystem::LinearSystem(const SystemSettings& settings) : settings_(settings) {
  for (int e = 0; e < settings.seeds; ++e) {
    generators_.emplace_back(settings.base_seed + static_cast<std::uint64_t>(e));
    std::normal_distribution<double> normal;
    std::vector<double> w(settings.N);
    double norm = 0;
    for (double& x : w) {
      x = normal(generators_.back());
      norm += x * x;
    }
    for (double& x : w) x *= std::sqrt(settings.T * settings.N / norm);
    teacher_.push_back(w);
    student_.emplace_back(settings.N, 0.0);
  }
}

std::vector<double> LinearSystem::train_step() {
  std::vector<double> losses;
  const double root_N = std::sqrt(static_cast<double>(settings_.N));
  for (int e = 0; e < settings_.seeds; ++e) {
    std::normal_distribution<double> normal;
    std::vector<double> x(settings_.N);
    double lambda = 0, nu = 0;
    for (int i = 0; i < settings_.N; ++i) {
      x[i] = normal(generators_[e]);
      lambda += student_[e][i] * x[i];
      nu += teacher_[e][i] * x[i];
    }
    const double error = (lambda - nu) / root_N - settings_.sigma * normal(generators_[e]);
    for (int i = 0; i < settings_.N; ++i) student_[e][i] -= settings_.eta / root_N * error * x[i];
    losses.push_back(0.5 * error * error);
  }
  return losses;
}

std::vector<std::vector<double>> LinearSystem::observe() {
  std::vector<std::vector<double>> rows;
  for (int e = 0; e < settings_.seeds; ++e) {
    double R = 0, Q = 0, T = 0;
    for (int i = 0; i < settings_.N; ++i) {
      R += student_[e][i] * teacher_[e][i];
      Q += student_[e][i] * student_[e][i];
      T += teacher_[e][i] * teacher_[e][i];
    }
    R /= settings_.N;
    Q /= settings_.N;
    T /= settings_.N;
    rows.push_back({R, Q, 0.5 * (Q - 2 * R + T)});
  }
  return rows;
}

std::string LinearSystem::nonfinite_weight(int e) const {
  for (double w : student_[e])
    if (!std::isfinite(w)) return "student weights";
  return "";
}

void LinearSystem::save(const std::string& directory) const {
  std::ofstream out(directory + "/linear.txt");
  out.precision(17);
  for (int e = 0; e < settings_.seeds; ++e) {
    out << generators_[e] << '\n';
    for (double w : student_[e]) out << w << ' ';
    out << '\n';
  }
}

void LinearSystem::load(const std::string& directory) {
  std::ifstream in(directory + "/linear.txt");
  if (!in) throw std::runtime_error("no linear.txt in " + directory);
  for (int e = 0; e < settings_.seeds; ++e) {
    in >> generators_[e];
    for (double& w : student_[e]) in >> w;
  }
}

}  // namespace cotdyn::testing::linear
