"""cotdyn.theory and cotdyn.config: the CLI's results to the last digit, for every registered model,
with the config given every way the module takes it."""
import os

import numpy as np
import pytest

import cotdyn
from conftest import assert_table_equals_csv, run_cli, set_arguments

# Small, fast settings for each registered model, in --set spelling.
SETTINGS = {
    "state_tracking": {"task.L": "7", "model.sigma2": "1e-3", "train.t_max": "50"},
    "committee": {"model.kind": "committee", "train.t_max": "20"},
    "tree": {"model.kind": "tree", "train.t_max": "20"},
    "natbool": {"model.kind": "natbool", "natbool.r": "6"},
    "two_hop": {"model.kind": "two_hop", "two_hop.lambda": "3.6"},
    "entropy": {"model.kind": "entropy", "entropy.sgd_t_max": "50"},
}
# The first column: time, or the order r for the Boolean-DAG experiment, whose theory is a table of
# predictions over r (docs/models/natbool.md §3.4), or the first count of the two-hop experiment's
# one-row table (docs/models/two_hop.md §8).
FIRST_COLUMN = {"natbool": "r", "two_hop": "atomic_rows"}


def test_every_registered_model_has_settings_here():
    assert set(cotdyn.models()) == set(SETTINGS)


@pytest.mark.parametrize("model", sorted(SETTINGS))
def test_theory_equals_the_cli_files(tmp_path, model):
    overrides = SETTINGS[model]
    status, _, err = run_cli("theory", *set_arguments(overrides), "--out", str(tmp_path / "cli"))
    assert status == 0, err
    table = cotdyn.theory(overrides=overrides)
    assert list(table)[0] == FIRST_COLUMN.get(model, "t")
    assert all(isinstance(column, np.ndarray) and column.ndim == 1 for column in table.values())
    assert_table_equals_csv(table, tmp_path / "cli" / "theory.csv")
    # out= writes the CLI's file, byte for byte.
    again = cotdyn.theory(overrides=overrides, out=tmp_path / "py")
    assert (tmp_path / "py" / "theory.csv").read_bytes() == (tmp_path / "cli" / "theory.csv").read_bytes()
    assert os.path.isfile(tmp_path / "py" / "manifest.json")
    assert again.milestones.keys() == table.milestones.keys()


def test_config_as_file_text_dict_and_overrides_agree(tmp_path):
    text = "[task]\nL = 7\n[model]\nsigma2 = 1e-3\n"
    path = tmp_path / "c.toml"
    path.write_text(text)
    by_overrides = cotdyn.theory(overrides={"task.L": 7, "model.sigma2": 1e-3})
    for config in (path, str(path), text, {"task": {"L": 7}, "model": {"sigma2": 1e-3}}):
        table = cotdyn.theory(config)
        for name in by_overrides:
            np.testing.assert_array_equal(table[name], by_overrides[name])
    # overrides come after the config and win
    assert cotdyn.config(text, {"task.L": 5})["task"]["L"] == 5


def test_config_is_the_cli_resolution():
    import tomllib
    status, out, err = run_cli("config", "--set", "model.kind=committee", "--set", "committee.eta=0.5")
    assert status == 0, err
    resolved = cotdyn.config(overrides={"model.kind": "committee", "committee.eta": 0.5})
    assert resolved == tomllib.loads(out)
    # the committee machine's defaults of generic keys apply (models::resolve_config)
    assert resolved["train"]["t_max"] == 500


def test_theory_milestones_and_report():
    table = cotdyn.theory(overrides=SETTINGS["state_tracking"])
    assert "lock_on_time" in table.milestones
    assert np.isfinite(table.milestones["lock_on_time"]) and table.milestones["lock_on_time"] > 0
    assert table.report


def test_columns_are_numpy_arrays_that_own_their_memory():
    table = cotdyn.theory()
    column = table["M"]
    assert column.dtype == np.float64 and column.flags["C_CONTIGUOUS"]
    # no copy was made into a Python list: the array's data lives outside Python objects
    assert column.base is not None


def test_help_explains_arguments_and_columns():
    doc = cotdyn.theory.__doc__
    for word in ("config", "overrides", "out", "step_acc_inf", "milestones", "ValueError"):
        assert word in doc
    assert "discrepancy" in cotdyn.compare.__doc__


def test_to_pandas():
    pandas = pytest.importorskip("pandas")
    table = cotdyn.theory()
    frame = cotdyn.to_pandas(table)
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == list(table)
