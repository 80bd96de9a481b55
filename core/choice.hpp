#pragma once
// A config key whose value is one of a few names, parsed once into an enum at resolve time. The
// table of names is the one place that spells the choice: parsing, the error message and printing
// the value back all read it.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace cotdyn::core {

template <typename Enum, std::size_t N>
using ChoiceNames = std::array<std::pair<Enum, std::string_view>, N>;

// "allowed are \"a\", \"b\" and \"c\"".
template <typename Enum, std::size_t N>
std::string allowed_choices(const ChoiceNames<Enum, N>& names) {
  std::string text = N == 1 ? "allowed is " : "allowed are ";
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) text += i + 1 == N ? " and " : ", ";
    text += '"';
    text += names[i].second;
    text += '"';
  }
  return text;
}

// The enum named `value`; std::invalid_argument "key = \"value\": allowed are ..." otherwise.
template <typename Enum, std::size_t N>
Enum parse_choice(const std::string& key, const std::string& value, const ChoiceNames<Enum, N>& names) {
  for (const auto& [choice, name] : names)
    if (name == value) return choice;
  throw std::invalid_argument(key + " = \"" + value + "\": " + allowed_choices(names));
}

// The config spelling of a choice.
template <typename Enum, std::size_t N>
std::string name_of(Enum choice, const ChoiceNames<Enum, N>& names) {
  for (const auto& [c, name] : names)
    if (c == choice) return std::string(name);
  throw std::logic_error("name_of: a choice without a name");
}

}  // namespace cotdyn::core
