"""cotdyn.compare, cotdyn.sweep and cotdyn.interaction: dicts of tables equal to the CLI's files."""
import numpy as np

import cotdyn
from conftest import assert_table_equals_csv, read_csv, run_cli, set_arguments

COMPARE = {"task.group": "S3", "task.actions": "[[1,0,2],[0,2,1]]", "task.L": "5", "model.sigma2": "0.1",
           "train.eta_A": "10", "train.t_max": "3", "train.seeds": "2", "observe.times": "linear:0:t_max:4",
           "compare.d": "[16,32]"}


def test_compare_returns_every_table_of_the_cli(tmp_path):
    status, _, err = run_cli("compare", "--no-render", *set_arguments(COMPARE), "--out", str(tmp_path / "cli"))
    assert status == 0, err
    tables = cotdyn.compare(overrides=COMPARE, progress=False)
    stems = sorted(p[:-4] for p in (p.name for p in (tmp_path / "cli").iterdir()) if p.endswith(".csv"))
    assert sorted(tables) == stems
    for stem in stems:
        assert_table_equals_csv(tables[stem], tmp_path / "cli" / f"{stem}.csv")
    assert set(tables["discrepancy"]["quantity"]) >= {"M", "R", "Q"}
    assert np.all(tables["discrepancy"]["rms"] >= 0)
    assert tables.report


def test_sweep_equals_the_cli_points(tmp_path):
    text = 'kind = "theory"\n[axes]\n"train.eta_A" = { values = [1.0, 2.0, 4.0] }\n'
    (tmp_path / "s.toml").write_text(text)
    status, _, err = run_cli("sweep", str(tmp_path / "s.toml"), "--no-plots", "--set", "train.t_max=50",
                             "--out", str(tmp_path / "cli"))
    assert status == 0, err
    by_dict = cotdyn.sweep({"kind": "theory", "axes": {"train.eta_A": {"values": [1.0, 2.0, 4.0]}}},
                           overrides={"train.t_max": 50})
    assert_table_equals_csv(by_dict, tmp_path / "cli" / "points.csv")
    by_text = cotdyn.sweep(text, overrides={"train.t_max": 50}, out=tmp_path / "py", plots=False)
    assert (tmp_path / "py" / "points.csv").read_bytes() == (tmp_path / "cli" / "points.csv").read_bytes()
    assert list(by_text["train.eta_A"]) == [1.0, 2.0, 4.0]


def test_interaction_closed_forms_equal_the_cli(tmp_path):
    overrides = {"interaction.activations": '["tanh"]', "interaction.r": "[1,2]", "interaction.T": "[4,8]"}
    status, _, err = run_cli("interaction", "--no-measure", "--no-render", *set_arguments(overrides),
                             "--out", str(tmp_path / "cli"))
    assert status == 0, err
    tables = cotdyn.interaction(overrides=overrides, measure=False)
    assert sorted(tables) == ["compression", "interaction", "slopes"]
    for stem in tables:
        assert_table_equals_csv(tables[stem], tmp_path / "cli" / f"{stem}.csv")
    assert len(read_csv(tmp_path / "cli" / "interaction.csv")["r"]) == 4
