"""Execute the notebooks, in one of two ways.

``python tools/run_notebooks.py [PATHS]`` (``make notebooks``): execute each
notebook in place, top to bottom in one fresh kernel, so that its stored
outputs are fresh; nbval later compares against them.

``python tools/run_notebooks.py --cache DIR [PATHS]`` (``make book``):
execute every notebook into a jupyter-cache at DIR, several at once on a
machine with several cores, and fail if any cell fails. Jupyter Book, set to
``execute_notebooks: cache``, then renders these fresh outputs instead of
executing the notebooks again one by one.

The cache is kept between runs while nothing a notebook's outputs depend on
has changed besides the notebooks themselves: the package, the pins, the
Spark configuration, the Python version and the thread settings (their
digest is ``DIR/inputs.sha256``). Then only the notebooks whose code cells
changed are executed again (jupyter-cache keys each notebook on its code);
anything else wipes the cache. ``make test`` checks that the book executed
on an emulated processor shows the stored outputs
(``tests/test_book_browser.py``), so the processor is not among these
inputs: a cache made on one machine renders the book any other would.
"""

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def notebooks(args):
    paths = []
    for arg in args or ["notebooks"]:
        p = Path(arg)
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    return paths


def run_in_place(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        # Execution timestamps change on every run and say nothing to a
        # reader.
        cell.get("metadata", {}).pop("execution", None)
    # Saved widget state makes the rendered page load the widget manager
    # from a CDN. No executed cell shows a widget (live versions are
    # skip-execution), so a state left by an older run is dropped.
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"executed {path}")


# The chapters that take most of make book's execution (Chapter 8 starts
# Spark; Chapter 5 trains LambdaRank). They start first, so that the other
# notebooks fill the other core meanwhile instead of queueing behind them.
SLOWEST_FIRST = ("08_scale", "05_lambdarank")


def schedule(paths):
    """``paths`` with the slowest chapters first, the rest in order."""

    def rank(path):
        stem = Path(path).stem
        if stem in SLOWEST_FIRST:
            return SLOWEST_FIRST.index(stem)
        return len(SLOWEST_FIRST)

    return sorted(paths, key=rank)


ROOT = Path(__file__).resolve().parents[1]
# What the outputs depend on besides the notebooks' own code. The
# processor is deliberately absent (see the module docstring).
INPUT_GLOBS = (
    "recsys_lessons/**/*.py",
    "pyproject.toml",
    "requirements.txt",
    "notebooks/spark-conf/*",
)
INPUT_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "RECSYS_LESSONS_QUIET",
    "RECSYS_LESSONS_DATA",
)


def inputs_digest(root=ROOT):
    """SHA-256 over the inputs the notebooks' outputs depend on."""
    h = hashlib.sha256(sys.version.encode())
    files = sorted({p for g in INPUT_GLOBS for p in root.glob(g)})
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    for name in INPUT_VARIABLES:
        h.update(f"{name}={os.environ.get(name, '')}\0".encode())
    return h.hexdigest()


def open_cache(cache_dir, root=ROOT):
    """The jupyter-cache at ``cache_dir``, emptied if its inputs changed."""
    from jupyter_cache import get_cache

    stamp = Path(cache_dir) / "inputs.sha256"
    digest = inputs_digest(root)
    if stamp.is_file() and stamp.read_text() == digest:
        return get_cache(cache_dir)
    shutil.rmtree(cache_dir, ignore_errors=True)
    cache = get_cache(cache_dir)
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return cache


def run_into_cache(paths, cache_dir, root=ROOT):
    import multiprocessing

    from jupyter_cache.executors.basic import (
        ExecutionWorkerLocalMProc,
        ProcessData,
    )

    cache = open_cache(cache_dir, root)
    records = {
        record.uri: record
        for record in (
            cache.add_nb_to_project(str(Path(path).resolve()))
            for path in paths
        )
    }
    unexecuted = cache.list_unexecuted(filter_uris=list(records))
    stale = {record.uri for record in unexecuted}
    for uri in sorted(set(records) - stale):
        print(f"unchanged since its cached run: {uri}")
    jobs = [
        ProcessData(records[uri].pk, uri, cache, 600, False)
        for uri in schedule(records)
        if uri in stale
    ]
    if not jobs:
        return 0
    # jupyter-cache's own parallel executor hands each process chunks of
    # notebooks in path order; one notebook at a time, slowest first,
    # keeps both cores busy to the end.
    with multiprocessing.Pool(min(len(jobs), os.cpu_count())) as pool:
        results = list(
            pool.imap_unordered(ExecutionWorkerLocalMProc(), jobs, 1)
        )
    failed = False
    for status, uri in results:
        if status == 0:
            record = cache.get_cached_project_nb(uri)
            seconds = record.data.get("execution_seconds", float("nan"))
            print(f"executed {uri} in {seconds:.0f} s")
        else:
            failed = True
    if failed:
        for record in cache.list_project_records():
            if record.traceback:
                print(
                    f"FAILED {record.uri}\n{record.traceback}",
                    file=sys.stderr,
                )
        return 1
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument(
        "--cache",
        help="execute into this jupyter-cache folder instead of in place",
    )
    args = parser.parse_args(argv)
    paths = notebooks(args.paths)
    if args.cache:
        return run_into_cache(paths, args.cache)
    for path in paths:
        run_in_place(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
