#include <cotdyn/notebooks_cpp/notebook.hpp>

#include <cmath>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cotdyn/core/blas_kernels.hpp>
#include <cotdyn/core/output.hpp>

namespace cotdyn::notebook {

Report::Report(const std::string& title) { text_ = "# " + title + "\n\n"; }

void Report::summary(const std::string& text) { text_ += "> " + text + "\n\n"; }
void Report::heading(const std::string& text) { text_ += "## " + text + "\n\n"; }
void Report::paragraph(const std::string& text) { text_ += text + "\n\n"; }

void Report::figure(const std::string& stem, const std::string& caption) {
  text_ += fmt::format(
      "![{0}]({1}.png)\n\n*{0}* — vector version [{1}.pdf]({1}.pdf); the gnuplot script "
      "[{1}.gp]({1}.gp) and its data files `{1}_p*_s*.dat` re-render it (`gnuplot -e \"term='png'\" "
      "{1}.gp`).\n\n",
      caption, stem);
}

void Report::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string line = "|", rule = "|";
  for (const auto& h : header) {
    line += " " + h + " |";
    rule += "---|";
  }
  text_ += line + "\n" + rule + "\n";
  for (const auto& row : rows) {
    std::string r = "|";
    for (const auto& cell : row) r += " " + cell + " |";
    text_ += r + "\n";
  }
  text_ += "\n";
}

void Report::raw(const std::string& markdown) { text_ += markdown; }

Context::Context(std::string name_, Options options_, core::Config config_, const std::string& title)
    : name(std::move(name_)),
      options(std::move(options_)),
      config(std::move(config_)),
      report(title),
      manifest("notebook " + name, config),
      start(std::chrono::steady_clock::now()) {}

namespace {
bool any_finite(const std::vector<double>& v) {
  for (double x : v)
    if (std::isfinite(x)) return true;
  return false;
}

// gnuplot refuses a plot whose every point is undefined (e.g. a lock-on time that never happened in
// a short run): such series are left out, and a panel left with nothing says so in its key.
plots::Figure drop_undefined_series(plots::Figure figure) {
  for (auto& panel : figure.panels) {
    std::vector<plots::Series> kept;
    for (auto& s : panel.series) {
      const bool defined = s.kind == plots::SeriesKind::heatmap ? any_finite(s.values)
                           : s.kind == plots::SeriesKind::band  ? any_finite(s.y_low) && any_finite(s.y_high)
                                                                : any_finite(s.y);
      if (defined) kept.push_back(std::move(s));
    }
    if (kept.empty()) {
      const auto middle = [](const plots::Range& r, bool log) {
        if (!r.min || !r.max) return 1.0;
        return log ? std::sqrt(*r.min * *r.max) : 0.5 * (*r.min + *r.max);
      };
      kept.push_back(plots::Series::points("no finite value in this run", {middle(panel.x_range, panel.log_x)},
                                           {middle(panel.y_range, panel.log_y)})
                         .with_color("#ffffff"));
    }
    panel.series = std::move(kept);
  }
  return figure;
}
}  // namespace

std::string Context::save(const plots::Figure& figure) const {
  const plots::Figure drawable = drop_undefined_series(figure);
  if (options.render) {
    const auto files = plots::save_figure(drawable, options.out);
    if (!files.gnuplot_messages.empty()) log("gnuplot: " + files.gnuplot_messages);
  } else {
    plots::write_figure(drawable, options.out);
  }
  return figure.name;
}

void Context::set(const std::string& assignment) {
  config.apply_set(assignment);
  manifest.json()["config"] = nlohmann::json::parse(config.to_json());
}

double Context::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Context::log(const std::string& line) const {
  std::cout << fmt::format("[{} {:6.1f} s] {}\n", name, elapsed_seconds(), line) << std::flush;
}

int run(int argc, char** argv, const Notebook& notebook) {
  core::ensure_fast_blas_kernels(argv);  // before any BLAS call (core/blas_kernels.hpp)
  Options options;
  options.out = std::filesystem::path("notebooks") / notebook.name;
  std::string out = options.out.string();
  bool no_render = false;
  CLI::App app(notebook.description, "notebook_" + notebook.name);
  app.add_option("--out", out, "output directory")->capture_default_str();
  app.add_flag("--reduced", options.reduced, "a few-second workload (tests): tiny d, short runs, few samples");
  app.add_flag("--no-render", no_render, "write figure data and gnuplot scripts, but do not run gnuplot");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  options.out = out;
  options.render = !no_render;

  std::unique_ptr<Context> context;
  try {
    core::Config config;
    if (notebook.settings)
      for (const auto& assignment : notebook.settings(options.reduced)) config.apply_set(assignment);
    std::filesystem::create_directories(options.out);
    context = std::make_unique<Context>(notebook.name, options, config, notebook.title);
    context->manifest.json()["notebook"] = notebook.name;
    context->manifest.json()["reduced"] = options.reduced;
    context->log(fmt::format("{} mode, writing {}", options.reduced ? "reduced" : "full", options.out.string()));
    notebook.body(*context);
    const double seconds = context->elapsed_seconds();
    context->manifest.json()["elapsed_seconds"] = seconds;
    context->report.raw(fmt::format(
        "---\n\n*{} mode; {:.1f} s on {} hardware threads; cotdyn {} (git {}). The resolved config, seed, library "
        "versions and thread counts are in [manifest.json](manifest.json); `notebook_{} --out DIR{}` reruns it.*\n",
        options.reduced ? "Reduced (test)" : "Full", seconds, std::thread::hardware_concurrency(),
        core::cotdyn_version(), core::git_commit().substr(0, 12), notebook.name, options.reduced ? " --reduced" : ""));
    core::write_file_atomically(options.out / "report.md", context->report.text());
    context->manifest.write(options.out);
    context->log(fmt::format("done: {}", (options.out / "report.md").string()));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "notebook_" << notebook.name << ": error: " << e.what() << '\n';
    if (context) {
      try {
        context->manifest.json()["error"] = e.what();
        context->manifest.json()["elapsed_seconds"] = context->elapsed_seconds();
        context->manifest.write(options.out, "failed");
      } catch (...) {
      }
    }
    return 1;
  }
}

std::string fixed(double x, int digits) { return std::isfinite(x) ? fmt::format("{:.{}f}", x, digits) : "—"; }
std::string sig(double x, int digits) { return std::isfinite(x) ? fmt::format("{:.{}g}", x, digits) : "—"; }
std::string plus_minus(double x, double err, int digits) {
  if (!std::isfinite(err)) return fixed(x, digits);
  return fixed(x, digits) + " ± " + fixed(err, digits);
}

std::string join(const std::vector<double>& values, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? separator : "") + fmt::format("{:g}", values[i]);
  return out;
}
std::string join(const std::vector<int>& values, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? separator : "") + std::to_string(values[i]);
  return out;
}

std::string join(const std::vector<std::string>& values, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? separator : "") + values[i];
  return out;
}

std::vector<double> log_space(double a, double b, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(n == 1 ? a : std::exp(std::log(a) + (std::log(b) - std::log(a)) * i / (n - 1)));
  if (n > 1) v.back() = b;
  return v;
}
std::vector<double> lin_space(double a, double b, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(n == 1 ? a : a + (b - a) * i / (n - 1));
  if (n > 1) v.back() = b;
  return v;
}

std::vector<double> log_tics(double lo, double hi) {
  std::vector<double> tics;
  for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if (m * decade >= lo && m * decade <= hi) tics.push_back(m * decade);
  return tics;
}

nlohmann::json json_number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

}  // namespace cotdyn::notebook
