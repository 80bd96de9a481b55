#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <cotdyn/core/memory.hpp>

using cotdyn::core::MemoryEstimate;

TEST_CASE("a memory estimate adds its parts and names the key of its largest part that has one") {
  const MemoryEstimate estimate{{{"this process now", 5e9, ""}, {"weights", 2e9, "model.d"}, {"evaluation", 3e9, "train.seeds"}}};
  CHECK(estimate.total() == doctest::Approx(1e10));
  CHECK(estimate.key_to_lower() == "train.seeds");
  CHECK(estimate.str() == "10 GB (this process now 5 GB, weights 2 GB, evaluation 3 GB)");
  CHECK(estimate.to_json().at("bytes").get<double>() == doctest::Approx(1e10));
  CHECK(estimate.to_json().at("parts").size() == 3);
  CHECK(MemoryEstimate{}.key_to_lower().empty());
}

TEST_CASE("bytes are written in decimal units with three digits") {
  CHECK(cotdyn::core::format_bytes(999) == "999 B");
  CHECK(cotdyn::core::format_bytes(351.4e6) == "351 MB");
  CHECK(cotdyn::core::format_bytes(1.25e12) == "1.25 TB");
  CHECK(cotdyn::core::format_bytes(999.7e6) == "1 GB");
  CHECK(cotdyn::core::format_bytes(999.4e6) == "999 MB");
}

TEST_CASE("a run that does not fit is refused with the estimate, the limit and the key to lower") {
  const MemoryEstimate estimate{{{"logic tensors", 8e12, "train.seeds or model.d"}}};
  CHECK_NOTHROW(cotdyn::core::check_fits(estimate, 9e12, "cotdyn simulate"));
  try {
    cotdyn::core::check_fits(estimate, 2e10, "cotdyn simulate");
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) ==
          "cotdyn simulate needs an estimated 8 TB (logic tensors 8 TB), more than the 20 GB available; lower "
          "train.seeds or model.d");
  }
}

TEST_CASE("this machine reports its available memory and this process its resident size") {
  const auto available = cotdyn::core::available_memory();
  REQUIRE(available.has_value());  // Linux: /proc/meminfo
  CHECK(*available > 0);
  CHECK(cotdyn::core::resident_memory() > 1e6);
}
