"""A planted low-rank "genre" model of ratings (Chapter 1).

The generator is the book's laboratory: because the true factors are known,
a chapter can ask whether a fitted model recovered them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .._validation import (
    check_clip,
    check_float,
    check_index_pairs,
    check_int,
    check_rng,
)

__all__ = ["SyntheticRatings", "synthetic_ratings"]

# What the generator can finish in seconds to a minute and hold in memory:
# it draws one Gumbel key per (user, item) cell and keeps rank-sized
# factor matrices.
MAX_CELLS = 10**8
MAX_SIDE = 10**6
MAX_RANK = 1000
MAX_FACTOR_ENTRIES = 10**8


@dataclass(frozen=True)
class SyntheticRatings:
    """Ratings drawn by :func:`synthetic_ratings` and the truth behind them.

    Attributes
    ----------
    ratings : scipy.sparse.csr_matrix, shape (n_users, n_items)
        Observed integer ratings 1-5 (float64); absent entries are
        unobserved.
    user_factors : ndarray, shape (n_users, rank)
        Each user's taste for each genre (positive: likes it).
    item_factors : ndarray, shape (n_items, rank)
        Each item's genre mixture (non-negative, rows sum to one).
    item_genres : ndarray of int, shape (n_items,)
        The main genre of each item, ``argmax`` of its mixture.
    global_mean, user_bias, item_bias : float, ndarray, ndarray
        The additive terms of the mean rating.
    mean_ratings_scale : float
        The scale ``a`` applied to ``user_factors @ item_factors.T``.
    """

    ratings: sp.csr_matrix
    user_factors: np.ndarray
    item_factors: np.ndarray
    item_genres: np.ndarray
    global_mean: float
    user_bias: np.ndarray
    item_bias: np.ndarray
    mean_ratings_scale: float

    def expected_rating(self, rows, cols, clip=None):
        """Noise-free score ``mu + b_u + b_i + a * u_u . v_i``.

        The score is taken before rounding and clipping; ``clip=(low,
        high)`` (finite, low < high) clips it. ``rows`` and ``cols`` are
        integer arrays of equal length, in ``[0, n_users)`` and ``[0,
        n_items)``.
        """
        shape = (self.user_factors.shape[0], self.item_factors.shape[0])
        rows, cols = check_index_pairs(rows, cols, shape)
        clip = check_clip(clip)
        inner = np.einsum(
            "ij,ij->i", self.user_factors[rows], self.item_factors[cols]
        )
        score = (
            self.global_mean
            + self.user_bias[rows]
            + self.item_bias[cols]
            + self.mean_ratings_scale * inner
        )
        return score if clip is None else np.clip(score, *clip)


def synthetic_ratings(
    n_users=943,
    n_items=1682,
    rank=8,
    density=0.063,
    noise=0.5,
    seed=0,
    *,
    popularity_exponent=0.8,
    min_ratings_per_user=20,
    genre_concentration=0.15,
    selection_strength=1.0,
):
    r"""Draw a sparse rating matrix from a planted low-rank genre model.

    Each item ``i`` has a main genre ``g_i`` and a genre mixture
    ``v_i ~ Dirichlet(c + 5 e_{g_i})``; each user has tastes
    ``u_u ~ N(0, I_rank)``. The rating of an observed pair is

    .. math:: r_{ui} = \operatorname{clip}_{[1,5]}\operatorname{round}
              (\mu + b_u + b_i + a\, u_u^\top v_i + \varepsilon_{ui}),
              \qquad \varepsilon_{ui} \sim N(0, \text{noise}^2).

    Which pairs are observed follows a long tail: item ``i``'s popularity
    is proportional to ``rank_i ** -popularity_exponent`` (Zipf), user
    activity is log-normal with at least ``min_ratings_per_user`` ratings,
    and each user draws items without replacement in proportion to
    popularity (Gumbel-top-k sampling). Popular items get a slightly higher
    bias, as in real data.

    Parameters
    ----------
    n_users, n_items : int in [1, 10**6]
        Matrix shape, with ``n_users * n_items <= 10**8`` (a key is drawn
        for every cell). The defaults are MovieLens-100K's (943 x 1682).
    rank : int in [1, 1000]
        Number of planted genres (the true rank of the interaction term),
        with ``(n_users + n_items) * rank <= 10**8``.
    density : float in (0, 1]
        Fraction of observed entries (MovieLens-100K: 0.063).
    noise : float in [0, 100]
        Standard deviation of the Gaussian noise before rounding.
    seed : int, Generator or None
        Randomness; the same int always gives the same data.
    popularity_exponent : float in [0, 10]
        Zipf exponent of item popularity (0 gives uniform popularity).
    min_ratings_per_user : int in [1, n_items]
        Every user rates at least this many items (as in MovieLens).
    genre_concentration : float in (0, 10**6]
        Dirichlet concentration ``c`` off the main genre; small means
        items belong clearly to one genre.
    selection_strength : float in [0, 100]
        How much a user's taste drives *which* items they rate: the
        log-weight of item i for user u is its log-popularity plus
        ``selection_strength * a * u_u . v_i``. With 0 the observed pattern
        is independent of taste (missing at random); real users mostly rate
        what they chose to watch, i.e. what they expected to like.

    Returns
    -------
    SyntheticRatings

    Notes
    -----
    Defined in: Chapter 1.
    """
    n_users = check_int(n_users, "n_users", low=1, high=MAX_SIDE)
    n_items = check_int(n_items, "n_items", low=1, high=MAX_SIDE)
    if n_users * n_items > MAX_CELLS:
        raise ValueError(
            f"n_users * n_items must be <= {MAX_CELLS}, got "
            f"{n_users} * {n_items} = {n_users * n_items}"
        )
    rank = check_int(rank, "rank", low=1, high=MAX_RANK)
    if (n_users + n_items) * rank > MAX_FACTOR_ENTRIES:
        raise ValueError(
            f"(n_users + n_items) * rank must be <= {MAX_FACTOR_ENTRIES}, "
            f"got ({n_users} + {n_items}) * {rank}"
        )
    density = check_float(
        density, "density", low=0.0, high=1.0, low_open=True
    )
    # Bounded so that every intermediate stays finite (no silent NaN).
    noise = check_float(noise, "noise", low=0.0, high=100.0)
    popularity_exponent = check_float(
        popularity_exponent, "popularity_exponent", low=0.0, high=10.0
    )
    min_ratings_per_user = check_int(
        min_ratings_per_user, "min_ratings_per_user", low=1, high=n_items
    )
    genre_concentration = check_float(
        genre_concentration,
        "genre_concentration",
        low=0.0,
        high=1e6,
        low_open=True,
    )
    selection_strength = check_float(
        selection_strength, "selection_strength", low=0.0, high=100.0
    )
    rng = check_rng(seed)

    n_ratings = int(round(density * n_users * n_items))
    if n_ratings < n_users * min_ratings_per_user:
        raise ValueError(
            f"density={density} gives {n_ratings} ratings, fewer than "
            "n_users * min_ratings_per_user = "
            f"{n_users * min_ratings_per_user}; "
            "raise density or lower min_ratings_per_user"
        )

    genres = rng.integers(rank, size=n_items)
    alpha = np.full((n_items, rank), genre_concentration)
    alpha[np.arange(n_items), genres] += 5.0
    item_factors = rng.gamma(alpha)
    item_factors /= item_factors.sum(axis=1, keepdims=True)
    item_genres = item_factors.argmax(axis=1)
    user_factors = rng.standard_normal((n_users, rank))

    popularity_rank = rng.permutation(n_items) + 1
    log_pop = -popularity_exponent * np.log(popularity_rank)

    counts = _user_counts(
        rng, n_users, n_items, n_ratings, min_ratings_per_user
    )
    scale = 1.3
    rows, cols = _sample_pairs(
        rng,
        counts,
        log_pop,
        selection_strength * scale * user_factors,
        item_factors,
    )

    global_mean = 2.7
    user_bias = 0.35 * rng.standard_normal(n_users)
    z_pop = (log_pop - log_pop.mean()) / (log_pop.std() + 1e-12)
    item_bias = 0.4 * rng.standard_normal(n_items) + 0.15 * z_pop
    inner = np.einsum("ij,ij->i", user_factors[rows], item_factors[cols])
    score = global_mean + user_bias[rows] + item_bias[cols] + scale * inner
    score += noise * rng.standard_normal(rows.size)
    values = np.clip(np.rint(score), 1.0, 5.0)
    R = sp.csr_matrix((values, (rows, cols)), shape=(n_users, n_items))
    R.sort_indices()
    return SyntheticRatings(
        ratings=R,
        user_factors=user_factors,
        item_factors=item_factors,
        item_genres=item_genres,
        global_mean=global_mean,
        user_bias=user_bias,
        item_bias=item_bias,
        mean_ratings_scale=scale,
    )


def _user_counts(rng, n_users, n_items, n_ratings, minimum):
    """Log-normal activity per user.

    Each count is at least ``minimum``; the counts sum to ``n_ratings``.
    """
    # A user rates at most 45% of the items unless the density asks for
    # more: then the cap rises to what the total needs (at most n_items,
    # since n_ratings <= n_users * n_items), so the loop below can always
    # place the remainder.
    cap = max(minimum, int(0.45 * n_items), -(-n_ratings // n_users))
    cap = min(cap, n_items)
    extra = n_ratings - n_users * minimum
    weights = rng.lognormal(mean=0.0, sigma=0.9, size=n_users)
    counts = minimum + np.floor(extra * weights / weights.sum()).astype(
        np.int64
    )
    counts = np.minimum(counts, cap)
    # Hand the rounding remainder (and anything cut at n_items) to users
    # with room.
    missing = n_ratings - counts.sum()
    while missing > 0:
        room = np.flatnonzero(counts < cap)
        if room.size == 0:  # unreachable: cap * n_users >= n_ratings
            raise RuntimeError("no user has room for another rating")
        take = rng.choice(room, size=min(missing, room.size), replace=False)
        counts[take] += 1
        missing = n_ratings - counts.sum()
    return counts


def _sample_pairs(
    rng, counts, log_pop, taste_users, taste_items, chunk=512
):
    """Per user, ``counts[u]`` items without replacement.

    An item's weight is ~ popularity x exp(taste).

    Gumbel-top-k: adding Gumbel noise to log-weights and keeping the ``c``
    largest is an exact draw without replacement, and it vectorises.
    """
    n_users = counts.size
    n_items = log_pop.size
    # At most ~4M keys per block (32 MB per array) for very wide matrices;
    # the draws are sequential, so the block size does not change the data.
    chunk = max(1, min(chunk, 2**22 // n_items))
    rows, cols = [], []
    for start in range(0, n_users, chunk):
        stop = min(start + chunk, n_users)
        keys = (
            log_pop
            + taste_users[start:stop] @ taste_items.T
            + rng.gumbel(size=(stop - start, n_items))
        )
        order = np.argsort(-keys, axis=1, kind="stable")
        for r in range(stop - start):
            c = counts[start + r]
            cols.append(order[r, :c])
            rows.append(np.full(c, start + r, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(cols)
