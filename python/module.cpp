// The Python module's native part (cotdyn._cotdyn): it only converts arguments and results and calls
// the same library functions as the CLI (analysis/commands/), so `out=` writes the CLI's files. The
// public functions, their arguments and docstrings are in cotdyn/__init__.py.
//  * Tables are handed to NumPy without element-wise copies: each column is a std::vector<double>
//    moved onto the heap and owned by the array through a capsule.
//  * Long calls release the GIL. Training (simulate, compare) runs on the calling thread, as in the
//    CLI: on a new thread glibc's malloc serves LibTorch from a per-thread arena that returns its memory
//    after every step, and the default simulation ran 2-3x slower (BENCHMARKS.md). Its progress hook
//    (simulation::RunOptions::on_progress) takes the GIL at most every 50 ms to check Python's signals
//    (PyErr_CheckSignals) and report progress. Sweeps and interaction tables (parallel on oneTBB's
//    threads) run on a worker thread while the calling thread does the same checks every 50 ms.
//    Ctrl-C sets the stop request every run polls (core/interrupt.hpp), so the run ends as under the
//    CLI: cleanly, with its results so far and, in a directory, a checkpoint. The result says it was
//    interrupted and cotdyn/__init__.py raises KeyboardInterrupt.
//  * Exceptions: std::invalid_argument (bad input) becomes ValueError, std::runtime_error (a diverging
//    ODE, a failed write) RuntimeError, by pybind11's standard translation; models::DivergentTheory (a
//    config whose theory leaves its stable range) becomes cotdyn.DivergenceError, both.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <cotdyn/analysis/commands/command_options.hpp>
#include <cotdyn/analysis/commands/compare_command.hpp>
#include <cotdyn/analysis/commands/interaction_command.hpp>
#include <cotdyn/analysis/commands/simulate_command.hpp>
#include <cotdyn/analysis/commands/sweep_command.hpp>
#include <cotdyn/analysis/commands/theory_command.hpp>
#include <cotdyn/build_info.hpp>
#include <cotdyn/core/blas_kernels.hpp>
#include <cotdyn/core/interrupt.hpp>
#include <cotdyn/models/divergent_theory.hpp>
#include <cotdyn/models/registry.hpp>

namespace py = pybind11;
using namespace cotdyn;

namespace {

// A column handed to NumPy: the vector moves to the heap and the array owns it.
py::array_t<double> to_array(std::vector<double>&& values) {
  auto* owned = new std::vector<double>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<double>*>(p); });
  return py::array_t<double>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

// A table as (column names, columns): numeric columns as float64 arrays, text columns as lists.
struct Columns {
  std::vector<std::string> names;
  std::vector<std::vector<double>> numbers;
  std::vector<std::optional<std::vector<std::string>>> texts;  // set for a column that is not numeric
};

py::dict to_dict(Columns&& table) {
  py::dict result;
  for (std::size_t c = 0; c < table.names.size(); ++c) {
    if (table.texts[c])
      result[py::str(table.names[c])] = py::array(py::cast(*table.texts[c]));
    else
      result[py::str(table.names[c])] = to_array(std::move(table.numbers[c]));
  }
  return result;
}

// One CSV line into cells (cotdyn writes no quotes, but a quoted cell is read as one).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

// A CSV file written by cotdyn: an empty cell is NaN; a column with a cell that is not a number is text.
Columns read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  Columns table;
  if (!std::getline(in, line)) return table;
  table.names = split_csv_line(line);
  const std::size_t n = table.names.size();
  std::vector<std::vector<std::string>> cells(n);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto row = split_csv_line(line);
    row.resize(n);
    for (std::size_t c = 0; c < n; ++c) cells[c].push_back(std::move(row[c]));
  }
  table.numbers.resize(n);
  table.texts.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    auto& numbers = table.numbers[c];
    numbers.reserve(cells[c].size());
    for (const auto& cell : cells[c]) {
      if (cell.empty()) {
        numbers.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      char* end = nullptr;
      const double value = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() + cell.size()) {
        table.texts[c] = std::move(cells[c]);
        numbers.clear();
        break;
      }
      numbers.push_back(value);
    }
  }
  return table;
}

Columns trajectory_columns(const models::Trajectory& trajectory) {
  Columns table;
  table.names = trajectory.columns;
  table.numbers.assign(table.names.size(), {});
  table.texts.resize(table.names.size());
  for (auto& column : table.numbers) column.reserve(trajectory.rows.size());
  for (const auto& row : trajectory.rows)
    for (std::size_t c = 0; c < row.size(); ++c) table.numbers[c].push_back(row[c]);
  return table;
}

// simulation.csv's columns: seed, <size column>, step, t, then the measured quantities.
Columns measurement_columns(const simulation::TrainingResult& result, const std::string& size_column) {
  Columns table;
  table.names = {"seed", size_column, "step", "t"};
  table.names.insert(table.names.end(), result.columns.begin(), result.columns.end());
  table.numbers.assign(table.names.size(), {});
  table.texts.resize(table.names.size());
  for (auto& column : table.numbers) column.reserve(result.measurements.size());
  for (const auto& row : result.measurements) {
    table.numbers[0].push_back(static_cast<double>(row.seed));
    table.numbers[1].push_back(row.d);
    table.numbers[2].push_back(static_cast<double>(row.step));
    table.numbers[3].push_back(row.t);
    for (std::size_t c = 0; c < row.values.size(); ++c) table.numbers[4 + c].push_back(row.values[c]);
  }
  return table;
}

commands::ConfigSource source_of(const std::string& file, const std::string& text, const std::vector<std::string>& sets) {
  return {file, text, sets};
}

// Python's side of a long call, visited from C++ at most every 50 ms with the GIL taken: Ctrl-C (any
// exception a signal handler raises) becomes the stop request of core/interrupt.hpp, and progress
// goes to `progress(step, total)` when Python gave one (a tqdm bar).
class PythonPoll {
 public:
  explicit PythonPoll(py::object progress) : progress_(std::move(progress)) { core::interrupt_requested() = false; }
  ~PythonPoll() { core::interrupt_requested() = false; }
  PythonPoll(const PythonPoll&) = delete;
  PythonPoll& operator=(const PythonPoll&) = delete;

  // From a thread without the GIL: returns at once unless 50 ms have passed (or the run ended).
  void visit(std::int64_t step, std::int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(50) && step < total) return;
    last_ = now;
    py::gil_scoped_acquire acquire;
    check_signals();
    if (progress_.is_none() || failed_) return;
    try {
      progress_(step, total);
    } catch (py::error_already_set& e) {
      // Ctrl-C may land while the progress callback runs: the same clean stop. Any other error of
      // the callback stops the run cleanly too and is raised when it has ended (rethrow()).
      if (!e.matches(PyExc_KeyboardInterrupt)) error_ = std::make_unique<py::error_already_set>(std::move(e));
      failed_ = true;
      interrupted_ = true;
      core::interrupt_requested() = true;
    }
    check_signals();
  }
  // After the run: raises the progress callback's error, if it had one.
  void rethrow() {
    if (error_) {
      auto error = std::move(error_);
      throw std::move(*error);
    }
  }
  // With the GIL.
  void check_signals() {
    if (!interrupted_ && PyErr_CheckSignals() != 0) {
      PyErr_Clear();  // raised again by cotdyn/__init__.py, with the results so far
      interrupted_ = true;
      core::interrupt_requested() = true;
    }
  }
  bool interrupted() const { return interrupted_; }

 private:
  py::object progress_;
  bool interrupted_ = false;
  bool failed_ = false;                            // the progress callback raised: not called again
  std::unique_ptr<py::error_already_set> error_;  // what it raised, unless KeyboardInterrupt
  std::chrono::steady_clock::time_point last_{};
};

// The run's options: strict, the stop request, the CLI's bar on stderr (`bar`), the poll.
commands::CommandOptions options_of(bool strict, bool bar, PythonPoll* poll) {
  commands::CommandOptions options;
  options.strict = strict;
  options.stop_requested = &core::interrupt_requested();
  options.progress = bar;
  options.render = false;
  if (poll) options.on_progress = [poll](std::int64_t step, std::int64_t total) { poll->visit(step, total); };
  options.log = [](const std::string& line) { std::cerr << line << '\n' << std::flush; };
  return options;
}

// Runs `work` on a worker thread with the GIL released; the calling thread visits `poll` every 50 ms.
template <class Work>
auto on_worker_thread(Work&& work, PythonPoll& poll) -> decltype(work()) {
  using Result = decltype(work());
  std::optional<Result> result;
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        poll.check_signals();
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

// Runs `work` on this thread with the GIL released (the poll is visited from its progress hook).
template <class Work>
auto on_this_thread(Work&& work) -> decltype(work()) {
  py::gil_scoped_release release;
  return work();
}

py::dict run_theory(const std::string& file, const std::string& text, const std::vector<std::string>& sets,
                const std::string& out, bool strict) {
  models::TheoryRun run;
  {
    py::gil_scoped_release release;
    const core::Config config = commands::load_config(source_of(file, text, sets));
    run = commands::run_theory(config, out, options_of(strict, false, nullptr));
  }
  py::dict milestones;
  for (const auto& m : run.trajectory.milestones) milestones[py::str(m.name)] = m.value;
  py::dict result;
  result["table"] = to_dict(trajectory_columns(run.trajectory));
  result["milestones"] = milestones;
  result["report"] = run.report;
  return result;
}

py::dict run_simulate(const std::string& file, const std::string& text, const std::vector<std::string>& sets,
                      const std::string& out, const std::string& resume, bool strict, bool bar,
                      const py::object& progress) {
  PythonPoll poll(progress);
  const auto options = options_of(strict, bar, &poll);
  auto outcome = on_this_thread([&] {
    if (!resume.empty()) return commands::resume_simulate(resume, options);
    return commands::run_simulate(commands::load_config(source_of(file, text, sets)), out, options);
  });
  poll.rethrow();
  const bool interrupted = poll.interrupted();
  const auto& status = outcome.result.status;
  py::dict result;
  result["table"] = outcome.directory.empty()
                        ? to_dict(measurement_columns(outcome.result, outcome.size_column))
                        : to_dict(read_csv((outcome.directory / "simulation.csv").string()));
  result["interrupted"] = interrupted || status.interrupted;
  result["stopped_by_warning"] = status.stopped_by_warning;
  result["warnings"] = outcome.warnings();
  std::vector<std::string> failures;
  for (const auto& f : status.failures) failures.push_back(f.message());
  result["failures"] = failures;
  result["directory"] = outcome.directory.string();
  if (!status.interrupted && !outcome.directory.empty()) {
    // As the CLI: under strict a warning is an error once the results are written.
    py::gil_scoped_release release;
    commands::report_warnings(outcome.warnings(), options, outcome.directory.string());
  }
  return result;
}

// Every CSV table of a directory (and of its subdirectories but figures/ and checkpoint/), by file stem.
py::dict tables_of(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  py::dict tables;
  for (const auto& path : files) tables[py::str(path.stem().string())] = to_dict(read_csv(path.string()));
  return tables;
}

py::dict run_compare(const std::string& file, const std::string& text, const std::vector<std::string>& sets,
                     const std::string& out, bool strict, bool render, bool bar, const py::object& progress) {
  PythonPoll poll(progress);
  auto options = options_of(strict, bar, &poll);
  options.render = render;
  auto outcome = on_this_thread(
      [&] { return commands::run_compare(commands::load_config(source_of(file, text, sets)), out, options); });
  poll.rethrow();
  const bool interrupted = poll.interrupted();
  py::dict result;
  result["tables"] = tables_of(outcome.directory);
  result["interrupted"] = interrupted || outcome.interrupted;
  result["report"] = outcome.report;
  result["warnings"] = outcome.warnings;
  result["directory"] = outcome.directory.string();
  if (!outcome.interrupted) {
    py::gil_scoped_release release;
    commands::report_warnings(outcome.warnings, options, outcome.directory.string());
  }
  return result;
}

py::dict run_interaction(const std::string& file, const std::string& text, const std::vector<std::string>& sets,
                         const std::string& out, bool measure, bool render) {
  PythonPoll poll{py::none()};
  auto options = options_of(false, true, nullptr);
  options.render = render;
  const auto outcome = on_worker_thread(
      [&] {
        return commands::run_interaction(commands::load_config(source_of(file, text, sets)), out, measure, options);
      },
      poll);
  const bool interrupted = poll.interrupted();
  py::dict result;
  result["tables"] = tables_of(outcome.directory);
  result["interrupted"] = interrupted;
  result["measured"] = outcome.measured;
  result["cells_outside_3_stderr"] = outcome.cells_outside_3_stderr;
  return result;
}

py::dict run_sweep(const std::string& sweep_file, const std::string& sweep_text, const std::string& config_file,
               const std::vector<std::string>& sets, const std::string& out, bool resume, int threads,
               std::size_t max_points, bool plots) {
  commands::SweepRequest request;
  request.file = sweep_file;
  request.text = sweep_text;
  request.config_file = config_file;
  request.assignments = sets;
  request.max_points = max_points;
  request.yes = max_points == 0;
  request.plots = plots;
  request.run.out = out;
  request.run.resume = resume;
  request.run.threads = threads;
  PythonPoll poll{py::none()};
  const auto summary = on_worker_thread([&] { return commands::run_sweep_command(request, std::cerr); }, poll);
  const bool interrupted = poll.interrupted();
  py::dict result;
  result["table"] = to_dict(read_csv((summary->directory / "points.csv").string()));
  result["interrupted"] = interrupted || summary->interrupted;
  result["failed"] = summary->failed;
  result["directory"] = summary->directory.string();
  return result;
}

std::string resolved_config(const std::string& file, const std::string& text, const std::vector<std::string>& sets) {
  return commands::load_config(source_of(file, text, sets)).to_toml();
}

}  // namespace

PYBIND11_MODULE(_cotdyn, m) {
  m.doc() = "cotdyn's native part; use the functions of the cotdyn package";
  m.attr("version") = COTDYN_VERSION;
  // Bad input and a divergence at once (models/divergent_theory.hpp).
  PyObject* bases = PyTuple_Pack(2, PyExc_ValueError, PyExc_RuntimeError);
  static PyObject* divergence_error = PyErr_NewExceptionWithDoc(
      "cotdyn.DivergenceError",
      "The theory left its stable range because of the config (e.g. a learning rate above the stable range): "
      "bad input naming the key (ValueError, as the CLI's exit status 2) and a divergence (RuntimeError).",
      bases, nullptr);
  Py_DECREF(bases);
  m.attr("DivergenceError") = py::handle(divergence_error);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const models::DivergentTheory& e) {
      PyErr_SetString(divergence_error, e.what());
    }
  });
  m.attr("git_commit") = COTDYN_GIT_COMMIT;
  m.def("blas_kernels", &core::blas_kernels);
  m.def("faster_blas_kernels", &core::faster_blas_kernels);
  m.def("resolved_config", &resolved_config);
  m.def("default_config_text", [] {
    models::all_models();  // the registered models add their sections
    return core::default_config_text();
  });
  m.def("models", [] {
    std::vector<std::pair<std::string, std::string>> list;
    for (const auto* model : models::all_models()) list.emplace_back(model->name(), model->summary());
    return list;
  });
  m.def("theory", &run_theory);
  m.def("simulate", &run_simulate);
  m.def("compare", &run_compare);
  m.def("interaction", &run_interaction);
  m.def("sweep", &run_sweep);
  m.def("read_csv", [](const std::string& path) { return to_dict(read_csv(path)); });
}
