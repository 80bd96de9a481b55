#include <cotdyn/core/output_directory.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <doctest/doctest.h>

using cotdyn::core::open_output_directory;

TEST_CASE("an output directory is created and locked while the returned object lives") {
  const auto dir = std::filesystem::temp_directory_path() / "cotdyn_test_output_directory" / "a" / "b";
  std::filesystem::remove_all(dir.parent_path().parent_path());
  {
    const auto opened = open_output_directory(dir.string());
    CHECK(std::filesystem::is_directory(dir));
    CHECK(opened.path == dir);
    // A second writer (here: the same process again) is refused while the first holds it.
    CHECK_THROWS_WITH_AS(open_output_directory(dir.string()), doctest::Contains("another cotdyn is writing"),
                         std::invalid_argument);
  }
  // Released: the next call (a second Python call into the same directory) may write it.
  CHECK_NOTHROW(open_output_directory(dir.string()));
  std::filesystem::remove_all(dir.parent_path().parent_path());
}

TEST_CASE("a path that cannot be a directory is refused, naming --out") {
  const auto file = std::filesystem::temp_directory_path() / "cotdyn_test_output_directory_file";
  { std::ofstream(file) << "x"; }
  CHECK_THROWS_WITH_AS(open_output_directory((file / "sub").string()), doctest::Contains("--out"), std::invalid_argument);
  std::filesystem::remove(file);
}
