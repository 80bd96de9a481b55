#include <cotdyn/simulation/committee/input_stream.hpp>

#include <sstream>
#include <stdexcept>

#include <boost/random/normal_distribution.hpp>

namespace cotdyn::simulation::committee {

namespace {
// Boost's normal_distribution keeps no state between draws (the ziggurat needs none), so one
// default-constructed distribution per draw is the same as one kept alive.
using StandardNormal = boost::random::normal_distribution<double>;
using Engine = boost::random::mt19937_64;
}  // namespace

InputStream::InputStream(std::uint64_t seed) : engine_(seed) {}

void InputStream::fill(double* out, int n) {
  StandardNormal normal;
  for (int j = 0; j < n; ++j) out[j] = normal(engine_);
}

double InputStream::next() { return StandardNormal()(engine_); }

std::string InputStream::state() const {
  std::ostringstream text;
  text << engine_;
  return text.str();
}

void InputStream::set_state(const std::string& state) {
  // The text is the engine's state_size words; Boost's reader sets failbit at the end of the text
  // even when it read a whole state, so the words are counted here first.
  std::istringstream words(state);
  std::size_t count = 0;
  for (std::uint64_t word = 0; words >> word;) ++count;
  if (!words.eof() || count != Engine::state_size)
    throw std::invalid_argument("not the state of a 64-bit Mersenne twister (" + std::to_string(Engine::state_size) +
                                " unsigned integers expected)");
  std::istringstream text(state);
  text >> engine_;
}

}  // namespace cotdyn::simulation::committee
