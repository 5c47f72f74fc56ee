"""The grader's side of a hidden test: decode a result, compare, explain.

Runs in ``tools/grade.py``'s own process, never in the sandbox: the
expected values are compared here with what the sandboxed runner
(``classroom/runner.py``) wrote, as plain JSON, so the submission never
sees them and cannot change how they are compared.
"""

from __future__ import annotations

import math

import numpy as np


class BadResult(ValueError):
    """The runner's output is not what it writes: it was tampered with."""


def decode(encoded):
    """``runner.encode``'s JSON back to None, a tuple or an array."""
    if not isinstance(encoded, dict):
        raise BadResult(f"not an encoded value: {encoded!r:.60}")
    if "none" in encoded:
        return None
    if "tuple" in encoded:
        return tuple(decode(v) for v in encoded["tuple"])
    if "type" in encoded:
        return _Other(str(encoded["type"])[:80])
    shape, data = encoded.get("shape"), encoded.get("data")
    if not isinstance(shape, list) or not isinstance(data, list):
        raise BadResult("an encoded array without shape or data")
    values = []
    for x in data:
        if isinstance(x, str):
            if x not in ("nan", "inf", "-inf"):
                raise BadResult(f"an entry {x!r:.20} is not a number")
            x = float(x)
        elif not isinstance(x, (int, float)) or isinstance(x, bool):
            raise BadResult("an entry is not a number")
        values.append(float(x))
    if math.prod(shape) != len(values):
        raise BadResult("an encoded array's shape and data disagree")
    return np.array(values, dtype=np.float64).reshape(shape)


class _Other:
    """A return value that is not a number, an array or a tuple."""

    def __init__(self, name):
        self.name = name


def same(got, expected, rtol=1e-6, atol=1e-8):
    """``(True, "")`` or ``(False, why)``, naming the first difference."""
    if isinstance(expected, tuple):  # several arrays, e.g. (U, V)
        if not isinstance(got, tuple) or len(got) != len(expected):
            return False, f"expected a tuple of {len(expected)} results"
        for part, (g, e) in enumerate(zip(got, expected), 1):
            ok, why = same(g, e, rtol, atol)
            if not ok:
                return False, f"result {part} of the tuple: {why}"
        return True, ""
    if got is None:
        return False, "it returned None (not implemented yet?)"
    if isinstance(got, _Other):
        return False, (
            f"it returned a {got.name}, not a number or an array of numbers"
        )
    if isinstance(got, tuple):
        return (
            False,
            f"it returned a tuple of {len(got)}, expected one value",
        )
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return (
            False,
            f"it returned shape {got.shape}, expected {expected.shape}",
        )
    if not np.all(np.isfinite(got)):
        return False, "it returned NaN or infinity"
    for index, (g, e) in enumerate(
        zip(got.ravel().tolist(), expected.ravel().tolist())
    ):
        if not math.isclose(g, e, rel_tol=rtol, abs_tol=atol):
            at = tuple(int(i) for i in np.unravel_index(index, got.shape))
            where = f" at index {at}" if got.ndim else ""
            # The expected value to 4 digits only: enough to see how far
            # off a result is, not enough to copy into a resubmission.
            return False, (
                f"it returned {g:.10g}{where}, expected about {e:.4g} (a "
                f"relative difference of at most {rtol:g} is allowed)"
            )
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
