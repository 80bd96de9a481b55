#include <cotdyn/analysis/sweep/shard.hpp>

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace cotdyn::sweep {

namespace {
std::optional<long long> parse_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    const long long value = std::stoll(text, &used);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
}  // namespace

std::string Shard::name() const { return fmt::format("shard-{}-of-{}", index, count); }

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto index = parse_integer(text.substr(0, slash));
  const auto count = slash == std::string::npos ? std::nullopt : parse_integer(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *index < 0 || *index >= *count)
    throw std::invalid_argument(fmt::format("--shard {}: must be I/N with N >= 1 and 0 <= I < N, e.g. --shard 0/4",
                                            text));
  return {static_cast<std::size_t>(*index), static_cast<std::size_t>(*count)};
}

std::optional<Shard> shard_from_slurm(const std::map<std::string, std::string>& environment) {
  const auto get = [&](const char* name) -> std::string {
    const auto it = environment.find(name);
    return it == environment.end() ? std::string() : it->second;
  };
  const std::string count_text = get("SLURM_ARRAY_TASK_COUNT");
  if (count_text.empty()) return std::nullopt;
  const auto count = parse_integer(count_text), id = parse_integer(get("SLURM_ARRAY_TASK_ID"));
  const auto minimum = parse_integer(get("SLURM_ARRAY_TASK_MIN").empty() ? "0" : get("SLURM_ARRAY_TASK_MIN"));
  if (!count || !id || !minimum || *count < 1 || *id - *minimum < 0 || *id - *minimum >= *count)
    throw std::invalid_argument(fmt::format(
        "Slurm job array: SLURM_ARRAY_TASK_ID = {}, SLURM_ARRAY_TASK_MIN = {}, SLURM_ARRAY_TASK_COUNT = {} do not "
        "give a shard I/N with 0 <= I < N (sweeps need a contiguous array such as --array=0-7; or pass --shard)",
        get("SLURM_ARRAY_TASK_ID"), get("SLURM_ARRAY_TASK_MIN"), count_text));
  return Shard{static_cast<std::size_t>(*id - *minimum), static_cast<std::size_t>(*count)};
}

std::optional<Shard> shard_from_slurm_environment() {
  std::map<std::string, std::string> environment;
  for (const char* name : {"SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN"})
    if (const char* value = std::getenv(name)) environment[name] = value;
  return shard_from_slurm(environment);
}

}  // namespace cotdyn::sweep
