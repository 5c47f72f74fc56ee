"""Data sets of the book: the lesson's toy matrix, a planted synthetic
model, splits, and MovieLens.

Notes
-----
Defined in: Chapter 1 (toy and synthetic data), Chapter 4 (``to_implicit``),
Part III (``load_movielens``, ``temporal_split``), Chapter 7
(``global_time_split``).
"""

from .movielens import (
    DATA_ENV_VAR,
    DatasetUnavailableError,
    MovieLens,
    load_movielens,
)
from .splits import (
    global_time_split,
    temporal_split,
    to_implicit,
    train_test_split,
)
from .synthetic import SyntheticRatings, synthetic_ratings
from .toy import toy_ratings

__all__ = [
    "toy_ratings",
    "synthetic_ratings",
    "SyntheticRatings",
    "train_test_split",
    "temporal_split",
    "global_time_split",
    "to_implicit",
    "load_movielens",
    "MovieLens",
    "DatasetUnavailableError",
    "DATA_ENV_VAR",
]
