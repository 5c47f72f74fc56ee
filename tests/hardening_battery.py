"""The bad-input battery of ``test_hardening.py``: table, inputs, worker.

Every public callable of the package (functions of each public module's
``__all__``, methods of its public classes) has an entry in ``TABLE``: a
valid call (the fixtures it uses and its arguments) and, for each
parameter, a *kind* that selects the bad values tried for it from
``BAD``. A case is ``"<callable>|<parameter>|<label>"``; it passes when
the call raises ``TypeError``/``ValueError`` whose message names the
parameter (as a word), or, for the few labels marked "finite is fine",
when it returns only finite numbers. Everything else (accepted, another
exception, an error that does not name the argument, a non-finite result,
a hang, a crash) fails.

Cases run in worker processes forked from a server that has imported the
package once (``multiprocessing`` "forkserver"), so a case that hangs or
crashes costs one kill and one fork, not a fresh interpreter.

Not collected by pytest (no ``test_`` prefix); imported by
``test_hardening.py`` and by the worker processes.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import io
import numbers
import os
import pkgutil
import re
import sys
import traceback
import warnings
import zipfile
from pathlib import Path

import matplotlib
import numpy as np
import scipy.sparse as sp

# No figure windows, in this process only: setting MPLBACKEND here would
# leak into every later subprocess of the test run (nbval's kernels, the
# browser test's book build), which would then draw no figures at all.
matplotlib.use("Agg")
os.environ.setdefault("RECSYS_LESSONS_QUIET", "1")

import recsys_lessons  # noqa: E402

# -------------------------------------------------------------------------
# What is public


def public_modules():
    """Every public module of the package (no leading underscore)."""
    names = ["recsys_lessons"]
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        if not any(p.startswith("_") for p in info.name.split(".")):
            names.append(info.name)
    return names


def _is_public_function(obj):
    return inspect.isfunction(obj) or inspect.isbuiltin(obj)


def public_callables():
    """``{"module.name" or "module.Class.method": object}``.

    A module's public names are its ``__all__`` or, without one, the
    public functions and classes defined in it. Classes contribute their
    public methods (inherited ones included, properties excluded) and
    their constructor under ``"module.Class"``. Names re-exported from a
    submodule (``data`` re-exports ``data.splits``) are listed once, under
    the module that defines them.
    """
    found = {}
    for modname in public_modules():
        mod = importlib.import_module(modname)
        names = getattr(mod, "__all__", None)
        if names is None:
            names = [
                n
                for n, o in vars(mod).items()
                if not n.startswith("_")
                and (inspect.isfunction(o) or inspect.isclass(o))
                and getattr(o, "__module__", None) == modname
            ]
        for name in names:
            obj = getattr(mod, name)
            home = getattr(obj, "__module__", modname)
            if home != modname and home in sys.modules:
                continue  # listed under its defining module
            short = modname.removeprefix("recsys_lessons").lstrip(".")
            key = f"{short}.{name}" if short else name
            if inspect.isclass(obj):
                found[key] = obj
                for mname, member in inspect.getmembers(obj):
                    if mname.startswith("_"):
                        continue
                    if issubclass(obj, BaseException):
                        continue
                    if _is_public_function(member):
                        found[f"{key}.{mname}"] = member
            elif callable(obj):
                found[key] = obj
    return found


def parameters(obj):
    """Parameters a caller sets (``self``, ``*args``, ``**kw`` left out)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in sig.parameters.values()
        if p.name != "self"
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


# -------------------------------------------------------------------------
# Fixtures: small valid inputs, built once per worker

R_DENSE = np.array(
    [
        [5.0, 0, 3, 0, 1],
        [0, 4.0, 1, 0, 0],
        [2.0, 0, 0, 5, 0],
        [0, 3.0, 0, 0, 4],
    ]
)
M_USERS, N_ITEMS = R_DENSE.shape


def _messy_csr(A, stored_zero=False):
    """CSR with each row's indices in decreasing order (and, if asked, a
    stored zero): a valid, non-canonical matrix, the kind a function could
    be tempted to 'fix' in place."""
    M = sp.csr_matrix(A)
    M.sort_indices()
    data, indices, indptr = [], [], [0]
    for i in range(M.shape[0]):
        lo, hi = M.indptr[i], M.indptr[i + 1]
        idx = list(M.indices[lo:hi][::-1])
        val = list(M.data[lo:hi][::-1])
        missing = [j for j in range(M.shape[1]) if j not in idx]
        if stored_zero and missing:
            idx.append(missing[0])
            val.append(0.0)
        data += val
        indices += idx
        indptr.append(len(indices))
    out = sp.csr_matrix(
        (np.array(data), np.array(indices), np.array(indptr)),
        shape=M.shape,
    )
    out.has_sorted_indices = False
    return out


class Lazy:
    """A fixture computed on first use, then kept (and copied per case)."""

    def __init__(self, make):
        self.make = make


def _fixture(fx, name):
    value = fx[name]
    if isinstance(value, Lazy):
        value = fx[name] = value.make()
    if isinstance(value, Factory):
        return value.make()
    return copy.deepcopy(value)


class Factory:
    """A fixture made afresh for each case (for what cannot be copied)."""

    def __init__(self, make):
        self.make = make


class Fix:
    """A reference to a fixture, resolved (and deep-copied) per case."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Fix({self.name!r})"


def build_fixtures(sparse_messy=False):
    from recsys_lessons import (
        als,
        baselines,
        bpr,
        implicit_als,
        lambdarank,
        sampling,
        svd,
    )
    from recsys_lessons.data import movielens, synthetic_ratings

    rng = np.random.default_rng(0)
    times = (R_DENSE > 0) * (np.arange(1.0, N_ITEMS + 1) + 10 * np.c_[:4])
    if sparse_messy:
        R = _messy_csr(R_DENSE)
        T = _messy_csr(times)
        X = _messy_csr((R_DENSE > 0).astype(float), stored_zero=True)
    else:
        R = R_DENSE.copy()
        T = sp.csr_matrix(times)
        X = (R_DENSE > 0).astype(float)
    U = rng.normal(size=(M_USERS, 2))
    V = rng.normal(size=(N_ITEMS, 2))
    lists = np.array([[3.0, 0, 2, 1], [0, 1, 0, 0]])
    fx = {
        "R": R,
        "X": X,
        "T": T,
        "U": U,
        "V": V,
        "triples": np.array([[0, 0, 1], [1, 1, 0], [3, 3, 4]]),
        "scores": rng.normal(size=(M_USERS, N_ITEMS)),
        "mask": R_DENSE > 0,
        "positives": np.eye(M_USERS, N_ITEMS, 1) > 0,
        "lists": lists,
        "list1": np.array([3.0, 0, 2, 1]),
        "scores1": np.array([0.3, 1.2, -0.4, 0.9]),
        "rel1": np.array([2.0, 0.0, 3.0, 1.0]),
        "recommended": np.array([[0, 1], [2, -1]]),
        # Fitted models are made on first use: a fresh worker then loads
        # only the compiled kernels its cases need.
        "als_fit": Lazy(lambda: als.fit_als(R_DENSE, 2, 0.1, n_iters=2)),
        "residual_fit": Lazy(
            lambda: als.fit_als_on_residuals(
                R_DENSE, baselines.fit_biases(R_DENSE), 2, 0.1, n_iters=2
            )
        ),
        "bias": Lazy(lambda: baselines.fit_biases(R_DENSE)),
        "svd_fit": Lazy(lambda: svd.truncated_svd(R_DENSE, 2)),
        "bpr_fit": Lazy(lambda: bpr.fit_bpr(R_DENSE, 2, n_epochs=1)),
        "lambdarank_fit": Lazy(
            lambda: lambdarank.fit_lambdarank(
                R_DENSE, 2, n_epochs=1, n_candidates=3
            )
        ),
        "implicit_fit": Lazy(
            lambda: implicit_als.fit_implicit_als(
                R_DENSE, 2, 0.1, alpha=1.0, n_iters=1
            )
        ),
        "synth": Lazy(
            lambda: synthetic_ratings(
                20, 15, rank=2, density=0.3, min_ratings_per_user=2, seed=1
            )
        ),
        "candidates": Lazy(
            lambda: sampling.sample_candidates(R_DENSE, 3, seed=0)
        ),
        "order": np.arange(M_USERS),
        "singular": np.array([3.0, 2.0, 1.0]),
        "history": {"loss": [3.0, 2.0, 1.5], "rmse": [1.0, 0.8, 0.7]},
        "points": rng.normal(size=(6, 2)),
        "labels": np.array([0, 1, 2, 0, 1, 2]),
        "generator": np.random.default_rng(0),
        "users": np.array([0, 1, 2]),
        "items": np.array([1, 0, 4]),
    }
    fx["movielens"] = movielens.MovieLens(
        sp.csr_matrix(R_DENSE),
        sp.csr_matrix(times),
        np.arange(M_USERS) + 1,
        np.arange(N_ITEMS) + 10,
        np.array([f"Movie {j}" for j in range(N_ITEMS)]),
        tuple(("Drama",) for _ in range(N_ITEMS)),
        "tiny",
        Path("tiny.zip"),
    )
    fx["data_home"] = str(_data_home())
    fx["ax"] = None
    fx["Xcsr"] = sp.csr_matrix(R_DENSE > 0, dtype=float)
    if sparse_messy:
        fx["Xcsr"] = _messy_csr(fx["Xcsr"].toarray(), stored_zero=True)
    fx.update(_explorer_fixtures())
    return fx


def _explorer_fixtures():
    """Small valid inputs of ``explorers``, ``tryit`` and the live
    widgets (Altair is imported on first use, inside the package)."""
    from recsys_lessons import explorers, tryit

    stack = np.arange(8.0).reshape(2, 2, 2)
    return {
        "compute": _compute,
        "stack": stack,
        "matrix_row": Lazy(
            lambda: explorers.matrix_columns(stack, "p").iloc[1]
        ),
        "frame": Lazy(_frame),
        "inline": Lazy(lambda: explorers.inline_data(_frame())),
        "panel_controls": Lazy(_panel_controls),
        "along": Lazy(lambda: _panel_controls()[1]),
        "outline": R_DENSE[:2, :2] > 0,
        "chart": Lazy(lambda: _chart_rows()[0]),
        "chart_rows": Lazy(_chart_rows),
        "knob": Lazy(
            lambda: tryit.Knob("lam", "log", (0.01, 0.1, 1.0), 0.1, "λ")
        ),
        "control": Lazy(lambda: explorers.slider("k", [1, 2, 3], 2)),
        "small_figure": Lazy(_small_figure),
        "knobs": Lazy(_knobs),
        "tryit": Lazy(_small_tryit),
        "tryit_table": Lazy(lambda: tryit.grid_table(_small_tryit())),
        "setting_table": Lazy(
            lambda: tryit.one_setting(_small_tryit(), k=2, iterations=2)
        ),
    }


def _compute(a, iterations):
    """A ``grid_frame`` compute: one row per iteration."""
    import pandas as pd

    t = np.arange(iterations + 1)
    return pd.DataFrame({"t": t, "y": a * 10.0 + t})


def _compute_other(b, iterations):
    """A compute of another figure: no keyword ``a`` (nor ``k``)."""
    return _compute(b, iterations)


def _compute_list(a, iterations):
    """A compute returning a list, not a DataFrame."""
    return [a, iterations]


def _compute_clash(a, iterations):
    """A compute whose table has a column named like the control."""
    return _compute(a, iterations).assign(a=1.0)


def _frame():
    import pandas as pd

    return pd.DataFrame(
        {"k": [1, 2], "t": [1, 5], "r": [0.12345, 2.0], "s": ["a", "b"]}
    )


def _panel_controls():
    from recsys_lessons import explorers

    return [
        explorers.slider("k", [1, 2]),
        explorers.step_slider("t", [1, 2, 5]),
    ]


def _chart_rows():
    from recsys_lessons import explorers

    cs = _panel_controls()
    return [
        explorers.caption_panel(cs, "'r = ' + format(datum.r, '.3f')"),
        [explorers.history_panel(cs, cs[1], "r")],
    ]


def _tryit_compute(k, iterations):
    import pandas as pd

    t = np.arange(iterations + 1)
    return pd.DataFrame({"iterations": t, "y": k + 1.0 / (1.0 + t)})


def _tryit_panels(c):
    from recsys_lessons import explorers

    cs = list(c.values())
    return [
        explorers.caption_panel(cs, "'y = ' + format(datum.y, '.3f')"),
        [explorers.history_panel(cs, c["iterations"], "y")],
    ]


def _panels_no_argument():
    return []


def _knobs():
    from recsys_lessons.tryit import Knob

    return (
        Knob("k", "int", (1, 2), 1, "k"),
        Knob("iterations", "iterations", (1, 2, 3), 3, "iterations"),
    )


def _small_tryit():
    from recsys_lessons.tryit import TryIt

    return TryIt(
        compute=_tryit_compute,
        knobs=_knobs(),
        panels=_tryit_panels,
        description="a small Try it figure",
        readouts=(("y", ".3f"),),
        decimals={"y": 3},
    )


def _data_home():
    return Path(
        os.environ.get("RECSYS_LESSONS_DATA")
        or os.environ.get("HARDENING_DATA", "/nonexistent")
    )


def _bad_zip(kind):
    """A folder holding an ml-latest-small.zip with one defect."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hardening-"))
    ratings = (
        "userId,movieId,rating,timestamp\n1,10,4.0,100\n2,10,3.5,200\n"
    )
    if kind == "no_rating_column":
        ratings = "userId,movieId,timestamp\n1,10,100\n2,10,200\n"
    if kind == "empty_rating":
        ratings = "userId,movieId,rating,timestamp\n1,10,,100\n"
    movies = "movieId,title,genres\n10,A film (1999),Drama\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ml-latest-small/ratings.csv", ratings)
        zf.writestr("ml-latest-small/movies.csv", movies)
    body = buf.getvalue()
    (folder / "ml-latest-small.zip").write_bytes(body)
    import hashlib

    return folder, "sha256:" + hashlib.sha256(body).hexdigest()


# -------------------------------------------------------------------------
# Bad values, by kind of parameter


class Bad:
    """One bad value: ``make(base)`` builds it from the valid value.

    ``names``: the words one of which the message must contain ("arg" =
    the parameter; "any" = any parameter of the callable, for values that
    are only wrong relative to another argument). ``finite_ok``: returning
    finite numbers is also a pass (extreme but legal values).
    """

    def __init__(self, make, names="arg", finite_ok=False, extra=None):
        self.make = make
        self.names = names
        self.finite_ok = finite_ok
        self.extra = extra  # () -> other keyword arguments to set


def _const(v):
    return lambda base: copy.deepcopy(v)


def _csr(base):
    A = base.toarray() if sp.issparse(base) else np.asarray(base, float)
    M = sp.csr_matrix(A)
    M.sort_indices()
    return M


def _broken(field, how):
    def make(base):
        M = _csr(base)
        if field == "indices":
            M.indices[0] = how
        else:
            arr = M.indptr
            if how == "decreasing":
                arr[1], arr[2] = arr[2] + 1, max(arr[1] - 1, 0)
                arr[1] = arr[-1] + 1
            elif how == "start":
                arr[0] = 1
            elif how == "end":
                arr[-1] = arr[-1] - 1
        return M

    return make


def _csc_broken(base):
    M = _csr(base).tocsc()
    M.indices[0] = 10**6
    return M


def _coo_broken(base):
    M = _csr(base).tocoo()
    M.row[0] = 10**6
    return M


def _lil_broken(base):
    M = _csr(base).tolil()
    M.rows[0] = [10**6]
    M.data[0] = [1.0]
    return M


def _duplicate_overflow(base):
    A = _csr(base)
    shape = A.shape
    return sp.coo_matrix(
        (np.array([1e308, 1e308, 1.0]), ([0, 0, 1], [0, 0, 1])),
        shape=shape,
    )


def _with(base, fn):
    A = base.toarray() if sp.issparse(base) else np.array(base, float)
    return fn(A)


def _set_nan(A):
    A = A.copy()
    A.flat[0] = np.nan
    return A


def _set_inf(A):
    A = A.copy()
    A.flat[0] = np.inf
    return A


def _sparse_nan(base):
    M = _csr(base)
    M.data[0] = np.nan
    return M


RATINGS = {
    "csr_index_1e6": Bad(_broken("indices", 10**6)),
    "csr_index_neg": Bad(_broken("indices", -1)),
    "csr_indptr_decreasing": Bad(_broken("indptr", "decreasing")),
    "csr_indptr_start": Bad(_broken("indptr", "start")),
    "csr_indptr_end": Bad(_broken("indptr", "end")),
    "csc_index_1e6": Bad(_csc_broken),
    "coo_row_1e6": Bad(_coo_broken),
    "lil_col_1e6": Bad(_lil_broken),
    "duplicates_overflow": Bad(_duplicate_overflow),
    "complex_dense": Bad(lambda b: _with(b, lambda A: A + 1j)),
    "complex_sparse": Bad(lambda b: sp.csr_matrix(_csr(b) * (1 + 1j))),
    "nan_dense": Bad(lambda b: _with(b, _set_nan)),
    "inf_dense": Bad(lambda b: _with(b, _set_inf)),
    "nan_sparse": Bad(_sparse_nan),
    "huge_1e300": Bad(
        lambda b: _with(b, lambda A: A * 1e300), finite_ok=True
    ),
    "numeric_strings": Bad(lambda b: _with(b, lambda A: A.astype(str))),
    "words": Bad(_const([["a", "b"], ["c", "d"]])),
    "object": Bad(lambda b: _with(b, lambda A: A.astype(object))),
    "ragged": Bad(_const([[1.0, 2.0], [3.0]])),
    "1d": Bad(lambda b: _with(b, lambda A: A[0])),
    "3d": Bad(lambda b: _with(b, lambda A: A[None])),
    "no_rows": Bad(lambda b: _with(b, lambda A: A[:0])),
    "all_zero": Bad(lambda b: _with(b, np.zeros_like)),
    "string": Bad(_const("ratings")),
    "int": Bad(_const(3)),
}

# Relevance labels as a matrix (LambdaRank's training data): labels are
# >= 0, and large ones must not overflow the exponential gain.
LABEL_BAD = {
    "negative": Bad(lambda b: _with(b, lambda A: -A)),
    "label_2000": Bad(
        lambda b: _with(b, lambda A: np.where(A > 0, 2000.0, 0.0)),
        finite_ok=True,
    ),
}

SHAPE_BAD = {
    "wrong_shape": Bad(
        lambda b: _with(b, lambda A: np.vstack([A, A])), names="any"
    ),
}


def _factor_bad(base):
    base = np.asarray(base)
    return {
        "nan": Bad(lambda b: _set_nan(np.array(b, float))),
        "inf": Bad(lambda b: _set_inf(np.array(b, float))),
        "complex": Bad(lambda b: np.array(b) + 1j),
        "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
        "object": Bad(lambda b: np.array(b).astype(object)),
        "1d": Bad(lambda b: np.array(b)[0]),
        "3d": Bad(lambda b: np.array(b)[None]),
        "zero_columns": Bad(lambda b: np.array(b)[:, :0]),
        # One row short: some index (a user, an item) now lies outside.
        "wrong_rows": Bad(lambda b: np.array(b)[:-1], names="any"),
        "wrong_columns": Bad(lambda b: np.hstack([b, b]), names="any"),
        "ragged_list": Bad(_const([[1.0, 2.0], [3.0]])),
        "none": Bad(_const(None)),
        "huge_1e200": Bad(lambda b: np.array(b) * 1e200, finite_ok=True),
    }


def _index_bad(size):
    return {
        "negative": Bad(lambda b: np.array([-1] + list(b)[1:])),
        "too_big": Bad(lambda b: np.array([size] + list(b)[1:])),
        "1e12": Bad(lambda b: np.array([10**12] + list(b)[1:])),
        "float": Bad(lambda b: np.array(b, dtype=float) + 0.5),
        "float_whole": Bad(lambda b: np.array(b, dtype=float)),
        "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
        "ragged": Bad(_const([[0], [0, 1]])),
        "2d": Bad(lambda b: np.array(b)[None]),
        "complex": Bad(lambda b: np.array(b) + 0j),
        "none": Bad(_const(None)),
        "length_mismatch": Bad(lambda b: np.array(b)[:1], names="any"),
    }


def _int_bad(low, *, huge=True, optional=False):
    out = {
        "below_low": Bad(_const(low - 1)),
        "float": Bad(_const(low + 0.5)),
        "string": Bad(_const(str(low))),
        "bool": Bad(_const(True)),
        "complex": Bad(_const(1j)),
        "nan": Bad(_const(float("nan"))),
    }
    if low > 0:
        out["minus_one"] = Bad(_const(-1))
    if not optional:
        out["none"] = Bad(_const(None))
    if huge:
        out["1e12"] = Bad(_const(10**12))
    return out


def _float_bad(low=0.0, low_open=False, *, high=None, huge=True):
    out = {
        "below_low": Bad(_const(low - 1.0)),
        "nan": Bad(_const(float("nan"))),
        "inf": Bad(_const(float("inf"))),
        "string": Bad(_const("0.1")),
        "complex": Bad(_const(0.1 + 1j)),
        "none": Bad(_const(None)),
        "array": Bad(_const(np.array([0.1, 0.2]))),
    }
    if low_open:
        out["zero"] = Bad(_const(low))
    if high is not None:
        out["above_high"] = Bad(_const(high + 1.0))
    if huge:
        out["1e300"] = Bad(_const(1e300), finite_ok=True)
    return out


CHOICE = {
    "unknown": Bad(_const("no-such-option")),
    "int": Bad(_const(3)),
    "none": Bad(_const(None)),
}
SEED = {
    "negative": Bad(_const(-1)),
    "float": Bad(_const(1.5)),
    "string": Bad(_const("seed")),
    "complex": Bad(_const(1j)),
}
CLIP = {
    "reversed": Bad(_const((5.0, 1.0))),
    "equal": Bad(_const((3.0, 3.0))),
    "nan": Bad(_const((float("nan"), 5.0))),
    "one_value": Bad(_const((1.0,))),
    "string": Bad(_const("15")),
    "string_bound": Bad(_const((1.0, "5"))),
    "complex_bound": Bad(_const((1j, 5.0))),
}
BOOL = {
    "string": Bad(_const("yes")),
    "int_2": Bad(_const(2)),
    "none": Bad(_const(None)),
}
TEXT = {"int": Bad(_const(3)), "bytes": Bad(_const(b"x"))}
TEXT_REQUIRED = {**TEXT, "none": Bad(_const(None))}


def _dense_bad(label_prefix=""):
    return {
        "nan": Bad(lambda b: _set_nan(np.array(b, float))),
        "inf": Bad(lambda b: _set_inf(np.array(b, float))),
        "complex": Bad(lambda b: np.array(b) + 1j),
        "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
        "object": Bad(lambda b: np.array(b).astype(object)),
        "ragged": Bad(_const([[1.0, 2.0], [3.0]])),
        "3d": Bad(lambda b: np.array(b)[None]),
        # No rows: refused, or a shape clash with another argument.
        "empty": Bad(lambda b: np.array(b)[:0], names="any"),
        "none": Bad(_const(None)),
        "string": Bad(_const("1,2")),
        "wrong_shape": Bad(lambda b: np.vstack([b, b]), names="any"),
    }


SCORES = {
    **_dense_bad(),
    "1d": Bad(lambda b: np.array(b)[0]),
    "huge_1e308": Bad(lambda b: np.array(b) * 1e308, finite_ok=True),
    "2e53": Bad(lambda b: np.array(b) * 1e-3 + 2.0**53, finite_ok=True),
}
MASK = {
    "complex": Bad(lambda b: np.array(b) + 1j),
    "numeric_strings": Bad(lambda b: np.array(b, dtype=int).astype(str)),
    "ragged": Bad(_const([[True], [True, False]])),
    "nan": Bad(lambda b: _set_nan(np.array(b, float))),
    "broken_csr": Bad(_broken("indices", 10**6)),
    "wrong_shape": Bad(lambda b: np.vstack([b, b]), names="any"),
    "string": Bad(_const("mask")),
}
RELEVANCE_LISTS = {
    "nan": Bad(lambda b: _set_nan(np.array(b, float))),
    "inf": Bad(lambda b: _set_inf(np.array(b, float))),
    "negative": Bad(lambda b: np.array(b, float) - 1.0),
    "complex": Bad(lambda b: np.array(b) + 1j),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "object": Bad(lambda b: np.array(b).astype(object)),
    "ragged": Bad(_const([[1.0, 0.0], [1.0]])),
    "3d": Bad(lambda b: np.array(b)[None, None]),
    "empty": Bad(_const([])),
    # No users at all: an error, or empty results (never NaN).
    "no_users": Bad(lambda b: np.array(b)[:0], finite_ok=True),
    "none": Bad(_const(None)),
    "string": Bad(_const("3,2")),
    "label_2000": Bad(
        lambda b: np.where(np.array(b) > 0, 2000.0, 0.0), finite_ok=True
    ),
}
LIST_1D = {
    k: v
    for k, v in RELEVANCE_LISTS.items()
    if k not in ("3d", "label_2000", "negative")
} | {
    "2d": Bad(lambda b: np.array(b)[None]),
    "length_mismatch": Bad(lambda b: np.array(b)[:-1], names="any"),
}
RELEVANCE_1D = {
    **LIST_1D,
    "negative": Bad(lambda b: np.array(b, float) - 1.0),
    "label_2000": Bad(
        lambda b: np.where(np.array(b) > 0, 2000.0, 0.0), finite_ok=True
    ),
}
SPARSE_RELEVANCE = {
    "negative": Bad(lambda b: _csr(b) * -1.0),
    "nan": Bad(_sparse_nan),
    "complex": Bad(lambda b: sp.csr_matrix(_csr(b) * (1 + 1j))),
    "broken_csr": Bad(_broken("indices", 10**6)),
    "list": Bad(lambda b: _csr(b).toarray().tolist()),
    "wrong_shape": Bad(lambda b: sp.vstack([_csr(b)] * 2), names="any"),
    "string": Bad(_const("rel")),
}
TRIPLES = {
    "user_out_of_range": Bad(lambda b: np.vstack([b, [[M_USERS, 0, 1]]])),
    "item_out_of_range": Bad(lambda b: np.vstack([b, [[0, 0, 10**6]]])),
    "negative": Bad(lambda b: np.vstack([b, [[-1, 0, 1]]])),
    "i_equals_j": Bad(lambda b: np.vstack([b, [[0, 2, 2]]])),
    "float": Bad(lambda b: np.array(b, float)),
    "wrong_shape": Bad(lambda b: np.array(b)[:, :2]),
    "list": Bad(lambda b: np.array(b).tolist()),
    "complex": Bad(lambda b: np.array(b) + 0j),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "none": Bad(_const(None)),
}


def _cand(fn):
    def make(base):
        indptr, items, labels = (np.array(a) for a in base)
        return fn(indptr, items, labels)

    return make


CANDIDATES = {
    "item_1e6": Bad(_cand(lambda p, i, y: (p, np.r_[10**6, i[1:]], y))),
    "item_negative": Bad(_cand(lambda p, i, y: (p, np.r_[-1, i[1:]], y))),
    "float_items": Bad(_cand(lambda p, i, y: (p, i.astype(float), y))),
    "indptr_decreasing": Bad(
        _cand(lambda p, i, y: (np.r_[p[0], p[2], p[1], p[3:]], i, y))
    ),
    "indptr_end": Bad(_cand(lambda p, i, y: (np.r_[p[:-1], 10**6], i, y))),
    "too_many_users": Bad(
        _cand(lambda p, i, y: (np.r_[p, p[-1], p[-1], p[-1]], i, y)),
        names="any",
    ),
    "labels_negative": Bad(_cand(lambda p, i, y: (p, i, -y - 1.0))),
    "labels_nan": Bad(_cand(lambda p, i, y: (p, i, y * np.nan))),
    "labels_2000": Bad(
        _cand(lambda p, i, y: (p, i, np.where(y > 0, 2000.0, 0.0))),
        finite_ok=True,
    ),
    "labels_short": Bad(_cand(lambda p, i, y: (p, i, y[:-1]))),
    "not_a_tuple": Bad(_const(3)),
    "two_arrays": Bad(_cand(lambda p, i, y: (p, i))),
}
ORDER = {
    "user_too_big": Bad(lambda b: np.r_[b, M_USERS + 1], names="any"),
    "user_negative": Bad(lambda b: np.r_[b, -1]),
    "user_1e12": Bad(lambda b: np.r_[b, 10**12]),
    "float": Bad(lambda b: np.array(b, float) + 0.5),
    "ragged": Bad(_const([[0], [0, 1]])),
    "2d": Bad(lambda b: np.array(b)[None]),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "none": Bad(_const(None)),
}
INIT = {
    "not_a_tuple": Bad(_const(3)),
    "one_matrix": Bad(lambda b: (np.ones((M_USERS, 2)),)),
    "wrong_rows": Bad(
        _const((np.ones((M_USERS + 1, 2)), np.ones((N_ITEMS, 2)))),
    ),
    "nan": Bad(
        _const((np.full((M_USERS, 2), np.nan), np.ones((N_ITEMS, 2))))
    ),
    "complex": Bad(
        _const((np.ones((M_USERS, 2)) + 1j, np.ones((N_ITEMS, 2))))
    ),
}
SINGULAR = {
    "nan": Bad(lambda b: _set_nan(np.array(b, float))),
    "negative": Bad(lambda b: -np.array(b, float)),
    "complex": Bad(lambda b: np.array(b) + 1j),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "2d": Bad(lambda b: np.array(b)[None, :].repeat(2, 0)),
    "ragged": Bad(_const([[1.0], [2.0, 1.0]])),
    "empty": Bad(_const([])),
    "none": Bad(_const(None)),
    "huge_1e300": Bad(lambda b: np.array(b) * 1e300, finite_ok=True),
}
CALLABLE = {"int": Bad(_const(42)), "string": Bad(_const("f"))}
TIMESTAMPS = {
    "broken_csr": Bad(_broken("indices", 10**6)),
    "broken_indptr": Bad(_broken("indptr", "decreasing")),
    "nan": Bad(_sparse_nan),
    "complex": Bad(lambda b: sp.csr_matrix(_csr(b) * (1 + 1j))),
    "dense": Bad(lambda b: _csr(b).toarray()),
    "wrong_shape": Bad(lambda b: sp.vstack([_csr(b)] * 2), names="any"),
    "other_pattern": Bad(
        lambda b: sp.csr_matrix(np.ones(_csr(b).shape)), names="any"
    ),
}
N_RELEVANT = {
    "negative": Bad(_const(-1)),
    "float": Bad(_const(2.5)),
    "string": Bad(_const("2")),
    "wrong_length": Bad(_const(np.array([1, 1, 1]))),
    "complex": Bad(_const(1j)),
}
RECOMMENDED = {
    "float": Bad(lambda b: np.array(b, float)),
    "below_minus_one": Bad(lambda b: np.array(b) * 0 - 2),
    "too_big": Bad(lambda b: np.array(b) * 0 + 10**6),
    "ragged": Bad(_const([[0], [0, 1]])),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "complex": Bad(lambda b: np.array(b) + 0j),
    "none": Bad(_const(None)),
}
ANSWER = {
    "string": Bad(_const("abc")),
    "ragged": Bad(_const([[1.0], [2.0, 3.0]])),
    "complex": Bad(_const(1.0 + 2j)),
    "none": Bad(_const(None)),
}
HASH = {
    "bad_digest": Bad(_const("sha256:xyz")),
    "unknown_algorithm": Bad(_const("crc32:abcdef12")),
    "int": Bad(_const(3)),
}
HISTORY = {
    "int": Bad(_const(42)),
    "ragged": Bad(_const({"loss": [[1.0], [2.0, 3.0]]})),
    "strings": Bad(_const({"loss": ["a", "b"]})),
    "complex": Bad(_const({"loss": [1j, 2j]})),
}
KEYS = {
    "missing": Bad(_const(["nope"])),
    "a_string": Bad(_const("loss")),
    "empty": Bad(_const([])),
    "int": Bad(_const(3)),
}
AX = {"int": Bad(_const(42)), "string": Bad(_const("ax"))}
POINTS = {
    "nan": Bad(lambda b: _set_nan(np.array(b, float))),
    "complex": Bad(lambda b: np.array(b) + 1j),
    "three_columns": Bad(lambda b: np.hstack([b, b[:, :1]])),
    "1d": Bad(lambda b: np.array(b)[:, 0]),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "none": Bad(_const(None)),
}
LABELS = {
    "float": Bad(lambda b: np.array(b, float) + 0.5),
    "wrong_length": Bad(lambda b: np.array(b)[:-1], names="any"),
    "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
    "none": Bad(_const(None)),
}
NAMES = {
    "too_short": Bad(_const(["a"])),
    "int": Bad(_const(3)),
    "string": Bad(_const("abc")),
}
ENERGY = {
    "wrong_length": Bad(_const([0.5])),
    "nan": Bad(_const([np.nan, 0.5, 1.0])),
    "string": Bad(_const("energy")),
}
FMT = {"int": Bad(_const(3)), "two_fields": Bad(_const("{} {}"))}
OPTIONS = {
    "empty": Bad(_const([])),
    "int": Bad(_const(3)),
    "string": Bad(_const("abc")),
    "unhashable": Bad(_const([[1], [2]])),
    "duplicates": Bad(_const(["a", "a"])),
}
ITERABLE = {"int": Bad(_const(3)), "none": Bad(_const(None))}
BASELINE = {
    "int": Bad(_const(42)),
    "string": Bad(_const("bias")),
}
_ZIPS = {}


def _zip(kind):
    if kind not in _ZIPS:
        _ZIPS[kind] = _bad_zip(kind)
    return _ZIPS[kind]


DATA_HOME = {
    "int": Bad(_const(3)),
    # A user's zip (hash given) whose ratings.csv lacks the rating column
    # or has an empty rating: the error names the column.
    "zip_without_rating_column": Bad(
        lambda b: str(_zip("no_rating_column")[0]),
        names=["rating"],
        extra=lambda: {"known_hash": _zip("no_rating_column")[1]},
    ),
    "zip_with_empty_rating": Bad(
        lambda b: str(_zip("empty_rating")[0]),
        names=["rating"],
        extra=lambda: {"known_hash": _zip("empty_rating")[1]},
    ),
}
URL = {"int": Bad(_const(3))}
ML_NAME = {"unknown": Bad(_const("ml-1m")), "int": Bad(_const(3))}
TITLE = {"int": Bad(_const(3)), "unknown": Bad(_const("No such film"))}
RNG = {"int_seed": Bad(_const(0)), "string": Bad(_const("rng"))}
EXERCISE_ID = {"unknown": Bad(_const("ch9")), "int": Bad(_const(3))}
SLIDER_VALUE = {
    "below": Bad(_const(-(10**9))),
    "string": Bad(_const("5")),
    "nan": Bad(_const(float("nan"))),
}
EXPONENT = {
    "huge": Bad(_const(400)),
    "string": Bad(_const("1")),
    "float": Bad(_const(0.5)),
}
CHUNK = _int_bad(1, huge=False)
WEIGHTS = {
    "wrong_shape": Bad(_const(np.ones((2, 2))), names="any"),
    "nan": Bad(_const(np.full((4, 4), np.nan))),
    "complex": Bad(_const(np.ones((4, 4)) + 1j)),
    "numeric_strings": Bad(_const(np.ones((4, 4)).astype(str))),
    "negative": Bad(_const(-np.ones((4, 4)))),
}
IDEAL = {
    **{
        k: v
        for k, v in RELEVANCE_LISTS.items()
        if k not in ("empty", "none", "label_2000")
    },
    "wrong_rows": Bad(lambda b: np.vstack([b, b, b]), names="any"),
}

# Kinds: parameter -> bad values. Sizes are per fixture.
KINDS = {
    "ratings": RATINGS,
    "ratings_shaped": {**RATINGS, **SHAPE_BAD},
    # A matrix to draw: all zeros is a legitimate picture.
    "matrix": {k: v for k, v in RATINGS.items() if k != "all_zero"},
    "real_optional": {
        k: v
        for k, v in _float_bad(huge=False).items()
        if k not in ("below_low", "none")
    },
    "labels_matrix": {**RATINGS, **LABEL_BAD},
    "labels_matrix_optional": {
        k: v for k, v in RATINGS.items() if k != "none"
    }
    | SHAPE_BAD
    | LABEL_BAD,
    "ratings_optional": {k: v for k, v in RATINGS.items() if k != "none"}
    | SHAPE_BAD,
    "U": _factor_bad(None),
    "V": _factor_bad(None),
    # Y's column count sets k: any width is valid.
    "Y": {
        k: v for k, v in _factor_bad(None).items() if k != "wrong_columns"
    },
    # log_sigmoid takes any array shape; -inf and inf have exact answers.
    "real_array": {
        k: v
        for k, v in LIST_1D.items()
        if k not in ("2d", "empty", "length_mismatch", "inf")
    },
    "rows_users": _index_bad(M_USERS),
    # An index array with no partner whose length it must match.
    "rows_users_alone": {
        k: v
        for k, v in _index_bad(M_USERS).items()
        if k != "length_mismatch"
    },
    "cols_items": _index_bad(N_ITEMS),
    "synth_rows": _index_bad(20),
    "synth_cols": _index_bad(15),
    "k_factors": _int_bad(1),
    "k_cutoff": _int_bad(1, huge=False),
    # One user of the fixtures' rating matrix, as a plain int.
    "user_scalar": {
        **_int_bad(0, huge=True),
        "too_big": Bad(_const(M_USERS)),
    },
    "k_cutoff_optional": _int_bad(1, huge=False, optional=True),
    "k_truncate": _int_bad(1, huge=True),
    "count": _int_bad(0),
    "count_optional": _int_bad(1, optional=True),
    "n_candidates": _int_bad(2),
    "n_items": _int_bad(1, huge=False),
    "size_users": _int_bad(1),
    "size_items": _int_bad(1),
    "lam": _float_bad(0.0),
    "rate": _float_bad(0.0, low_open=True),
    "fraction": _float_bad(0.0, high=0.999, huge=False),
    "density": _float_bad(0.0, low_open=True, high=1.0, huge=False),
    "choice": CHOICE,
    "seed": SEED,
    "clip": CLIP,
    "bool": BOOL,
    "text": TEXT,
    "text_required": TEXT_REQUIRED,
    "scores": SCORES,
    "scores1": {k: v for k, v in LIST_1D.items()}
    | {"huge_1e308": Bad(lambda b: np.array(b) * 1e308, finite_ok=True)},
    "relevance1": RELEVANCE_1D,
    "mask": MASK,
    "mask_optional": {k: v for k, v in MASK.items()},
    "relevance_lists": RELEVANCE_LISTS,
    "ideal": IDEAL,
    "sparse_relevance": SPARSE_RELEVANCE,
    "triples": TRIPLES,
    "candidates": CANDIDATES,
    "order": ORDER,
    "init": INIT,
    "singular": SINGULAR,
    "callable": CALLABLE,
    "callable_optional": CALLABLE,
    "timestamps": TIMESTAMPS,
    "n_relevant": N_RELEVANT,
    "recommended": RECOMMENDED,
    "answer": ANSWER,
    "hash": HASH,
    "history": HISTORY,
    "keys": KEYS,
    "ax": AX,
    "points": POINTS,
    "labels": LABELS,
    "names": NAMES,
    "energy": ENERGY,
    "fmt": FMT,
    "options": OPTIONS,
    "iterable": ITERABLE,
    "baseline": BASELINE,
    "data_home": DATA_HOME,
    "url": URL,
    "ml_name": ML_NAME,
    "title": TITLE,
    "rng": RNG,
    "exercise_id": EXERCISE_ID,
    "slider_value": SLIDER_VALUE,
    "exponent": EXPONENT,
    "chunk": CHUNK,
    "weights": WEIGHTS,
    "total_energy": {
        k: v
        for k, v in _float_bad(0.0, low_open=True, huge=False).items()
        if k != "none"
    },
    "markersize": _float_bad(0.0, low_open=True, huge=False),
    "threshold": {
        k: v for k, v in _float_bad(huge=False).items() if k != "below_low"
    },
    "int_bound": {
        "string": Bad(_const("1")),
        "float": Bad(_const(1.5)),
        "none": Bad(_const(None)),
    },
    "total": {
        "negative": Bad(_const(-1)),
        "string": Bad(_const("3")),
        "float": Bad(_const(2.5)),
    },
    "slider_choice_value": {"not_an_option": Bad(_const("zzz"))},
}


# -- explorers, tryit and the live widgets


def _frame_with(fn):
    """A bad table made from the valid ``_frame()`` (whatever the base)."""
    return lambda base: fn(_frame())


def _other_control(base):
    from recsys_lessons import explorers

    return explorers.slider("z", [1, 2])


def _another_iterations_knob(base):
    from recsys_lessons.tryit import Knob

    return (*base, Knob("t2", "iterations", (1, 2), 1, "t2"))


def _drop_key(key):
    return lambda base: {k: v for k, v in base.items() if k != key}


def _with_key(key, value):
    return lambda base: {**base, key: value}


def _series(values):
    def make(base):
        import pandas as pd

        return pd.Series(values)

    return make


# A column or parameter name: an identifier, as it goes into Vega
# expressions (datum['<name>'], ctl_<name>).
IDENTIFIER = {
    "int": Bad(_const(3)),
    "bytes": Bad(_const(b"k")),
    "none": Bad(_const(None)),
    "space": Bad(_const("a b")),
    "empty": Bad(_const("")),
    "leading_digit": Bad(_const("1k")),
    "quote": Bad(_const("k']")),
    "trailing_newline": Bad(_const("k\n")),
}
# Increasing, distinct, finite numbers (a grid of a control).
NUMBER_GRID = {
    "string": Bad(_const("1,2")),
    "int": Bad(_const(3)),
    "none": Bad(_const(None)),
    "empty": Bad(_const([])),
    "nan": Bad(_const([1.0, float("nan")])),
    "inf": Bad(_const([1.0, float("inf")])),
    "numeric_strings": Bad(_const(["1", "2"])),
    "bools": Bad(_const([False, True])),
    "complex": Bad(_const([1j, 2j])),
    "decreasing": Bad(_const([3, 2, 1])),
    "duplicates": Bad(_const([1, 1, 2])),
    "nested": Bad(_const([[1], [2]])),
}
# A control's starting value: one of its grid (None: the first).
GRID_VALUE = {
    "not_in_grid": Bad(_const(7)),
    "string": Bad(_const("zzz")),
    "list": Bad(_const([1])),
    "nan": Bad(_const(float("nan"))),
}
# A d3-format specifier: it goes into a Vega expression, in quotes.
D3_FORMAT = {
    "int": Bad(_const(3)),
    "bytes": Bad(_const(b".1f")),
    "none": Bad(_const(None)),
    "python_braces": Bad(_const("{:.1f}")),
    "quote": Bad(_const(".1f') + ('")),
    "words": Bad(_const("one decimal")),
}
PIXELS = _int_bad(1) | {"above_4000": Bad(_const(4001))}
CONTROLS = {
    "int": Bad(_const(3)),
    "none": Bad(_const(None)),
    "string": Bad(_const("k")),
    "not_controls": Bad(_const([3])),
    "nested": Bad(lambda b: [list(b)]),
    # Two inputs of one name: Vega refuses the spec when drawing it.
    "duplicate": Bad(lambda b: [*b, b[0]]),
}
# A table of rows: a DataFrame whose columns are identifiers, holding
# finite numbers, str or bool.
FRAME = {
    "list": Bad(_const([1, 2])),
    "dict": Bad(_frame_with(lambda f: f.to_dict("list"))),
    "none": Bad(_const(None)),
    "string": Bad(_const("k,t\n1,2")),
    "no_rows": Bad(_frame_with(lambda f: f.iloc[:0])),
    "no_columns": Bad(_frame_with(lambda f: f[[]])),
    "column_not_identifier": Bad(
        _frame_with(lambda f: f.rename(columns={"t": "a b"}))
    ),
    "int_column_name": Bad(
        _frame_with(lambda f: f.rename(columns={"t": 0}))
    ),
    "comma_in_text": Bad(_frame_with(lambda f: f.assign(s=["a,b", "c"]))),
    "quote_in_text": Bad(_frame_with(lambda f: f.assign(s=['a"', "c"]))),
    "inf": Bad(_frame_with(lambda f: f.assign(r=[np.inf, 1.0]))),
    "complex": Bad(_frame_with(lambda f: f.assign(r=[1j, 2.0]))),
}
DECIMALS = {
    "int": Bad(_const(3)),
    "string": Bad(_const("r")),
    "pairs": Bad(_const([("r", 3)])),
    "negative": Bad(_const({"r": -1})),
    "float_digits": Bad(_const({"r": 1.5})),
    "string_digits": Bad(_const({"r": "3"})),
    "too_many_digits": Bad(_const({"r": 16})),
    "int_key": Bad(_const({1: 3})),
}
MAX_BYTES = _int_bad(1, huge=False)
TRYIT = {
    "int": Bad(_const(3)),
    "none": Bad(_const(None)),
    "string": Bad(_const("tryit")),
    "dict": Bad(_const({})),
    "a_knob": Bad(lambda b: b.knobs[0]),
}

EXPLORER_KINDS = {
    "identifier": IDENTIFIER,
    # matrix_at: the prefix must name the row's cells.
    "row_prefix": IDENTIFIER
    | {"not_in_row": Bad(_const("q"), names=["row", "prefix"])},
    "per_decade": _int_bad(1) | {"above_100": Bad(_const(101))},
    "iteration_last": _int_bad(1) | {"above_1e5": Bad(_const(100_001))},
    "mantissas": NUMBER_GRID
    | {
        "below_one": Bad(_const([0.5, 2])),
        "ten": Bad(_const([1, 10])),
    },
    "compute": CALLABLE
    | {
        "wrong_keywords": Bad(_const(_compute_other)),
        "returns_list": Bad(_const(_compute_list)),
        "returns_control_column": Bad(_const(_compute_clash)),
    },
    "compute_def": CALLABLE
    | {"wrong_keywords": Bad(_const(_compute_other))},
    "panels": CALLABLE | {"no_argument": Bad(_const(_panels_no_argument))},
    # grid_frame's controls: name -> grid of values.
    "control_grids": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "pairs": Bad(_const([("a", [1, 2])])),
        "empty": Bad(_const({})),
        "name_not_identifier": Bad(_const({"a b": [1]})),
        "int_name": Bad(_const({1: [1]})),
        "string_grid": Bad(_const({"a": "12"})),
        "int_grid": Bad(_const({"a": 3})),
        "empty_grid": Bad(_const({"a": []})),
        "duplicate_values": Bad(_const({"a": [1, 1]})),
        "unhashable_values": Bad(_const({"a": [[1], [2]]})),
        "unknown_keyword": Bad(_const({"b": [1]}), names="any"),
        "also_fixed": Bad(_const({"a": [1], "iterations": [1]})),
    },
    # grid_frame's fixed keywords.
    "keywords_optional": {
        "int": Bad(_const(3)),
        "string": Bad(_const("iterations")),
        "pairs": Bad(_const([("iterations", 2)])),
        "int_key": Bad(_const({1: 2})),
        "unknown_keyword": Bad(_with_key("zzz", 1), names="any"),
        "missing_keyword": Bad(_const({}), names="any"),
        "also_a_control": Bad(_with_key("a", 1)),
    },
    "threads": _int_bad(1, huge=False, optional=True),
    "stack": {
        "nan": Bad(lambda b: _set_nan(np.array(b, float))),
        "inf": Bad(lambda b: _set_inf(np.array(b, float))),
        "complex": Bad(lambda b: np.array(b) + 1j),
        "numeric_strings": Bad(lambda b: np.array(b).astype(str)),
        "object": Bad(lambda b: np.array(b).astype(object)),
        "ragged": Bad(_const([[[1.0, 2.0]], [[3.0]]])),
        "2d": Bad(lambda b: np.array(b)[0]),
        "4d": Bad(lambda b: np.array(b)[None]),
        "none": Bad(_const(None)),
        "string": Bad(_const("stack")),
    },
    "matrix_row": {
        "frame": Bad(lambda b: b.to_frame().T),
        "dict": Bad(lambda b: b.to_dict()),
        "none": Bad(_const(None)),
        "no_cells": Bad(_series({"x": 1.0}), names=["row", "prefix"]),
        "not_a_matrix": Bad(
            lambda b: b.drop("p_1_1"), names=["row", "prefix"]
        ),
        "numeric_strings": Bad(lambda b: b.astype(str)),
        "words": Bad(_series({"p_0_0": "a", "p_0_1": "b"})),
        "nan": Bad(_series({"p_0_0": np.nan, "p_0_1": 1.0})),
        "complex": Bad(lambda b: b + 1j),
    },
    "frame": FRAME,
    "digits": _int_bad(1) | {"above_17": Bad(_const(18))},
    "decimals": DECIMALS,
    # inline_data's decimals must name columns of its frame.
    "decimals_known": DECIMALS
    | {"unknown_column": Bad(_const({"nope": 1}))},
    "number_grid": NUMBER_GRID,
    # Finite numbers in any order (evenly_spaced's).
    "numbers": {
        k: v
        for k, v in NUMBER_GRID.items()
        if k not in ("decreasing", "duplicates")
    },
    # check_grid_value's grid: a non-empty sequence.
    "value_grid": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("123")),
        "empty": Bad(_const([])),
    },
    "even_grid": NUMBER_GRID | {"uneven": Bad(_const([1, 2, 4]))},
    "log_grid": NUMBER_GRID
    | {
        "zero": Bad(_const([0, 1])),
        "negative": Bad(_const([-1.0, 1.0])),
        "uneven_in_log": Bad(_const([1e-3, 1e-2, 1.0])),
    },
    "grid_value": GRID_VALUE,
    "str_options": {k: v for k, v in OPTIONS.items() if k != "unhashable"}
    | {
        "nested": Bad(_const([["a"], ["b"]])),
        "empty_label": Bad(_const(["a", ""])),
        "numbers": Bad(_const([1, 2])),
        "none": Bad(_const(None)),
    },
    "d3_format": D3_FORMAT,
    "fixed_value": {
        "list": Bad(_const([1])),
        "nan": Bad(_const(float("nan"))),
        "inf": Bad(_const(float("inf"))),
        "bool": Bad(_const(True)),
        "none": Bad(_const(None)),
        "complex": Bad(_const(1j)),
        "bytes": Bad(_const(b"x")),
    },
    # fixed's span (for an axis along the control): numbers, as value.
    "span_optional": {
        "int": Bad(_const(3)),
        "string": Bad(_const("15")),
        "empty": Bad(_const([])),
        "nan": Bad(_const((float("nan"), 5))),
        "nested": Bad(_const([[1], [5]])),
        "complex": Bad(_const((1j, 5))),
        "bools": Bad(_const((False, True))),
        "strings": Bad(_const(("1", "5"))),
    },
    "controls": CONTROLS,
    "control": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("t")),
        "not_in_controls": Bad(_other_control),
    },
    "pixels": PIXELS,
    "shape_pair": {
        "int": Bad(_const(5)),
        "string": Bad(_const("22")),
        "none": Bad(_const(None)),
        "triple": Bad(_const((2, 2, 2))),
        "zero": Bad(_const((0, 2))),
        "float": Bad(_const((2.5, 2))),
        "strings": Bad(_const(("2", "2"))),
        "too_big": Bad(_const((101, 1))),
    },
    "domain_pair": {
        "int": Bad(_const(5)),
        "none": Bad(_const(None)),
        "reversed": Bad(_const((5, 0))),
        "equal": Bad(_const((1, 1))),
        "nan": Bad(_const((float("nan"), 5))),
        "inf": Bad(_const((0, float("inf")))),
        "strings": Bad(_const(("0", "5"))),
        "complex": Bad(_const((1j, 5))),
        "triple": Bad(_const((0, 1, 5))),
    },
    "outline": {
        "wrong_shape": Bad(_const(np.ones((3, 3), dtype=bool))),
        "nan": Bad(_const(np.full((2, 2), np.nan))),
        "complex": Bad(_const(np.ones((2, 2)) + 1j)),
        "numeric_strings": Bad(_const(np.array([["1", "0"], ["0", "1"]]))),
        "ragged": Bad(_const([[True], [True, False]])),
        "string": Bad(_const("outline")),
    },
    "chart": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("chart")),
        "spec_dict": Bad(_const({"mark": "point"})),
    },
    "chart_data": FRAME,
    "chart_rows": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("ab")),
        "empty": Bad(_const([])),
        "not_charts": Bad(_const([42])),
        "not_chart_beside": Bad(lambda b: [b[0], [b[0], 42]]),
        "nested_too_deep": Bad(lambda b: [[[b[0]]]]),
    },
    "max_bytes": MAX_BYTES,
    "max_bytes_build": MAX_BYTES | {"too_small": Bad(_const(10))},
    # Knob
    "knob_kind": CHOICE,
    "knob_grid": NUMBER_GRID
    | {
        "zero_for_log": Bad(_const((0.0, 0.1, 1.0))),
        "uneven_for_log": Bad(_const((0.01, 0.1, 0.5))),
        "fractions_for_int": Bad(
            _const((0.5, 1.5)),
            extra=lambda: {"kind": "int", "default": 0.5},
        ),
        "floats_for_iterations": Bad(
            _const((1.0, 2.0)),
            extra=lambda: {"kind": "iterations", "default": 1.0},
        ),
        "numbers_for_options": Bad(
            _const((1, 2)), extra=lambda: {"kind": "options", "default": 1}
        ),
        "duplicate_options": Bad(
            _const(("a", "a")),
            extra=lambda: {"kind": "options", "default": "a"},
        ),
    },
    "knob_default": GRID_VALUE,
    # The live range of the log knob (0.01, 0.1, 1): numbers around the
    # grid, positive for a log scale.
    "knob_bound": {
        "string": Bad(_const("1")),
        "list": Bad(_const([1])),
        "bool": Bad(_const(True)),
        "complex": Bad(_const(1j)),
        "nan": Bad(_const(float("nan"))),
        "inf": Bad(_const(float("inf"))),
        "minus_inf": Bad(_const(float("-inf"))),
        "inside_grid": Bad(_const(0.05), names=["low", "high"]),
        "zero": Bad(_const(0.0), names=["low", "high"]),
    },
    "knob": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("lam")),
        "dict": Bad(_const({"name": "lam"})),
    },
    "knobs": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("k")),
        "empty": Bad(_const(())),
        "not_knobs": Bad(_const([3])),
        "duplicate_names": Bad(lambda b: (*b, b[0])),
        "two_iterations_knobs": Bad(_another_iterations_knob),
        # compute(k, iterations) needs the iterations knob.
        "missing_a_keyword": Bad(lambda b: b[:1], names="any"),
    },
    "readouts": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "string": Bad(_const("y")),
        "not_pairs": Bad(_const([3])),
        "one_entry": Bad(_const([("y",)])),
        "format_int": Bad(_const([("y", 3)])),
        "column_not_identifier": Bad(_const([("a b", ".3f")])),
        "python_only_format": Bad(_const([("y", "{:.3f}")])),
        "d3_only_format": Bad(_const([("y", ".2~f")])),
    },
    "tryit": TRYIT,
    # explore's table: grid_table's result.
    "grid_table_optional": {
        "int": Bad(_const(3)),
        "string": Bad(_const("table")),
        "list": Bad(_const([1, 2])),
        "dict": Bad(lambda b: b.to_dict("list")),
        "no_rows": Bad(lambda b: b.iloc[:0]),
        "missing_knob_column": Bad(lambda b: b.drop(columns="k")),
        "inf": Bad(lambda b: b.assign(y=np.inf)),
    },
    # single's table: one_setting's result (no columns of the other
    # knobs; the iterations knob's column).
    "setting_table": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "list": Bad(_const([1, 2])),
        "dict": Bad(lambda b: b.to_dict("list")),
        "knob_column": Bad(lambda b: b.assign(k=2)),
        "no_iterations_column": Bad(lambda b: b.drop(columns="iterations")),
        "inf": Bad(lambda b: b.assign(y=np.inf)),
    },
    "setting": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "list": Bad(_const([2, 2])),
        "missing_knob": Bad(_drop_key("k")),
        "extra_knob": Bad(_with_key("zzz", 1)),
        "nan_value": Bad(_with_key("k", float("nan"))),
        "string_value": Bad(_with_key("k", "zzz")),
        "bool_value": Bad(_with_key("k", True)),
        "fraction_for_int": Bad(_with_key("k", 1.5)),
    },
    "cache_size": _int_bad(1) | {"above_1e4": Bad(_const(10_001))},
    # a value of a log knob
    "knob_value": {
        "string": Bad(_const("0.1")),
        "none": Bad(_const(None)),
        "bool": Bad(_const(True)),
        "nan": Bad(_const(float("nan"))),
        "inf": Bad(_const(float("inf"))),
    },
}
KINDS |= EXPLORER_KINDS


def _small_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [0.5, 0.25, 0.125], marker="o", label="loss")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    return fig


KINDS |= {
    # one readable text per value of the control
    "texts": {
        "int": Bad(_const(3)),
        "str": Bad(_const("abc")),
        "short": Bad(_const(["a"])),
        "numbers": Bad(_const([1, 2, 3])),
        "blank": Bad(_const(["a", " ", "c"])),
    },
    "figure": {
        "int": Bad(_const(3)),
        "none": Bad(_const(None)),
        "axes": Bad(lambda b: b.axes[0]),
    },
    "glue_name": TEXT_REQUIRED
    | {"space": Bad(_const("ch02 x")), "upper": Bad(_const("Ch02-X"))},
    "glue_value": {
        "string": Bad(_const("0.5")),
        "bool": Bad(_const(True)),
        "none": Bad(_const(None)),
        "complex": Bad(_const(1j)),
        "nan": Bad(_const(float("nan"))),
        "inf": Bad(_const(float("inf"))),
        "array": Bad(_const(np.array([0.5]))),
    },
    # caption and name come together: either alone is refused by name.
    "figure_caption": TEXT_REQUIRED | {"blank": Bad(_const("  "))},
    "figure_name": TEXT_REQUIRED
    | {
        "space": Bad(_const("fig loss")),
        "upper": Bad(_const("Fig-Loss")),
        "digit_first": Bad(_const("1-loss")),
    },
    "summary": TEXT_REQUIRED
    | {
        "blank": Bad(_const("  ")),
        # a number the figure does not draw
        "stale_number": Bad(_const("The loss falls to 0.37.")),
    },
    "rgb": {
        "above_one": Bad(_const([[2.0, 0.0, 0.0]])),
        "negative": Bad(_const([[-0.1, 0.0, 0.0]])),
        "two_channels": Bad(_const([[0.1, 0.2]])),
        "nan": Bad(_const([[np.nan, 0.0, 0.0]])),
        "words": Bad(_const([["a", "b", "c"]])),
    },
    "deficiency": {
        "unknown": Bad(_const("tritanopia")),
        "int": Bad(_const(1)),
        "none": Bad(_const(None)),
    },
    "delta_e": _float_bad(huge=False) | {"bool": Bad(_const(True))},
}

# Special cases that are not "a bad value for one parameter".
EXTRA_CASES = {
    # (callable, label): (parameter named, kwargs override builder)
}


# -------------------------------------------------------------------------
# The table: one entry per public callable


@dataclasses.dataclass
class Entry:
    """How to call one public callable validly, and its parameters' kinds.

    ``args``: the valid call (values or ``Fix`` references);
    ``kinds``: parameter -> kind (a key of ``KINDS``), or ``None`` with a
    reason in ``why`` for a parameter without bad values of its own;
    ``obj``: for a method, the fixture it is called on;
    ``mutates``: parameters the callable documents it updates in place;
    ``exempt``: reason this callable is not an entry point (constructors
    of result containers).
    """

    args: dict = dataclasses.field(default_factory=dict)
    kinds: dict = dataclasses.field(default_factory=dict)
    obj: str | None = None
    mutates: tuple = ()
    exempt: str | None = None
    why: str = ""


def E(args=None, kinds=None, **kw):
    return Entry(args or {}, kinds or {}, **kw)


CONTAINER = (
    "a result container the package builds; a reader never constructs one"
)
RAT = "ratings"

TABLE = {
    # -- data
    "data.toy.toy_ratings": E(),
    "data.synthetic.synthetic_ratings": E(
        dict(
            n_users=20,
            n_items=15,
            rank=2,
            density=0.3,
            min_ratings_per_user=2,
        ),
        dict(
            n_users="size_users",
            n_items="size_items",
            rank="k_factors",
            density="density",
            noise="lam",
            seed="seed",
            popularity_exponent="lam",
            min_ratings_per_user="k_factors",
            genre_concentration="rate",
            selection_strength="lam",
        ),
    ),
    "data.synthetic.SyntheticRatings": E(exempt=CONTAINER),
    "data.synthetic.SyntheticRatings.expected_rating": E(
        dict(rows=[0, 1, 19], cols=[0, 14, 3]),
        dict(rows="synth_rows", cols="synth_cols", clip="clip"),
        obj="synth",
    ),
    "data.splits.train_test_split": E(
        dict(R=Fix("R"), test_fraction=0.25),
        dict(R=RAT, test_fraction="fraction", seed="seed"),
    ),
    "data.splits.temporal_split": E(
        dict(R=Fix("R"), timestamps=Fix("T"), test_fraction=0.25),
        dict(
            R="ratings_shaped",
            timestamps="timestamps",
            test_fraction="fraction",
        ),
    ),
    "data.splits.global_time_split": E(
        dict(R=Fix("R"), timestamps=Fix("T"), test_fraction=0.25),
        dict(
            R="ratings_shaped",
            timestamps="timestamps",
            test_fraction="fraction",
        ),
    ),
    "data.splits.to_implicit": E(
        dict(R=Fix("R")), dict(R=RAT, threshold="threshold")
    ),
    "data.movielens.load_movielens": E(
        dict(name="ml-latest-small", data_home=Fix("data_home")),
        dict(
            name="ml_name",
            data_home="data_home",
            url="url",
            known_hash="hash",
        ),
    ),
    "data.movielens.MovieLens": E(exempt=CONTAINER),
    "data.movielens.MovieLens.movie_index": E(
        dict(title="Movie 2"), dict(title="title"), obj="movielens"
    ),
    "data.movielens.DatasetUnavailableError": E(
        exempt="an exception class"
    ),
    # -- mf
    "mf.regularization_weights": E(
        dict(M=Fix("R"), penalty="plain"),
        dict(M=RAT, penalty="choice"),
    ),
    "mf.objective": E(
        dict(R=Fix("R"), U=Fix("U"), V=Fix("V"), lam=0.1),
        dict(
            R="ratings_shaped",
            U="U",
            V="V",
            lam="lam",
            penalty="choice",
        ),
    ),
    "mf.predict": E(
        dict(U=Fix("U"), V=Fix("V"), rows=[0, 3], cols=[4, 0]),
        dict(U="U", V="V", rows="rows_users", cols="cols_items"),
    ),
    "mf.predict_observed": E(
        dict(R=Fix("R"), U=Fix("U"), V=Fix("V")),
        dict(R="ratings_shaped", U="U", V="V"),
    ),
    "mf.rmse": E(
        dict(R=Fix("R"), U=Fix("U"), V=Fix("V")),
        dict(R="ratings_shaped", U="U", V="V"),
    ),
    "mf.mae": E(
        dict(R=Fix("R"), U=Fix("U"), V=Fix("V")),
        dict(R="ratings_shaped", U="U", V="V"),
    ),
    # -- als
    "als.ALSResult": E(exempt=CONTAINER),
    "als.ResidualALS": E(exempt=CONTAINER),
    "als.fit_als": E(
        dict(R=Fix("R"), k=2, lam=0.1, n_iters=2),
        dict(
            R=RAT,
            k="k_factors",
            lam="lam",
            n_iters="count",
            penalty="choice",
            init="init",
            seed="seed",
            test="ratings_optional",
            callback="callable_optional",
        ),
    ),
    "als.als_reference": E(
        dict(R=Fix("R"), k=2, lam=0.1, n_iters=2),
        dict(
            R=RAT,
            k="k_factors",
            lam="lam",
            n_iters="count",
            penalty="choice",
            init="init",
            seed="seed",
            test="ratings_optional",
            callback="callable_optional",
        ),
    ),
    "als.solve_factors": E(
        dict(R=Fix("R"), Y=Fix("V"), lam=0.1),
        dict(R=RAT, Y="Y", lam="lam", penalty="choice"),
    ),
    "als.initial_factors": E(
        dict(n_users=4, n_items=5, k=2),
        dict(
            n_users="size_users",
            n_items="size_items",
            k="k_factors",
            seed="seed",
        ),
    ),
    "als.lesson_start": E(
        dict(n_users=4, n_items=5, k=2),
        dict(
            n_users="size_users",
            n_items="size_items",
            k="k_factors",
            seed="seed",
        ),
    ),
    "als.fit_als_on_residuals": E(
        dict(R=Fix("R"), baseline=Fix("bias"), k=2, lam=0.1, n_iters=2),
        dict(
            R="ratings_shaped",
            baseline="baseline",
            k="k_factors",
            lam="lam",
            n_iters="count",
            penalty="choice",
            seed="seed",
        ),
    ),
    # -- baselines
    "baselines.BiasModel": E(exempt=CONTAINER),
    "baselines.fit_biases": E(
        dict(R=Fix("R")),
        dict(R=RAT, lam_user="lam", lam_item="lam", n_iters="k_factors"),
    ),
    # -- svd
    "svd.SVDModel": E(exempt=CONTAINER),
    "svd.center_by_user_mean": E(dict(R=Fix("R")), dict(R=RAT)),
    "svd.truncated_svd": E(
        dict(R=Fix("R"), k=2),
        dict(R=RAT, k="k_factors", center="bool", seed="seed"),
    ),
    "svd.captured_energy": E(
        dict(singular_values=Fix("singular")),
        dict(singular_values="singular", total_energy="total_energy"),
    ),
    "svd.SVDModel.energy": E(obj="svd_fit"),
    "svd.SVDModel.truncate": E(
        dict(k=1), dict(k="k_truncate"), obj="svd_fit"
    ),
    "svd.SVDModel.reconstruct": E(
        dict(clip=(1, 5)), dict(clip="clip"), obj="svd_fit"
    ),
    # -- bpr
    "bpr.BPRResult": E(exempt=CONTAINER),
    "bpr.log_sigmoid": E(
        dict(x=Fix("list1")),
        dict(x="real_array"),
    ),
    "bpr.sample_triples": E(
        dict(X=Fix("X"), n_samples=5),
        dict(X=RAT, n_samples="count", seed="seed"),
    ),
    "bpr.bpr_loss": E(
        dict(U=Fix("U"), V=Fix("V"), triples=Fix("triples"), lam=0.01),
        dict(U="U", V="V", triples="triples", lam="lam"),
    ),
    "bpr.bpr_gradient": E(
        dict(U=Fix("U"), V=Fix("V"), triples=Fix("triples"), lam=0.01),
        dict(U="U", V="V", triples="triples", lam="lam"),
    ),
    "bpr.sgd_epoch": E(
        dict(
            U=Fix("U"),
            V=Fix("V"),
            triples=Fix("triples"),
            learning_rate=0.05,
            lam=0.01,
        ),
        dict(
            U="U",
            V="V",
            triples="triples",
            learning_rate="rate",
            lam="lam",
        ),
        mutates=("U", "V"),
    ),
    "bpr.sgd_epoch_reference": E(
        dict(
            U=Fix("U"),
            V=Fix("V"),
            triples=Fix("triples"),
            learning_rate=0.05,
            lam=0.01,
        ),
        dict(
            U="U",
            V="V",
            triples="triples",
            learning_rate="rate",
            lam="lam",
        ),
        mutates=("U", "V"),
    ),
    "bpr.fit_bpr": E(
        dict(X=Fix("X"), k=2, n_epochs=2),
        dict(
            X=RAT,
            k="k_factors",
            lam="lam",
            learning_rate="rate",
            n_epochs="count",
            seed="seed",
            test="ratings_optional",
            init="init",
            n_samples="count_optional",
        ),
    ),
    "evaluation.heldout_auc": E(
        dict(U=Fix("U"), V=Fix("V"), test=Fix("X"), train=Fix("Xcsr")),
        dict(
            U="U",
            V="V",
            test="ratings_shaped",
            train="ratings_shaped",
            chunk="chunk",
        ),
    ),
    # -- sampling
    "sampling.is_positive": E(
        dict(X=Fix("Xcsr"), users=Fix("users"), items=Fix("items")),
        dict(X=RAT, users="rows_users", items="cols_items"),
    ),
    "sampling.sample_negatives": E(
        dict(X=Fix("Xcsr"), users=Fix("users"), rng=Fix("generator")),
        dict(X=RAT, users="rows_users_alone", rng="rng"),
    ),
    # -- lambdarank
    "lambdarank.LambdaRankResult": E(exempt=CONTAINER),
    "evaluation.heldout_ndcg": E(
        dict(U=Fix("U"), V=Fix("V"), test=Fix("X"), train=Fix("Xcsr")),
        dict(
            U="U",
            V="V",
            test="ratings_shaped",
            train="ratings_shaped",
            cutoff="k_cutoff",
            gain="choice",
        ),
    ),
    "lambdarank.delta_ndcg": E(
        dict(scores=Fix("scores1"), relevance=Fix("rel1")),
        dict(
            scores="scores1",
            relevance="relevance1",
            cutoff="k_cutoff_optional",
            gain="choice",
        ),
    ),
    "lambdarank.lambda_gradients": E(
        dict(scores=Fix("scores1"), relevance=Fix("rel1")),
        dict(
            scores="scores1",
            relevance="relevance1",
            sigma="rate",
            cutoff="k_cutoff_optional",
            gain="choice",
        ),
    ),
    "lambdarank.ranknet_gradients": E(
        dict(scores=Fix("scores1"), relevance=Fix("rel1")),
        dict(scores="scores1", relevance="relevance1", sigma="rate"),
    ),
    "lambdarank.ranknet_loss": E(
        dict(scores=Fix("scores1"), relevance=Fix("rel1")),
        dict(
            scores="scores1",
            relevance="relevance1",
            sigma="rate",
            weights="weights",
        ),
    ),
    "sampling.sample_candidates": E(
        dict(R=Fix("R"), n_candidates=3),
        dict(R="labels_matrix", n_candidates="n_candidates", seed="seed"),
    ),
    "lambdarank.lambdarank_epoch": E(
        dict(
            U=Fix("U"),
            V=Fix("V"),
            candidates=Fix("candidates"),
            order=Fix("order"),
            learning_rate=0.05,
            lam=0.01,
        ),
        dict(
            U="U",
            V="V",
            candidates="candidates",
            order="order",
            learning_rate="rate",
            lam="lam",
            sigma="rate",
            cutoff="k_cutoff_optional",
            method="choice",
            gain="choice",
        ),
        mutates=("U", "V"),
    ),
    "lambdarank.lambdarank_epoch_reference": E(
        dict(
            U=Fix("U"),
            V=Fix("V"),
            candidates=Fix("candidates"),
            order=Fix("order"),
            learning_rate=0.05,
            lam=0.01,
        ),
        dict(
            U="U",
            V="V",
            candidates="candidates",
            order="order",
            learning_rate="rate",
            lam="lam",
            sigma="rate",
            cutoff="k_cutoff_optional",
            method="choice",
            gain="choice",
        ),
        mutates=("U", "V"),
    ),
    "lambdarank.fit_lambdarank": E(
        dict(R=Fix("R"), k=2, n_epochs=2, n_candidates=3),
        dict(
            R="labels_matrix",
            k="k_factors",
            lam="lam",
            learning_rate="rate",
            n_epochs="count",
            sigma="rate",
            cutoff="k_cutoff_optional",
            n_candidates="n_candidates",
            method="choice",
            gain="choice",
            seed="seed",
            test="labels_matrix_optional",
            init="init",
        ),
    ),
    # -- metrics
    "metrics.dcg_at_k": E(
        dict(ranked_relevance=Fix("lists")),
        dict(
            ranked_relevance="relevance_lists",
            k="k_cutoff_optional",
            gain="choice",
        ),
    ),
    "metrics.ndcg_at_k": E(
        dict(ranked_relevance=Fix("lists")),
        dict(
            ranked_relevance="relevance_lists",
            k="k_cutoff_optional",
            gain="choice",
            ideal_relevance="ideal",
        ),
    ),
    "metrics.average_precision": E(
        dict(ranked_relevance=Fix("lists")),
        dict(
            ranked_relevance="relevance_lists",
            k="k_cutoff_optional",
            n_relevant="n_relevant",
            denominator="choice",
        ),
    ),
    "metrics.map_at_k": E(
        dict(ranked_relevance=Fix("lists")),
        dict(
            ranked_relevance="relevance_lists",
            k="k_cutoff_optional",
            n_relevant="n_relevant",
            denominator="choice",
        ),
    ),
    "metrics.precision_at_k": E(
        dict(ranked_relevance=Fix("lists"), k=2),
        dict(ranked_relevance="relevance_lists", k="k_cutoff"),
    ),
    "metrics.recall_at_k": E(
        dict(ranked_relevance=Fix("lists"), k=2),
        dict(
            ranked_relevance="relevance_lists",
            k="k_cutoff",
            n_relevant="n_relevant",
        ),
    ),
    "metrics.hit_rate_at_k": E(
        dict(ranked_relevance=Fix("lists"), k=2),
        dict(ranked_relevance="relevance_lists", k="k_cutoff"),
    ),
    "metrics.auc": E(
        dict(
            scores=Fix("scores"),
            positives=Fix("positives"),
            exclude=Fix("mask"),
        ),
        dict(scores="scores", positives="mask", exclude="mask_optional"),
    ),
    "metrics.catalogue_coverage": E(
        dict(recommended=Fix("recommended"), n_items=5),
        dict(recommended="recommended", n_items="n_items"),
    ),
    # -- ranking
    "ranking.RankedLists": E(exempt=CONTAINER),
    "ranking.top_k": E(
        dict(scores=Fix("scores"), k=2, exclude=Fix("mask")),
        dict(scores="scores", k="k_cutoff", exclude="mask_optional"),
    ),
    "ranking.ranked_relevance": E(
        dict(
            scores=Fix("scores"),
            relevance=Fix("Xcsr"),
            k=2,
            exclude=Fix("positives"),
        ),
        dict(
            scores="scores",
            relevance="sparse_relevance",
            k="k_cutoff",
            exclude="mask_optional",
        ),
    ),
    # -- exercises
    "exercises.available": E(),
    "exercises.inputs": E(
        dict(exercise_id="ch1-objective"), dict(exercise_id="exercise_id")
    ),
    "exercises.check": E(
        dict(exercise_id="ch1-objective", answer=1.0, quiet=True),
        dict(exercise_id="exercise_id", answer="answer", quiet="bool"),
    ),
    # -- plots
    "plots.use_book_style": E(),
    "plots.heatmap": E(
        dict(M=Fix("R")),
        dict(
            M="matrix",
            ax="ax",
            title="text",
            annotate="bool",
            unobserved="real_optional",
            fmt="fmt",
            xlabel="text",
            ylabel="text",
        ),
    ),
    "plots.sparsity": E(
        dict(R=Fix("R")),
        dict(R="matrix", ax="ax", title="text", markersize="markersize"),
    ),
    "plots.curves": E(
        dict(history=Fix("history")),
        dict(
            history="history",
            ax="ax",
            keys="keys",
            xlabel="text",
            ylabel="text",
            logy="bool",
            title="text",
        ),
    ),
    "plots.spectrum": E(
        dict(singular_values=Fix("singular"), energy=[0.6, 0.9, 1.0]),
        dict(
            singular_values="singular",
            ax="ax",
            energy="energy",
            title="text",
        ),
    ),
    "plots.embedding_scatter": E(
        dict(points=Fix("points"), labels=Fix("labels")),
        dict(
            points="points",
            labels="labels",
            ax="ax",
            names="names",
            title="text",
            size="markersize",
        ),
    ),
    # -- widgets
    "widgets.k_slider": E(
        dict(),
        dict(
            value="slider_value",
            low="int_bound",
            high="int_bound",
            description="text_required",
        ),
    ),
    "widgets.iterations_slider": E(
        dict(),
        dict(
            value="slider_value",
            low="int_bound",
            high="int_bound",
            description="text_required",
        ),
    ),
    "widgets.lam_slider": E(
        dict(),
        dict(
            value="slider_value",
            low_exp="exponent",
            high_exp="exponent",
            description="text_required",
        ),
    ),
    "widgets.choice": E(
        dict(options=["a", "b"]),
        dict(
            options="options",
            value="slider_choice_value",
            description="text_required",
        ),
    ),
    "widgets.knob_widget": E(dict(knob=Fix("knob")), dict(knob="knob")),
    "widgets.live_explorer": E(
        dict(tryit=Fix("tryit")),
        dict(tryit="tryit", cache_size="cache_size"),
    ),
    # -- explorers
    "explorers.grid.log_grid": E(
        dict(low_exp=-1, high_exp=0, per_decade=2),
        dict(
            low_exp="exponent", high_exp="exponent", per_decade="per_decade"
        ),
    ),
    "explorers.grid.iteration_steps": E(
        dict(last=50),
        dict(last="iteration_last", mantissas="mantissas"),
    ),
    "explorers.grid.grid_frame": E(
        dict(
            compute=Fix("compute"),
            controls={"a": [1, 2]},
            fixed={"iterations": 2},
        ),
        dict(
            compute="compute",
            controls="control_grids",
            fixed="keywords_optional",
            threads="threads",
        ),
    ),
    "explorers.grid.matrix_columns": E(
        dict(stack=Fix("stack"), prefix="p"),
        dict(stack="stack", prefix="identifier"),
    ),
    "explorers.grid.matrix_at": E(
        dict(row=Fix("matrix_row"), prefix="p"),
        dict(row="matrix_row", prefix="row_prefix"),
    ),
    "explorers.grid.inline_data": E(
        dict(frame=Fix("frame"), significant=3, decimals={"r": 3}),
        dict(
            frame="frame",
            significant="digits",
            decimals="decimals_known",
            name="text_required",
        ),
    ),
    # The checks tryit shares (value: the checked argument, named by
    # name, which the valid call sets to "value" or "values").
    "explorers.checks.check_column": E(
        dict(value="k", name="value"),
        dict(value="identifier", name="text_required"),
    ),
    "explorers.checks.check_d3_format": E(
        dict(value=".3f", name="value"),
        dict(value="d3_format", name="text_required"),
    ),
    "explorers.checks.check_numbers": E(
        dict(values=[1, 2.5], name="values"),
        dict(values="number_grid", name="text_required"),
    ),
    "explorers.checks.evenly_spaced": E(
        dict(values=[1, 2, 3]), dict(values="numbers")
    ),
    "explorers.checks.check_grid_value": E(
        dict(value=2, values=[1, 2, 3], name="value", values_name="values"),
        dict(
            value="grid_value",
            values="value_grid",
            name="text_required",
            values_name="text_required",
        ),
    ),
    "explorers.checks.check_decimals": E(
        dict(decimals={"r": 3}, name="decimals"),
        dict(decimals="decimals", name="text_required"),
    ),
    "explorers.checks.accepts": E(
        dict(func=Fix("compute")), dict(func="callable")
    ),
    "explorers.controls.Control": E(exempt=CONTAINER),
    "explorers.controls.Control.spec": E(obj="control"),
    "explorers.controls.slider": E(
        dict(column="k", values=[1, 2, 3], value=2, label="k"),
        dict(
            column="identifier",
            values="even_grid",
            value="grid_value",
            label="text",
            texts="texts",
        ),
    ),
    "explorers.controls.log_slider": E(
        dict(column="lam", values=[0.01, 0.1, 1.0], value=0.1, label="λ"),
        dict(
            column="identifier",
            values="log_grid",
            value="grid_value",
            label="text",
            texts="texts",
            fmt="d3_format",
        ),
    ),
    "explorers.controls.step_slider": E(
        dict(column="t", values=[1, 2, 5], value=2, label="t"),
        dict(
            column="identifier",
            values="number_grid",
            value="grid_value",
            label="text",
            texts="texts",
        ),
    ),
    "explorers.controls.radio": E(
        dict(column="penalty", options=["a", "b"], value="b", label="p"),
        dict(
            column="identifier",
            options="str_options",
            value="grid_value",
            label="text",
            texts="texts",
        ),
    ),
    "explorers.controls.fixed": E(
        dict(column="t", value=2, match=True, values=(1, 5)),
        dict(
            column="identifier",
            value="fixed_value",
            match="bool",
            values="span_optional",
        ),
    ),
    "explorers.controls.where": E(
        dict(controls=Fix("panel_controls")), dict(controls="controls")
    ),
    "explorers.panels.history_panel": E(
        dict(controls=Fix("panel_controls"), along=Fix("along"), y="r"),
        dict(
            controls="controls",
            along="control",
            y="identifier",
            logx="bool",
            logy="bool",
            title="text",
            width="pixels",
            height="pixels",
        ),
    ),
    "explorers.panels.matrix_panel": E(
        dict(
            controls=Fix("panel_controls"),
            prefix="p",
            shape=(2, 2),
            domain=(0, 5),
            outline=Fix("outline"),
        ),
        dict(
            controls="controls",
            prefix="identifier",
            shape="shape_pair",
            domain="domain_pair",
            outline="outline",
            fmt="d3_format",
            title="text",
            cell="pixels",
        ),
    ),
    "explorers.panels.caption_panel": E(
        dict(controls=Fix("panel_controls"), text="'k = ' + datum.k"),
        dict(
            controls="controls",
            text="text_required",
            width="pixels",
            size="pixels",
            name="identifier",
        ),
    ),
    "explorers.panels.explorer": E(
        dict(
            data=Fix("inline"),
            controls=Fix("panel_controls"),
            rows=Fix("chart_rows"),
            caption="The small figure.",
            name="fig-small",
        ),
        dict(
            data="chart_data",
            controls="controls",
            rows="chart_rows",
            max_bytes="max_bytes_build",
            description="text_required",
            caption="figure_caption",
            name="figure_name",
        ),
    ),
    "explorers.page.Explorer": E(
        dict(chart=Fix("chart")),
        dict(
            chart="chart",
            max_bytes="max_bytes_build",
            description="text_required",
        ),
    ),
    # -- tryit
    "tryit.knob.Knob": E(
        dict(
            name="lam",
            kind="log",
            grid=(0.01, 0.1, 1.0),
            default=0.1,
            label="λ",
        ),
        dict(
            name="identifier",
            kind="knob_kind",
            grid="knob_grid",
            default="knob_default",
            label="text_required",
            low="knob_bound",
            high="knob_bound",
        ),
    ),
    "tryit.knob.Knob.control": E(obj="knob"),
    "tryit.knob.Knob.texts": E(obj="knob"),
    "tryit.knob.Knob.text": E(
        dict(value=0.1),
        dict(value="knob_value"),
        obj="knob",
    ),
    "tryit.figure.TryIt.readout": E(
        dict(
            setting={"k": 2, "iterations": 2},
            table=Fix("setting_table"),
        ),
        dict(setting="setting", table="setting_table"),
        obj="tryit",
    ),
    # -- figures
    "figures.text.describe": E(
        dict(fig=Fix("small_figure")), dict(fig="figure")
    ),
    "figures.text.figure_tables": E(
        dict(fig=Fix("small_figure")), dict(fig="figure")
    ),
    "figures.summary.check_summary": E(
        dict(fig=Fix("small_figure"), summary="The loss halves to 0.125."),
        dict(fig="figure", summary="summary"),
    ),
    "figures.colour.check_colours": E(
        dict(fig=Fix("small_figure"), min_delta_e=10.0),
        dict(fig="figure", min_delta_e="delta_e"),
    ),
    "figures.colour.simulate_cvd": E(
        dict(rgb=[[0.8, 0.1, 0.1]], deficiency="protanopia"),
        dict(rgb="rgb", deficiency="deficiency"),
    ),
    "figures.display.show": E(
        dict(
            fig=Fix("small_figure"),
            summary="The loss halves to 0.125.",
            caption="The loss of each epoch.",
            name="fig-loss",
        ),
        dict(
            fig="figure",
            summary="summary",
            caption="figure_caption",
            name="figure_name",
            table="bool",
        ),
    ),
    "tryit.figure.TryIt": E(
        dict(
            compute=_tryit_compute,
            knobs=Fix("knobs"),
            panels=_tryit_panels,
            description="a small Try it figure",
            readouts=(("y", ".3f"),),
            decimals={"y": 3},
        ),
        dict(
            compute="compute_def",
            knobs="knobs",
            panels="panels",
            description="text_required",
            readouts="readouts",
            decimals="decimals",
            significant="digits",
            max_bytes="max_bytes",
        ),
    ),
    "tryit.figure.TryIt.settings": E(obj="tryit"),
    "tryit.figure.TryIt.grid_table": E(obj="tryit"),
    "tryit.figure.TryIt.explore": E(
        dict(
            table=Fix("tryit_table"),
            caption="The small figure.",
            name="fig-small",
        ),
        dict(
            table="grid_table_optional",
            caption="figure_caption",
            name="figure_name",
        ),
        obj="tryit",
    ),
    "tryit.figure.TryIt.one_setting": E(
        dict(k=2, iterations=2),
        why="keywords are the figure's knobs (as tryit.one_setting)",
        obj="tryit",
    ),
    "tryit.figure.TryIt.single": E(
        dict(
            table=Fix("setting_table"),
            setting={"k": 2, "iterations": 2},
        ),
        dict(table="setting_table", setting="setting"),
        obj="tryit",
    ),
    "tryit.calls.grid_table": E(
        dict(tryit=Fix("tryit")), dict(tryit="tryit")
    ),
    "tryit.calls.explore": E(
        dict(
            tryit=Fix("tryit"),
            table=Fix("tryit_table"),
            caption="The small figure.",
            name="fig-small",
        ),
        dict(
            tryit="tryit",
            table="grid_table_optional",
            caption="figure_caption",
            name="figure_name",
        ),
    ),
    "tryit.calls.one_setting": E(
        dict(tryit=Fix("tryit"), k=2, iterations=2), dict(tryit="tryit")
    ),
    "tryit.calls.single": E(
        dict(
            tryit=Fix("tryit"),
            table=Fix("setting_table"),
            setting={"k": 2, "iterations": 2},
        ),
        dict(tryit="tryit", table="setting_table", setting="setting"),
    ),
    "tryit.live.LiveFigure": E(
        dict(tryit=Fix("tryit")), dict(tryit="tryit")
    ),
    "tryit.figure.TryIt.check": E(
        dict(k=2, iterations=2),
        why="keywords are the figure's knobs; each chapter's run "
        "entry below tries bad values through it",
        obj="tryit",
    ),
    # Each chapter's Try it compute function (recsys_lessons/tryit/*.py),
    # called as the live version calls it; its knobs' names and ranges.
    "tryit.als_toy.run": E(
        dict(k=2, lam=0.01, penalty="weighted", iterations=3),
        dict(
            k="k_factors", lam="lam", penalty="choice", iterations="count"
        ),
    ),
    "tryit.overfitting.split": E(),
    "tryit.overfitting.run": E(
        dict(k=2, lam=0.05, iterations=2),
        dict(k="k_factors", lam="lam", iterations="count"),
    ),
    "tryit.svd_k.decomposition": E(),
    "tryit.svd_k.curves": E(),
    "tryit.svd_k.run": E(dict(k=3), dict(k="k_factors")),
    "tryit.bpr_small.split": E(),
    "tryit.bpr_small.popular_auc": E(),
    "tryit.bpr_small.run": E(
        dict(k=4, lam=0.02, learning_rate=0.05, epochs=2),
        dict(
            k="k_factors",
            lam="lam",
            learning_rate="rate",
            epochs="count",
        ),
    ),
    "tryit.lambdarank_small.split": E(),
    "tryit.lambdarank_small.popular_ndcg": E(),
    "tryit.lambdarank_small.truncation_level": E(
        dict(truncation="10"), dict(truncation="choice")
    ),
    "tryit.lambdarank_small.run": E(
        dict(gamma=1.0, truncation="none", k=8, lam=0.005, epochs=2),
        dict(
            gamma="rate",
            truncation="choice",
            k="k_factors",
            lam="lam",
            epochs="count",
        ),
    ),
    "tryit.metrics_order.run": E(
        dict(order=3, k=4), dict(order="count", k="k_factors")
    ),
    # -- implicit_als
    "implicit_als.ImplicitALSResult": E(exempt=CONTAINER),
    "implicit_als.fit_implicit_als": E(
        dict(R=Fix("R"), k=2, lam=0.1, alpha=2.0, n_iters=2),
        dict(
            R="labels_matrix",
            k="k_factors",
            lam="lam",
            alpha="rate",
            n_iters="count",
            seed="seed",
            init="init",
            callback="callable_optional",
            penalty="choice",
        ),
    ),
    "implicit_als.implicit_als_reference": E(
        dict(R=Fix("R"), k=2, lam=0.1, alpha=2.0, n_iters=2),
        dict(
            R="labels_matrix",
            k="k_factors",
            lam="lam",
            alpha="rate",
            n_iters="count",
            seed="seed",
            init="init",
            callback="callable_optional",
            penalty="choice",
        ),
    ),
    "implicit_als.implicit_objective": E(
        dict(R=Fix("R"), U=Fix("U"), V=Fix("V"), lam=0.1, alpha=2.0),
        dict(
            R="ratings_shaped",
            U="U",
            V="V",
            lam="lam",
            alpha="rate",
            penalty="choice",
        ),
    ),
    # -- prose
    "prose.glue": E(
        dict(name="ch00-x", value=0.5),
        dict(name="glue_name", value="glue_value"),
    ),
    # -- progress
    "progress.progress": E(
        dict(iterable=[1, 2, 3]),
        dict(iterable="iterable", desc="text", total="total"),
    ),
}

# Methods shared by every rating model (RatingModel): the same entry on
# each model.
for _model, _fix in (
    ("als.ALSResult", "als_fit"),
    ("als.ResidualALS", "residual_fit"),
    ("baselines.BiasModel", "bias"),
    ("svd.SVDModel", "svd_fit"),
):
    TABLE[f"{_model}.predict"] = E(
        dict(rows=[0, 3], cols=[4, 0]),
        dict(rows="rows_users", cols="cols_items", clip="clip"),
        obj=_fix,
    )
    for _m in ("rmse", "mae"):
        TABLE[f"{_model}.{_m}"] = E(
            dict(R=Fix("R")),
            dict(R="ratings_shaped", clip="clip"),
            obj=_fix,
        )

# Methods shared by every ranking model (RankingModel).
for _model, _fix in (
    ("bpr.BPRResult", "bpr_fit"),
    ("lambdarank.LambdaRankResult", "lambdarank_fit"),
    ("implicit_als.ImplicitALSResult", "implicit_fit"),
):
    TABLE[f"{_model}.scores"] = E(
        dict(users=[0, 3]), dict(users="rows_users_alone"), obj=_fix
    )
    TABLE[f"{_model}.recommend"] = E(
        dict(user=1, k=2, exclude=Fix("R")),
        dict(user="user_scalar", k="k_cutoff", exclude="mask_optional"),
        obj=_fix,
    )

# Other spellings of a parameter: the table's name -> the signature's
# (the lambdarank shape parameter is being renamed sigma -> gamma).
ALIASES = {"sigma": "gamma"}


def resolve_params(key, obj):
    """The table's parameter names mapped onto the signature's."""
    sig = parameters(obj)
    out = {}
    for name in TABLE[key].kinds:
        if name in sig:
            out[name] = name
        elif ALIASES.get(name) in sig:
            out[name] = ALIASES[name]
    return out


def all_cases(callables=None):
    """Case ids, valid calls first (they warm the compiled kernels)."""
    callables = callables or public_callables()
    valid, bad, mutation = [], [], []
    for key, entry in TABLE.items():
        if entry.exempt or key not in callables:
            continue
        valid.append(f"{key}|-|valid")
        mutation.append(f"{key}|-|no_mutation_dense")
        mutation.append(f"{key}|-|no_mutation_sparse")
        params = resolve_params(key, callables[key])
        for name, kind in entry.kinds.items():
            if kind is None or name not in params:
                continue
            for label in KINDS[kind]:
                bad.append(f"{key}|{name}|{label}")
    return valid + mutation + bad


# -------------------------------------------------------------------------
# Running one case (in a worker)

_FIXTURES = {}


def _fixtures(messy):
    if messy not in _FIXTURES:
        _FIXTURES[messy] = build_fixtures(messy)
    return _FIXTURES[messy]


def _resolve(value, fx):
    if isinstance(value, Fix):
        return _fixture(fx, value.name)
    return copy.deepcopy(value)


def _target(key, entry, fx):
    parts = key.split(".")
    if entry.obj is not None:
        obj = _fixture(fx, entry.obj)
        return getattr(obj, parts[-1]), obj
    modname = "recsys_lessons." + ".".join(parts[:-1])
    mod = importlib.import_module(modname.rstrip("."))
    return getattr(mod, parts[-1]), None


def _finite(result):
    """Whether every number in ``result`` is finite (recursively)."""
    if result is None or isinstance(result, (str, bool, Path)):
        return True
    if isinstance(result, numbers.Number):
        return bool(np.isfinite(result))
    if sp.issparse(result):
        return bool(np.all(np.isfinite(result.data)))
    if isinstance(result, np.ndarray):
        if np.issubdtype(result.dtype, np.number):
            return bool(np.all(np.isfinite(result)))
        return True
    if isinstance(result, dict):
        return all(_finite(v) for v in result.values())
    if isinstance(result, (list, tuple)):
        return all(_finite(v) for v in result)
    if dataclasses.is_dataclass(result):
        return all(
            _finite(getattr(result, f.name))
            for f in dataclasses.fields(result)
        )
    return True


def _names(message, names):
    return any(
        re.search(
            rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message
        )
        for n in names
    )


def _snapshot(value):
    """A comparable deep copy of everything in ``value``."""
    if sp.issparse(value):
        arrays = {
            a: np.array(getattr(value, a))
            for a in ("data", "indices", "indptr", "row", "col")
            if hasattr(value, a)
        }
        if value.format == "lil":
            arrays = {"rows": copy.deepcopy(value.rows)}
            arrays["data"] = copy.deepcopy(value.data)
        return ("sparse", value.format, value.shape, arrays)
    if isinstance(value, np.ndarray):
        return ("array", value.dtype, value.copy())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            "dataclass",
            {
                f.name: _snapshot(getattr(value, f.name))
                for f in dataclasses.fields(value)
            },
        )
    if isinstance(value, dict):
        return ("dict", {k: _snapshot(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_snapshot(v) for v in value])
    return ("other", repr(value))


def _same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and (
                np.array_equal(a, b, equal_nan=True)
                if np.issubdtype(a.dtype, np.number)
                else np.array_equal(a, b)
            )
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def run_case(case):
    """Run one case; return ``(ok, what happened)``."""
    key, param, label = case.split("|")
    entry = TABLE[key]
    messy = label == "no_mutation_sparse"
    fx = _fixtures(messy)
    func, obj = _target(key, entry, fx)
    sig_names = parameters(func)
    kwargs = {}
    for name, value in entry.args.items():
        actual = name if name in sig_names else ALIASES.get(name, name)
        kwargs[actual] = _resolve(value, fx)
    if label in ("no_mutation_dense", "no_mutation_sparse"):
        before = {n: _snapshot(v) for n, v in kwargs.items()}
        before_obj = _snapshot(obj) if obj is not None else None
        try:
            func(**kwargs)
        except Exception as exc:  # noqa: BLE001
            return False, f"valid call raised {type(exc).__name__}: {exc}"
        changed = [
            n
            for n, v in kwargs.items()
            if n not in entry.mutates and not _same(before[n], _snapshot(v))
        ]
        if obj is not None and not _same(before_obj, _snapshot(obj)):
            changed.append("self")
        if changed:
            return False, f"modified its argument(s) {changed}"
        return True, "arguments unchanged"
    if label == "valid":
        try:
            result = func(**kwargs)
        except Exception as exc:  # noqa: BLE001
            return False, (
                f"the table's valid call raised {type(exc).__name__}: {exc}"
            )
        if not _finite(result):
            return False, "the valid call returned NaN or inf"
        return True, "valid call ran"
    actual = param if param in sig_names else ALIASES.get(param, param)
    bad = KINDS[entry.kinds[param]][label]
    base = kwargs.get(actual)
    if base is None and entry.args.get(param) is None:
        base = _default_base(key, param, fx)
    value = bad.make(base)
    kwargs[actual] = value
    if bad.extra is not None:
        kwargs.update(bad.extra())
    if isinstance(bad.names, list):
        names = bad.names
    elif bad.names == "arg":
        names = [actual]
    else:
        names = sorted(set(sig_names) | {actual, "shape"})
    if param in ("rows", "cols") and bad.names == "any":
        names = ["rows", "cols"]
    try:
        result = func(**kwargs)
    except (TypeError, ValueError) as exc:
        msg = str(exc)
        if _names(msg, names):
            return True, f"{type(exc).__name__}: {msg}"
        return False, (
            f"{type(exc).__name__} not naming {' or '.join(names)}: "
            f"{msg[:200]}"
        )
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {str(exc)[:200]}"
    if bad.finite_ok and _finite(result):
        return True, "finite result"
    if not _finite(result):
        return False, "accepted, returned NaN or inf"
    return False, "accepted (no error)"


def _default_base(key, param, fx):
    """The valid value a bad value is derived from, for a parameter the
    valid call leaves at its default."""
    kind = TABLE[key].kinds[param]
    by_kind = {
        "ratings_optional": fx["R"],
        "labels_matrix_optional": fx["R"],
        "init": (fx["U"], fx["V"]),
        "mask_optional": fx["mask"],
        "clip": (1.0, 5.0),
        "ideal": fx["lists"],
        "weights": np.ones((4, 4)),
        "U": fx["U"],
        "V": fx["V"],
        "data_home": fx["data_home"],
    }
    return copy.deepcopy(by_kind.get(kind))


# -------------------------------------------------------------------------
# The worker process


def worker(conn):
    """Run cases received on ``conn`` until it closes.

    Output of the code under test is discarded (a failing case is reported
    by the parent, with what this function sends back).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    sys.stderr = sys.stdout
    warnings.simplefilter("ignore")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    while True:
        try:
            case = conn.recv()
        except EOFError:
            return
        try:
            ok, what = run_case(case)
        except Exception as exc:  # noqa: BLE001
            ok = False
            what = (
                "battery error: "
                + "".join(
                    traceback.format_exception_only(type(exc), exc)
                ).strip()
            )
        plt.close("all")
        conn.send((case, ok, what))


def preload():
    """Import every public module (the fork server does this once)."""
    for name in public_modules():
        importlib.import_module(name)


# The fork server imports this module once; every worker it forks then
# starts with the whole package imported.
preload()


def describe(case):
    """The call a case makes, as text (for a reproduction)."""
    key, param, label = case.split("|")
    entry = TABLE[key]
    fx = _fixtures(label == "no_mutation_sparse")
    func, obj = _target(key, entry, fx)
    sig_names = parameters(func)
    kwargs = {}
    for name, value in entry.args.items():
        actual = name if name in sig_names else ALIASES.get(name, name)
        kwargs[actual] = _resolve(value, fx)
    if param != "-":
        actual = param if param in sig_names else ALIASES.get(param, param)
        bad = KINDS[entry.kinds[param]][label]
        base = kwargs.get(actual)
        if base is None and entry.args.get(param) is None:
            base = _default_base(key, param, fx)
        kwargs[actual] = bad.make(base)
        if bad.extra is not None:
            kwargs.update(bad.extra())
    with np.printoptions(threshold=20, linewidth=70):
        args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    target = f"<{entry.obj}>.{key.split('.')[-1]}" if obj else key
    return f"{target}({args})"


if __name__ == "__main__":
    # python tests/hardening_battery.py 'mf.predict|rows|negative' ...
    # runs cases in this process and prints the call and the outcome.
    warnings.simplefilter("ignore")
    for arg in sys.argv[1:]:
        print(describe(arg))
        print("  ->", run_case(arg), flush=True)
