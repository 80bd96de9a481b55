#!/usr/bin/env python3
"""Baseline for bench/tree_bench.cpp: the tree path-finding network of docs/models/tree.md §2 in the
coefficient storage of §10.2, written plainly in PyTorch (eager, float64): every seed's N x N tables
C per block, the forward pass by look-ups in M = G C G, dloss/dM by autograd with M a free leaf, and
C <- C - (eta/d) dloss/dM. Forward task, N = 20, D = 3, two heads (+eps, -eps), B = 4, eta = 10,
all seeds batched, fresh random trees every step (numpy). No evaluation.
Prints seed-steps per second.   usage: tree_torch_coefficients.py [d] [steps] [seeds] [threads]"""
import sys
import time

import numpy as np
import torch

N, D, H, B, eta, eps = 20, 3, 2, 4, 10.0, 0.2
n_nodes = 2 ** (D + 1) - 1
n_edges = n_nodes - 1
Q = 2 * D
T = n_edges + Q
NONE = -1


def sample(rng):
    """Tokens (x, y) and targets of one forward sample (docs/models/tree.md §1.2-1.3)."""
    labels = rng.permutation(N)[:n_nodes]
    goal = 2 ** D - 1 + rng.integers(2 ** D)
    order = rng.permutation(n_edges)
    path = [goal]
    while path[-1] != 0:
        path.append((path[-1] - 1) // 2)
    v = [labels[h] for h in reversed(path)]  # v[0] root ... v[D] goal
    x = np.empty(T, dtype=np.int64)
    y = np.empty(T, dtype=np.int64)
    for p in range(n_edges):
        child = order[p] + 1
        x[p], y[p] = labels[child], labels[(child - 1) // 2]
    x[n_edges], y[n_edges] = NONE, v[D]
    for j in range(1, D):
        x[n_edges + j], y[n_edges + j] = v[D - j + 1], v[D - j]
    x[n_edges + D], y[n_edges + D] = v[1], v[0]
    for k in range(1, D):
        x[n_edges + D + k], y[n_edges + D + k] = v[k - 1], v[k]
    targets = [v[D - 1 - q] for q in range(D)] + [v[j + 1] for j in range(D)]
    return x, y, np.array(targets)


def main():
    d = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    E = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    rng = np.random.default_rng(1)
    torch.manual_seed(1)
    U = torch.randn(E, N, d, dtype=torch.float64)
    U /= U.norm(dim=2, keepdim=True)
    G = U @ U.transpose(1, 2)
    C = torch.zeros(E, H, 6, N, N, dtype=torch.float64)
    for h, e_h in enumerate([eps, -eps]):
        C[:, h, 5] = e_h * torch.eye(N, dtype=torch.float64)
    positions = torch.arange(n_edges, n_edges + Q)
    stage = (torch.arange(Q) >= D).long()
    visible = torch.arange(T)[None, :] <= positions[:, None]  # [Q, T]
    e_i = torch.arange(E).view(E, 1, 1, 1, 1, 1)
    h_i = torch.arange(H).view(1, H, 1, 1, 1, 1)
    block = (2 * stage.view(Q, 1) + torch.arange(2).view(1, 2)).view(1, 1, 1, Q, 2, 1)
    start = time.perf_counter()
    for _ in range(steps):
        xs, ys, ts = [], [], []
        for _ in range(E * B):
            x, y, t = sample(rng)
            xs.append(x), ys.append(y), ts.append(t)
        x = torch.from_numpy(np.stack(xs)).view(E, B, T)
        y = torch.from_numpy(np.stack(ys)).view(E, B, T)
        targets = torch.from_numpy(np.stack(ts)).view(E, B, Q)
        slots = torch.stack([x, y], 2)  # [E, B, 2, T]
        present = (slots >= 0).double()
        slot = slots.clamp(min=0)
        current = y[:, :, positions]  # [E, B, Q]
        M = (G.view(E, 1, 1, N, N) @ C @ G.view(E, 1, 1, N, N)).requires_grad_(True)
        # Scores S[e,h,b,q,j] = sum_s [slot_s(j) present] M[e, h, 2 tau_q + s, x_q, slot_s(j)].
        qk = M[e_i, h_i, block, current.view(E, 1, B, Q, 1, 1), slot.view(E, 1, B, 1, 2, T)]
        scores = (qk * present.view(E, 1, B, 1, 2, T)).sum(4)
        scores = scores.masked_fill(~visible.view(1, 1, 1, Q, T), float("-inf"))
        attention = torch.softmax(scores, dim=4)  # [E, H, B, Q, T]
        # Logits z[e,b,q,y] = sum_{h,j,s} alpha * [present] M[e, h, 4 + s, y, slot_s(j)].
        out = M[:, :, 4:6].transpose(3, 4)  # [E, H, 2, a, y]
        values = out[e_i.view(E, 1, 1, 1, 1), h_i.view(1, H, 1, 1, 1), torch.arange(2).view(1, 1, 1, 2, 1),
                     slot.view(E, 1, B, 2, T)]  # [E, H, B, 2, T, N]
        values = values * present.view(E, 1, B, 2, T, 1)
        logits = torch.einsum("ehbqj,ehbsjy->ebqy", attention, values)
        loss = -torch.log_softmax(logits, 3).gather(3, targets.unsqueeze(3)).squeeze(3).mean((1, 2))
        loss.sum().backward()
        with torch.no_grad():
            C -= (eta / d) * M.grad
    elapsed = time.perf_counter() - start
    print(f"tree_torch_coefficients d={d} seeds={E}: {steps * E / elapsed:.0f} seed-steps/s "
          f"({elapsed / steps * 1e3:.3f} ms per step of all seeds), final mean loss {loss.mean().item():.4f}")


if __name__ == "__main__":
    main()
