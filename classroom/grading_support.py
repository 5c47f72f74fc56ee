"""Support for the hidden tests of the graded assignments.

This file ships inside each autograder zip (``make assignments``), never to
students. It runs inside the kernel that executed a submission, so it
guards against what a submission could do to the grading:

* ``guard()`` runs first in the graded kernel (``tools/grade.py`` inserts a
  cell for it before the student's first cell): it caps each cell's run
  time and printed output, and records the identity of every public
  attribute of the modules the grading relies on.
* ``grade()`` is what each hidden test calls: it refuses if a recorded
  module attribute was replaced, calls the student's function on the
  hidden inputs under a time limit while watching for calls into
  ``recsys_lessons`` (the package implements what the exercise asks for),
  and compares with the expected values, which ``tools/grade.py``
  computed in its own process with the chapter's plain-loop reference
  (``classroom/chNN.py``) before the submission ran.

An in-process grader cannot stop a determined attacker; these checks stop
the accidents and the casual tricks, and say which one happened.
"""

from __future__ import annotations

import copy
import inspect
import io
import math
import os
import pickle
import signal
import sys
from pathlib import Path

import numpy as np

CELL_SECONDS = float(os.environ.get("RECSYS_GRADING_CELL_SECONDS", "10"))
CALL_SECONDS = float(os.environ.get("RECSYS_GRADING_CALL_SECONDS", "5"))
OUTPUT_LIMIT = 20_000  # characters a cell may print before it is cut

# Modules whose attributes a submission must not replace (builtins are
# left out: IPython itself swaps builtins.input in every cell).
_WATCHED = ("numpy", "numpy.linalg", "math", "recsys_lessons")
_snapshot: dict[tuple[str, str], int] = {}
_cases_by_label: dict | None = None


class GradingTimeout(Exception):
    """A cell or a call ran longer than the grader allows."""


def _alarm(signum, frame):
    raise GradingTimeout("ran longer than the grader's time limit")


class _CappedStream(io.TextIOBase):
    """Pass output on up to ``OUTPUT_LIMIT`` characters, then cut it."""

    def __init__(self, stream):
        self._stream = stream
        self.written = 0
        self.cut = False

    def write(self, text):
        room = OUTPUT_LIMIT - self.written
        self.written += len(text)
        if room > 0:
            self._stream.write(text[:room])
        if self.written > OUTPUT_LIMIT and not self.cut:
            self.cut = True
            self._stream.write(
                f"\n[grader: output cut after {OUTPUT_LIMIT} characters]\n"
            )
        return len(text)

    def flush(self):
        self._stream.flush()


def _modules():
    import recsys_lessons  # noqa: F401  (recorded below)

    names = list(_WATCHED) + sorted(
        m for m in sys.modules if m.startswith("recsys_lessons.")
    )
    return {n: sys.modules[n] for n in names if n in sys.modules}


def _record():
    for name, module in _modules().items():
        for attr in dir(module):
            if not attr.startswith("__"):
                _snapshot[name, attr] = id(getattr(module, attr))


def tampered():
    """Module attributes replaced since :func:`guard` ran, as text."""
    changed = []
    for name, module in _modules().items():
        for attr in dir(module):
            key = (name, attr)
            if (
                key in _snapshot
                and id(getattr(module, attr)) != _snapshot[key]
            ):
                changed.append(f"{name}.{attr}")
    return changed


def guard():
    """Install the per-cell limits and record the watched modules."""
    import recsys_lessons.als  # noqa: F401  (all submodules are watched)
    import recsys_lessons.bpr  # noqa: F401
    import recsys_lessons.implicit_als  # noqa: F401
    import recsys_lessons.lambdarank  # noqa: F401
    import recsys_lessons.metrics  # noqa: F401
    import recsys_lessons.mf  # noqa: F401
    import recsys_lessons.svd  # noqa: F401

    _record()
    # The expected values leave the disk before any student cell runs.
    global _cases_by_label
    path = os.environ.pop("RECSYS_GRADING_CASES", None)
    if path:
        with open(path, "rb") as f:
            _cases_by_label = pickle.load(f)
        os.remove(path)
    notes = os.environ.pop("RECSYS_GRADING_NOTES", None)

    def note(text):
        if notes:
            with open(notes, "a") as f:
                f.write(text + "\n")

    signal.signal(signal.SIGALRM, _alarm)
    shell = get_ipython()  # noqa: F821  (defined in a kernel)
    state = {}

    def pre_run_cell(info):
        # Otter's last cell runs the tests, which set their own limits.
        cell = info.raw_cell or ""
        if "otter" in cell and "Checker" in cell:
            return
        first = next((x for x in cell.splitlines() if x.strip()), "")
        state["cell"] = first.strip()[:50]
        state["out"], state["err"] = sys.stdout, sys.stderr
        sys.stdout = _CappedStream(sys.stdout)
        sys.stderr = _CappedStream(sys.stderr)
        signal.setitimer(signal.ITIMER_REAL, CELL_SECONDS)

    def post_run_cell(result):
        signal.setitimer(signal.ITIMER_REAL, 0)
        if "out" not in state:
            return
        if getattr(sys.stdout, "cut", False) or getattr(
            sys.stderr, "cut", False
        ):
            note(
                f"The cell starting `{state['cell']}` printed more than "
                f"{OUTPUT_LIMIT} characters; the grader cut its output."
            )
        if isinstance(result.error_in_exec, GradingTimeout):
            note(
                f"The cell starting `{state['cell']}` ran longer than "
                f"{CELL_SECONDS:g} s; the grader stopped it."
            )
        sys.stdout, sys.stderr = state.pop("out"), state.pop("err")

    shell.events.register("pre_run_cell", pre_run_cell)
    shell.events.register("post_run_cell", post_run_cell)


class _PackageWatch:
    """Notice any Python frame or compiled call from recsys_lessons."""

    def __init__(self):
        import recsys_lessons

        self.root = str(Path(recsys_lessons.__file__).parent)
        self.called = None

    def __call__(self, frame, event, arg):
        if self.called is not None:
            return
        if event == "call" and frame.f_code.co_filename.startswith(
            self.root
        ):
            module = frame.f_globals.get("__name__", "recsys_lessons")
            self.called = f"{module}.{frame.f_code.co_name}"
        elif event == "c_call":
            module = getattr(arg, "__module__", "") or ""
            if module.startswith("recsys_lessons"):
                name = getattr(arg, "__name__", "a compiled function")
                self.called = f"{module}.{name}"


def call(function, args, seconds=CALL_SECONDS):
    """Run ``function(*args)`` with a time limit, watching the package.

    Returns ``(value, package_function_called_or_None)``.
    """
    watch = _PackageWatch()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    sys.setprofile(watch)
    try:
        value = function(*args)
    finally:
        sys.setprofile(None)
        signal.setitimer(signal.ITIMER_REAL, 0)
    return value, watch.called


def _same(got, expected, rtol, atol):
    """(True, "") or (False, why) with the first differing entry."""
    if isinstance(expected, tuple):  # several arrays, e.g. (U, V)
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return False, f"expected a tuple of {len(expected)} results"
        for part, (g, e) in enumerate(zip(got, expected), 1):
            ok, why = _same(g, e, rtol, atol)
            if not ok:
                return False, f"result {part} of the tuple: {why}"
        return True, ""
    if got is None:
        return False, "it returned None (not implemented yet?)"
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False, (
            f"it returned a {type(got).__name__}, not a number or an "
            "array of numbers"
        )
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return (
            False,
            f"it returned shape {got.shape}, expected {expected.shape}",
        )
    if not np.all(np.isfinite(got)):
        return False, "it returned NaN or infinity"
    # Compared entry by entry in Python: numpy's comparison helpers are
    # among the things a submission could have replaced.
    for index, (g, e) in enumerate(
        zip(got.ravel().tolist(), expected.ravel().tolist())
    ):
        if not math.isclose(g, e, rel_tol=rtol, abs_tol=atol):
            at = tuple(int(i) for i in np.unravel_index(index, got.shape))
            where = f" at index {at}" if got.ndim else ""
            return False, f"it returned {g:.6g}{where}, expected {e:.6g}"
    return True, ""


def describe(args, names):
    """The hidden input, briefly: shapes of arrays, values of the rest."""
    parts = []
    for name, value in zip(names, args):
        if isinstance(value, np.ndarray):
            parts.append(f"{name}: array of shape {value.shape}")
        elif isinstance(value, (tuple, list)) and len(value) > 4:
            parts.append(f"{name}: {type(value).__name__} of {len(value)}")
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def _unchanged(before, after):
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.array_equal(before, after, equal_nan=True))
        )
    if isinstance(before, (tuple, list)):
        return len(before) == len(after) and all(
            _unchanged(b, a) for b, a in zip(before, after)
        )
    return before == after


def _cases(chapter, label):
    if _cases_by_label is not None:
        return _cases_by_label[label]
    # While `otter assign` checks the teacher's solution (no grader run),
    # the cases come from the chapter's own module with a fixed seed.
    import importlib

    spec = importlib.import_module(f"{chapter}_grading")
    return spec.hidden_cases(label, seed=0)


def _dependencies(chapter, label):
    """{function name: reference} an exercise may call (spec's "uses")."""
    import importlib

    spec = importlib.import_module(f"{chapter}_grading")
    (question,) = [q for q in spec.QUESTIONS if q["label"] == label]
    return {
        name: getattr(spec, f"reference_{name}")
        for name in question.get("uses", [])
    }


def grade(chapter, label, function, name, rtol=1e-6, atol=1e-8):
    """Hidden test body: raise AssertionError with the reason, or pass.

    An exercise that builds on an earlier one (``uses`` in the chapter's
    spec) is graded with the grader's reference in place of the student's
    earlier function, so one mistake costs points once.
    """
    changed = tampered()
    assert not changed, (
        "the notebook replaced " + ", ".join(changed[:3]) + "; the grader "
        "cannot trust any result after that (0 points)"
    )
    assert function is not None, (
        f"no function named {name} is defined (0 points)"
    )
    assert callable(function), f"{name} is not a function (0 points)"
    try:
        names = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    space = getattr(function, "__globals__", {})
    swapped = {
        dep: ref
        for dep, ref in _dependencies(chapter, label).items()
        if dep in space
    }
    saved = {dep: space[dep] for dep in swapped}
    space.update(swapped)
    try:
        for number, (args, expected) in enumerate(
            _cases(chapter, label), 1
        ):
            names += [
                f"argument {i + 1}" for i in range(len(names), len(args))
            ]
            given = describe(args, names)
            passed = copy.deepcopy(args)
            try:
                got, called = call(function, passed)
            except GradingTimeout:
                raise AssertionError(
                    f"{name} ran longer than {CALL_SECONDS:g} s on hidden "
                    f"input {number} ({given}) (0 points)"
                ) from None
            except Exception as error:  # the student's code raised
                raise AssertionError(
                    f"{name} raised {type(error).__name__}: {error} on "
                    f"hidden input {number} ({given}) (0 points)"
                ) from None
            assert called is None, (
                f"{name} calls {called}: the exercises ask for your own "
                "code, without recsys_lessons (0 points)"
            )
            for arg, before, after in zip(names, args, passed):
                assert _unchanged(before, after), (
                    f"{name} modified its argument {arg} on hidden input "
                    f"{number}; functions must leave their arguments "
                    "unchanged (0 points)"
                )
            ok, why = _same(got, expected, rtol, atol)
            assert ok, (
                f"{name} is wrong on hidden input {number} ({given}): {why}"
            )
    finally:
        space.update(saved)
