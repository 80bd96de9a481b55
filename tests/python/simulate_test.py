"""cotdyn.simulate: the CLI's simulation.csv to the last digit (in memory and with out=), the GIL
released while it trains, Ctrl-C ending it cleanly with a resumable checkpoint."""
import os
import signal
import threading
import time

import numpy as np
import pytest

import cotdyn
from conftest import assert_table_equals_csv, run_cli, set_arguments

SMALL = {"model.d": "32", "train.t_max": "2", "train.seeds": "2", "observe.times": "linear:0:t_max:5"}
# Long enough (about a second) to be interrupted or to watch another thread run.
LONGER = {"model.d": "32", "train.t_max": "60", "train.seeds": "2", "observe.times": "linear:0:t_max:31"}


@pytest.mark.parametrize("overrides", [SMALL, {"model.kind": "committee", "committee.N": "200", "train.t_max": "1",
                                               "train.seeds": "2", "observe.times": "linear:0:t_max:3"}])
def test_simulate_equals_the_cli_files(tmp_path, overrides):
    status, _, err = run_cli("simulate", *set_arguments(overrides), "--out", str(tmp_path / "cli"))
    assert status == 0, err
    in_memory = cotdyn.simulate(overrides=overrides, progress=False)
    assert_table_equals_csv(in_memory, tmp_path / "cli" / "simulation.csv")
    written = cotdyn.simulate(overrides=overrides, out=tmp_path / "py", progress=False)
    assert_table_equals_csv(written, tmp_path / "cli" / "simulation.csv")
    for name in ("simulation.csv", "simulation_summary.csv", "config.toml"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_the_gil_is_released_while_training():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    thread.start()
    try:  # the counting thread stops even when simulate raises (else the interpreter waits for it forever)
        start = time.perf_counter()
        cotdyn.simulate(overrides=LONGER, progress=False)
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if start < t < end]
    # A thread blocked on the GIL would not tick while the simulation runs (at most once per 50 ms
    # poll, 20 per second); one that runs ticks up to 1000 times a second, fewer on a loaded machine.
    assert end - start > 0.2
    assert len(during) > 100 * (end - start)


def install_fake_tqdm(monkeypatch, on_update=None):
    """A stand-in for tqdm.auto that records the bars the module makes (and may act on an update)."""
    import sys
    import types

    bars = []

    class FakeBar:
        def __init__(self, total=0, **kwargs):
            self.total, self.n, self.closed = total, 0, False
            bars.append(self)

        def reset(self, total):
            self.total, self.n = total, 0

        def update(self, k):
            self.n += k
            if on_update:
                on_update(self)

        def close(self):
            self.closed = True

    auto = types.ModuleType("tqdm.auto")
    auto.tqdm = FakeBar
    package = types.ModuleType("tqdm")
    package.auto = auto
    monkeypatch.setitem(sys.modules, "tqdm", package)
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto)
    return bars


def test_ctrl_c_stops_cleanly_and_the_run_resumes(tmp_path, monkeypatch):
    out = tmp_path / "run"
    sent = []

    def ctrl_c_once_training(bar):  # Ctrl-C as soon as training is under way, however fast the machine
        if bar.n > 0 and not sent:
            sent.append(bar.n)
            os.kill(os.getpid(), signal.SIGINT)

    install_fake_tqdm(monkeypatch, ctrl_c_once_training)
    with pytest.raises(KeyboardInterrupt) as raised:
        cotdyn.simulate(overrides=LONGER, out=out, progress=True)
    assert sent
    partial = raised.value.partial
    assert 0 < len(partial["t"]) < 2 * 31  # some observations, not all
    assert (out / "checkpoint").is_dir()
    resumed = cotdyn.simulate(resume=out, progress=False)
    assert len(resumed["t"]) == 2 * 31
    status, _, err = run_cli("simulate", *set_arguments(LONGER), "--out", str(tmp_path / "cli"))
    assert status == 0, err
    assert (out / "simulation.csv").read_bytes() == (tmp_path / "cli" / "simulation.csv").read_bytes()


def test_progress_goes_to_tqdm_when_it_is_installed(monkeypatch):
    bars = install_fake_tqdm(monkeypatch)
    cotdyn.simulate(overrides=SMALL, progress=True)
    assert len(bars) == 1 and bars[0].closed
    assert bars[0].total == 32 * 2 and bars[0].n == bars[0].total  # steps = d * t_max
