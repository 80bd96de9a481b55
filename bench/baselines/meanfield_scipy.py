#!/usr/bin/env python3
"""Baseline for bench_meanfield: the docs/theory.md §4 ODE solved with scipy's solve_ivp (LSODA) at the
same tolerances (rtol 1e-10, atol 1e-12), its right-hand side vectorised with numpy over the count
vectors. Prints the median wall time of one solve and the values at t = 50 and 100 as a check.

Run: /usr/bin/python3 bench/baselines/meanfield_scipy.py [repeats]
"""
import itertools
import math
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

n, K, L, eta_W, eta_A, sigma2 = 24, 4, 9, 10.0, 2.0, 0.01

counts = np.array([c for c in itertools.product(range(L), repeat=K) if sum(c) == L - 1], dtype=float)
rho = np.array([math.factorial(L - 1) / np.prod([math.factorial(int(x)) for x in c]) for c in counts]) * K ** -(L - 1)


def rhs(t, x):
    M, R, Q = x
    P = -(R + (K - 1) * Q) / (n - K)
    A, H = R - Q, Q - P
    N = math.sqrt(M * M + sigma2 * sigma2)
    alpha = 1.0 / (1.0 + (L - 1) * math.exp(-L * M / (L - 1)))
    beta = (1.0 - alpha) / (L - 1)
    w = beta * counts
    w[:, 0] += alpha
    zeta = H + A * w
    shift = np.maximum(zeta.max(axis=1), 0.0)
    e = np.exp(zeta - shift[:, None])
    Z = e.sum(axis=1) + (n - K) * np.exp(-shift)
    p = e / Z[:, None]
    E1 = rho @ (w * p).sum(axis=1)
    E2 = alpha + (1 - alpha) / K
    E3 = rho @ p.sum(axis=1)
    E4 = rho @ p[:, 0]
    dM = 2 * eta_A * N * (L / (L - 1)) * alpha * A * (1 - E4 - E2 + E1)
    dR = eta_W / (n * K) * (E2 - E1)
    dQ = eta_W / (n * K * (K - 1)) * (1 - E2 - E3 + E1)
    return [dM, dR, dQ]


def solve():
    return solve_ivp(rhs, (0.0, 100.0), [0.0, 0.0, 0.0], method="LSODA", t_eval=np.linspace(0, 100, 41),
                     rtol=1e-10, atol=1e-12)


repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
times = []
for _ in range(repeats):
    start = time.perf_counter()
    sol = solve()
    times.append(time.perf_counter() - start)
print(f"scipy LSODA solve: median {1e3 * float(np.median(times)):.1f} ms over {repeats} runs "
      f"({sol.nfev} RHS evaluations)")
print(f"check: t=50 M={sol.y[0][20]:.6f} R={sol.y[1][20]:.6f} Q={sol.y[2][20]:.6f}; "
      f"t=100 M={sol.y[0][40]:.6f} R={sol.y[1][40]:.6f}")
