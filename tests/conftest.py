# ruff: noqa: E402 (the processor is chosen before numpy is imported)
import os

from cpu_targets import TEST_CPU

# Before numpy loads OpenBLAS and before numba compiles anything: the
# session, and every kernel and subprocess it starts, runs on an emulated
# processor other than the one the stored outputs were recorded on
# (tests/cpu_targets.py). A variable already set is kept: some machines
# set OPENBLAS_CORETYPE because OpenBLAS misjudges their processor, and
# NUMBA_CPU_NAME=host tests on this one.
for name, value in TEST_CPU.items():
    os.environ.setdefault(name, value)

import numpy as np
import pytest
import scipy.sparse as sp

# The built book served on 127.0.0.1 and a Chromium to read it, for the
# browser tests (tests/book_site.py: the book is built once per run).
from book_site import browser, server  # noqa: E402, F401

from recsys_lessons.data import synthetic_ratings, train_test_split


@pytest.fixture(scope="session")
def small_data():
    """A small synthetic matrix; one user and one item have no ratings."""
    d = synthetic_ratings(
        n_users=60,
        n_items=40,
        rank=3,
        density=0.3,
        min_ratings_per_user=3,
        seed=3,
    )
    R = d.ratings.tolil()
    R[5, :] = 0
    R[:, 7] = 0
    R = sp.csr_matrix(R)
    R.eliminate_zeros()
    return R


@pytest.fixture(scope="session")
def split_data():
    d = synthetic_ratings(
        n_users=200,
        n_items=150,
        rank=4,
        density=0.1,
        min_ratings_per_user=5,
        seed=11,
    )
    return train_test_split(d.ratings, 0.2, seed=0)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


# The files that take longest, longest first (make test's --durations on
# 2 cores). make test's workers take whole files in collection order, so
# these start first and the short ones fill in around them; a long file
# left for last would keep one worker busy while the other idles.
SLOWEST_FIRST = (
    "tests/test_book_browser.py",
    "tests/test_packaging.py",
    "tests/test_binder.py",
    "tests/test_classroom.py",
    "notebooks/08_scale.ipynb",
    "notebooks/05_lambdarank.ipynb",
    "tests/test_spark.py",
    "notebooks/07_movielens.ipynb",
    # Reads the book test_book_browser.py builds (tests/book_site.py): it
    # starts once that build is well under way, and waits for it.
    "tests/test_accessibility.py",
    "tests/test_bench_rows.py",
    "tests/test_metrics.py",
    "tests/test_lab.py",
    "tests/test_cpu_targets.py",
    "tests/test_reader_threads.py",
)


def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        if path in SLOWEST_FIRST:
            return SLOWEST_FIRST.index(path)
        return len(SLOWEST_FIRST)

    items.sort(key=rank)
