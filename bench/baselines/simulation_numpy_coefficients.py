#!/usr/bin/env python3
"""Baseline for bench/simulation_bench.cpp: the coefficient form of docs/theory.md §2, one seed,
vectorised numpy (float64), same closed-form SGD step as cotdyn's coefficient storage.
Prints seed-steps per second.   usage: simulation_numpy_coefficients.py [d] [steps]"""
import sys
import time
import itertools
import numpy as np

n_group = 4
states = list(itertools.permutations(range(n_group)))
index = {s: i for i, s in enumerate(states)}
actions = [(1, 0, 2, 3), (0, 2, 1, 3), (0, 1, 3, 2), (1, 2, 3, 0)]
perm = np.array([[index[tuple(g[s[i]] for i in range(n_group))] for s in states] for g in actions])
n, K, L, B = len(states), len(actions), 9, 4
eta_W, eta_A, sigma2 = 10.0, 2.0, 0.01


def main():
    d = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = np.random.default_rng(1)
    U = rng.standard_normal((n, d)); U /= np.linalg.norm(U, axis=1, keepdims=True)
    E = rng.standard_normal((K, d)); E /= np.linalg.norm(E, axis=1, keepdims=True)
    q = rng.standard_normal(d) * np.sqrt(sigma2 / d)
    k = rng.standard_normal(d) * np.sqrt(sigma2 / d)
    Gu, Ge = U @ U.T, E @ E.T
    C = np.zeros((n, K, n))
    m = np.arange(d // 2)
    theta = 2 * np.pi * (1 + m % (L - 1)) / L
    r = np.arange(L)
    cos_t, sin_t = np.cos(np.outer(theta, r)), np.sin(np.outer(theta, r))  # [d/2, L]
    lag = (np.arange(L)[:, None] - r[None, :]) % L                         # [t, r]
    Q = B * L
    start = time.perf_counter()
    for _ in range(steps):
        a = rng.integers(0, K, size=(B, L))
        s = np.empty((B, L + 1), dtype=np.int64)
        s[:, 0] = rng.integers(0, n, size=B)
        for t in range(L):
            s[:, t + 1] = perm[a[:, t], s[:, t]]
        q0, q1, k0, k1 = q[0::2], q[1::2], k[0::2], k[1::2]
        S = (q0 * k0 + q1 * k1) @ cos_t + (q0 * k1 - q1 * k0) @ sin_t
        alpha = np.exp(S - S.max()); alpha /= alpha.sum()
        lagged = np.eye(K)[a[:, lag]]                                       # [B, t, r, K]
        w = np.einsum('r,btra->bta', alpha, lagged).reshape(Q, K)
        T = np.einsum('xp,pbq,ba,tq->xat', Gu, C, Ge, Gu, optimize=True)    # [s', a, s]
        cur, tgt = s[:, :L].reshape(Q), s[:, 1:].reshape(Q)
        rows = T[:, :, cur].transpose(2, 0, 1)                               # [Q, n, K]
        z = np.einsum('qna,qa->qn', rows, w)
        p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
        err = p; err[np.arange(Q), tgt] -= 1.0
        grad_w = np.einsum('qn,qna->qa', err, rows).reshape(B, L, 1, K) / Q
        grad_alpha = (lagged * grad_w).sum(axis=(0, 1, 3))
        grad_S = alpha * (grad_alpha - alpha @ grad_alpha)
        ga, gb = cos_t @ grad_S, sin_t @ grad_S
        gq = np.empty(d); gk = np.empty(d)
        gq[0::2], gq[1::2] = ga * k0 + gb * k1, ga * k1 - gb * k0
        gk[0::2], gk[1::2] = ga * q0 - gb * q1, ga * q1 + gb * q0
        inp = np.zeros((Q, K, n)); inp[np.arange(Q), :, cur] = w
        C -= (eta_W / d / Q) * np.einsum('qx,qas->xas', err, inp)
        q -= eta_A / d * gq
        k -= eta_A / d * gk
    elapsed = time.perf_counter() - start
    print(f"numpy coefficient form, d={d}, 1 seed: {steps / elapsed:.1f} seed-steps/s ({elapsed:.2f} s for {steps} steps)")


if __name__ == "__main__":
    main()
