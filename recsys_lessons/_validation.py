"""Argument checks shared by every public function.

Each check raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind outside what is allowed, and
the message names the argument, so that a student sees at once which call
to fix.

Sparse matrices are checked on their raw arrays *before* anything converts
them: SciPy's conversions and the package's compiled kernels trust
``indptr`` and ``indices``, so a structurally broken matrix would otherwise
read outside its arrays. Canonical forms are always made on a copy; the
caller's matrix is never modified.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse as sp

__all__ = [
    "check_ratings",
    "check_sparse",
    "check_sparse_structure",
    "check_int",
    "check_float",
    "check_choice",
    "check_rng",
    "check_factors",
    "check_same_shape",
    "check_index",
    "check_index_pairs",
    "check_clip",
    "check_bool",
    "as_numeric_array",
    "MAX_ITERATIONS",
    "MAX_FACTOR_ENTRIES",
    "MAX_SIDE",
    "MAX_SAMPLES",
    "MAX_LEARNING_RATE",
    "MAX_LAMBDA",
    "MAX_EXPONENTIAL_LABEL",
    "check_finite_result",
    "check_learning_rate",
    "check_lam",
    "check_k",
    "check_n_iters",
    "check_implicit",
    "check_labels",
    "check_init",
    "check_factor_size",
    "check_mask",
    "check_writable",
]

# Accepted ranges shared by every public function; each refusal quotes the
# limit. Iterations: 10**5 sweeps or epochs is hours on MovieLens-sized
# data, far past convergence. Factor entries: (m + n) * k float64 numbers,
# 10**8 is 800 MB. Samples: BPR triples or candidates, 10**8 is 2.4 GB of
# indices. A learning rate above 10 or a lambda above 10**6 only makes the
# factors overflow or vanish. Exponential gain 2**y - 1: labels above 100
# give gains near 1e30, and 2**1024 overflows to inf.
MAX_ITERATIONS = 100_000
MAX_FACTOR_ENTRIES = 10**8
# Rows and columns of a rating matrix: every model keeps numbers per row
# and per column (biases, counts, the CSR row pointer), so a larger side
# would fail later with a MemoryError instead of a message.
MAX_SIDE = 10**8
MAX_SAMPLES = 10**8
MAX_LEARNING_RATE = 10.0
MAX_LAMBDA = 1e6
MAX_EXPONENTIAL_LABEL = 100


def _kind_of(arr, name):
    """Refuse complex, object, string and other non-real dtypes."""
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(
            f"{name} must hold real numbers, got complex dtype {arr.dtype}"
        )
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")


def as_numeric_array(x, name):
    """``np.asarray(x)`` of real numbers, refusing what NumPy would guess.

    Ragged nested lists raise a ``ValueError`` and strings (numeric or
    not), objects and complex numbers a ``TypeError``, each naming
    ``name``. Booleans are accepted as 0/1.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(
            f"{name} must be an array of numbers, got {type(x).__name__}"
        )
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} is not a rectangular array (ragged nested lists?): "
            f"{exc}"
        ) from None
    _kind_of(arr, name)
    return arr


def _int_array(a, what, name):
    a = np.asarray(a)
    if a.ndim != 1 or not np.issubdtype(a.dtype, np.integer):
        raise ValueError(
            f"{name} is not a valid sparse matrix: its {what} must be a "
            f"1-D integer array, got {a.ndim}-D {a.dtype}"
        )
    return a


def _check_compressed(indptr, indices, n_data, n_major, n_minor, name):
    indptr = _int_array(indptr, "indptr", name)
    indices = _int_array(indices, "indices", name)
    if indptr.size != n_major + 1:
        raise ValueError(
            f"{name} is not a valid sparse matrix: indptr has "
            f"{indptr.size} entries, expected {n_major + 1}"
        )
    if indptr[0] != 0:
        raise ValueError(
            f"{name} is not a valid sparse matrix: indptr[0] is "
            f"{indptr[0]}, expected 0"
        )
    if np.any(np.diff(indptr) < 0):
        raise ValueError(
            f"{name} is not a valid sparse matrix: indptr decreases"
        )
    if not (indptr[-1] == indices.size == n_data):
        raise ValueError(
            f"{name} is not a valid sparse matrix: indptr[-1] = "
            f"{indptr[-1]}, {indices.size} indices and {n_data} values "
            "must all be equal"
        )
    if indices.size and (indices.min() < 0 or indices.max() >= n_minor):
        raise ValueError(
            f"{name} is not a valid sparse matrix: its indices must lie "
            f"in [0, {n_minor})"
        )


def _check_coords(coords, n_data, shape, name):
    for axis, (c, size) in enumerate(zip(coords, shape)):
        c = _int_array(c, f"coordinates of axis {axis}", name)
        if c.size != n_data:
            raise ValueError(
                f"{name} is not a valid sparse matrix: {c.size} "
                f"coordinates of axis {axis} for {n_data} values"
            )
        if c.size and (c.min() < 0 or c.max() >= size):
            raise ValueError(
                f"{name} is not a valid sparse matrix: coordinates of "
                f"axis {axis} must lie in [0, {size})"
            )


def check_sparse_structure(A, name):
    """Check a SciPy sparse matrix's raw arrays before anything reads them.

    CSR/CSC: ``indptr`` is 1-D integer with ``n_major + 1`` entries,
    starts at 0, never decreases and ends at ``len(indices) ==
    len(data)``; ``indices`` lie in ``[0, n_minor)``. COO: each coordinate
    array has one entry per value, in range. BSR: the same on blocks. LIL:
    one index list per row, as long as its value list, in range. DOK and
    DIA are converted to COO first (pure Python/NumPy code, safe on any
    content) and checked as COO. The values must be real numbers.
    """
    shape = A.shape
    if len(shape) != 2:
        raise ValueError(f"{name} must be 2-D, got {len(shape)} dimensions")
    if any(not isinstance(s, numbers.Integral) or s < 0 for s in shape):
        raise ValueError(f"{name} has an invalid shape {shape}")
    _kind_of(np.empty(0, dtype=A.dtype), name)
    fmt = A.format
    data = getattr(A, "data", None)
    if fmt in ("csr", "csc", "coo", "bsr"):
        data = np.asarray(data)
        _kind_of(data, name)
    if fmt in ("csr", "csc"):
        if data.ndim != 1:
            raise ValueError(
                f"{name} is not a valid sparse matrix: data is "
                f"{data.ndim}-D"
            )
        major, minor = shape if fmt == "csr" else shape[::-1]
        _check_compressed(
            A.indptr, A.indices, data.size, major, minor, name
        )
    elif fmt == "bsr":
        r, c = A.blocksize
        if data.ndim != 3 or data.shape[1:] != (r, c):
            raise ValueError(
                f"{name} is not a valid sparse matrix: BSR data has "
                f"shape {data.shape} for blocks of {(r, c)}"
            )
        if r < 1 or c < 1 or shape[0] % r or shape[1] % c:
            raise ValueError(
                f"{name} is not a valid sparse matrix: blocks of {(r, c)} "
                f"do not tile the shape {shape}"
            )
        _check_compressed(
            A.indptr,
            A.indices,
            data.shape[0],
            shape[0] // r,
            shape[1] // c,
            name,
        )
    elif fmt == "coo":
        if data.ndim != 1:
            raise ValueError(
                f"{name} is not a valid sparse matrix: data is "
                f"{data.ndim}-D"
            )
        coords = getattr(A, "coords", None)
        if coords is None:
            coords = (A.row, A.col)
        _check_coords(coords, data.size, shape, name)
    elif fmt == "lil":
        rows, values = A.rows, A.data
        if len(rows) != shape[0] or len(values) != shape[0]:
            raise ValueError(
                f"{name} is not a valid sparse matrix: LIL has "
                f"{len(rows)} index lists for {shape[0]} rows"
            )
        for i, (idx, val) in enumerate(zip(rows, values)):
            if len(idx) != len(val):
                raise ValueError(
                    f"{name} is not a valid sparse matrix: row {i} has "
                    f"{len(idx)} indices and {len(val)} values"
                )
            for j in idx:
                if (
                    isinstance(j, bool)
                    or not isinstance(j, numbers.Integral)
                    or not 0 <= j < shape[1]
                ):
                    raise ValueError(
                        f"{name} is not a valid sparse matrix: row {i} "
                        f"names column {j!r}, outside [0, {shape[1]})"
                    )
        _kind_of(np.asarray([v for row in values for v in row]), name)
    else:
        try:
            C = A.tocoo()
        except (ValueError, TypeError, IndexError, KeyError) as exc:
            raise ValueError(
                f"{name} is not a valid sparse matrix: {exc}"
            ) from None
        check_sparse_structure(C, name)


def _compressed_copy(A, name):
    """A float64 CSR copy of a structurally valid sparse ``A``.

    Duplicate entries are summed and indices sorted on the copy.
    """
    if A.format == "csr":
        M = sp.csr_matrix(
            (
                np.array(A.data, dtype=np.float64),
                np.array(A.indices),
                np.array(A.indptr),
            ),
            shape=A.shape,
        )
    else:
        # Any other format: SciPy's conversion copies (checked above that
        # its arrays are sound); astype makes a second copy if it did not.
        M = sp.csr_matrix(A, dtype=np.float64, copy=True)
    M.sum_duplicates()
    return M


def _check_sides(shape, name):
    for side, what in zip(shape, ("rows", "columns")):
        if side > MAX_SIDE:
            raise ValueError(
                f"{name} has {side} {what}; at most MAX_SIDE = {MAX_SIDE} "
                "rows and columns are supported (a model keeps numbers "
                "for every row and column)"
            )


def _sparse_input(R, name):
    """Structurally checked float64 CSR copy of any matrix-like ``R``."""
    if sp.issparse(R):
        _check_sides(R.shape, name)
        check_sparse_structure(R, name)
        finite_before = np.all(np.isfinite(_values(R)))
        M = _compressed_copy(R, name)
    elif isinstance(R, (np.ndarray, list, tuple)):
        arr = as_numeric_array(R, name)
        if arr.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D, got {arr.ndim} dimensions"
            )
        with np.errstate(over="ignore", invalid="ignore"):
            dense = arr.astype(np.float64)
        finite_before = np.all(np.isfinite(dense))
        M = sp.csr_matrix(dense)
    else:
        raise TypeError(
            f"{name} must be a 2-D numpy array or scipy.sparse matrix, "
            f"got {type(R).__name__}"
        )
    if not finite_before:
        raise ValueError(
            f"{name} contains NaN or infinite values; "
            "ratings must be finite"
        )
    if not np.all(np.isfinite(M.data)):
        raise ValueError(
            f"{name} contains NaN or infinite values: a value or a sum of "
            "duplicate entries overflows float64"
        )
    return M


def _values(A):
    if A.format in ("csr", "csc", "coo", "bsr"):
        with np.errstate(over="ignore"):
            return np.asarray(A.data, dtype=np.float64)
    return np.asarray(A.tocoo().data, dtype=np.float64)


def check_ratings(R, name="R", *, allow_empty_rows=True):
    """Return ``R`` as a canonical float64 CSR matrix of observed entries.

    A dense array (or nested list) or any SciPy sparse matrix/array is
    accepted; the result is always a new matrix. Zeros, stored or not,
    mean *unobserved* (ratings are never 0), so stored zeros are dropped
    and duplicate entries summed (on the copy). Refused: a structurally
    invalid sparse matrix, complex or non-numeric values, ragged lists,
    NaN or infinite values (also when duplicate entries sum to infinity),
    a non-2-D input, a matrix with no rows or no columns and one with no
    observed entry.
    """
    M = _sparse_input(R, name)
    if M.shape[0] == 0 or M.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one row and one column, "
            f"got shape {M.shape}"
        )
    M.eliminate_zeros()
    M.sort_indices()
    if M.nnz == 0:
        raise ValueError(f"{name} has no observed (non-zero) entries")
    if not allow_empty_rows and np.any(np.diff(M.indptr) == 0):
        raise ValueError(f"{name} has a row with no observed entries")
    return M


def check_sparse(A, name):
    """A canonical float64 CSR copy of the sparse matrix ``A``.

    Like :func:`check_ratings` but stored zeros are kept (for values such
    as timestamps, where 0 is a value) and no entry is required.
    """
    if not sp.issparse(A):
        raise TypeError(
            f"{name} must be a scipy.sparse matrix, got {type(A).__name__}"
        )
    M = _sparse_input(A, name)
    M.sort_indices()
    return M


def check_writable(F, name):
    """Refuse a read-only array that a function would update in place.

    Writing into it fails deep inside compiled code (a numba TypingError)
    or, worse, a converted copy takes the updates while the caller's
    array silently stays put.
    """
    if not F.flags.writeable:
        raise ValueError(
            f"{name} is read-only, but it is updated in place: pass a "
            "writable array (e.g. a copy)"
        )


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


def check_bool(value, name):
    """Return ``value`` if it is ``True`` or ``False`` (NumPy's too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {type(value).__name__}"
        )
    return bool(value)


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
    """Check a factor matrix; return it as C-contiguous float64.

    ``F`` is a 2-D real array with at least one row and one column (and
    ``rows`` rows and ``k`` columns when given), all values finite. The
    result is a copy unless ``F`` is already C-contiguous float64.
    """
    if not isinstance(F, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy array, got {type(F).__name__}"
        )
    if F.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got {F.ndim} dimensions")
    _kind_of(F, name)
    if F.dtype == bool:
        raise TypeError(f"{name} must hold numbers, got dtype bool")
    if rows is not None and F.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows, got {F.shape[0]}")
    if k is not None and F.shape[1] != k:
        raise ValueError(f"{name} must have {k} columns, got {F.shape[1]}")
    if F.shape[0] == 0 or F.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one row and one column, "
            f"got shape {F.shape}"
        )
    with np.errstate(over="ignore"):
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


def check_index(arr, name, size, *, ndim=1):
    """An integer index array into an axis of length ``size``.

    ``arr`` (array or list) must be ``ndim``-dimensional with an integer
    dtype (booleans, floats and strings are refused; an empty list is
    accepted) and every entry in ``[0, size)``: no negative index wraps
    around. Returns an int64 array (a copy).
    """
    size = check_int(size, "size", low=0)
    a = as_numeric_array(arr, name)
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got {a.ndim}-D")
    if a.size == 0:
        return np.zeros(a.shape, dtype=np.int64)
    if a.dtype == bool or not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got dtype {a.dtype}")
    if a.min() < 0 or a.max() >= size:
        raise ValueError(
            f"{name} must lie in [0, {size}), got values in "
            f"[{a.min()}, {a.max()}]"
        )
    return a.astype(np.int64)


def check_index_pairs(rows, cols, shape, names=("rows", "cols")):
    """Row and column index arrays of equal length into ``shape``."""
    r = check_index(rows, names[0], shape[0])
    c = check_index(cols, names[1], shape[1])
    if r.shape != c.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have equal length, got "
            f"{r.size} and {c.size}"
        )
    return r, c


def check_clip(clip, name="clip"):
    """``None`` or a pair ``(low, high)`` of finite numbers, low < high.

    Returns ``None`` or a tuple of two floats.
    """
    if clip is None:
        return None
    if not isinstance(clip, (tuple, list)) or len(clip) != 2:
        raise TypeError(
            f"{name} must be None or a pair (low, high), got {clip!r}"
        )
    low = check_float(clip[0], f"{name}[0]")
    high = check_float(clip[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must have low < high, got {tuple(clip)}")
    return low, high


def check_finite_result(values, what, blame):
    """Refuse a result that overflowed: raise naming the inputs to blame.

    ``values`` is an array or number just computed; ``what`` names it and
    ``blame`` names the arguments whose size caused it (e.g. "R, U and V").
    """
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"{what} is not finite (overflow): {blame} are too large in "
            "magnitude for float64; scale them down"
        )
    return values


def check_factor_size(n_rows, n_cols, k, names=("n_users", "n_items", "k")):
    """Refuse factors of more than ``MAX_FACTOR_ENTRIES`` numbers.

    ``(n_rows + n_cols) * k`` float64 entries are allocated for two factor
    matrices; ``names`` are the words the message uses for the three
    sizes (the arguments a caller passed, or what they come from).
    """
    entries = (int(n_rows) + int(n_cols)) * int(k)
    if entries > MAX_FACTOR_ENTRIES:
        a, b, c = names
        raise ValueError(
            f"({a} + {b}) * {c} = ({n_rows} + {n_cols}) * {k} = {entries} "
            f"factor entries is more than the limit MAX_FACTOR_ENTRIES = "
            f"{MAX_FACTOR_ENTRIES} ({8 * MAX_FACTOR_ENTRIES / 1e9:g} GB of "
            f"float64)"
        )


def check_mask(x, name, shape, *, shape_of=None):
    """A boolean mask of ``shape`` from a dense array or sparse matrix.

    Non-zero entries are ``True``. A sparse matrix is structurally checked
    (:func:`check_sparse_structure`) and read through a copy; complex,
    string and ragged input, NaN and infinite values (NaN is not a yes
    or a no) and a shape other than ``shape`` are refused by name
    (``shape_of`` names the argument whose shape it must share, if any).
    Returns a new C-contiguous ``bool`` array.
    """
    shape = tuple(shape)
    want = (
        f"the shape of {shape_of} {shape}"
        if shape_of is not None
        else f"shape {shape}"
    )
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(
            f"{name} must be a boolean array or sparse matrix, "
            f"got {type(x).__name__}"
        )
    if sp.issparse(x):
        check_sparse_structure(x, name)
        if x.shape != shape:
            raise ValueError(f"{name} must have {want}, got {x.shape}")
        values = _values(x)
        arr = None
    else:
        arr = as_numeric_array(x, name)
        if arr.shape != shape:
            raise ValueError(f"{name} must have {want}, got {arr.shape}")
        values = arr
    if values.dtype != bool and not np.all(np.isfinite(values)):
        raise ValueError(
            f"{name} contains NaN or infinite values; a mask holds "
            "True/False (or 0/non-zero)"
        )
    if arr is None:
        arr = _compressed_copy(x, name).toarray()
    return np.ascontiguousarray(arr != 0)


def check_learning_rate(value, name="learning_rate"):
    """A learning rate in ``(0, MAX_LEARNING_RATE]``."""
    return check_float(
        value, name, low=0.0, low_open=True, high=MAX_LEARNING_RATE
    )


def check_lam(value, name="lam"):
    """A regularization strength in ``[0, MAX_LAMBDA]`` (1e6)."""
    return check_float(value, name, low=0.0, high=MAX_LAMBDA)


def check_k(value, name="k", *, high=None):
    """A number of latent factors (or of kept components): ``1 <= k``,
    and ``k <= high`` when given."""
    return check_int(value, name, low=1, high=high)


def check_n_iters(value, name="n_iters", *, low=0):
    """A number of sweeps or epochs in ``[low, MAX_ITERATIONS]`` (1e5)."""
    return check_int(value, name, low=low, high=MAX_ITERATIONS)


def check_implicit(X, name="X"):
    """Implicit feedback: ``check_ratings`` with every stored value set
    to 1 (a positive), on the checked copy."""
    M = check_ratings(X, name)
    M.data[:] = 1.0
    return M


def check_labels(R, name="R"):
    """Relevance labels: ``check_ratings``, refusing negative labels."""
    M = check_ratings(R, name)
    if np.any(M.data < 0):
        raise ValueError(
            f"{name} must hold relevance labels >= 0, got {M.data.min():g}"
        )
    return M


def check_init(init, shape, k):
    """Starting factors ``(U0, V0)`` for an m x n matrix: checked copies."""
    if not isinstance(init, tuple) or len(init) != 2:
        raise TypeError(
            "init must be a tuple (U0, V0) of factor matrices or None"
        )
    U = check_factors(init[0], "init[0] (U0)", rows=shape[0], k=k)
    V = check_factors(init[1], "init[1] (V0)", rows=shape[1], k=k)
    return U.copy(), V.copy()
