"""``make bench``: our helpers against the references people use.

Both run side by side in one process.

Each row: warm-up call first (JIT compilation excluded for both sides), then
the median of several timed repeats. Thread counts are set equal per row and
printed. Ratios, not seconds, are what the goals speak of.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time

import numba
import numpy as np

from recsys_lessons import als, bpr, lambdarank, metrics, sampling
from recsys_lessons.data import (
    synthetic_ratings,
    to_implicit,
)

THREADS = os.cpu_count() or 1


def median_time(fn, repeats):
    fn()  # warm-up: compilation and caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def iteration_time(fit, repeats):
    """Median seconds of one iteration inside ``fit(callback)``.

    ``fit`` runs a public ``fit_*`` with that ``callback=``, which it calls
    after each iteration: the time between two calls is one sweep and the
    history row the fit records after it. A warm-up fit first, then
    ``repeats`` fits; the median over all their gaps.
    """

    def gaps():
        stamps = []
        fit(lambda t, U, V: stamps.append(time.perf_counter()))
        return np.diff(stamps)

    gaps()  # warm-up: compilation and caches
    return float(
        np.median(np.concatenate([gaps() for _ in range(repeats)]))
    )


def row_als_vs_implicit(big):
    from implicit.cpu.als import AlternatingLeastSquares

    M = big
    lam = 0.05
    init = als.initial_factors(*M.shape, 32, seed=0)
    numba.set_num_threads(THREADS)
    ours = iteration_time(
        lambda callback: als.fit_als(
            M, 32, lam, n_iters=3, init=init, callback=callback
        ),
        3,
    )
    X = M.astype(np.float64)

    def theirs_fit():
        model = AlternatingLeastSquares(
            factors=32,
            use_cg=False,
            iterations=1,
            dtype=np.float64,
            num_threads=THREADS,
            random_state=0,
        )
        model.fit(X, show_progress=False)

    theirs = median_time(theirs_fit, 5)
    return (
        "ALS sweep, 6040x3706, 1M ratings, k=32",
        "implicit ALS (use_cg=False, float64), 1 iteration",
        ours,
        theirs,
        "<= 1.0",
        THREADS,
    )


def row_implicit_als_vs_implicit(big):
    """One implicit-feedback ALS iteration (Hu, Koren & Volinsky 2008).

    Every rating of ``big`` as one interaction (r = 1), alpha = 40:
    confidence 41 at the interactions, 1 elsewhere. implicit takes the
    confidences themselves (its ``alpha * user_items``), so it gets
    ``1 + 40 r`` with its alpha = 1. Ours: one iteration of
    ``fit_implicit_als`` (both half-steps, each computing its Y^T Y, and
    the objective after them), as the ALS row; theirs: its whole fit.
    """
    from implicit.cpu.als import AlternatingLeastSquares

    from recsys_lessons import implicit_als

    X = to_implicit(big, 1.0)
    lam, alpha = 0.05, 40.0
    init = als.initial_factors(*X.shape, 32, seed=0)
    numba.set_num_threads(THREADS)
    ours = iteration_time(
        lambda callback: implicit_als.fit_implicit_als(
            X,
            32,
            lam,
            alpha=alpha,
            n_iters=3,
            init=init,
            penalty="plain",  # implicit's penalty
            callback=callback,
        ),
        3,
    )
    C = X.copy()
    C.data = 1.0 + alpha * C.data

    def theirs_fit():
        model = AlternatingLeastSquares(
            factors=32,
            regularization=lam,
            alpha=1.0,
            use_cg=False,
            iterations=1,
            dtype=np.float64,
            num_threads=THREADS,
            random_state=0,
        )
        model.fit(C, show_progress=False)

    theirs = median_time(theirs_fit, 5)
    return (
        "implicit-feedback ALS sweep, 6040x3706, 1M interactions, k=32",
        "implicit ALS (use_cg=False, float64), 1 iteration",
        ours,
        theirs,
        "<= 1.0",
        THREADS,
    )


def row_als_vs_reference(small):
    """One iteration each, from the same start.

    Our two compiled half-steps (``fit_als``) against the lesson's two
    loops (``als_reference``), each with the history row it records.
    """
    lam = 0.05
    init = als.initial_factors(*small.shape, 10, seed=0)
    numba.set_num_threads(THREADS)
    ours = iteration_time(
        lambda callback: als.fit_als(
            small, 10, lam, n_iters=3, init=init, callback=callback
        ),
        5,
    )
    theirs = iteration_time(
        lambda callback: als.als_reference(
            small, 10, lam, n_iters=3, init=init, callback=callback
        ),
        3,
    )
    return (
        "ALS sweep, 943x1682, 100k ratings, k=10",
        "the lesson's loops (als_reference's sweep)",
        ours,
        theirs,
        "<= 0.0333 (30x faster)",
        THREADS,
    )


def rows_als_end_to_end(small):
    """fit_als against als_reference as a reader calls them.

    Validation, transpose and history included.
    """
    init = als.initial_factors(*small.shape, 10, seed=0)
    numba.set_num_threads(THREADS)
    rows = []
    for n_iters, repeats in ((1, 5), (10, 3)):
        ours = median_time(
            lambda n_iters=n_iters: als.fit_als(
                small, 10, 0.05, n_iters=n_iters, init=init
            ),
            9,
        )
        theirs = median_time(
            lambda n_iters=n_iters: als.als_reference(
                small, 10, 0.05, n_iters=n_iters, init=init
            ),
            repeats,
        )
        rows.append(
            (
                f"fit_als, {n_iters} iteration(s), "
                "943x1682, 100k ratings, k=10",
                f"als_reference, {n_iters} iteration(s)",
                ours,
                theirs,
                "(reported, no goal)",
                THREADS,
            )
        )
    return rows


def row_bpr_vs_implicit(big):
    from implicit.cpu.bpr import BayesianPersonalizedRanking

    X = to_implicit(big, 1.0)  # every rating as an interaction
    rng = np.random.default_rng(0)
    U = rng.normal(0, 0.1, (X.shape[0], 32))
    V = rng.normal(0, 0.1, (X.shape[1], 32))

    def ours_epoch():
        t = bpr.sample_triples(X, X.nnz, rng)
        bpr.sgd_epoch(U, V, t, 0.05, 0.005)

    ours = median_time(ours_epoch, 5)

    def theirs_fit():
        model = BayesianPersonalizedRanking(
            factors=32,
            iterations=1,
            dtype=np.float64,
            num_threads=1,
            random_state=0,
        )
        model.fit(X, show_progress=False)

    theirs = median_time(theirs_fit, 5)
    return (
        "BPR epoch, 1M interactions, k=32",
        "implicit BPR (float64), 1 iteration",
        ours,
        theirs,
        "<= 1.5",
        1,
    )


def row_metrics_vs_ranx():
    from numba.typed import List
    from ranx.metrics.average_precision import _average_precision_parallel
    from ranx.metrics.ndcg import _ndcg_parallel

    rng = np.random.default_rng(0)
    n_users, n_items = 100_000, 100
    rel = rng.integers(0, 4, size=(n_users, n_items)) * (
        rng.random((n_users, n_items)) < 0.2
    )
    rel = rel.astype(np.float64)
    ideal = -np.sort(-rel, axis=1)
    n_rel = (rel > 0).sum(axis=1)
    docs = np.arange(n_items, dtype=np.float64)
    runs, qrels = List(), List()
    for u in range(n_users):
        # ranx's own layout: [doc, score] best first; [doc, label] by label
        runs.append(np.column_stack([docs, -docs]))
        hit = np.flatnonzero(rel[u] > 0)
        order = hit[np.argsort(-rel[u, hit], kind="stable")]
        q = np.column_stack([order.astype(np.float64), rel[u, order]])
        qrels.append(q if q.size else np.zeros((0, 2)))
    numba.set_num_threads(1)

    def ours_fn():
        metrics.ndcg_at_k(rel, 10, "exponential", ideal_relevance=ideal)
        metrics.average_precision(rel, 10, n_rel)

    def theirs_fn():
        _ndcg_parallel(qrels, runs, 10, 1, False)
        _average_precision_parallel(qrels, runs, 10, 1)

    a = metrics.ndcg_at_k(rel, 10, "exponential", ideal_relevance=ideal)
    b = _ndcg_parallel(qrels, runs, 10, 1, False)
    assert np.allclose(a, b, rtol=1e-12, atol=1e-15), (
        "NDCG disagrees with ranx"
    )
    assert np.allclose(
        metrics.average_precision(rel, 10, n_rel),
        _average_precision_parallel(qrels, runs, 10, 1),
        rtol=1e-12,
        atol=1e-15,
    )
    ours = median_time(ours_fn, 5)
    theirs = median_time(theirs_fn, 5)
    numba.set_num_threads(THREADS)
    return (
        "NDCG@10 + AP@10, 100k users x 100 items",
        "ranx kernels (_ndcg_parallel, _average_precision_parallel)",
        ours,
        theirs,
        "<= 1.0",
        1,
    )


def row_lambdarank_vs_bpr(small):
    R = small
    rng = np.random.default_rng(0)
    U = rng.normal(0, 0.1, (R.shape[0], 32))
    V = rng.normal(0, 0.1, (R.shape[1], 32))
    cands = sampling.sample_candidates(R, 100, seed=0)
    order = rng.permutation(R.shape[0])
    ours = median_time(
        lambda: lambdarank.lambdarank_epoch(
            U, V, cands, order, 0.01, 0.005
        ),
        5,
    )
    X = to_implicit(R, 1.0)

    def bpr_epoch():
        t = bpr.sample_triples(X, X.nnz, rng)
        bpr.sgd_epoch(U, V, t, 0.01, 0.005)

    theirs = median_time(bpr_epoch, 5)
    return (
        "LambdaRank-MF epoch, 943 users x 100 candidates, k=32",
        "one BPR epoch, same users (100k triples)",
        ours,
        theirs,
        "<= 3",
        1,
    )


def rows_live_widgets():
    """Each chapter's live Try it figure: one redraw in the kernel.

    What a control change costs before the front end draws: the chapter's
    compute function for the new setting (the fit) and the chart's spec
    (``tryit.LiveFigure``). Timed at the default setting and at the grid's
    costliest corner (every knob at its last value), after a first call that
    builds the chart's template, as the live widget does when shown. The
    browser's own redraw of the Vega-Lite figure is not included (the
    browser test reports it). Goals: 100 ms on toy data (Chapters 2 and
    6), 300 ms for the others.
    """
    import importlib
    import pkgutil

    from recsys_lessons import tryit

    numba.set_num_threads(THREADS)
    toy = {"als_toy", "metrics_order"}
    rows = []
    for info in sorted(
        pkgutil.iter_modules(tryit.__path__), key=lambda m: m.name
    ):
        module = importlib.import_module(
            f"recsys_lessons.tryit.{info.name}"
        )
        # A chapter figure is a module that defines TRY_IT; the others
        # (knob, figure, calls, live) are the figures' machinery.
        if not hasattr(module, "TRY_IT"):
            continue
        fig = module.TRY_IT
        live = tryit.LiveFigure(fig)
        default = fig.default
        # The costliest corner of the grid: every knob at its last value
        # (most factors, most iterations), or its first where the last is
        # the default.
        changed = {
            k.name: k.grid[-1] if k.grid[-1] != k.default else k.grid[0]
            for k in fig.knobs
        }
        budget = 0.1 if info.name in toy else 0.3
        chapter = fig.compute.__module__.rsplit(".", 1)[-1]
        for label, setting in (("default", default), ("largest", changed)):
            seconds = median_time(lambda s=setting, f=live: f(s), 5)
            rows.append(
                (
                    f"live Try it redraw in the kernel ({chapter}), "
                    f"{label} setting",
                    f"the {budget * 1000:.0f} ms budget",
                    seconds,
                    budget,
                    "<= 1.0",
                    THREADS,
                )
            )
    return rows


def row_grading():
    """``make grade`` on a class of 30 returned notebooks of assignment 2.

    Half are the teacher's copy, half the untouched student notebook: every
    hidden test runs (and fails, for the untouched ones) on each. One run,
    end to end (it is minutes of subprocesses, not a hot loop).
    """
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "tools/make_assignments.py",
                "2",
                "--out",
                str(tmp / "assignments"),
                "--student",
                str(tmp / "student"),
                "--course",
                str(tmp / "course"),
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        teacher = tmp / "assignments" / "solutions" / "02_als.ipynb"
        blank = tmp / "assignments" / "release" / "02_als.ipynb"
        for number in range(30):
            folder = tmp / "class" / f"student{number:02d}"
            folder.mkdir(parents=True)
            source = teacher if number % 2 else blank
            (folder / "02_als.ipynb").write_bytes(source.read_bytes())
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "tools/grade.py",
                str(tmp / "class"),
                "--course",
                str(tmp / "course"),
                "--assignments",
                str(tmp / "assignments"),
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
    return (
        "make grade, 30 notebooks of assignment 2 (a sandbox each)",
        "the 3-minute budget",
        seconds,
        180.0,
        "<= 1.0",
        THREADS,
    )


def main():
    import threadpoolctl

    blas = [
        f"{p['internal_api']} {p['num_threads']} thread(s)"
        for p in threadpoolctl.threadpool_info()
    ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, "
        f"numpy {np.__version__}, numba {numba.__version__}, "
        f"BLAS: {', '.join(blas)}"
    )
    small = synthetic_ratings(seed=0).ratings
    big = synthetic_ratings(
        6040, 3706, rank=8, density=1_000_000 / (6040 * 3706), seed=0
    ).ratings
    rows = []
    for make in (
        lambda: row_als_vs_implicit(big),
        lambda: row_implicit_als_vs_implicit(big),
        lambda: row_als_vs_reference(small),
        lambda: rows_als_end_to_end(small),
        lambda: row_bpr_vs_implicit(big),
        row_metrics_vs_ranx,
        lambda: row_lambdarank_vs_bpr(small),
        rows_live_widgets,
        row_grading,
    ):
        got = make()
        rows.extend(got if isinstance(got, list) else [got])
        print(".", end="", flush=True)
    print()
    header = (
        "| workload | reference | threads | ours (s) | reference (s) "
        "| ours / reference | goal |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|")
    for name, ref, ours, theirs, goal, threads in rows:
        ratio = "" if theirs is None else f"{ours / theirs:.3f}"
        theirs_s = "" if theirs is None else f"{theirs:.4f}"
        print(
            f"| {name} | {ref} | {threads} | {ours:.4f} | {theirs_s} "
            f"| {ratio} | {goal} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
