// The three figures of `cotdyn compare` rendered from fixed synthetic data: every file is written and
// non-trivial, and each gnuplot script runs again without error.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cotdyn/analysis/compare/compare_figures.hpp>
#include <cotdyn/analysis/compare/discrepancy.hpp>
#include <cotdyn/models/state_tracking/model.hpp>

using namespace cotdyn::compare;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("cotdyn_test_compare_figures_{}_{}", name, ::getpid());
  fs::remove_all(dir);
  return dir;
}

bool gnuplot_available() { return std::system("command -v gnuplot > /dev/null 2>&1") == 0; }

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Synthetic curves shaped like a run: M grows exponentially to lock-on near t = 5, alpha follows a
// sigmoid, R grows, Q rises then falls, the accuracies climb to 1. Three seeds scatter around the theory
// with relative offsets (s - 0.8) / (2 sqrt(d)), so the seed mean is off by (|theory| + 0.01) / (10 sqrt(d)):
// every discrepancy scales exactly like d^-1/2.
CompareFigureInput fixed_input(const std::vector<int>& dims) {
  const double sigma2 = 0.01;
  auto M = [&](double t) { return sigma2 * std::sinh(0.4 * t * t); };
  auto alpha = [](double t) { return 1.0 / 9 + (8.0 / 9) / (1 + std::exp(-2 * (t - 5))); };
  auto R = [](double t) { return 0.3 * t; };
  auto Q = [](double t) { return 0.8 * t / 5 * std::exp(1 - t / 5); };
  auto acc = [](double t) { return 1 / (1 + std::exp(-(t - 5))); };
  auto theory_value = [&](const std::string& q, double t) {
    if (q == "M") return M(t);
    if (q == "alpha") return alpha(t);
    if (q == "R" || q == "R_c") return R(t);
    if (q == "Q" || q == "Q_c") return Q(t);
    if (q == "rollout_acc") return std::pow(acc(t), 9);
    if (q == "final_acc") return 1.0 / 24 + (1 - 1.0 / 24) * std::pow((24 * acc(t) - 1) / 23, 9);
    return acc(t);  // step_acc
  };
  const std::vector<std::string> quantities = {"M", "alpha", "R", "Q", "R_c", "Q_c", "step_acc", "rollout_acc", "final_acc"};

  CompareFigureInput in;
  in.sigma2 = sigma2;
  for (int i = 0; i <= 200; ++i) {
    const double t = 10.0 * i / 200;
    in.theory_dense.t.push_back(t);
    for (const char* q : {"M", "alpha", "R", "Q"}) in.theory_dense.values[q].push_back(theory_value(q, t));
    in.theory_dense.values["step_acc_inf"].push_back(acc(t + 0.5));
    in.theory_dense.values["rollout_acc_inf"].push_back(std::pow(acc(t + 0.5), 9));
    in.theory_dense.values["final_acc_inf"].push_back(1.0 / 24 + (1 - 1.0 / 24) * std::pow((24 * acc(t + 0.5) - 1) / 23, 9));
  }
  for (int d : dims) {
    SimulatedRun run;
    run.d = d;
    TheorySeries theory;
    theory.d = d;
    for (int i = 0; i <= 20; ++i) theory.t.push_back(0.5 * i);
    for (const auto& q : quantities) {
      const bool accuracy = q == "step_acc" || q == "rollout_acc" || q == "final_acc";  // the theory's: LD
      for (double t : theory.t) theory.values[accuracy ? q + "_ld" : q].push_back(theory_value(q, t));
    }
    for (std::uint64_t s = 0; s < 3; ++s) {
      SeedSeries seed;
      seed.seed = s;
      seed.t = theory.t;
      const double offset = (double(s) - 0.8) * 0.5 / std::sqrt(double(d));
      for (const auto& q : quantities)
        for (double t : seed.t) seed.values[q].push_back(theory_value(q, t) * (1 + offset) + 0.01 * offset);
      run.seeds.push_back(seed);
    }
    in.runs.push_back(run);
    in.theory.push_back(theory);
  }
  for (std::size_t k = 0; k < in.runs.size(); ++k)
    for (const auto& pair : cotdyn::models::state_tracking::compared_quantities()) in.discrepancies.push_back(discrepancy(in.runs[k], in.theory[k], pair));
  if (dims.size() >= 2)
    for (const auto& pair : cotdyn::models::state_tracking::compared_quantities()) {
      std::vector<double> d, rms;
      for (const auto& x : in.discrepancies)
        if (x.quantity == pair.simulated && x.rms > 0) {
          d.push_back(x.d);
          rms.push_back(x.rms);
        }
      PowerLawFit fit = fit_power_law(d, rms);
      fit.quantity = pair.simulated;
      in.fits.push_back(fit);
    }
  return in;
}

const char* const figure_names[] = {"order_parameters", "accuracy", "finite_size"};

// gnuplot run in `dir` on `script` for `term`; returns the exit status, stderr into `messages`.
int run_gnuplot(const fs::path& dir, const std::string& script, const std::string& term, std::string& messages) {
  const fs::path log = dir / fmt::format("{}_{}.log", script, term);
  const int status = std::system(
      fmt::format("cd '{}' && gnuplot -e \"term='{}'\" '{}' > /dev/null 2> '{}'", dir.string(), term, script, log.string())
          .c_str());
  messages = read(log);
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
}  // namespace

TEST_CASE("the synthetic figure input has an exact d^-1/2 discrepancy, so the finite-size figure has slopes to show") {
  const auto in = fixed_input({16, 64, 256});
  REQUIRE(in.discrepancies.size() == 3 * 9);
  REQUIRE(in.fits.size() == 9);
  for (const auto& fit : in.fits) {
    CAPTURE(fit.quantity);
    CHECK(fit.exponent == doctest::Approx(-0.5).epsilon(1e-9));
    CHECK(fit.exponent_stderr < 1e-9);
  }
}

TEST_CASE("the three compare figures render from fixed data to non-trivial PNG and PDF files") {
  if (!gnuplot_available()) {
    MESSAGE("gnuplot not found on PATH: rendering checks skipped");
    return;
  }
  const fs::path dir = scratch("render");
  write_compare_figures(fixed_input({16, 64, 256}), dir, true);
  for (const char* name : figure_names) {
    CAPTURE(name);
    REQUIRE(fs::is_regular_file(dir / fmt::format("{}.gp", name)));
    REQUIRE(fs::is_regular_file(dir / fmt::format("{}.png", name)));
    REQUIRE(fs::is_regular_file(dir / fmt::format("{}.pdf", name)));
    CHECK(fs::file_size(dir / fmt::format("{}.gp", name)) > 1000);
    CHECK(fs::file_size(dir / fmt::format("{}.png", name)) > 10000);  // an empty canvas is a few kB
    CHECK(fs::file_size(dir / fmt::format("{}.pdf", name)) > 5000);
    CHECK(read(dir / fmt::format("{}.png", name)).substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(read(dir / fmt::format("{}.pdf", name)).substr(0, 5) == "%PDF-");
    CHECK(fs::is_regular_file(dir / fmt::format("{}_p1_s1.dat", name)));
  }
  fs::remove_all(dir);
}

TEST_CASE("each compare figure's gnuplot script runs again without error, to PNG and to PDF") {
  if (!gnuplot_available()) {
    MESSAGE("gnuplot not found on PATH: script checks skipped");
    return;
  }
  const fs::path dir = scratch("rerun");
  write_compare_figures(fixed_input({16, 64, 256}), dir, false);  // scripts and data only
  for (const char* name : figure_names) {
    const std::string script = fmt::format("{}.gp", name);
    REQUIRE(fs::is_regular_file(dir / script));
    for (const char* term : {"png", "pdf"}) {
      CAPTURE(name);
      CAPTURE(term);
      std::string messages;
      CHECK(run_gnuplot(dir, script, term, messages) == 0);
      CAPTURE(messages);
      CHECK(messages.find("rror") == std::string::npos);  // "error" or "Error" in gnuplot's stderr
      const fs::path output = dir / fmt::format("{}.{}", name, term);
      REQUIRE(fs::is_regular_file(output));
      CHECK(fs::file_size(output) > 5000);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("the M panel shows asinh(M / sigma2), which keeps both signs and many decades readable") {
  const fs::path dir = scratch("asinh");
  const auto in = fixed_input({16, 64});
  write_compare_figures(in, dir, false);
  // Panel 1 is M; its series are: one band per d, the ODE line, then the seed-mean markers per d.
  const std::string ode = read(dir / "order_parameters_p1_s3.dat");
  CAPTURE(ode);
  std::istringstream lines(ode);
  std::vector<std::pair<double, double>> rows;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    double t = 0, y = 0;
    if (fields >> t >> y) rows.emplace_back(t, y);
  }
  REQUIRE(rows.size() == in.theory_dense.t.size());
  for (std::size_t i = 0; i < rows.size(); i += 50) {
    CAPTURE(i);
    CHECK(rows[i].first == doctest::Approx(in.theory_dense.t[i]));
    CHECK(rows[i].second == doctest::Approx(std::asinh(in.theory_dense.values.at("M")[i] / in.sigma2)).epsilon(1e-12));
  }
  fs::remove_all(dir);
}

TEST_CASE("a single d writes the order-parameter and accuracy figures but no finite-size figure") {
  const fs::path dir = scratch("single");
  write_compare_figures(fixed_input({32}), dir, false);
  CHECK(fs::is_regular_file(dir / "order_parameters.gp"));
  CHECK(fs::is_regular_file(dir / "accuracy.gp"));
  CHECK(!fs::exists(dir / "finite_size.gp"));
  fs::remove_all(dir);
}
