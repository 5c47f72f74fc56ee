"""Every public callable refuses bad input by name, never hangs or crashes,
and never changes its arguments (issue #16).

The table, the bad inputs and the worker live in ``hardening_battery.py``.
Cases run one by one in two long-lived worker processes forked from a
server that imported the package once; a worker whose case hangs past
its deadline or crashes (a segmentation fault included) is killed and
replaced, and that case fails.

To see one case's call and outcome in this process (a reproduction):
``python tests/hardening_battery.py 'mf.predict|rows|negative'``. With
``HARDENING_DUMP=file.json`` the test writes every case's outcome there.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import Counter

import hardening_battery as hb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recsys_lessons import metrics

N_WORKERS = 2
# Seconds per case. A call takes milliseconds, but one that meets a new
# argument type compiles a kernel specialization first (seconds on a busy
# machine); a hang is still caught, it only takes longer to report.
DEADLINE = 30.0
FIRST_DEADLINE = 120.0  # a fresh worker's first case may compile kernels


def _start(ctx):
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=hb.worker, args=(child,), daemon=True)
    proc.start()
    child.close()
    return proc, parent


def _stop(proc, conn):
    conn.close()
    proc.join(2)
    if proc.is_alive():
        proc.kill()
        proc.join()


def run_battery(cases, n_workers=N_WORKERS):
    """``{case: (ok, what happened)}``, running cases on a worker pool."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["hardening_battery"])
    todo = queue.Queue()
    for case in cases:
        todo.put(case)
    results = {}
    seconds = {}
    restarts = Counter()

    def slot():
        proc = conn = None
        fresh = True
        while True:
            try:
                case = todo.get_nowait()
            except queue.Empty:
                break
            if proc is None:
                proc, conn = _start(ctx)
                fresh = True
            limit = FIRST_DEADLINE if fresh else DEADLINE
            fresh = False
            conn.send(case)
            began = time.perf_counter()
            if conn.poll(limit):
                try:
                    _, ok, what = conn.recv()
                    results[case] = (ok, what)
                    seconds[case] = time.perf_counter() - began
                    continue
                except (EOFError, OSError):
                    proc.join(2)
                    results[case] = (
                        False,
                        f"worker crashed (exit code {proc.exitcode})",
                    )
                    restarts["crash"] += 1
            else:
                results[case] = (False, f"hang: no answer in {limit:.0f} s")
                restarts["hang"] += 1
            _stop(proc, conn)
            proc = conn = None
        if proc is not None:
            _stop(proc, conn)

    threads = [threading.Thread(target=slot) for _ in range(n_workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, restarts, seconds


@pytest.fixture(scope="module")
def battery():
    callables = hb.public_callables()
    cases = hb.all_cases(callables)
    start = time.perf_counter()
    results, restarts, seconds = run_battery(cases)
    total = time.perf_counter() - start
    by_callable = Counter()
    for case, t in seconds.items():
        by_callable[case.split("|")[0]] += t
    slowest = ", ".join(
        f"{k} {t:.1f} s" for k, t in by_callable.most_common(5)
    )
    print(
        f"\nhardening battery: {len(cases)} cases over "
        f"{sum(1 for c in cases if c.endswith('|valid'))} callables in "
        f"{total:.1f} s; workers replaced: {dict(restarts) or 'none'}; "
        f"slowest: {slowest}"
    )
    dump = os.environ.get("HARDENING_DUMP")
    if dump:  # for maintainers: every case's outcome as JSON
        with open(dump, "w") as f:
            json.dump(results, f, indent=0, sort_keys=True)
    return results


def _report(results, select):
    failed = {
        c: what for c, (ok, what) in results.items() if select(c) and not ok
    }
    lines = [f"{len(failed)} failing case(s):"] if failed else []
    lines += [f"  {c}: {w}" for c, w in sorted(failed.items())]
    return "\n".join(lines)


# -- the table covers the package


def test_every_public_callable_and_parameter_has_a_table_entry():
    callables = hb.public_callables()
    missing = sorted(set(callables) - set(hb.TABLE))
    stale = sorted(set(hb.TABLE) - set(callables))
    assert not missing, f"public callables without a TABLE entry: {missing}"
    assert not stale, f"TABLE entries for no public callable: {stale}"
    problems = []
    for key, entry in hb.TABLE.items():
        if entry.exempt:
            continue
        known = hb.resolve_params(key, callables[key])
        sig = hb.parameters(callables[key])
        covered = set(known.values())
        problems += [
            f"{key}: parameter {p!r} has no kind"
            for p in sig
            if p not in covered
        ]
        problems += [
            f"{key}: table names {p!r}, not a parameter"
            for p in entry.kinds
            if p not in known
        ]
        problems += [
            f"{key}: unknown kind {kind!r}"
            for kind in entry.kinds.values()
            if kind is not None and kind not in hb.KINDS
        ]
    assert not problems, "\n".join(problems)


# -- the battery


def test_valid_calls_run(battery):
    report = _report(battery, lambda c: c.endswith("|valid"))
    assert not report, report


def test_bad_inputs_are_refused_by_name(battery):
    report = _report(
        battery,
        lambda c: (
            not c.endswith(("|valid", "|no_mutation_dense"))
            and not c.endswith("|no_mutation_sparse")
        ),
    )
    assert not report, report


def test_no_public_function_changes_its_arguments(battery):
    report = _report(
        battery,
        lambda c: c.endswith(("|no_mutation_dense", "|no_mutation_sparse")),
    )
    assert not report, report


# -- metric properties (hypothesis)

label_lists = st.lists(
    st.lists(st.integers(0, 4), min_size=1, max_size=12),
    min_size=1,
    max_size=5,
).map(
    lambda rows: np.array(
        [r + [0] * (max(map(len, rows)) - len(r)) for r in rows], float
    )
)
cutoffs = st.integers(1, 15)
RANKED_METRICS = {
    "dcg_normalised": lambda rel, k: metrics.ndcg_at_k(rel, k),
    "ndcg_linear": lambda rel, k: metrics.ndcg_at_k(rel, k, "linear"),
    "average_precision": lambda rel, k: metrics.average_precision(rel, k),
    "map": lambda rel, k: np.array([metrics.map_at_k(rel, k)]),
    "precision": lambda rel, k: metrics.precision_at_k(rel, k),
    "recall": lambda rel, k: metrics.recall_at_k(rel, k),
    "hit_rate": lambda rel, k: metrics.hit_rate_at_k(rel, k),
}


@settings(max_examples=60, deadline=None)
@given(label_lists, cutoffs, st.sampled_from(sorted(RANKED_METRICS)))
def test_ranked_metrics_are_finite_and_in_unit_interval(rel, k, name):
    value = np.asarray(RANKED_METRICS[name](rel, k), dtype=float)
    assert np.all(np.isfinite(value)), (name, rel, k, value)
    assert np.all((value >= 0) & (value <= 1 + 1e-12)), (name, value)


@settings(max_examples=40, deadline=None)
@given(
    label_lists,
    cutoffs,
    st.sampled_from(sorted(RANKED_METRICS)),
    st.sampled_from(["nan", "inf", "negative", "complex", "string"]),
)
def test_ranked_metrics_refuse_invalid_labels_by_name(rel, k, name, how):
    bad = rel.astype(object if how == "string" else float)
    if how == "nan":
        bad[0, 0] = np.nan
    elif how == "inf":
        bad[0, 0] = np.inf
    elif how == "negative":
        bad[0, 0] = -1.0
    elif how == "complex":
        bad = bad + 1j
    else:
        bad = bad.astype(str)
    with pytest.raises((TypeError, ValueError), match="ranked_relevance"):
        RANKED_METRICS[name](bad, k)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(2, 8),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1.0, 1e-6, 2.0**53, 1e300]),
)
def test_auc_is_finite_and_in_unit_interval(n_users, n_items, seed, scale):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n_users, n_items)) * scale
    positives = rng.random((n_users, n_items)) < 0.3
    positives[0, 0], positives[0, 1] = True, False
    exclude = (rng.random((n_users, n_items)) < 0.2) & ~positives
    exclude[0, 1] = False
    for ex in (None, exclude):
        value = metrics.auc(scores, positives, ex)
        assert np.isfinite(value) and 0.0 <= value <= 1.0, (scale, value)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(1, 10),
    st.integers(0, 2**32 - 1),
)
def test_catalogue_coverage_is_in_unit_interval(n_users, k, n_items, seed):
    rng = np.random.default_rng(seed)
    rec = rng.integers(-1, n_items, size=(n_users, k))
    value = metrics.catalogue_coverage(rec, n_items)
    assert np.isfinite(value) and 0.0 <= value <= 1.0


@pytest.mark.parametrize(
    "bad,words",
    [
        (np.array([[0, -2]]), "recommended"),
        (np.array([[0.5, 1.0]]), "recommended"),
        (np.array([[0, 99]]), "recommended"),
    ],
)
def test_catalogue_coverage_refuses_invalid_items_by_name(bad, words):
    with pytest.raises((TypeError, ValueError), match=words):
        metrics.catalogue_coverage(bad, 5)


def test_truncated_svd_handles_implicit_data():
    # Issue #16, item 4: centring 0/1 data makes the matrix all zeros and
    # ARPACK used to fail once min(m, n) > 400; valid input must work.
    import scipy.sparse as sp

    from recsys_lessons import svd

    model = svd.truncated_svd(sp.identity(500, format="csr") * 3, 5)
    assert np.all(np.isfinite(model.reconstruct()))
