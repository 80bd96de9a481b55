"""Bad input raises ValueError with the CLI's message and writes nothing; a diverging ODE raises
RuntimeError."""
import pytest

import cotdyn
from conftest import run_cli


@pytest.mark.parametrize("key,value", [("task.L", "1"), ("train.eta_A", "0"), ("train.learning_rate", "1"),
                                       ("model.kind", "nonesuch")])
def test_bad_config_raises_value_error_with_the_cli_message(tmp_path, key, value):
    status, _, err = run_cli("theory", "--set", f"{key}={value}", "--out", str(tmp_path / "cli"))
    assert status == 2
    message = err.strip().removeprefix("cotdyn: error: ")
    with pytest.raises(ValueError) as raised:
        cotdyn.theory(overrides={key: value}, out=tmp_path / "py")
    assert str(raised.value) == message
    assert key.split(".")[1] in message or value in message
    assert not (tmp_path / "py").exists()  # nothing written


def test_unknown_section_in_a_dict_is_named():
    with pytest.raises(ValueError, match=r"unknown config section \[nosuch\]"):
        cotdyn.config({"nosuch": {"a": 1}})


def test_missing_config_file():
    with pytest.raises(ValueError, match="no such file"):
        cotdyn.theory("does/not/exist.toml")


def test_diverging_ode_raises_runtime_error_that_is_also_bad_input(tmp_path):
    overrides = {"model.kind": "committee", "committee.eta": "50", "train.t_max": "2"}
    status, _, err = run_cli("theory", *[a for k, v in overrides.items() for a in ("--set", f"{k}={v}")],
                             "--out", str(tmp_path / "cli"))
    assert status == 2  # the CLI calls it bad input, naming committee.eta
    with pytest.raises(RuntimeError, match="diverges") as raised:
        cotdyn.theory(overrides=overrides)
    assert isinstance(raised.value, cotdyn.DivergenceError) and isinstance(raised.value, ValueError)
    assert str(raised.value) == err.strip().removeprefix("cotdyn: error: ")


def test_simulation_refuses_bad_input_before_writing(tmp_path):
    with pytest.raises(ValueError, match="model.d"):
        cotdyn.simulate(overrides={"model.d": 30}, out=tmp_path / "sim")
    assert not (tmp_path / "sim").exists()
