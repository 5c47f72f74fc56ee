"""The lesson's toy rating matrix (Chapter 1)."""

import numpy as np

__all__ = ["toy_ratings"]

# The matrix of the lesson's example, cell for cell (its variable R). Rows
# are users, columns items; 0 marks an unobserved entry. Users 0 and 1 rate
# item 0 high (5, 4) and item 3 low (1, 1); user 0 gives item 1 a 3. Users
# 2 to 4 give their 4s and 5s to items 2 to 4 and, where they rated items
# 0 and 1, a 1 (tests/test_data.py checks these statements).
_TOY = (
    (5, 3, 0, 1, 0),
    (4, 0, 0, 1, 0),
    (1, 1, 0, 5, 4),
    (0, 0, 5, 4, 0),
    (0, 1, 4, 0, 5),
)


def toy_ratings():
    """Return the lesson's 5 x 5 toy rating matrix (its example's ``R``).

    Returns
    -------
    numpy.ndarray of shape (5, 5), dtype float64
        Ratings on a 1-5 scale; ``0`` marks an unobserved entry (14 of the
        25 entries are observed). A fresh copy is returned on each call.

    Notes
    -----
    Defined in: Chapter 1.
    """
    return np.array(_TOY, dtype=np.float64)
