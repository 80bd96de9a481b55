#!/usr/bin/env python3
"""Baseline for bench/simulation_bench.cpp: the full-tensor model of docs/theory.md §2 in plain
PyTorch (Python, eager, autograd), one seed, float32. Prints seed-steps per second.
usage: /usr/bin/python3 simulation_torch_tensor.py [d] [steps] [threads]"""
import sys
import time
import itertools
import math
import torch

n_group = 4
states = list(itertools.permutations(range(n_group)))
index = {s: i for i, s in enumerate(states)}
actions = [(1, 0, 2, 3), (0, 2, 1, 3), (0, 1, 3, 2), (1, 2, 3, 0)]
perm = torch.tensor([[index[tuple(g[s[i]] for i in range(n_group))] for s in states] for g in actions])
n, K, L, B = len(states), len(actions), 9, 4
eta_W, eta_A, sigma2 = 10.0, 2.0, 0.01


def rope(x, positions, theta):
    angle = positions[:, None] * theta[None, :]            # [P, d/2]
    c, s = torch.cos(angle), torch.sin(angle)
    x0, x1 = x[0::2], x[1::2]
    return torch.stack([x0 * c - x1 * s, x0 * s + x1 * c], dim=2).reshape(len(positions), -1)


def main():
    d = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    g = torch.Generator().manual_seed(1)
    U = torch.randn(n, d, generator=g); U /= U.norm(dim=1, keepdim=True)
    E = torch.randn(K, d, generator=g); E /= E.norm(dim=1, keepdim=True)
    WQ = (torch.randn(d, d, generator=g) * math.sqrt(sigma2 / d)).requires_grad_()
    WK = (torch.randn(d, d, generator=g) * math.sqrt(sigma2 / d)).requires_grad_()
    W = torch.zeros(d, d, d, requires_grad=True)
    b = torch.zeros(d); b[0] = 1.0
    m = torch.arange(d // 2)
    theta = 2 * math.pi * (1 + m % (L - 1)) / L
    qpos, kpos = torch.arange(L + 1, 2 * L + 1).float(), torch.arange(1, L + 1).float()
    start = None
    for step in range(steps + 2):
        if step == 2:
            start = time.perf_counter()  # two warm-up steps
        a = torch.randint(0, K, (B, L), generator=g)
        s = torch.empty(B, L + 1, dtype=torch.long)
        s[:, 0] = torch.randint(0, n, (B,), generator=g)
        for t in range(L):
            s[:, t + 1] = perm[a[:, t], s[:, t]]
        alpha = torch.softmax(rope(WQ @ b, qpos, theta) @ rope(WK @ b, kpos, theta).T, dim=1)  # [t, j]
        v = torch.einsum('tj,bjd->btd', alpha, E[a]).reshape(B * L, d)
        x = U[s[:, :L].reshape(-1)]
        h = torch.einsum('ijk,qj,qk->qi', W, v, x)
        z = h @ U.T
        loss = torch.nn.functional.cross_entropy(z, s[:, 1:].reshape(-1))
        loss.backward()
        with torch.no_grad():
            for p, lr in ((W, eta_W / d), (WQ, eta_A / d), (WK, eta_A / d)):
                p -= lr * p.grad
                p.grad = None
    elapsed = time.perf_counter() - start
    print(f"PyTorch eager tensor form, d={d}, 1 seed, float32: {steps / elapsed:.2f} seed-steps/s "
          f"({elapsed:.2f} s for {steps} steps)")


if __name__ == "__main__":
    main()
