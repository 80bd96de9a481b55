"""Shared helpers of the Python module's tests: the cotdyn binary (COTDYN_BINARY, set by ctest) run
as a user would, and CSV files read back exactly (cotdyn writes 17 significant digits)."""
import csv
import math
import os
import subprocess

import numpy as np
import pytest

BINARY = os.environ.get("COTDYN_BINARY", "")
SOURCE_DIR = os.environ.get("COTDYN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def run_cli(*arguments):
    """Runs `cotdyn ARGUMENTS`; returns (exit status, stdout, stderr)."""
    if not BINARY:
        pytest.skip("COTDYN_BINARY is not set (ctest sets it)")
    # The module runs with OpenBLAS's own kernel choice (a Python process cannot re-execute itself with
    # OPENBLAS_CORETYPE as the CLI does, README "Speed"), so the CLI is asked to keep it too: both then
    # compute with the same kernels, and the CLI starts faster.
    environment = dict(os.environ, COTDYN_KEEP_BLAS_CORE="1")
    done = subprocess.run([BINARY, *arguments], capture_output=True, text=True, env=environment)
    return done.returncode, done.stdout, done.stderr


def set_arguments(overrides):
    """The --set arguments of an overrides dict whose values are already in --set spelling."""
    arguments = []
    for key, value in overrides.items():
        arguments += ["--set", f"{key}={value}"]
    return arguments


def read_csv(path):
    """A CSV file as a dict of column -> list of cells (floats where they parse, NaN for empty)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = {}
    for i, name in enumerate(header):
        cells = [row[i] for row in body]
        try:
            columns[name] = [math.nan if c == "" else float(c) for c in cells]
        except ValueError:
            columns[name] = cells
    return columns


def assert_table_equals_csv(table, path):
    """Every column of the CSV, equal to the last digit (NaN where the cell is empty)."""
    expected = read_csv(path)
    assert list(table.keys()) == list(expected.keys())
    for name, cells in expected.items():
        got = table[name]
        if cells and isinstance(cells[0], str):
            assert [str(v) for v in got] == cells, name
        else:
            np.testing.assert_array_equal(got, np.array(cells, dtype=float), err_msg=name)
