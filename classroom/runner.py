"""Run one submission's code and call its functions on hidden inputs.

This script is what runs *inside* the grader's sandbox
(``classroom/sandbox.py``): a process that sees the Python installation
read-only, a scratch folder and nothing else of the teacher's machine, with
no network. It reads ``job.pkl`` (written by ``tools/grade.py``): the
notebook's code, one string per top-level statement, and for each autograded
exercise the name of the function and the hidden *inputs*. The expected
values, the grader's references and the course secret never enter the
sandbox: ``tools/grade.py`` compares what this script writes with them in
its own process. So nothing a submission does here can raise its marks; it
can only compute its answers.

What it writes is ``results.jsonl``: one JSON line per event (a statement
stopped by the time limit, each hidden input's return value or exception),
plain data that the grader validates before use, never a pickle.

``recsys_lessons`` is not in the sandbox: a stand-in module takes its
place, whose every function raises :class:`PackageCall` (a
``BaseException``, so ``except Exception`` does not swallow it). Graded
functions must not call the package; top-level statements that do (the
notebook's setup, a student's own checks) simply fail and are skipped.
"""

from __future__ import annotations

import copy
import importlib.abc
import importlib.machinery
import json
import marshal
import math
import pickle
import signal
import sys
import types

PACKAGE = "recsys_lessons"
LIMIT_TEXT = 300  # characters of an exception message kept


class GradingTimeout(BaseException):
    """A statement or a call ran longer than the grader allows."""


class PackageCall(BaseException):
    """A graded function called the package."""


_package_calls: list[str] = []


class _Stand_in:
    """What ``recsys_lessons.<anything>`` is inside the sandbox."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Stand_in(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        _package_calls.append(self._name)
        raise PackageCall(f"{self._name} is not available while grading")


class _StandInModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Stand_in(f"{self.__name__}.{attr}")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the stand-in for the package and each of its modules."""

    def find_spec(self, name, path=None, target=None):
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            return importlib.machinery.ModuleSpec(
                name, self, is_package=True
            )
        return None

    def create_module(self, spec):
        module = _StandInModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def _alarm(signum, frame):
    raise GradingTimeout()


def _limited(seconds, function, *args):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def encode(value, depth=0):
    """Plain JSON for a return value: arrays as nested lists."""
    import numpy as np

    if value is None:
        return {"none": True}
    if isinstance(value, (tuple, list)) and depth == 0:
        if not all(
            isinstance(v, (int, float, np.number)) for v in value
        ) or isinstance(value, tuple):
            return {"tuple": [encode(v, 1) for v in value]}
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return {"type": type(value).__name__}
    if array.size > 1_000_000:
        return {"type": f"array of {array.size} entries"}
    flat = [
        x if math.isfinite(x) else repr(x) for x in array.ravel().tolist()
    ]
    return {"shape": list(array.shape), "data": flat}


def _message(error):
    text = f"{type(error).__name__}: {error}"
    return text[:LIMIT_TEXT]


def main(job_path, results_path):
    with open(job_path, "rb") as f:
        job = pickle.load(f)
    # Appending: a line the notebook adds itself stays in the file beside
    # the runner's own, where the grader sees it.
    out = open(results_path, "a")

    def emit(**record):
        out.write(json.dumps(record) + "\n")
        out.flush()

    sys.meta_path.insert(0, _Finder())
    signal.signal(signal.SIGALRM, _alarm)
    space = {"__name__": "__main__", "__builtins__": __builtins__}
    for cell, line, code in job["statements"]:
        try:
            compiled = compile(code, f"<cell {cell}>", "exec")
            _limited(job["statement_seconds"], exec, compiled, space)
        except GradingTimeout:
            emit(kind="timeout", cell=cell, line=line)
        except BaseException:  # noqa: B036  (the student's code failed)
            pass
    for exercise in job["exercises"]:
        name, question = exercise["function"], exercise["question"]
        function = space.get(name)
        if not callable(function):
            emit(kind="missing", question=question, function=name)
            continue
        # An earlier exercise's function, as the grader wrote it, in
        # place of the student's while this one is graded.
        globals_ = getattr(function, "__globals__", space)
        saved = {}
        for dep, code in exercise["uses"].items():
            dep_space = {"__name__": "grader", "np": __import__("numpy")}
            exec(marshal.loads(code), dep_space)
            saved[dep] = globals_.get(dep)
            globals_[dep] = dep_space[dep]
        for number, args in enumerate(exercise["inputs"], 1):
            passed = copy.deepcopy(args)
            del _package_calls[:]
            record = {"kind": "case", "question": question, "case": number}
            try:
                value = _limited(job["call_seconds"], function, *passed)
                record["value"] = encode(value)
            except GradingTimeout:
                record["timeout"] = True
            except PackageCall:
                pass
            except BaseException as error:  # noqa: B036
                record["error"] = _message(error)
            if _package_calls:
                record["package"] = _package_calls[0]
                record.pop("value", None)
            # The arguments after the call: the grader compares them with
            # the inputs it sent.
            record["after"] = [encode(a, 1) for a in passed]
            emit(**record)
            if record.get("timeout"):
                break  # the other inputs would time out too
        for dep, value in saved.items():
            globals_[dep] = value
    emit(kind="done")
    out.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
