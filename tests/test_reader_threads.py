"""A chapter runs on a reader's machine, not only under make.

The Makefile pins one BLAS and one numba thread so that stored outputs do
not depend on the machine. A reader who opens a chapter in Jupyter has
their machine's thread counts, which change the order of some floating
point sums: a chapter's own checks must hold there too. Chapter 1 once
compared an explorer's grid (computed on its own number of threads) with
a direct fit by exact equality, and failed outside make.
"""

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)


def test_chapter_1_runs_with_two_threads():
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    # Two threads everywhere, whatever this machine has: what a laptop
    # with several cores gives a kernel by default.
    env.update(dict.fromkeys(THREAD_VARIABLES, "2"))
    path = ROOT / "notebooks" / "01_objective.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    # A failing cell raises CellExecutionError, with the cell's traceback.
    client.execute(env=env)
