#pragma once
// One seed's stream of inputs and label noises (docs/models/committee.md §8.1): standard normals
// drawn by Boost.Random's ziggurat normal_distribution from a 64-bit Mersenne twister seeded with
// the seed's number. About 5 ns per value, against 17-28 ns for LibTorch's scalar Box-Muller
// normal_ (§8.4). Torch-free.
#include <cstdint>
#include <string>

#include <boost/random/mersenne_twister.hpp>

namespace cotdyn::simulation::committee {

class InputStream {
 public:
  explicit InputStream(std::uint64_t seed);

  // n standard normals into out[0 .. n), in order.
  void fill(double* out, int n);
  // One standard normal (the label noise zeta).
  double next();

  // The engine's whole state as text, and back: a stream restored from state() continues exactly
  // as the one it was taken from. set_state throws std::invalid_argument on text that is not such a state.
  std::string state() const;
  void set_state(const std::string& state);

 private:
  boost::random::mt19937_64 engine_;
};

}  // namespace cotdyn::simulation::committee
