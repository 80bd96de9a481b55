#pragma once
// 64 bytes of numbers as one value of GCC's and Clang's vector extensions, and the exponential on them.
// Every operation is lane by lane with the same roundings whatever the instruction set (one AVX-512
// register, two AVX2 or four SSE2 ones), so a kernel written with Lanes gives the same numbers in each
// of its vector clones (core/vector_clones.hpp), provided its file is compiled with -ffp-contract=off.
#include <cstdint>
#include <cstring>

// A 64-byte vector passed by value changes the calling convention between instruction sets (GCC's
// -Wpsabi note); every function here is always inlined, so no call crosses that boundary.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace cotdyn::core {

template <typename Real>
struct Lanes;
template <>
struct Lanes<double> {
  typedef double type __attribute__((vector_size(64)));
  typedef std::int64_t bits __attribute__((vector_size(64)));
};
template <>
struct Lanes<float> {
  typedef float type __attribute__((vector_size(64)));
  typedef std::int32_t bits __attribute__((vector_size(64)));
};
template <typename Real>
inline constexpr std::int64_t lanes_of = static_cast<std::int64_t>(sizeof(typename Lanes<Real>::type) / sizeof(Real));

template <typename Real>
inline __attribute__((always_inline)) typename Lanes<Real>::type load_lanes(const Real* from) {
  typename Lanes<Real>::type value;
  std::memcpy(&value, from, sizeof value);
  return value;
}
template <typename Real>
inline __attribute__((always_inline)) void store_lanes(Real* to, const typename Lanes<Real>::type& value) {
  std::memcpy(to, &value, sizeof value);
}

// e^x lane by lane, within 1 ulp of the correctly rounded value for -708 <= x <= 709 (tested against
// std::exp in tests/core/lanes_test.cpp); 0 below -708 (where e^x < 3.3e-308) and +inf above 709.
// x = k ln 2 + r with k = round(x / ln 2), |r| <= ln(2)/2 (ln 2 in two parts, so k ln2_hi is exact),
// e^r by its Taylor series to r^13 (the rest is below 5e-18 relative), times 2^k built in the exponent bits.
inline __attribute__((always_inline)) Lanes<double>::type exp_lanes(Lanes<double>::type x) {
  using Vector = Lanes<double>::type;
  using Bits = Lanes<double>::bits;
  const Bits below = x < -708.0, above = x > 709.0;
  x = below ? Vector{} - 708.0 : x;
  x = above ? Vector{} + 709.0 : x;
  constexpr double shifter = 6755399441055744.0;  // 1.5 2^52: adding it rounds to an integer in the low bits
  const Vector shifted = x * 1.4426950408889634074 + shifter;
  const Vector k = shifted - shifter;
  const Vector r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  Vector p = Vector{} + 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  Bits exponent;
  std::memcpy(&exponent, &shifted, sizeof exponent);
  exponent = (exponent - std::int64_t{0x4338000000000000} + 1023) << 52;  // the bits of 2^k
  Vector scale;
  std::memcpy(&scale, &exponent, sizeof scale);
  Vector result = p * scale;
  result = below ? Vector{} : result;
  result = above ? Vector{} + __builtin_inf() : result;
  return result;
}

// values[i] = e^values[i] for i < count: exp_lanes on whole Lanes, the tail through one padded Lanes.
inline __attribute__((always_inline)) void exp_in_place(double* values, std::int64_t count) {
  constexpr std::int64_t lanes = lanes_of<double>;
  std::int64_t i = 0;
  for (; i + lanes <= count; i += lanes) store_lanes(values + i, exp_lanes(load_lanes(values + i)));
  if (i < count) {
    double tail[lanes] = {};
    std::memcpy(tail, values + i, static_cast<std::size_t>(count - i) * sizeof(double));
    store_lanes(tail, exp_lanes(load_lanes(tail)));
    std::memcpy(values + i, tail, static_cast<std::size_t>(count - i) * sizeof(double));
  }
}

}  // namespace cotdyn::core

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
