#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/core/choice.hpp>

namespace {
enum class Fruit { apple, pear, plum };
constexpr cotdyn::core::ChoiceNames<Fruit, 3> fruit_names{{{Fruit::apple, "apple"}, {Fruit::pear, "pear"}, {Fruit::plum, "plum"}}};
}  // namespace

TEST_CASE("a choice is parsed by its name and printed back by the same table") {
  using cotdyn::core::name_of;
  using cotdyn::core::parse_choice;
  CHECK(parse_choice("basket.fruit", "pear", fruit_names) == Fruit::pear);
  CHECK(name_of(Fruit::plum, fruit_names) == "plum");
  for (const auto& [fruit, name] : fruit_names) CHECK(parse_choice("k", std::string(name), fruit_names) == fruit);
}

TEST_CASE("an unknown name is an error naming the key, the value and the allowed names") {
  std::string message;
  try {
    cotdyn::core::parse_choice("basket.fruit", "Pear", fruit_names);
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  CHECK(message == "basket.fruit = \"Pear\": allowed are \"apple\", \"pear\" and \"plum\"");
}
