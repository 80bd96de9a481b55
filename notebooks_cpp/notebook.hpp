#pragma once
// What every notebook shares: the command line (--out DIR, --reduced), the Markdown report it writes
// beside its figure, and the manifest every cotdyn output carries (config, seed, version, git commit,
// library versions, threads, timing). The science lives in the notebooks; this file only keeps their
// bookkeeping identical.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <cotdyn/core/config.hpp>
#include <cotdyn/core/manifest.hpp>
#include <cotdyn/plots/plots.hpp>

namespace cotdyn::notebook {

struct Options {
  std::filesystem::path out;  // default: notebooks/<name> under the current directory
  bool reduced = false;       // a few-second workload for the tests: tiny d, short runs, few samples
  bool render = true;         // --no-render: data and gnuplot scripts only
};

// A Markdown report, built section by section and written to DIR/report.md.
class Report {
 public:
  explicit Report(const std::string& title);
  // A one-line summary in a block quote right under the title; the index page repeats it.
  void summary(const std::string& text);
  void heading(const std::string& text);  // "## text"
  void paragraph(const std::string& text);
  // Embeds DIR/<stem>.png (relative link) and names the PDF, the gnuplot script and the data files.
  void figure(const std::string& stem, const std::string& caption);
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
  void raw(const std::string& markdown);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// What a notebook's body gets: its options, the config it resolved (manifest and report quote it),
// the report and the manifest, which it fills with its headline numbers (manifest.results()).
struct Context {
  std::string name;  // e.g. "01_staged_learning"
  Options options;
  core::Config config;  // the embedded default config with the notebook's own choices applied
  Report report;
  core::Manifest manifest;
  std::chrono::steady_clock::time_point start;

  Context(std::string name, Options options, core::Config config, const std::string& title);
  // Applies `section.key=value` to the config and keeps the manifest's copy of the config in step
  // (for choices a notebook makes from its own computations, e.g. observation times from the ODE).
  void set(const std::string& assignment);
  // Saves a figure into the output directory (data + .gp + PNG + PDF) and returns its stem.
  std::string save(const plots::Figure& figure) const;
  double elapsed_seconds() const;
  // Progress line on stdout, prefixed with the notebook's name and the elapsed time.
  void log(const std::string& line) const;
};

struct Notebook {
  std::string name;         // directory and executable stem, e.g. "01_staged_learning"
  std::string title;        // title of the report
  std::string description;  // --help text
  // The notebook's choices on top of the embedded default config, as `section.key=value`, given
  // the mode (full or reduced).
  std::function<std::vector<std::string>(bool reduced)> settings;
  std::function<void(Context&)> body;
};

// Parses the command line, builds the context, runs the body, then writes report.md and
// manifest.json (status "complete", elapsed seconds). On an error prints it, writes the manifest
// with status "failed" when the directory exists, and returns 1. Returns the process exit code.
int run(int argc, char** argv, const Notebook& notebook);

// Numbers for reports: fixed digits, or "—" when not finite.
std::string fixed(double x, int digits = 3);
// Significant digits ("%.3g"), or "—" when not finite.
std::string sig(double x, int digits = 3);
// "a ± b" with fixed digits.
std::string plus_minus(double x, double err, int digits = 2);
// Values of a list as "a, b, c".
std::string join(const std::vector<double>& values, const std::string& separator = ", ");
std::string join(const std::vector<int>& values, const std::string& separator = ", ");
std::string join(const std::vector<std::string>& values, const std::string& separator = ", ");
// n values log-spaced from a to b (both included), and linearly spaced.
std::vector<double> log_space(double a, double b, int n);
std::vector<double> lin_space(double a, double b, int n);
// Tics 1, 2, 5 x 10^k inside [lo, hi] (lo > 0), for log axes spanning a decade or two.
std::vector<double> log_tics(double lo, double hi);
// A JSON number, or null when not finite (JSON has no NaN).
nlohmann::json json_number(double x);

}  // namespace cotdyn::notebook
