"""Spark's ALS and RankingMetrics against the book's code (Chapter 8).

Spark's ``ALS`` (``pyspark.ml.recommendation``) alternates items first,
then users, and solves each factor's normal equations with the penalty
``regParam`` times the number of its ratings (``ALS.scala``:
``solve(ls, numExplicits * regParam)``), in double precision from float32
factors, then stores float32. So its user factors are one weighted
half-step (ALS-WR, Chapter 2) from its own item factors:
``als.solve_factors(R, V_spark, lam, penalty="weighted")`` gives them
back to float32 precision. In implicit mode (``implicitPrefs=True``) the
same holds for Hu-Koren-Volinsky ALS with the *weighted* penalty
(``fit_implicit_als(..., penalty="weighted")``).

``pyspark.mllib.evaluation.RankingMetrics`` is checked on hand examples
against ``recsys_lessons.metrics`` with its conventions (binary relevance,
AP divided by min(|relevant|, k), users with no relevant item count as 0);
PySpark drops a third column of relevance values, so its NDCG is binary.

Spark runs in local mode on two cores; the JVM's standard error (its
log, errors only, per notebooks/spark-conf/log4j2.properties) goes to a
file in the temporary folder, not to the test output.
"""

import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recsys_lessons import als, metrics
from recsys_lessons import implicit_als as ia
from recsys_lessons.data import (
    load_movielens,
    synthetic_ratings,
    train_test_split,
)

ROOT = Path(__file__).resolve().parents[1]
EPS32 = np.finfo(np.float32).eps


@pytest.fixture(scope="module")
def spark():
    os.environ["SPARK_CONF_DIR"] = str(ROOT / "notebooks" / "spark-conf")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    warnings.filterwarnings(
        "ignore", "PySpark does not yet fully support", FutureWarning
    )
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("recsys-lessons-tests")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.default.parallelism", "2")
    )
    log = Path(tempfile.gettempdir()) / "recsys-lessons-spark-tests.log"
    with open(log, "ab") as err:
        gateway = launch_gateway(conf, popen_kwargs={"stderr": err})
    sc = SparkContext(conf=conf, gateway=gateway)
    session = SparkSession(sc)
    yield session
    session.stop()


def to_frame(spark, R):
    """The stored entries of sparse R as a (user, item, rating) frame."""
    R = sp.csr_matrix(R)
    rows = np.repeat(np.arange(R.shape[0]), np.diff(R.indptr))
    triples = zip(rows.tolist(), R.indices.tolist(), R.data.tolist())
    return spark.createDataFrame(list(triples), ["user", "item", "rating"])


def factors(frame, n, k):
    """Spark's factor table as an (n, k) array; absent ids get zeros."""
    F = np.zeros((n, k))
    for row in frame.collect():
        F[row.id] = row.features
    return F


def fit_spark(spark, R, k, lam, n_iters, **extra):
    from pyspark.ml.recommendation import ALS

    model = ALS(
        rank=k,
        maxIter=n_iters,
        regParam=lam,
        userCol="user",
        itemCol="item",
        ratingCol="rating",
        numUserBlocks=2,
        numItemBlocks=2,
        seed=0,
        **extra,
    ).fit(to_frame(spark, R))
    m, n = R.shape
    return factors(model.userFactors, m, k), factors(
        model.itemFactors, n, k
    )


def float32_close(got, spark_factors):
    """|got - spark| within a few float32 roundings of the factors."""
    scale = np.abs(spark_factors).max()
    return np.abs(got - spark_factors).max() <= 8 * EPS32 * scale


@pytest.fixture(scope="module")
def movielens_train():
    R = load_movielens("ml-latest-small").ratings
    return train_test_split(R, 0.2, seed=0)[0]


def test_spark_user_factors_are_one_weighted_half_step_synthetic(spark):
    R = synthetic_ratings(
        n_users=80,
        n_items=50,
        rank=3,
        density=0.3,
        min_ratings_per_user=5,
        seed=4,
    ).ratings
    for n_iters in (1, 4):
        U, V = fit_spark(spark, R, 4, 0.1, n_iters)
        assert float32_close(
            als.solve_factors(R, V, 0.1, penalty="weighted"), U
        )
        # the plain penalty is another update
        plain = als.solve_factors(R, V, 0.1, penalty="plain")
        assert np.abs(plain - U).max() > 1e-3
    # items first: after one iteration V was solved from the random start,
    # not from the final U
    U, V = fit_spark(spark, R, 4, 0.1, 1)
    back = als.solve_factors(R.T.tocsr(), U, 0.1, penalty="weighted")
    assert np.abs(back - V).max() > 1e-3


def test_spark_user_factors_are_one_weighted_half_step_movielens(
    spark, movielens_train
):
    R = movielens_train
    U, V = fit_spark(spark, R, 10, 0.1, 5)
    assert float32_close(
        als.solve_factors(R, V, 0.1, penalty="weighted"), U
    )
    # movies without a training rating have no Spark factor (zeros here)
    unseen = np.bincount(R.indices, minlength=R.shape[1]) == 0
    assert unseen.any() and np.all(V[unseen] == 0)


def test_spark_implicit_factors_are_one_weighted_hkv_half_step(spark):
    rng = np.random.default_rng(5)
    counts = np.where(
        rng.random((70, 45)) < 0.15, rng.integers(1, 6, (70, 45)), 0
    ).astype(float)
    counts[0, 0] = 2.0
    R = sp.csr_matrix(counts)
    k, lam, alpha = 4, 0.05, 3.0
    U, V = fit_spark(spark, R, k, lam, 3, implicitPrefs=True, alpha=alpha)
    start = (np.zeros_like(U), V)

    def user_step(regularization):
        # the user half-step of one sweep from V (callback at t = 1)
        seen = []
        ia.fit_implicit_als(
            R,
            k,
            lam,
            alpha=alpha,
            n_iters=1,
            init=start,
            penalty=regularization,
            callback=lambda t, U1, V1: seen.append(U1),
        )
        return seen[0]

    assert float32_close(user_step("weighted"), U)
    assert np.abs(user_step("plain") - U).max() > 1e-3


# Three users, items 0..9: a ranked top 5 and the set of relevant items.
HAND = [
    ([1, 6, 2, 7, 8], [1, 2, 3, 4, 5, 9]),  # more relevant than k
    ([4, 1, 5, 6, 2], [1, 2]),
    ([0, 3, 5, 7, 9], []),  # nothing relevant
]


def book_relevance():
    """HAND as the book's ranked binary relevance and relevant counts."""
    rel = np.array(
        [[float(i in set(lab)) for i in pred] for pred, lab in HAND]
    )
    return rel, np.array([len(lab) for _, lab in HAND])


def test_ranking_metrics_conventions_on_a_hand_example(spark):
    from pyspark.mllib.evaluation import RankingMetrics

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = RankingMetrics(spark.sparkContext.parallelize(HAND))
        rel, n_rel = book_relevance()
        # k = 10 asks for more than the five items each list holds:
        # neither library shortens k to the list's length
        for k in (1, 3, 5, 10):
            # AP divided by min(|relevant|, k); a user with nothing
            # relevant scores 0 and counts in the mean
            assert np.isclose(
                theirs.meanAveragePrecisionAt(k),
                metrics.map_at_k(rel, k, n_rel, denominator="min_k"),
            )
            assert np.isclose(
                theirs.ndcgAt(k),
                np.mean(
                    metrics.ndcg_at_k(
                        rel,
                        k,
                        gain="linear",
                        ideal_relevance=np.array(
                            [[1.0] * 6, [1.0] * 2 + [0] * 4, [0.0] * 6]
                        ),
                    )
                ),
            )
            assert np.isclose(
                theirs.precisionAt(k),
                np.mean(metrics.precision_at_k(rel, k)),
            )
            assert np.isclose(
                theirs.recallAt(k),
                np.mean(metrics.recall_at_k(rel, k, n_rel)),
            )
        # the book's AP (divided by all relevant items) differs for the
        # user with more relevant items than k
        assert not np.isclose(
            theirs.meanAveragePrecisionAt(5),
            metrics.map_at_k(rel, 5, n_rel, denominator="all"),
        )
        # relevance values in a third column are dropped by PySpark: the
        # NDCG stays binary
        graded = RankingMetrics(
            spark.sparkContext.parallelize(
                [([1, 2, 3], [3, 1], [2.0, 1.0])]
            )
        )
        binary = metrics.ndcg_at_k([1.0, 0.0, 1.0], 3, gain="linear")
        assert np.isclose(graded.ndcgAt(3), binary)
        exponential = metrics.ndcg_at_k([1.0, 0.0, 2.0], 3)
        assert not np.isclose(graded.ndcgAt(3), exponential)
