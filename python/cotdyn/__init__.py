"""cotdyn from Python: the theory and the simulation of learning dynamics, as in the command line.

Every function takes the configuration the way the CLI does and resolves it with the same code
(the embedded defaults, the chosen model's defaults, then ``config``, then ``overrides``):

``config``
    ``None`` (the embedded defaults), a TOML file (``str`` or ``os.PathLike`` naming a file), TOML
    text (a ``str`` containing ``=`` or a newline), or a dict of sections
    (``{"task": {"L": 7}, "model": {"sigma2": 1e-3}}``).
``overrides``
    A dict in the ``--set`` spelling, applied in order after ``config``:
    ``{"task.L": 7, "model.sigma2": 1e-3, "compare.d": [32, 64]}``. Numbers, booleans and lists are
    written as TOML values; a ``str`` is taken as ``--set`` takes its text (a TOML value if it is one,
    else a string: ``{"model.logic": "tensor"}``). A list of ``"section.key=value"`` strings works too.
``out``
    A directory: the function then writes the same files as ``cotdyn COMMAND --out DIR``.

Results are tables: a dict from column name to a 1-D NumPy array (``r["t"]``, ``r["M"]``), handed
over without copies. Commands that write several tables (``compare``, ``interaction``) return a
dict of tables by file stem (``r["discrepancy"]["rms"]``). ``to_pandas(table)`` makes a DataFrame.

Bad input raises ``ValueError`` with the CLI's message (naming the key, the value and what is
allowed) and writes nothing; a diverging ODE raises ``RuntimeError`` (``DivergenceError``, also a
``ValueError``, when the config puts it out of its stable range and the CLI calls it bad input). Long calls release the GIL,
show progress (tqdm when installed, else the CLI's bar on stderr) and stop cleanly on Ctrl-C:
``KeyboardInterrupt`` is raised with the results so far in its ``partial`` attribute and, when
``out`` was given, a checkpoint to continue from (``simulate(resume=out)``).
"""

import numbers
import os
import tempfile
import tomllib

from . import _cotdyn

__version__ = _cotdyn.version
DivergenceError = _cotdyn.DivergenceError
__all__ = ["config", "theory", "simulate", "compare", "interaction", "sweep", "models", "to_pandas",
           "default_config", "Table", "Tables", "DivergenceError"]


class Table(dict):
    """One table: a dict from column name to a 1-D NumPy array. Attributes (when the command has
    them): ``milestones`` (dict, NaN when not reached), ``report`` (the text the CLI prints),
    ``warnings`` (list of str), ``directory`` (where ``out`` wrote, else None)."""

    milestones = None
    report = ""
    warnings = ()
    directory = None


class Tables(dict):
    """Several tables by file stem (``r["discrepancy"]``), with ``report``, ``warnings`` and
    ``directory`` attributes like ``Table``."""

    report = ""
    warnings = ()
    directory = None


def _warn_about_slow_blas():
    """The CLI re-executes itself with faster OpenBLAS kernels when OpenBLAS falls back to its generic
    ones (README, "Speed"); a Python process cannot, so it says how to get them."""
    better = _cotdyn.faster_blas_kernels()
    if better:
        import warnings
        warnings.warn(f"OpenBLAS runs its generic {_cotdyn.blas_kernels()} kernels on this CPU: matrix products "
                      f"(LibTorch simulations) are several times slower than under the cotdyn command. Start "
                      f"Python with OPENBLAS_CORETYPE={better} (or COTDYN_KEEP_BLAS_CORE=1 to keep them and "
                      f"silence this).", RuntimeWarning, stacklevel=3)


_warn_about_slow_blas()


# --- arguments -----------------------------------------------------------------------------------

def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_quoted(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return _toml_value(value.tolist())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as a TOML value")


def _quoted(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def _toml_text(sections):
    """A dict of sections as TOML text, in the dict's order (a sweep's axes keep their order)."""
    scalars, tables = [], []
    for key, value in sections.items():
        if isinstance(value, dict):
            lines = [f"[{_quoted(key)}]"] + [f"{_quoted(k)} = {_toml_value(v)}" for k, v in value.items()]
            tables.append("\n".join(lines))
        else:
            scalars.append(f"{_quoted(key)} = {_toml_value(value)}")
    return "\n".join(scalars + [""] + tables) + "\n"


def _config_source(config):
    """(file, text) for the native functions."""
    if config is None:
        return "", ""
    if isinstance(config, dict):
        return "", _toml_text(config)
    if isinstance(config, os.PathLike):
        config = os.fspath(config)
    elif isinstance(config, str) and ("=" in config or "\n" in config or config.lstrip().startswith("[")):
        return "", config
    if not isinstance(config, str):
        raise TypeError(f"config: a TOML file, TOML text or a dict of sections, not {type(config).__name__}")
    if not os.path.isfile(config):
        raise ValueError(f"--config {config}: no such file")
    return config, ""


def _assignments(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [f"{key}={value if isinstance(value, str) else _toml_value(value)}" for key, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(a) for a in overrides]


def _out(out):
    return "" if out is None else os.fspath(out)


def _progress_callback(progress, label):
    """(callback or None, closer): a tqdm bar when tqdm is installed and progress is wanted."""
    if not progress:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, lambda: None
    bar = tqdm(total=0, desc=label, unit="step", unit_scale=True)

    def update(step, total):
        if total and bar.total != total:
            bar.reset(total=total)
        if step >= bar.n:
            bar.update(step - bar.n)

    return update, bar.close


def _table(columns, cls=Table, **attributes):
    table = cls(columns)
    for name, value in attributes.items():
        setattr(table, name, value)
    return table


def _tables(tables, **attributes):
    return _table({stem: Table(columns) for stem, columns in tables.items()}, cls=Tables, **attributes)


def _raise_if_interrupted(result, partial, out):
    if result["interrupted"]:
        where = f"; the results so far and a checkpoint are in {out}" if out else ""
        error = KeyboardInterrupt(f"interrupted{where}")
        error.partial = partial
        raise error


# --- commands ------------------------------------------------------------------------------------

def config(config=None, overrides=None):
    """The resolved configuration as a dict of sections (``cotdyn config --config ... --set ...``).

    ``config`` and ``overrides``: see ``help(cotdyn)``. Every key has a value; unknown keys raise
    ``ValueError`` naming them.
    """
    file, text = _config_source(config)
    return tomllib.loads(_cotdyn.resolved_config(file, text, _assignments(overrides)))


def default_config():
    """The embedded default configuration as TOML text with its comments (``cotdyn config``)."""
    return _cotdyn.default_config_text()


def models():
    """The registered models: a dict from ``model.kind`` to its one-line summary (``cotdyn models``)."""
    return dict(_cotdyn.models())


def theory(config=None, overrides=None, out=None, strict=False):
    """The model's theory at the observation times (``cotdyn theory``).

    Arguments: ``config``, ``overrides`` (see ``help(cotdyn)``); ``out``: a directory to write
    ``theory.csv`` and ``manifest.json`` into, as the CLI does; ``strict``: a warning about the
    config raises instead of being printed.

    Returns a ``Table``: the columns of ``theory.csv``, ``t`` first. For the state-tracking model
    (``model.kind = "state_tracking"``): ``t, M, alpha, R, Q, P, N, loss, step_acc_inf,
    rollout_acc_inf, final_acc_inf, step_acc_ld, rollout_acc_ld, final_acc_ld`` and, with ``task.label_noise`` > 0, ``p_correct,
    entropy, target_entropy, noisy_loss`` (docs/theory.md §16); for the committee machine ``t, eg, Q_i_k, R_i_n,
    v_i``; the tree model's are listed in docs/models/tree.md. ``table.milestones`` holds the named
    milestones (e.g. ``lock_on_time``; NaN when not reached) and ``table.report`` the
    text the CLI prints.

    Raises ``ValueError`` for bad config (the CLI's message) and ``RuntimeError`` when the ODE diverges.
    """
    file, text = _config_source(config)
    result = _cotdyn.theory(file, text, _assignments(overrides), _out(out), strict)
    return _table(result["table"], milestones=result["milestones"], report=result["report"],
                  directory=None if out is None else os.fspath(out))


def simulate(config=None, overrides=None, out=None, resume=None, strict=False, progress=True):
    """Trains the model's network, all seeds at once, and measures it (``cotdyn simulate``).

    Arguments: ``config``, ``overrides`` (see ``help(cotdyn)``); ``out``: a directory for the CLI's
    files (``simulation.csv``, ``simulation_summary.csv``, checkpoints, ``config.toml``,
    ``manifest.json``); without it the run stays in memory. ``resume``: a directory of an
    interrupted run to continue (``cotdyn simulate --resume DIR``; ``config`` is then the one saved
    there). ``strict``: warnings are errors (``RuntimeError``); ``progress``: show a progress bar.

    Returns a ``Table`` with the columns of ``simulation.csv``: ``seed``, the size column (``d``, or
    ``N`` for the committee machine), ``step``, ``t``, then the measured quantities (for the
    state-tracking model ``M, alpha, R, Q, P, R_c, Q_c, P_c, N, loss, step_acc, rollout_acc,
    final_acc, var_image, var_other``), one row per seed and observation; ``table.warnings`` lists
    the run's warnings.

    Ctrl-C raises ``KeyboardInterrupt`` with the measurements so far in ``error.partial``; with
    ``out`` the run is resumable.
    """
    file, text = _config_source(config)
    callback, close = _progress_callback(progress, "simulate")
    try:
        result = _cotdyn.simulate(file, text, _assignments(overrides), _out(out),
                                  "" if resume is None else os.fspath(resume), strict,
                                  bool(progress) and callback is None, callback)
    finally:
        close()
    table = _table(result["table"], warnings=result["warnings"], directory=result["directory"] or None)
    _raise_if_interrupted(result, table, result["directory"])
    return table


def _scratch(out):
    """The output directory, or a temporary one removed after reading it."""
    if out is not None:
        return os.fspath(out), None
    scratch = tempfile.TemporaryDirectory(prefix="cotdyn-")
    return scratch.name, scratch


def compare(config=None, overrides=None, out=None, strict=False, render=None, progress=True):
    """Theory against simulation at every size of ``compare.d`` (``cotdyn compare``).

    Arguments: ``config``, ``overrides`` (see ``help(cotdyn)``); ``out``: the directory of the
    CLI's files (without it they are written to a temporary directory and read back);
    ``render``: draw the figures with gnuplot (default: when ``out`` is given).

    Returns a ``Tables``: every CSV the command writes, by file stem: ``discrepancy`` (columns
    ``d`` or the model's size column, ``quantity``, ``rms``, ``max``, ``seed_std``, ``sem``,
    ``z_rms``, ``z_max``, ``t_z_max``),
    ``finite_size_fit``, ``theory`` (long form with the size column), ``simulation``,
    ``simulation_summary`` and the model's own tables (``lock_on`` for the state-tracking model);
    ``tables.report`` is the Markdown report.
    """
    file, text = _config_source(config)
    directory, scratch = _scratch(out)
    callback, close = _progress_callback(progress, "compare")
    try:
        result = _cotdyn.compare(file, text, _assignments(overrides), directory, strict,
                                 out is not None if render is None else bool(render),
                                 bool(progress) and callback is None, callback)
    finally:
        close()
        if scratch is not None:
            scratch.cleanup()
    tables = _tables(result["tables"], report=result["report"], warnings=result["warnings"],
                     directory=None if out is None else directory)
    _raise_if_interrupted(result, tables, directory if out is not None else None)
    return tables


def interaction(config=None, overrides=None, out=None, measure=True, render=None):
    """Order-r interaction signals, closed forms and (``measure``) autograd measurements
    (``cotdyn interaction``).

    Returns a ``Tables`` by file stem: ``interaction`` (``activation, b, v, tokens, r, T,
    delta_exact, delta_taylor, delta_gauss, delta_measured, stderr, ratio``), ``slopes`` and
    ``compression``. ``out`` and ``render`` as for ``compare``.
    """
    file, text = _config_source(config)
    directory, scratch = _scratch(out)
    try:
        result = _cotdyn.interaction(file, text, _assignments(overrides), directory, bool(measure),
                                     out is not None if render is None else bool(render))
    finally:
        if scratch is not None:
            scratch.cleanup()
    tables = _tables(result["tables"], directory=None if out is None else directory)
    _raise_if_interrupted(result, tables, None)
    return tables


def sweep(sweep, config=None, overrides=None, out=None, resume=False, threads=0, max_points=5000, plots=None):
    """A parameter sweep (``cotdyn sweep``, docs/sweeps.md).

    ``sweep``: a sweep file, its TOML text, or a dict (``{"kind": "theory", "axes": {"train.eta_A":
    {"values": [1, 2, 4]}}}``). ``config``: the base config (replaces the sweep's ``base``);
    ``overrides`` on top. ``out``: the sweep directory (resumable with ``resume=True``), else a
    temporary one. ``threads``: parallel points (0: all cores). ``max_points``: refuse larger sweeps
    (0: no limit). ``plots``: draw the default figures (default: when ``out`` is given).

    Returns a ``Table`` with the columns of ``points.csv``: the axes, then the point's results
    (milestones for a theory sweep, ``final_<column>`` for a simulate sweep, ...).
    """
    if isinstance(sweep, os.PathLike) or (isinstance(sweep, str) and "=" not in sweep and "\n" not in sweep):
        if not os.path.isfile(sweep):
            raise ValueError(f"sweep file {os.fspath(sweep)}: no such file")
    sweep_file, sweep_text = _config_source(sweep)
    file, text = _config_source(config)
    directory, scratch = _scratch(out)
    base = tempfile.TemporaryDirectory(prefix="cotdyn-") if text else None
    try:
        if base is not None:  # the sweep's base is a file: TOML text or a dict goes through one
            file = os.path.join(base.name, "base.toml")
            with open(file, "w") as f:
                f.write(text)
        result = _cotdyn.sweep(sweep_file, sweep_text, file, _assignments(overrides), directory, bool(resume),
                               int(threads), int(max_points), out is not None if plots is None else bool(plots))
    finally:
        for temporary in (scratch, base):
            if temporary is not None:
                temporary.cleanup()
    table = _table(result["table"], directory=None if out is None else directory)
    _raise_if_interrupted(result, table, directory if out is not None else None)
    return table


def to_pandas(table):
    """A ``Table`` as a pandas DataFrame (pandas must be installed); a ``Tables`` as a dict of them."""
    import pandas
    if isinstance(table, Tables):
        return {stem: pandas.DataFrame(dict(t)) for stem, t in table.items()}
    return pandas.DataFrame(dict(table))
