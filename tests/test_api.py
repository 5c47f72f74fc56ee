"""The package's calling conventions (issue #26) and its old names.

Every ``fit_*`` takes its data, size and strength by position and the rest
by keyword; ``k`` always counts factors in ``lambdarank`` (the NDCG cutoff
is ``cutoff``); renamed keywords and moved functions keep working for one
release with a ``FutureWarning`` and give the same result as the new ones.
"""

import importlib
import inspect
import pkgutil
import warnings

import numpy as np
import pytest

import recsys_lessons
from recsys_lessons import (
    als,
    bpr,
    evaluation,
    implicit_als,
    lambdarank,
    mf,
    sampling,
)
from recsys_lessons.baselines import fit_biases

# The leading positional parameters of each fit function; every other
# parameter must be keyword-only.
POSITIONAL = {
    "fit_als": ("R", "k", "lam"),
    "als_reference": ("R", "k", "lam"),
    "fit_als_on_residuals": ("R", "baseline", "k", "lam"),
    "fit_bpr": ("X", "k", "lam"),
    "fit_lambdarank": ("R", "k", "lam"),
    "fit_implicit_als": ("R", "k", "lam"),
    "implicit_als_reference": ("R", "k", "lam"),
    "fit_biases": ("R",),
    "truncated_svd": ("R", "k"),
}


def _package_functions():
    found = {}
    for info in pkgutil.walk_packages(
        recsys_lessons.__path__, "recsys_lessons."
    ):
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if inspect.isfunction(obj) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_fit_function_is_listed_and_keyword_only_after_its_data():
    funcs = _package_functions()
    fits = {
        key.rsplit(".", 1)[1]
        for key in funcs
        if key.rsplit(".", 1)[1].startswith("fit_")
    }
    assert fits <= set(POSITIONAL), f"unlisted fit functions: {fits}"
    checked = 0
    for key, func in funcs.items():
        name = key.rsplit(".", 1)[1]
        if name not in POSITIONAL:
            continue
        params = list(inspect.signature(func).parameters.values())
        lead = tuple(p.name for p in params[: len(POSITIONAL[name])])
        assert lead == POSITIONAL[name], key
        for p in params[len(lead) :]:
            assert p.kind is p.KEYWORD_ONLY, f"{key}: {p.name}"
        checked += 1
    assert checked == len(POSITIONAL)


def test_k_means_factors_and_the_cutoff_is_cutoff_in_lambdarank():
    for func in (
        lambdarank.delta_ndcg,
        lambdarank.lambda_gradients,
        lambdarank.lambdarank_epoch,
        lambdarank.lambdarank_epoch_reference,
        evaluation.heldout_ndcg,
    ):
        params = inspect.signature(func).parameters
        assert "cutoff" in params and "k" not in params, func.__name__
    fit = inspect.signature(lambdarank.fit_lambdarank).parameters
    assert "k" in fit and "cutoff" in fit and "truncation" not in fit


def test_a_fourth_positional_argument_is_refused():
    R = np.array([[5.0, 0, 1], [4, 1, 0]])
    with pytest.raises(TypeError, match="positional"):
        als.fit_als(R, 2, 0.1, 3)


@pytest.fixture
def R():
    rng = np.random.default_rng(3)
    M = rng.integers(1, 6, (9, 7)).astype(float)
    M[rng.random(M.shape) < 0.4] = 0.0
    return M


def _old_and_new(call, old, new, value):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = call(**{new: value})
    with pytest.warns(FutureWarning, match=f"{old}= is now {new}="):
        got = call(**{old: value})
    with pytest.raises(TypeError, match=f"both {new}= and its old name"):
        call(**{old: value, new: value})
    return expected, got


def _same(a, b):
    if hasattr(a, "U"):
        return np.array_equal(a.U, b.U) and np.array_equal(a.V, b.V)
    if isinstance(a, tuple):
        return all(_same(x, y) for x, y in zip(a, b))
    return np.array_equal(np.asarray(a), np.asarray(b))


def test_renamed_keywords_still_work_with_a_warning(R):
    U0, V0 = als.initial_factors(9, 7, 2, seed=1)
    cases = [
        (lambda **kw: als.fit_als(R, 2, 0.1, n_iters=2, **kw), "weighted"),
        (
            lambda **kw: als.als_reference(R, 2, 0.1, n_iters=2, **kw),
            "plain",
        ),
        (
            lambda **kw: als.fit_als_on_residuals(
                R, fit_biases(R), 2, 0.1, n_iters=2, **kw
            ),
            "plain",
        ),
        (lambda **kw: als.solve_factors(R, V0, 0.1, **kw), "plain"),
        (lambda **kw: mf.objective(R, U0, V0, 0.1, **kw), "weighted"),
        (
            lambda **kw: mf.regularization_weights(
                __import__("scipy.sparse").sparse.csr_matrix(R), **kw
            ),
            "weighted",
        ),
        (
            lambda **kw: implicit_als.fit_implicit_als(
                R, 2, 0.1, alpha=1.0, n_iters=1, seed=0, **kw
            ),
            "weighted",
        ),
        (
            lambda **kw: implicit_als.implicit_als_reference(
                R, 2, 0.1, alpha=1.0, n_iters=1, seed=0, **kw
            ),
            "weighted",
        ),
        (
            lambda **kw: implicit_als.implicit_objective(
                R, U0, V0, 0.1, 1.0, **kw
            ),
            "weighted",
        ),
    ]
    for call, value in cases:
        expected, got = _old_and_new(
            call, "regularization", "penalty", value
        )
        assert _same(expected, got)


def test_renamed_cutoffs_still_work_with_a_warning(R):
    s, y = np.array([0.3, 2.0, -1.0, 0.5]), np.array([2.0, 0.0, 1.0, 3.0])
    for func in (lambdarank.delta_ndcg, lambdarank.lambda_gradients):
        expected, got = _old_and_new(
            lambda f=func, **kw: f(s, y, **kw), "k", "cutoff", 2
        )
        assert _same(expected, got)
    cands = sampling.sample_candidates(R, 4, seed=0)
    for func in (
        lambdarank.lambdarank_epoch,
        lambdarank.lambdarank_epoch_reference,
    ):

        def epoch(f=func, **kw):
            U, V = als.initial_factors(9, 7, 2, seed=2)
            f(U, V, cands, np.arange(9), 0.05, 0.01, **kw)
            return U, V

        expected, got = _old_and_new(epoch, "k", "cutoff", 2)
        assert _same(expected, got)
    U, V = als.initial_factors(9, 7, 2, seed=2)
    train, test = np.where(R > 3, R, 0), np.where(R <= 3, R, 0)
    expected, got = _old_and_new(
        lambda **kw: evaluation.heldout_ndcg(U, V, test, train, **kw),
        "k",
        "cutoff",
        3,
    )
    assert expected == got
    expected, got = _old_and_new(
        lambda **kw: lambdarank.fit_lambdarank(
            R, 2, n_epochs=1, n_candidates=4, **kw
        ),
        "truncation",
        "cutoff",
        3,
    )
    assert _same(expected, got)


@pytest.mark.parametrize(
    "old, new",
    [
        ("lambdarank.sample_candidates", "sampling.sample_candidates"),
        ("lambdarank.heldout_ndcg", "evaluation.heldout_ndcg"),
        ("bpr.heldout_auc", "evaluation.heldout_auc"),
    ],
)
def test_moved_functions_are_found_at_their_old_place_with_a_warning(
    old, new
):
    modules = {"lambdarank": lambdarank, "bpr": bpr}
    new_mod = {"sampling": sampling, "evaluation": evaluation}
    old_mod, name = old.split(".")
    with pytest.warns(FutureWarning, match=f"recsys_lessons.{new}"):
        found = getattr(modules[old_mod], name)
    assert found is getattr(new_mod[new.split(".")[0]], name)
    assert name not in modules[old_mod].__all__
    with pytest.raises(AttributeError, match="no_such_name"):
        modules[old_mod].no_such_name  # noqa: B018


def test_result_attribute_regularization_is_now_penalty(R):
    fits = (
        als.fit_als(R, 2, 0.1, n_iters=1, penalty="plain"),
        implicit_als.fit_implicit_als(
            R, 2, 0.1, alpha=1.0, n_iters=1, penalty="weighted"
        ),
    )
    for fit in fits:
        with pytest.warns(FutureWarning, match="now penalty"):
            assert fit.regularization == fit.penalty
