#!/usr/bin/env python3
"""Baseline for bench/committee_bench.cpp (BM_CommitteeSimulation): the soft committee machine of
docs/models/committee.md §8 trained by online SGD in plain PyTorch (Python, eager, autograd,
torch.optim.SGD), float64, one thread: erf, M = K = 2, eta = 0.5, second layer fixed, one fresh
input per seed and step. Two forms, both printed as seed-steps per second of wall-clock time and
per second of this process's CPU time (steadier on a machine shared with other work):
  batched  - the seeds as one [E, K, N] tensor, one backward per step (the fast way to write it);
  per-seed - one nn.Module and optimiser per seed, a Python loop over the seeds (the common way).
usage: /usr/bin/python3 simulation_committee_torch.py [N] [seeds] [steps] [repeats]"""
import math
import statistics
import sys
import time

import torch


def g(x):
    return torch.erf(x / math.sqrt(2))


class Committee(torch.nn.Module):
    """Student first layer w [..., K, N] (trained) and second layer v [K] (fixed)."""

    def __init__(self, shape, N, generator):
        super().__init__()
        self.w = torch.nn.Parameter(0.1 * torch.randn(*shape, N, generator=generator, dtype=torch.float64))
        self.register_buffer("v", torch.ones(shape[-1], dtype=torch.float64))
        self.N = N

    def forward(self, x):  # x [..., N] -> y_hat [...]
        fields = (self.w * x.unsqueeze(-2)).sum(-1) / math.sqrt(self.N)
        return (g(fields) * self.v).sum(-1)


def run_batched(N, E, steps, generator):
    K = M = 2
    student = Committee((E, K), N, generator)
    teacher = torch.randn(E, M, N, generator=generator, dtype=torch.float64)
    optimiser = torch.optim.SGD(student.parameters(), lr=0.5)
    start = None
    for step in range(steps + 10):
        if step == 10:
            start, start_cpu = time.perf_counter(), time.process_time()  # ten warm-up steps
        x = torch.randn(E, N, generator=generator, dtype=torch.float64)
        with torch.no_grad():
            y = g((teacher * x.unsqueeze(1)).sum(-1) / math.sqrt(N)).sum(-1)
        loss = 0.5 * (student(x) - y).square().sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return E * steps / (time.perf_counter() - start), E * steps / (time.process_time() - start_cpu)


def run_per_seed(N, E, steps, generator):
    K = M = 2
    students = [Committee((K,), N, generator) for _ in range(E)]
    teachers = [torch.randn(M, N, generator=generator, dtype=torch.float64) for _ in range(E)]
    optimisers = [torch.optim.SGD(s.parameters(), lr=0.5) for s in students]
    start = None
    for step in range(steps + 10):
        if step == 10:
            start, start_cpu = time.perf_counter(), time.process_time()
        for student, teacher, optimiser in zip(students, teachers, optimisers):
            x = torch.randn(N, generator=generator, dtype=torch.float64)
            with torch.no_grad():
                y = g(teacher @ x / math.sqrt(N)).sum()
            loss = 0.5 * (student(x) - y).square()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return E * steps / (time.perf_counter() - start), E * steps / (time.process_time() - start_cpu)


def main():
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    E = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(0)
    for name, run in (("batched", run_batched), ("per-seed", run_per_seed)):
        runs = [run(N, E, steps, generator) for _ in range(repeats)]
        rates, cpu_rates = [r[0] for r in runs], [r[1] for r in runs]
        print(f"committee PyTorch eager {name}: N = {N}, {E} seeds, {steps} steps: median "
              f"{statistics.median(rates):.0f} seed-steps/s (min {min(rates):.0f}, max {max(rates):.0f}, "
              f"{repeats} repeats); per CPU second {statistics.median(cpu_rates):.0f}")


if __name__ == "__main__":
    main()
