// The staged-learning check on synthetic trajectories: the predicted order passes, and each way of
// breaking it fails exactly the stage concerned, which the summary names.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <cotdyn/analysis/compare/staged_learning.hpp>

using namespace cotdyn::compare;

namespace {
struct Trajectory {
  std::vector<double> t, alpha, R, Q;
};

// t = 0, 0.5, ..., 20. By default:
//  - alpha = 0.1 + 0.8 sigmoid(t - 10) crosses 1/2 at exactly t = 10 (a grid point);
//  - Q = 0.8 exp(-((t - 10.5)/4)^2) reaches half its peak at t = 10.5 - 4 sqrt(ln 2) = 7.17 and peaks
//    at t = 10.5, within 15 % of t_1/2, then falls to almost 0;
//  - R grows with slope 0.1 up to t = 10 and 0.3 after.
Trajectory make(std::function<double(double)> alpha = nullptr, std::function<double(double)> R = nullptr,
                std::function<double(double)> Q = nullptr) {
  if (!alpha) alpha = [](double t) { return 0.1 + 0.8 / (1 + std::exp(-(t - 10))); };
  if (!R) R = [](double t) { return t <= 10 ? 0.1 * t : 1.0 + 0.3 * (t - 10); };
  if (!Q) Q = [](double t) { return 0.8 * std::exp(-std::pow((t - 10.5) / 4, 2)); };
  Trajectory x;
  for (int i = 0; i <= 40; ++i) {
    const double t = 0.5 * i;
    x.t.push_back(t);
    x.alpha.push_back(alpha(t));
    x.R.push_back(R(t));
    x.Q.push_back(Q(t));
  }
  return x;
}

StageCheck check(const Trajectory& x) { return check_stages(x.t, x.alpha, x.R, x.Q); }

// The summary line that starts with `prefix`, or "" if there is none.
std::string line_of(const std::string& summary, const std::string& prefix) {
  std::istringstream in(summary);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

const char* const stage_lines[] = {"- heuristic first", "- Q peaks", "- attention locks on", "- R grows faster",
                                   "- Q falls"};

// Exactly the stage whose summary line starts with `failing` says NO; the others say yes.
void check_only_failing(const StageCheck& c, const std::string& failing) {
  const std::string summary = c.summary();
  CAPTURE(summary);
  for (const char* prefix : stage_lines) {
    const std::string line = line_of(summary, prefix);
    CAPTURE(line);
    REQUIRE(!line.empty());
    CHECK(ends_with(line, failing == prefix ? ": NO" : ": yes"));
  }
}
}  // namespace

TEST_CASE("a trajectory in the predicted order passes every stage, with the stage times read off it") {
  const StageCheck c = check(make());
  CHECK(c.heuristic_first);
  CHECK(c.peak_near_lock_on);
  CHECK(c.locks_on);
  CHECK(c.alignment_accelerates);
  CHECK(c.heuristic_decays);
  CHECK(c.all());
  CHECK(c.times.lock_on == doctest::Approx(10.0).epsilon(1e-12));
  CHECK(c.times.offtarget_peak == doctest::Approx(10.5));
  CHECK(c.times.offtarget_max == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(c.times.offtarget_rise == doctest::Approx(10.5 - 4 * std::sqrt(std::log(2.0))).epsilon(0.01));
  CHECK(c.times.alignment_slope_before == doctest::Approx(0.1).epsilon(1e-12));  // over [5, 10]
  CHECK(c.times.alignment_slope_after == doctest::Approx(0.3).epsilon(1e-12));   // over [10, 15]
  check_only_failing(c, "");
}

TEST_CASE("staged learning fails 'heuristic first' when Q rises only after attention has locked on") {
  // Q half-peak at 11 - sqrt(ln 2) = 10.17 > t_1/2 = 10; its peak (t = 11) is still within 15 %.
  const StageCheck c = check(make(nullptr, nullptr, [](double t) { return 0.8 * std::exp(-std::pow(t - 11, 2)); }));
  CHECK(!c.heuristic_first);
  CHECK(!c.all());
  check_only_failing(c, "- heuristic first");
}

TEST_CASE("staged learning fails 'peak near lock-on' when Q peaks far from t_1/2") {
  const StageCheck c = check(make(nullptr, nullptr, [](double t) { return 0.8 * std::exp(-std::pow((t - 5) / 2, 2)); }));
  CHECK(!c.peak_near_lock_on);
  CHECK(c.times.offtarget_peak == doctest::Approx(5.0));
  CHECK(!c.all());
  check_only_failing(c, "- Q peaks");
}

TEST_CASE("staged learning fails 'locks on' when alpha never reaches 1/2, and then every stage tied to t_1/2") {
  const StageCheck c = check(make([](double t) { return 0.1 + 0.3 / (1 + std::exp(-(t - 10))); }));
  CHECK(!c.locks_on);
  CHECK(std::isnan(c.times.lock_on));
  CHECK(!c.all());
  const std::string summary = c.summary();
  CAPTURE(summary);
  CHECK(ends_with(line_of(summary, "- attention locks on"), ": NO"));
  CHECK(ends_with(line_of(summary, "- Q falls"), ": yes"));  // does not depend on t_1/2
}

TEST_CASE("staged learning fails 'alignment accelerates' when R grows more slowly after lock-on") {
  const StageCheck c = check(make(nullptr, [](double t) { return t <= 10 ? 0.3 * t : 3.0 + 0.1 * (t - 10); }));
  CHECK(!c.alignment_accelerates);
  CHECK(c.times.alignment_slope_before == doctest::Approx(0.3).epsilon(1e-12));
  CHECK(c.times.alignment_slope_after == doctest::Approx(0.1).epsilon(1e-12));
  CHECK(!c.all());
  check_only_failing(c, "- R grows faster");
}

TEST_CASE("staged learning fails 'heuristic decays' when Q stays within 2 % of its peak") {
  const StageCheck c = check(make(nullptr, nullptr, [](double t) {
    return t <= 10.5 ? 0.8 * std::exp(-std::pow((t - 10.5) / 4, 2)) : 0.8 - 0.001 * (t - 10.5);
  }));
  CHECK(!c.heuristic_decays);
  CHECK(c.times.offtarget_final == doctest::Approx(0.8 - 0.0095).epsilon(1e-12));  // 1.2 % below the peak
  CHECK(!c.all());
  check_only_failing(c, "- Q falls");
}

TEST_CASE("staged learning fails 'heuristic decays' when Q still peaks at the last time") {
  const StageCheck c = check(make(nullptr, nullptr, [](double t) { return 0.04 * t; }));
  CHECK(!c.heuristic_decays);
  CHECK(!c.all());
  CHECK(ends_with(line_of(c.summary(), "- Q falls"), ": NO"));
}
