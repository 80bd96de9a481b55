#!/usr/bin/env python3
"""Baseline for the Boolean-DAG experiment's training step (docs/models/natbool.md §3): the same
member-batched pre-LayerNorm transformer (3 members, d = 32, H = 4, L = 2, MLP 4d, 2 output logits,
m + G + 2 = 17 positions) written in PyTorch, trained by torch.optim.Adam (lr 1e-3) on the direct
regime at r = 4, batch 128 per member, on one thread. Inputs are random bits with the parity of 4 fixed
bits as the answer (the timing does not depend on the task's streams). Prints the median wall time of
one step over `steps` steps after 10 warm-up steps.

Run: /usr/bin/python3 bench/baselines/natbool_torch_step.py [steps]
"""
import math
import sys
import time

import torch

torch.set_num_threads(1)
E, B, m, d, H, L, V, P = 3, 128, 12, 32, 4, 2, 4, 17
g = torch.Generator().manual_seed(0)


def normal(*shape, std=0.02):
    return torch.nn.Parameter(torch.randn(*shape, generator=g) * std)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        rs = 0.02 / math.sqrt(2 * L)
        self.tok, self.pos = normal(E, V, d), normal(E, P, d)
        self.blocks = torch.nn.ModuleList()
        for _ in range(L):
            b = torch.nn.Module()
            b.g1, b.b1 = torch.nn.Parameter(torch.ones(E, d)), torch.nn.Parameter(torch.zeros(E, d))
            b.wqkv, b.bqkv = normal(E, d, 3 * d), torch.nn.Parameter(torch.zeros(E, 3 * d))
            b.wo, b.bo = normal(E, d, d, std=rs), torch.nn.Parameter(torch.zeros(E, d))
            b.g2, b.b2 = torch.nn.Parameter(torch.ones(E, d)), torch.nn.Parameter(torch.zeros(E, d))
            b.w1, b.c1 = normal(E, d, 4 * d), torch.nn.Parameter(torch.zeros(E, 4 * d))
            b.w2, b.c2 = normal(E, 4 * d, d, std=rs), torch.nn.Parameter(torch.zeros(E, d))
            self.blocks.append(b)
        self.gf, self.bf = torch.nn.Parameter(torch.ones(E, d)), torch.nn.Parameter(torch.zeros(E, d))
        self.wout, self.bout = normal(E, d, 2), torch.nn.Parameter(torch.zeros(E, 2))

    @staticmethod
    def ln(x, gain, bias):
        return torch.nn.functional.layer_norm(x, (x.shape[-1],), eps=1e-5) * gain[:, None, None] + bias[:, None, None]

    @staticmethod
    def lin(x, w, b):
        e, bt, t, k = x.shape
        return torch.baddbmm(b[:, None], x.reshape(e, bt * t, k), w).reshape(e, bt, t, -1)

    def forward(self, tokens):
        T = tokens.shape[2]
        h = torch.gather(self.tok[:, None].expand(E, B, V, d), 2, tokens[..., None].expand(E, B, T, d))
        h = h + self.pos[:, None, :T]
        mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        for b in self.blocks:
            q, k, v = self.lin(self.ln(h, b.g1, b.b1), b.wqkv, b.bqkv).reshape(E * B, T, 3, H, d // H).permute(2, 0, 3, 1, 4)
            s = (q @ k.transpose(-1, -2) / math.sqrt(d // H)).masked_fill(mask, float("-inf"))
            a = (s.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(E, B, T, d)
            h = h + self.lin(a, b.wo, b.bo)
            h = h + self.lin(torch.nn.functional.gelu(self.lin(self.ln(h, b.g2, b.b2), b.w1, b.c1)), b.w2, b.c2)
        return self.lin(self.ln(h, self.gf, self.bf), self.wout, self.bout)


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
times = []
for i in range(steps + 10):
    start = time.perf_counter()
    x = torch.randint(0, 2, (E, B, m), generator=g)
    y = x[..., [5, 9, 2, 0]].sum(-1) % 2
    tokens = torch.cat([x, torch.full((E, B, 1), 2)], 2)
    logits = net(tokens)[:, :, m]
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 2), y.reshape(-1), reduction="none").view(E, -1).mean(1).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if i >= 10:
        times.append(time.perf_counter() - start)
times.sort()
print(f"median step {1e3 * times[len(times) // 2]:.2f} ms over {steps} steps (E = {E}, B = {B}, 1 thread)")
