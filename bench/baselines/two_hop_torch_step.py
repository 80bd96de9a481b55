#!/usr/bin/env python3
"""Baseline for the two-hop experiment's training step (docs/models/two_hop.md §7): one arm's
member-batched pre-LayerNorm transformer (2 members, d = 64, H = 4, L = 4, MLP 4d, 4 learned
positions, tied unembedding over V = 220 tokens) written in PyTorch, trained by torch.optim.AdamW
(lr 2e-3 after a 100-step linear warm-up, weight decay 0.1 on matrices and tables only) with the
cross-entropy over the target positions 2 and 3 of rows of 4 tokens (the CoT arm's two-hop rows),
batch 256 per member, on one thread. Tokens and targets are random (the timing does not depend on
the task). Prints the median wall time of one step over `steps` steps after 10 warm-up steps.

Run: /usr/bin/python3 bench/baselines/two_hop_torch_step.py [steps]
"""
import math
import sys
import time

import torch

torch.set_num_threads(1)
E, B, d, H, L, V, T = 2, 256, 64, 4, 4, 220, 4
g = torch.Generator().manual_seed(0)


def normal(*shape, std=0.02):
    return torch.nn.Parameter(torch.randn(*shape, generator=g) * std)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        rs = 0.02 / math.sqrt(2 * L)
        self.tok, self.pos = normal(E, V, d), normal(E, T, d)
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

    @staticmethod
    def ln(x, gain, bias):
        return torch.nn.functional.layer_norm(x, (x.shape[-1],), eps=1e-5) * gain[:, None, None] + bias[:, None, None]

    @staticmethod
    def lin(x, w, b):
        e, bt, t, k = x.shape
        return torch.baddbmm(b[:, None], x.reshape(e, bt * t, k), w).reshape(e, bt, t, -1)

    def forward(self, tokens):
        h = torch.gather(self.tok[:, None].expand(E, B, V, d), 2, tokens[..., None].expand(E, B, T, d))
        h = h + self.pos[:, None, :T]
        mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        for b in self.blocks:
            q, k, v = self.lin(self.ln(h, b.g1, b.b1), b.wqkv, b.bqkv).reshape(E * B, T, 3, H, d // H).permute(2, 0, 3, 1, 4)
            s = (q @ k.transpose(-1, -2) / math.sqrt(d // H)).masked_fill(mask, float("-inf"))
            a = (s.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(E, B, T, d)
            h = h + self.lin(a, b.wo, b.bo)
            h = h + self.lin(torch.nn.functional.gelu(self.lin(self.ln(h, b.g2, b.b2), b.w1, b.c1)), b.w2, b.c2)
        out = self.ln(h, self.gf, self.bf)
        return torch.bmm(out.reshape(E, B * T, d), self.tok.transpose(1, 2)).reshape(E, B, T, V)


net = Net()
decayed = [p for p in net.parameters() if p.dim() >= 3]
kept = [p for p in net.parameters() if p.dim() < 3]
opt = torch.optim.AdamW([{"params": decayed, "weight_decay": 0.1}, {"params": kept, "weight_decay": 0.0}], lr=2e-3)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
times = []
for i in range(steps + 10):
    start = time.perf_counter()
    tokens = torch.randint(0, V, (E, B, T), generator=g)
    targets = torch.full((E, B, T), -100)
    targets[:, :, 2:] = torch.randint(0, 200, (E, B, 2), generator=g)
    logits = net(tokens)
    ce = torch.nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), reduction="none", ignore_index=-100)
    loss = (ce.view(E, -1).sum(1) / targets.ne(-100).view(E, -1).sum(1)).sum()
    for group in opt.param_groups:
        group["lr"] = 2e-3 * min(1.0, (i + 1) / 100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if i >= 10:
        times.append(time.perf_counter() - start)
times.sort()
print(f"median step {1e3 * times[len(times) // 2]:.2f} ms over {steps} steps (E = {E}, B = {B}, 1 thread)")
