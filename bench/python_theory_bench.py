"""The default theory call from Python, cotdyn.theory(), timed like bench_commands' BM_TheoryCommand
(the same library call from C++). Usage: PYTHONPATH=build/python python3 bench/python_theory_bench.py"""
import statistics
import time

import cotdyn

cotdyn.theory()  # warm up (registry, first allocation)
samples = []
for _ in range(7):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        cotdyn.theory()
        n += 1
    samples.append((time.perf_counter() - start) / n)
print(f"cotdyn.theory(): median {statistics.median(samples) * 1e3:.3f} ms per call "
      f"(min {min(samples) * 1e3:.3f}, max {max(samples) * 1e3:.3f}; 7 repeats of 1 s)")
