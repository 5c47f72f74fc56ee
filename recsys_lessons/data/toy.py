"""The lesson's toy rating matrix (Chapter 1)."""

import numpy as np

__all__ = ["toy_ratings"]

# Rows are users, columns items; 0 marks an unobserved entry. Users 0-1 and
# 3 like item 0 and dislike item 3, user 2 and 4 the other way round, so a
# rank-2 model already explains most of it.
_TOY = (
    (5, 3, 0, 1, 4),
    (4, 0, 0, 1, 3),
    (1, 1, 0, 5, 0),
    (1, 0, 0, 4, 4),
    (0, 1, 5, 4, 0),
)


def toy_ratings():
    """Return the lesson's 5 x 5 toy rating matrix.

    Returns
    -------
    numpy.ndarray of shape (5, 5), dtype float64
        Ratings on a 1-5 scale; ``0`` marks an unobserved entry (16 of the
        25 entries are observed). A fresh copy is returned on each call.

    Defined in: Chapter 1.
    """
    return np.array(_TOY, dtype=np.float64)
