"""Argument checks shared by every public function.

Each check raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind outside what is allowed, and
the message names the argument, so that a student sees at once which call
to fix.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse as sp

__all__ = [
    "check_ratings",
    "check_int",
    "check_float",
    "check_choice",
    "check_rng",
    "check_factors",
    "check_same_shape",
]


def check_ratings(R, name="R", *, allow_empty_rows=True):
    """Return ``R`` as a canonical float64 CSR matrix of observed entries.

    A dense array or any SciPy sparse matrix/array is accepted. Zeros,
    stored or not, mean *unobserved* (ratings are never 0), so stored zeros
    are dropped. NaN or infinite values, a non-2-D input and a matrix with
    no rows or no columns are refused.
    """
    if sp.issparse(R):
        if R.ndim != 2:
            raise ValueError(f"{name} must be 2-D, got {R.ndim} dimensions")
        M = sp.csr_matrix(R, dtype=np.float64, copy=True)
    elif isinstance(R, (np.ndarray, list, tuple)):
        arr = np.asarray(R)
        if arr.dtype == object or not (
            np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
        ):
            raise TypeError(
                f"{name} must hold numbers, got dtype {arr.dtype}"
            )
        if arr.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D, got {arr.ndim} dimensions"
            )
        M = sp.csr_matrix(arr.astype(np.float64))
    else:
        raise TypeError(
            f"{name} must be a 2-D numpy array or scipy.sparse matrix, "
            f"got {type(R).__name__}"
        )
    if M.shape[0] == 0 or M.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one row and one column, "
            f"got shape {M.shape}"
        )
    if not np.all(np.isfinite(M.data)):
        raise ValueError(
            f"{name} contains NaN or infinite values; "
            "ratings must be finite"
        )
    M.sum_duplicates()
    M.eliminate_zeros()
    M.sort_indices()
    if M.nnz == 0:
        raise ValueError(f"{name} has no observed (non-zero) entries")
    return M


def check_int(value, name, *, low=None, high=None):
    """Return ``value`` as an ``int``, checking ``low <= value <= high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {type(value).__name__}"
        )
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_float(value, name, *, low=None, high=None, low_open=False):
    """Return ``value`` as a finite ``float`` in ``[low, high]``.

    With ``low_open=True`` the interval is ``(low, high]``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None:
        if low_open and value <= low:
            raise ValueError(f"{name} must be > {low}, got {value}")
        if not low_open and value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, one of {list(choices)}, "
            f"got {type(value).__name__}"
        )
    if value not in choices:
        raise ValueError(
            f"{name} must be one of {list(choices)}, got {value!r}"
        )
    return value


def check_rng(seed, name="seed"):
    """Turn ``seed`` into a ``numpy.random.Generator``.

    ``seed`` is None, an int or a ``numpy.random.Generator``.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be None, an int or a numpy.random.Generator, "
            f"got {type(seed).__name__}"
        )
    if seed < 0:
        raise ValueError(f"{name} must be >= 0, got {seed}")
    return np.random.default_rng(int(seed))


def check_factors(F, name, *, rows=None, k=None):
    """Check a factor matrix's shape; return it as C-contiguous float64."""
    if not isinstance(F, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy array, got {type(F).__name__}"
        )
    if F.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got {F.ndim} dimensions")
    if rows is not None and F.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows, got {F.shape[0]}")
    if k is not None and F.shape[1] != k:
        raise ValueError(f"{name} must have {k} columns, got {F.shape[1]}")
    if not np.issubdtype(F.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {F.dtype}")
    F = np.ascontiguousarray(F, dtype=np.float64)
    if not np.all(np.isfinite(F)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return F


def check_same_shape(A, B, name_a, name_b):
    """Refuse two matrices whose shapes differ."""
    if A.shape != B.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, "
            f"got {A.shape} and {B.shape}"
        )
