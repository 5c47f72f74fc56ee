"""The lesson's toy rating matrix (Chapter 1)."""

import numpy as np

__all__ = ["toy_ratings"]

# The matrix of the lesson's example, cell for cell (its variable R). Rows
# are users, columns items; 0 marks an unobserved entry. Users 0 and 1 rate
# items 0 and 1 high and item 3 low; users 2 to 4 rate items 2 to 4 high
# and, where they rated them, items 0 and 1 low.
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

    Defined in: Chapter 1.
    """
    return np.array(_TOY, dtype=np.float64)
