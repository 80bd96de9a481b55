// A seed's input stream (docs/models/committee.md §8.1): its numbers are standard normals, a seed
// always gives the same stream and another seed another, and a state saved as text continues the
// stream exactly; text that is not a state is refused.
#include <cmath>
#include <stdexcept>
#include <vector>

#include <cotdyn/simulation/committee/input_stream.hpp>

#include <doctest/doctest.h>

using cotdyn::simulation::committee::InputStream;

TEST_CASE("the input stream draws standard normals") {
  // 200,000 draws: the mean's standard error is 0.0022, the variance's 0.0032, the fourth moment's
  // sqrt(96/n) = 0.022; each bound is five standard errors. The share beyond 3 s.d. (0.0027) tests
  // the ziggurat's tail.
  InputStream stream(7);
  const int n = 200000;
  std::vector<double> x(n);
  stream.fill(x.data(), n);
  double m1 = 0, m2 = 0, m4 = 0;
  int beyond3 = 0;
  for (double v : x) {
    m1 += v / n;
    m2 += v * v / n;
    m4 += v * v * v * v / n;
    beyond3 += std::abs(v) > 3;
  }
  CHECK(std::abs(m1) < 5 * 0.0022);
  CHECK(std::abs(m2 - 1) < 5 * 0.0032);
  CHECK(std::abs(m4 - 3) < 5 * 0.022);
  // Binomial(n, 0.0026998): mean 540, s.d. 23.
  CHECK(std::abs(beyond3 - 540) < 5 * 23);
}

TEST_CASE("the same seed gives the same stream and another seed another") {
  InputStream a(3), b(3), c(4);
  std::vector<double> xa(100), xb(100), xc(100);
  a.fill(xa.data(), 100);
  b.fill(xb.data(), 100);
  c.fill(xc.data(), 100);
  CHECK(xa == xb);
  CHECK(xa != xc);
  // fill(n) and n calls of next() are the same numbers.
  InputStream d(3);
  for (int j = 0; j < 100; ++j) CHECK(d.next() == xa[static_cast<std::size_t>(j)]);
}

TEST_CASE("a stream restored from its state continues exactly") {
  InputStream original(11);
  std::vector<double> skip(57);
  original.fill(skip.data(), 57);
  InputStream restored(0);
  restored.set_state(original.state());
  for (int j = 0; j < 1000; ++j) CHECK(restored.next() == original.next());
}

TEST_CASE("a state that is not a Mersenne twister's is refused and leaves the stream as it was") {
  InputStream stream(5), reference(5);
  CHECK_THROWS_AS(stream.set_state("1 2 3"), std::invalid_argument);
  CHECK_THROWS_AS(stream.set_state(reference.state() + " 9"), std::invalid_argument);
  CHECK_THROWS_AS(stream.set_state(""), std::invalid_argument);
  CHECK(stream.next() == reference.next());
}
