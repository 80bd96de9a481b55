// A config fuzzer holding every key of every registered model to the bad-input contract (README,
// "Failure modes"; docs/models.md, Model::validate): a value either validates, or is refused with a
// std::invalid_argument whose message names the key. The keys are read from the resolved config of
// each model (the embedded config with every model's sections, as `cotdyn config` prints it), never
// listed here; the values are derived from each key's default (wrong type, out of range, empty, huge,
// NaN, infinite, negative, zero, nested wrongly, not an allowed choice) plus seeded random ones.
// Thousands of cases run in-process through the validation path of `cotdyn theory` and `cotdyn
// simulate`; a few dozen go through the real binary, which must exit 0 or 2 and, on 2, name the key
// and leave no output directory.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <tuple>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include <poll.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cotdyn/core/config.hpp>
#include <cotdyn/models/registry.hpp>
#include <cotdyn/models/schedule.hpp>

#include <cotdyn/tests/cli/command_test_helpers.hpp>

namespace fs = std::filesystem;
using namespace cotdyn;

namespace {

struct Case {
  std::string model, key, value;  // `--set model.kind=MODEL --set KEY=VALUE`
};

enum class Verdict { valid, refused, broken };

struct Outcome {
  Verdict verdict = Verdict::valid;
  std::string message;  // the refusal's message, or what broke the contract
};

std::string model_assignment(const std::string& model) { return fmt::format("model.kind=\"{}\"", model); }

// The resolved config of a model, as the CLI builds it without a config file.
core::Config config_of(const std::string& model) {
  return models::resolve_config([&](core::Config& c) { c.apply_set(model_assignment(model)); });
}

// The keys of a model, "section.key", in the order `cotdyn config` prints them: those of the embedded
// config's sections and of the model's own sections (Model::default_sections()).
std::vector<std::string> keys_of(const models::Model& model, const core::Config& config) {
  const toml::table embedded = toml::parse(core::embedded_config_text());
  const toml::table own = toml::parse(model.default_sections());
  std::vector<std::string> keys;
  for (auto&& [section, node] : config.table()) {
    if (!embedded.contains(section.str()) && !own.contains(section.str())) continue;
    if (const auto* table = node.as_table())
      for (auto&& [key, value] : *table) keys.push_back(fmt::format("{}.{}", section.str(), key.str()));
  }
  return keys;
}

// Under every case: a short training time, so that the committee's stability check (its ODE up to
// train.t_max, docs/models/committee.md §5.1) stays cheap; train.t_max itself is fuzzed over it.
// A short run: one time unit, or, for a model that derives train.t_max from its own keys
// (Model::derived_keys), those keys (the Boolean-DAG and two-hop experiments: two steps, evaluated
// after each; the entropy study: one time unit, observed at its start and end).
std::vector<std::string> short_run_of(const std::string& model) {
  if (model == "natbool") return {"natbool.cap=2", "natbool.eval_every=1"};
  if (model == "two_hop") return {"two_hop.steps=2", "two_hop.eval_every=1"};
  if (model == "entropy")
    return {"entropy.adam_t_max=1", "entropy.sgd_t_max=1", "entropy.observations=2", "entropy.window=2"};
  return {"train.t_max=1"};
}
std::string short_run_arguments(const std::string& model) {
  std::string out;
  for (const auto& s : short_run_of(model)) out += (out.empty() ? "" : " ") + fmt::format("--set {}", s);
  return out;
}

// The validation path of `cotdyn theory` and `cotdyn simulate` before they write anything
// (cli/common.cpp load_config and checked_model; the simulate command's system_of and schedule):
// the config, its model, the model's checks of its theory and of its simulation, and the schedule
// (train.t_max, observe.times, train.seed). Nothing is allocated or trained.
void validate_as_the_cli_does(const Case& c) {
  const core::Config config = models::resolve_config([&](core::Config& user) {
    user.apply_set(model_assignment(c.model));
    for (const auto& s : short_run_of(c.model)) user.apply_set(s);
    user.apply_set(c.key + "=" + c.value);
  });
  const models::Model& model = models::model_for(config);
  model.validate(config);
  model.warnings(config);
  model.validate_simulation(config);
  models::schedule(model, config);
}

// The message names the key: "section.key", or the key's own name as a word of its own.
bool names_key(const std::string& message, const std::string& key) {
  if (message.find(key) != std::string::npos) return true;
  const std::string name = key.substr(key.find('.') + 1);
  const auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (auto at = message.find(name); at != std::string::npos; at = message.find(name, at + 1)) {
    const bool starts = at == 0 || !word(message[at - 1]);
    const bool ends = at + name.size() == message.size() || !word(message[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
}

Outcome run_case(const Case& c) {
  try {
    validate_as_the_cli_does(c);
    return {Verdict::valid, ""};
  } catch (const std::invalid_argument& e) {
    if (names_key(e.what(), c.key)) return {Verdict::refused, e.what()};
    return {Verdict::broken, fmt::format("std::invalid_argument that does not name {}: {}", c.key, e.what())};
  } catch (const std::exception& e) {
    return {Verdict::broken, fmt::format("{} (not std::invalid_argument): {}", typeid(e).name(), e.what())};
  } catch (...) {
    return {Verdict::broken, "an exception that is not a std::exception"};
  }
}

// ---- values ---------------------------------------------------------------------------------------

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

// TOML text of a node (numbers with every digit), for building variants of a default.
std::string toml_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return toml_string(s->get());
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::string t = fmt::format("{:.17g}", v);
    if (t.find_first_of(".eE") == std::string::npos) t += ".0";
    return t;
  }
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* a = node.as_array()) {
    std::string t = "[";
    for (std::size_t k = 0; k < a->size(); ++k) t += (k ? ", " : "") + toml_text(*a->get(k));
    return t + "]";
  }
  if (const auto* table = node.as_table()) {
    std::string t = "{";
    bool first = true;
    for (auto&& [k, v] : *table) {
      t += fmt::format("{}{} = {}", first ? " " : ", ", k.str(), toml_text(v));
      first = false;
    }
    return t + " }";
  }
  return "\"?\"";
}

// Values every key is tried with: each TOML type, the extremes of the numbers, empty and nested
// containers, and texts that are not TOML (taken as strings by --set).
const std::vector<std::string> every_key_values = {
    "true", "false", "0", "-1", "1", "2", "1.5", "-1.5", "0.0", "-0.0", "1e308", "-1e308", "1e-320",
    "4611686018427387904", "-4611686018427387904", "9223372036854775807", "-9223372036854775808",
    "2147483648", "4294967296", "nan", "inf", "-inf", "\"\"", "\" \"", "[]", "[[]]", "[[1, 2], [3]]",
    "[1, \"a\"]", "[true]", "[nan]", "[inf]", "[-1]", "[0]", "[1e308]", "[4611686018427387904]", "{ a = 1 }", "{}",
    "1979-05-27", "12:00:00", "\"not-a-choice\"", "not a toml value", "t_max", "[\"baseline\"]",
    "[[\"a\", \"b\"]]"};

// Variants of one key's default: its numbers pushed out of range, its strings and lists bent.
std::vector<std::string> variants_of(const toml::node& value) {
  std::vector<std::string> out;
  if (const auto* i = value.as_integer()) {
    const std::int64_t k = i->get();
    for (std::int64_t v : {k + 1, k - 1, -k, 2 * k, (std::int64_t{1} << 31) + k, (std::int64_t{1} << 32) + k,
                           (std::int64_t{1} << 62) + k, -(std::int64_t{1} << 32) + k})
      out.push_back(std::to_string(v));
    out.push_back(fmt::format("{}.0", k));
    out.push_back(fmt::format("{}.5", k));
    out.push_back(toml_string(std::to_string(k)));
  } else if (const auto* f = value.as_floating_point()) {
    const double x = f->get();
    for (double v : {-x, x * 1e6, x / 1e6, x * 1e300, x + 1e-300})
      out.push_back(fmt::format("{:.17g}", v));
    out.push_back(toml_string(fmt::format("{}", x)));
    if (x == std::floor(x) && std::abs(x) < 1e15) out.push_back(fmt::format("{}", static_cast<std::int64_t>(x)));
  } else if (const auto* b = value.as_boolean()) {
    out.push_back(b->get() ? "\"true\"" : "\"false\"");
    out.push_back("TRUE");
    out.push_back("[true]");
  } else if (const auto* s = value.as_string()) {
    const std::string v = s->get();
    std::string upper = v;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (const std::string& bent : {upper, v + "x", " " + v, v + " ", v.empty() ? "x" : v.substr(1),
                                    v.empty() ? "x" : v.substr(0, v.size() - 1), v + v})
      out.push_back(toml_string(bent));
    out.push_back(fmt::format("[{}]", toml_string(v)));
    // A structured string (observe.times "linear:a:b:n"): each field replaced in turn.
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
      const auto colon = v.find(':', start);
      fields.push_back(v.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    if (fields.size() > 1)
      for (std::size_t f = 0; f < fields.size(); ++f)
        for (const char* replacement : {"", "-1", "0", "1", "2.5", "nan", "inf", "-inf", "1e308", "1e12",
                                        "99999999999999999999", "x", "t_max", "log", "linear"}) {
          std::string bent;
          for (std::size_t g = 0; g < fields.size(); ++g) bent += (g ? ":" : "") + (g == f ? replacement : fields[g]);
          out.push_back(toml_string(bent));
        }
  } else if (const auto* a = value.as_array()) {
    out.push_back(fmt::format("[{}]", toml_text(*a)));  // one level deeper
    if (!a->empty()) {
      const std::string first = toml_text(*a->get(0));
      out.push_back(first);                                       // the first entry alone
      out.push_back(fmt::format("[{}, {}]", first, first));       // a repeated entry
      std::string reversed = "[", dropped = "[";
      for (std::size_t k = a->size(); k-- > 0;) reversed += toml_text(*a->get(k)) + (k ? ", " : "");
      for (std::size_t k = 0; k + 1 < a->size(); ++k) dropped += (k ? ", " : "") + toml_text(*a->get(k));
      out.push_back(reversed + "]");
      out.push_back(dropped + "]");
      // The first entry bent in every way a scalar is, the rest kept.
      std::vector<std::string> entries = variants_of(*a->get(0));
      for (const char* e : {"-1", "0", "nan", "inf", "1e308", "4611686018427387904", "\"\"", "[]", "true"})
        entries.push_back(e);
      for (const auto& entry : entries) {
        std::string bent = "[" + entry;
        for (std::size_t k = 1; k < a->size(); ++k) bent += ", " + toml_text(*a->get(k));
        out.push_back(bent + "]");
      }
    }
  }
  return out;
}

// Seeded random values, mapped from raw 64-bit draws so that every standard library draws the same.
std::vector<std::string> random_values(std::mt19937_64& rng, int count) {
  std::vector<std::string> out;
  const std::string alphabet = "abcxyzSLR019_:-. ,=";
  for (int k = 0; k < count; ++k) {
    const std::uint64_t draw = rng();
    switch (draw % 5) {
      case 0: {  // a double of any magnitude and sign
        const double mantissa = static_cast<double>(rng() >> 11) / 9007199254740992.0;
        const int exponent = static_cast<int>(rng() % 629) - 320;
        out.push_back(fmt::format("{:.17g}", ((rng() & 1) ? -1 : 1) * mantissa * std::pow(10.0, exponent)));
        break;
      }
      case 1:  // any 64-bit integer
        out.push_back(std::to_string(static_cast<std::int64_t>(rng())));
        break;
      case 2:  // a small integer
        out.push_back(std::to_string(static_cast<std::int64_t>(rng() % 2000) - 1000));
        break;
      case 3: {  // a short string
        std::string s;
        for (std::uint64_t n = rng() % 13; n > 0; --n) s += alphabet[rng() % alphabet.size()];
        out.push_back(toml_string(s));
        break;
      }
      default: {  // a list of small integers, maybe nested
        std::string s = "[";
        const bool nested = rng() & 1;
        for (std::uint64_t n = rng() % 5; n > 0; --n) {
          const std::string item = std::to_string(static_cast<std::int64_t>(rng() % 20) - 5);
          s += (s.size() > 1 ? ", " : "") + (nested ? "[" + item + "]" : item);
        }
        out.push_back(s + "]");
      }
    }
  }
  return out;
}

// The float spelling of every integer beyond 2^53 (where a double is no longer exact), so that the
// two spellings of one number can be held to the same verdict.
std::vector<std::string> float_spellings(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (v.empty() || v.find_first_not_of("-0123456789") != std::string::npos || v.size() < 17) continue;
    const double x = std::stod(v);
    if (std::abs(x) > 9007199254740992.0) out.push_back(fmt::format("{:.17e}", x));
  }
  return out;
}

// A value with an integer 2^32 + k (k small) in it, with that integer replaced by 2^31; "" when it has
// none. An int cast wraps 2^31 to a negative number and 2^32 + k to k: a key read through one refuses
// the probe but takes the value.
std::string wrap_probe(const std::string& value) {
  for (std::size_t at = 0; at < value.size();) {
    const auto start = value.find_first_of("0123456789", at);
    if (start == std::string::npos) break;
    const auto end = value.find_first_not_of("0123456789", start);
    const std::string digits = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const bool in_number = (start > 0 && (value[start - 1] == '.' || value[start - 1] == 'e' || value[start - 1] == '-')) ||
                           (end != std::string::npos && (value[end] == '.' || value[end] == 'e'));
    if (!in_number && digits.size() == 10 && digits >= "4294967296" && digits < "4294968296")
      return value.substr(0, start) + "2147483648" + (end == std::string::npos ? "" : value.substr(end));
    if (end == std::string::npos) break;
    at = end;
  }
  return "";
}

constexpr std::uint64_t fuzz_seed = 20261202;
constexpr int random_values_per_key = 12;

// Every case: each registered model, each of its config's keys, each value (duplicates dropped).
std::vector<Case> all_cases() {
  std::mt19937_64 rng(fuzz_seed);
  std::vector<Case> cases;
  for (const models::Model* model : models::all_models()) {
    const core::Config config = config_of(model->name());
    for (const auto& key : keys_of(*model, config)) {
      std::vector<std::string> values = every_key_values;
      for (auto& v : variants_of(config.get(key))) values.push_back(std::move(v));
      for (auto& v : random_values(rng, random_values_per_key)) values.push_back(std::move(v));
      for (auto& v : float_spellings(values)) values.push_back(std::move(v));
      for (std::size_t i = 0, n = values.size(); i < n; ++i)
        if (auto probe = wrap_probe(values[i]); !probe.empty()) values.push_back(std::move(probe));
      std::set<std::string> seen;
      for (const auto& v : values)
        if (seen.insert(v).second) cases.push_back({model->name(), key, v});
    }
  }
  return cases;
}

std::string describe(const Case& c) { return fmt::format("--set model.kind={} --set '{}={}'", c.model, c.key, c.value); }

// ---- running the cases in child processes -----------------------------------------------------

// A case may crash the process or never finish; each runs in a child process (two at a time) under
// a limit of processor time (not wall time: the machine may be busy), and a child that dies is
// replaced by a new one that goes on with the next case.
constexpr int seconds_per_case = 5;

struct Worker {
  std::vector<std::size_t> indices;  // the cases of this worker, in order
  std::size_t next = 0;              // the first of them without an outcome
  pid_t pid = -1;
  int fd = -1;
  std::string pending;  // bytes read, not yet a whole line
};

void start(Worker& worker, const std::vector<Case>& cases) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    for (std::size_t k = worker.next; k < worker.indices.size(); ++k) {
      // SIGPROF ends the child after seconds_per_case of processor time: the parent reports a hang.
      const itimerval limit{{0, 0}, {seconds_per_case, 0}};
      ::setitimer(ITIMER_PROF, &limit, nullptr);
      Outcome outcome = run_case(cases[worker.indices[k]]);
      std::replace(outcome.message.begin(), outcome.message.end(), '\n', ' ');
      const std::string line = fmt::format("{}\t{}\t{}\n", k, static_cast<int>(outcome.verdict), outcome.message);
      for (std::size_t written = 0; written < line.size();) {
        const auto n = ::write(pipe_fds[1], line.data() + written, line.size() - written);
        if (n <= 0) ::_exit(3);
        written += static_cast<std::size_t>(n);
      }
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  worker.pid = pid;
  worker.fd = pipe_fds[0];
}

// Every case's outcome, in the order of `cases`.
std::vector<Outcome> run_all(const std::vector<Case>& cases) {
  std::vector<Outcome> outcomes(cases.size());
  std::vector<Worker> workers(2);
  for (std::size_t i = 0; i < cases.size(); ++i) workers[i % workers.size()].indices.push_back(i);
  for (auto& w : workers) start(w, cases);
  for (;;) {
    std::vector<pollfd> polled;
    for (auto& w : workers)
      if (w.fd >= 0) polled.push_back({w.fd, POLLIN, 0});
    if (polled.empty()) break;
    REQUIRE(::poll(polled.data(), polled.size(), -1) > 0);
    for (auto& w : workers) {
      if (w.fd < 0) continue;
      const auto it = std::find_if(polled.begin(), polled.end(), [&](const pollfd& p) { return p.fd == w.fd; });
      if (it == polled.end() || it->revents == 0) continue;
      char buffer[65536];
      const auto n = ::read(w.fd, buffer, sizeof buffer);
      if (n > 0) {
        w.pending.append(buffer, static_cast<std::size_t>(n));
        for (auto end = w.pending.find('\n'); end != std::string::npos; end = w.pending.find('\n')) {
          const std::string line = w.pending.substr(0, end);
          w.pending.erase(0, end + 1);
          const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
          const std::size_t k = std::stoul(line.substr(0, tab1));
          outcomes[w.indices[k]] = {static_cast<Verdict>(std::stoi(line.substr(tab1 + 1, tab2 - tab1 - 1))),
                                    line.substr(tab2 + 1)};
          w.next = k + 1;
        }
        continue;
      }
      // The child is done, or died in the case after its last outcome.
      ::close(w.fd);
      w.fd = -1;
      int status = 0;
      ::waitpid(w.pid, &status, 0);
      if (w.next < w.indices.size()) {
        const std::string how =
            WIFSIGNALED(status)
                ? (WTERMSIG(status) == SIGPROF ? fmt::format("did not finish within {} s of processor time", seconds_per_case)
                                                : fmt::format("crashed with signal {} ({})", WTERMSIG(status),
                                                              ::strsignal(WTERMSIG(status))))
                : fmt::format("the checking process exited with status {}", WEXITSTATUS(status));
        outcomes[w.indices[w.next]] = {Verdict::broken, how};
        ++w.next;
        if (w.next < w.indices.size()) start(w, cases);
      }
    }
  }
  return outcomes;
}

}  // namespace

TEST_CASE("config fuzz: every key of every model validates or is refused with std::invalid_argument naming the key") {
  const auto start_time = std::chrono::steady_clock::now();
  const std::vector<Case> cases = all_cases();
  REQUIRE(cases.size() > 3000);
  const std::vector<Outcome> outcomes = run_all(cases);
  std::map<std::tuple<std::string, std::string, std::string>, const Outcome*> by_case;
  for (std::size_t i = 0; i < cases.size(); ++i) by_case[{cases[i].model, cases[i].key, cases[i].value}] = &outcomes[i];
  const auto outcome_of = [&](const Case& c, const std::string& value) -> const Outcome* {
    const auto it = by_case.find({c.model, c.key, value});
    return it == by_case.end() ? nullptr : it->second;
  };

  std::size_t refused = 0, valid = 0;
  std::vector<std::string> broken;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Outcome& outcome = outcomes[i];
    if (outcome.verdict == Verdict::valid) ++valid;
    if (outcome.verdict == Verdict::refused) ++refused;
    if (outcome.verdict == Verdict::broken) broken.push_back(describe(c) + " -> " + outcome.message);
    // One number, two spellings: an integer beyond 2^53 that validates while its float spelling is
    // refused for its size was read as some other number.
    // No wrap-around: a value with 2^32 + k in it validates while the same with 2^31 is refused.
    if (const auto probe = wrap_probe(c.value); !probe.empty() && outcome.verdict == Verdict::valid)
      if (const Outcome* low = outcome_of(c, probe); low && low->verdict != Verdict::valid)
        broken.push_back(fmt::format("{} validates (2^32 + k read as k?), but {} is refused: {}", describe(c), probe,
                                     low->message));
    for (const auto& spelled : float_spellings({c.value})) {
      const Outcome* as_float = outcome_of(c, spelled);
      if (outcome.verdict == Verdict::valid && as_float && as_float->verdict == Verdict::refused &&
          as_float->message.find("integer") == std::string::npos)
        broken.push_back(fmt::format("{} validates, but the same number written {} is refused: {}", describe(c),
                                     spelled, as_float->message));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  MESSAGE(fmt::format("{} cases in {:.1f} s: {} valid, {} refused naming the key, {} broken", cases.size(), seconds,
                      valid, refused, broken.size()));
  for (const auto& b : broken) FAIL_CHECK(b);
  CHECK(refused > cases.size() / 3);  // the fuzzer really reaches the checks (many keys belong to other commands)
}

namespace {
// A value that cannot make a valid run expensive: not a number, or a number of at most 100.
bool modest(const std::string& value) {
  try {
    std::size_t used = 0;
    const double x = std::stod(value, &used);
    return used != value.size() || std::abs(x) <= 100;
  } catch (const std::exception&) {
    return true;
  }
}
}  // namespace

TEST_CASE("config fuzz through the binary: exit 0 or 2, on 2 a message naming the key and no output directory") {
  const fs::path dir = cotdyn::testing::scratch_directory("config_fuzz", "binary");
  // A seeded sample of the cases, checked in-process first: refused and valid ones per
  // model and command (three and two), the valid ones of modest values (a short run).
  std::vector<Case> pool = all_cases();
  std::mt19937_64 rng(fuzz_seed + 1);
  for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng() % i]);
  pool.resize(600);
  const std::vector<Outcome> expected = run_all(pool);
  struct Run {
    Case c;
    std::string command;
  };
  std::vector<Run> runs;
  std::vector<bool> used(pool.size(), false);  // each case once
  for (const models::Model* model : models::all_models())
    for (const std::string command : {"theory", "simulate"}) {
      int refused = 0, valid = 0;
      for (std::size_t i = 0; i < pool.size(); ++i) {
        if (pool[i].model != model->name() || used[i]) continue;
        if ((expected[i].verdict == Verdict::refused && refused < 3 && ++refused) ||
            (expected[i].verdict == Verdict::valid && valid < 2 && modest(pool[i].value) && ++valid)) {
          runs.push_back({pool[i], command});
          used[i] = true;
        }
      }
    }
  REQUIRE(runs.size() >= 30);
  std::vector<int> status(runs.size());
  const auto arguments = [&](std::size_t i) {
    const Run& r = runs[i];
    return fmt::format("{} --set 'model.kind=\"{}\"' {} {} --set '{}={}' --out '{}'", r.command, r.c.model,
                       short_run_arguments(r.c.model), r.command == "simulate" ? "--set train.seeds=1" : "", r.c.key, r.c.value,
                       (dir / fmt::format("out{}", i)).string());
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < runs.size(); i += 2)
        status[i] = cotdyn::testing::run_cotdyn(arguments(i), dir / fmt::format("log{}", i), "timeout -s KILL 120");
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string log = cotdyn::testing::read_text(dir / fmt::format("log{}", i));
    INFO(fmt::format("cotdyn {}\n{}", arguments(i), log));
    CHECK((status[i] == 0 || status[i] == 2));
    if (status[i] == 2) {
      CHECK(names_key(log, runs[i].c.key));
      CHECK(log.find("cotdyn: error:") != std::string::npos);
      CHECK_FALSE(fs::exists(dir / fmt::format("out{}", i)));
    }
    if (status[i] == 0) CHECK(fs::exists(dir / fmt::format("out{}", i) / "manifest.json"));
  }
  fs::remove_all(dir);
}

// Cases the fuzzer found that pass validation in-process but break the binary: an integer beyond
// 2^53 in a number list, and 2^32 + k in an integer matrix (both read through core::Config).
TEST_CASE("config fuzz findings through the binary: huge integers in lists are refused, not read as other numbers") {
  const fs::path dir = cotdyn::testing::scratch_directory("config_fuzz", "findings");
  std::vector<std::pair<std::string, std::string>> runs;  // (arguments, key)
  for (const models::Model* model : models::all_models())
    runs.push_back({fmt::format("theory --set 'model.kind=\"{}\"' {} --set observe.times=4611686018427387904",
                                model->name(), short_run_arguments(model->name())),
                    "observe.times"});
  runs.push_back({fmt::format("theory {} --set 'task.actions=[[4294967297,0,2,3],[0,2,1,3],[0,1,3,2],[1,2,3,0]]'",
                              short_run_arguments("state_tracking")),
                  "task.actions"});
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const fs::path out = dir / fmt::format("out{}", i);
    const int status = cotdyn::testing::run_cotdyn(fmt::format("{} --out '{}'", runs[i].first, out.string()),
                                                   dir / "log", "timeout -s KILL 120");
    const std::string log = cotdyn::testing::read_text(dir / "log");
    INFO(fmt::format("cotdyn {}\nexit status {}\n{}", runs[i].first, status, log));
    CHECK(status == 2);
    CHECK(names_key(log, runs[i].second));
    CHECK_FALSE(fs::exists(out));
  }
  fs::remove_all(dir);
}
