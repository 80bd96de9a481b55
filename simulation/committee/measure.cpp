#include <cotdyn/simulation/committee/measure.hpp>

#include <cotdyn/meanfield/committee/integrate.hpp>
#include <cotdyn/meanfield/committee/ode.hpp>

namespace cotdyn::simulation::committee {

namespace mf = meanfield::committee;

namespace {

Eigen::MatrixXd to_eigen(const torch::Tensor& matrix) {
  const auto m = matrix.to(torch::kCPU, torch::kDouble).contiguous();
  // Tensors are row-major.
  return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      m.data_ptr<double>(), m.size(0), m.size(1));
}

}  // namespace

std::vector<mf::State> order_parameters(const CommitteeNetworkImpl& network) {
  torch::NoGradGuard no_grad;
  const double N = network.N;
  // In double on the CPU whatever the run's precision and device (exact products of float32 weights).
  const auto w = network.w.to(torch::kCPU, torch::kDouble), w_star = network.w_star.to(torch::kCPU, torch::kDouble);
  const auto Q = torch::bmm(w, w.transpose(1, 2)) / N;
  const auto R = torch::bmm(w, w_star.transpose(1, 2)) / N;
  const auto T = torch::bmm(w_star, w_star.transpose(1, 2)) / N;
  std::vector<mf::State> states;
  for (int e = 0; e < network.E; ++e) {
    mf::State s{to_eigen(Q[e]), to_eigen(R[e]), to_eigen(T[e]), to_eigen(network.v[e].unsqueeze(1))};
    // Exactly symmetric, as the theory's validation expects (the products are symmetric to rounding).
    s.Q = (s.Q + s.Q.transpose()) / 2;
    s.T = (s.T + s.T.transpose()) / 2;
    states.push_back(std::move(s));
  }
  return states;
}

TestSet make_test_set(const CommitteeNetworkImpl& network, int P, std::uint64_t test_seed) {
  torch::NoGradGuard no_grad;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(test_seed);
  TestSet test;
  // Drawn in double on the CPU, then in the weights' precision and on their device.
  test.x = torch::randn({P, network.N}, generator, torch::TensorOptions().dtype(torch::kDouble)).to(network.w.options());
  test.labels = network.teacher(test.x);
  return test;
}

torch::Tensor test_error(CommitteeNetworkImpl& network, const TestSet& test) {
  torch::NoGradGuard no_grad;
  return (network.forward(test.x) - test.labels).square().mean(1) / 2;
}

std::vector<std::string> column_names(int K, int M) {
  auto names = mf::column_names(K, M);
  names.push_back("eg_test");
  for (int n = 0; n < M; ++n)
    for (int m = n; m < M; ++m) names.push_back("T_" + std::to_string(n) + "_" + std::to_string(m));
  return names;
}

std::vector<std::vector<double>> measure(CommitteeNetworkImpl& network, const mf::Parameters& parameters,
                                         const TestSet& test) {
  const auto states = order_parameters(network);
  const auto eps_test = test_error(network, test).to(torch::kCPU, torch::kDouble).contiguous();
  std::vector<std::vector<double>> rows;
  for (int e = 0; e < network.E; ++e) {
    const auto& s = states[e];
    std::vector<double> row{mf::generalisation_error(parameters, s)};
    const auto packed = mf::pack(s);
    row.insert(row.end(), packed.begin(), packed.end());
    row.push_back(eps_test.data_ptr<double>()[e]);
    for (int n = 0; n < network.M; ++n)
      for (int m = n; m < network.M; ++m) row.push_back(s.T(n, m));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace cotdyn::simulation::committee
