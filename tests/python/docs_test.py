"""docs/python.md runs as written: its python code blocks, in order, in one namespace, in a
scratch directory."""
import os
import re

from conftest import SOURCE_DIR


def test_the_walk_through_runs(tmp_path, monkeypatch, capsys):
    text = open(os.path.join(SOURCE_DIR, "docs", "python.md")).read()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "t_half" in printed and "seeds" in printed
    try:
        import matplotlib  # noqa: F401
        assert (tmp_path / "overlay.png").is_file()
    except ImportError:
        assert "no figure" in printed
