"""MovieLens: download (or find), verify and load (Part III).

Where the zip comes from, in order:

1. ``data_home`` argument, else the folder named by the environment
   variable ``RECSYS_LESSONS_DATA``: the zip must already be there
   (read-only is fine) and no network is touched.
2. Otherwise the user cache folder (``platformdirs.user_cache_dir``),
   filled by ``pooch`` from GroupLens on first use.

Either way the file's hash is checked against the one pinned here before a
byte of it is parsed.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._validation import check_choice

__all__ = [
    "load_movielens",
    "MovieLens",
    "DatasetUnavailableError",
    "DATA_ENV_VAR",
]

DATA_ENV_VAR = "RECSYS_LESSONS_DATA"

_SOURCES = {
    "ml-latest-small": (
        "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
        "sha256:696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
    ),
    "ml-100k": (
        "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
        "md5:0e33842e24a9c977be4e0107933c0723",
    ),
}

_ML100K_GENRES = (
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
)


class DatasetUnavailableError(OSError):
    """The data set is neither in the data folder nor downloadable."""


@dataclass(frozen=True)
class MovieLens:
    """A MovieLens release as matrices.

    Attributes
    ----------
    ratings : csr_matrix, shape (n_users, n_movies)
        Star ratings (0.5-5 for latest-small, 1-5 for 100k);
        absent = unrated.
    timestamps : csr_matrix
        Unix time of each rating, same pattern as ``ratings``.
    user_ids, movie_ids : ndarray of int
        The file's ids: row ``u`` is user ``user_ids[u]``, column ``i``
        movie ``movie_ids[i]``.
    titles : ndarray of str
        Title of each column.
    genres : tuple of tuple of str
        Genres of each column.
    name : str
    path : pathlib.Path
        The verified zip that was read.
    """

    ratings: sp.csr_matrix
    timestamps: sp.csr_matrix
    user_ids: np.ndarray
    movie_ids: np.ndarray
    titles: np.ndarray
    genres: tuple
    name: str
    path: Path

    def movie_index(self, title):
        """Column of the movie whose title is exactly ``title``."""
        if not isinstance(title, str):
            raise TypeError(
                f"title must be a str, got {type(title).__name__}"
            )
        hits = np.flatnonzero(self.titles == title)
        if hits.size == 0:
            raise ValueError(f"title {title!r} is not in {self.name}")
        return int(hits[0])


def load_movielens(
    name="ml-latest-small", *, data_home=None, url=None, known_hash=None
):
    """Load a MovieLens release, downloading and hash-checking it if needed.

    Parameters
    ----------
    name : {"ml-latest-small", "ml-100k"}
    data_home : str or Path, optional
        Folder that already holds ``<name>.zip``; overrides
        ``$RECSYS_LESSONS_DATA``. Nothing is downloaded when a folder is
        given.
    url, known_hash : str, optional
        A mirror to download from and its ``"sha256:..."``/``"md5:..."``
        hash (any letter case; no prefix means SHA-256), replacing the
        pinned GroupLens address and hash.

    Returns
    -------
    MovieLens
        Every movie of the release is a column, including movies nobody
        rated.

    Raises
    ------
    DatasetUnavailableError
        No copy in the data folder, or the download failed (for example
        offline); the message says which variable to set.
    ValueError
        The file's hash is not the pinned one (nothing is cached then), a
        malformed ``known_hash``, or a zip without the release's files,
        columns or numbers.

    Notes
    -----
    Defined in: Part III.
    """
    name = check_choice(name, "name", tuple(_SOURCES))
    default_url, default_hash = _SOURCES[name]
    if url is not None and not isinstance(url, str):
        raise TypeError(
            f"url must be None or a str, got {type(url).__name__}"
        )
    if data_home is not None and not isinstance(data_home, (str, Path)):
        raise TypeError(
            "data_home must be None, a str or a pathlib.Path, "
            f"got {type(data_home).__name__}"
        )
    url = default_url if url is None else url
    known_hash = _parse_hash(
        default_hash if known_hash is None else known_hash
    )
    path = _locate(name, url, known_hash, data_home)
    with zipfile.ZipFile(path) as zf:
        if name == "ml-100k":
            parts = _read_100k(zf)
        else:
            parts = _read_latest(zf, name)
    return _assemble(*parts, name=name, path=path)


_HEX_DIGITS = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}


def _parse_hash(known_hash):
    """``"alg:hex"`` in pooch's spelling (lower case) from any case.

    ``SHA256:ABC...`` and ``sha256:abc...`` name the same digest; a hash
    without an algorithm is taken as SHA-256, as pooch does.
    """
    if not isinstance(known_hash, str):
        raise TypeError(
            "known_hash must be None or a str such as 'sha256:<hex>', "
            f"got {type(known_hash).__name__}"
        )
    algorithm, sep, digest = known_hash.strip().rpartition(":")
    algorithm = (algorithm if sep else "sha256").lower()
    digest = digest.lower()
    if algorithm not in _HEX_DIGITS:
        raise ValueError(
            f"known_hash must start with one of "
            f"{[a + ':' for a in _HEX_DIGITS]}, got {known_hash!r}"
        )
    if len(digest) != _HEX_DIGITS[algorithm] or any(
        c not in "0123456789abcdef" for c in digest
    ):
        raise ValueError(
            f"known_hash: a {algorithm} digest is "
            f"{_HEX_DIGITS[algorithm]} hexadecimal digits, "
            f"got {digest!r}"
        )
    return f"{algorithm}:{digest}"


def _locate(name, url, known_hash, data_home):
    import pooch

    fname = f"{name}.zip"
    folder = (
        data_home
        if data_home is not None
        else os.environ.get(DATA_ENV_VAR) or None
    )
    if folder is not None:
        path = Path(folder) / fname
        if not path.is_file():
            source = "data_home" if data_home is not None else DATA_ENV_VAR
            raise DatasetUnavailableError(
                f"{fname} is not in the data folder {folder!s} "
                f"(from {source}); "
                f"put the zip there or unset {DATA_ENV_VAR} to download it"
            )
        algorithm, expected = known_hash.split(":", 1)
        actual = pooch.file_hash(str(path), alg=algorithm)
        if actual != expected:
            raise ValueError(
                f"{path} has {algorithm} {actual}, expected {expected}: "
                "the file is corrupt or not the published release"
            )
        return path

    import platformdirs
    import requests

    cache = Path(platformdirs.user_cache_dir("recsys_lessons"))
    try:
        got = pooch.retrieve(
            url,
            known_hash=known_hash,
            fname=fname,
            path=cache,
            progressbar=False,
        )
    except (requests.exceptions.RequestException, OSError) as exc:
        raise DatasetUnavailableError(
            f"could not download {name} from {url} "
            f"({exc.__class__.__name__}: {exc}). "
            f"Offline? Set {DATA_ENV_VAR} to a folder that holds {fname}, "
            "or pass data_home=..."
        ) from exc
    return Path(got)


def _member(zf, suffix):
    for info in zf.infolist():
        if info.filename.endswith(suffix):
            return zf.read(info)
    raise ValueError(
        f"{zf.filename} has no member ending in {suffix!r}: "
        "not a MovieLens zip"
    )


def _columns(table, columns, zf, member):
    """Refuse a table without the named columns or with missing cells."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{zf.filename}: {member} has no column {missing[0]!r} "
            f"(columns: {list(table.columns)}): not a MovieLens zip"
        )
    for c in columns:
        if table[c].isna().any():
            raise ValueError(
                f"{zf.filename}: {member} has an empty cell in column {c!r}"
            )


def _numbers(table, column, dtype, zf, member):
    try:
        values = table[column].to_numpy(dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(
            f"{zf.filename}: {member} column {column!r} holds a value "
            "that is not a number"
        ) from None
    if column == "rating" and not (
        np.all(np.isfinite(values)) and np.all(values > 0)
    ):
        raise ValueError(
            f"{zf.filename}: {member} has a rating that is not a "
            "positive finite number"
        )
    return values


def _read_latest(zf, name):
    ratings = pd.read_csv(io.BytesIO(_member(zf, "/ratings.csv")))
    movies = pd.read_csv(io.BytesIO(_member(zf, "/movies.csv")))
    _columns(
        ratings,
        ["userId", "movieId", "rating", "timestamp"],
        zf,
        "ratings.csv",
    )
    _columns(movies, ["movieId", "title"], zf, "movies.csv")
    if "genres" not in movies.columns:
        raise ValueError(
            f"{zf.filename}: movies.csv has no column 'genres': "
            "not a MovieLens zip"
        )
    genres = tuple(
        tuple() if g == "(no genres listed)" else tuple(g.split("|"))
        for g in movies["genres"].astype(str)
    )
    member = "ratings.csv"
    return (
        _numbers(ratings, "userId", np.int64, zf, member),
        _numbers(ratings, "movieId", np.int64, zf, member),
        _numbers(ratings, "rating", np.float64, zf, member),
        _numbers(ratings, "timestamp", np.int64, zf, member),
        _numbers(movies, "movieId", np.int64, zf, "movies.csv"),
        movies["title"].astype(str).to_numpy(),
        genres,
    )


def _read_100k(zf):
    ratings = pd.read_csv(
        io.BytesIO(_member(zf, "/u.data")),
        sep="\t",
        header=None,
        names=["user", "item", "rating", "timestamp"],
    )
    items = pd.read_csv(
        io.BytesIO(_member(zf, "/u.item")),
        sep="|",
        header=None,
        encoding="latin-1",
    )
    _columns(ratings, ["user", "item", "rating", "timestamp"], zf, "u.data")
    if items.shape[1] < 24:
        raise ValueError(
            f"{zf.filename}: u.item has {items.shape[1]} columns, "
            "expected 24 (id, title, dates, URL, 19 genre flags)"
        )
    flags = items.iloc[:, 5:24].to_numpy(dtype=bool)
    genres = tuple(
        tuple(g for g, f in zip(_ML100K_GENRES, row) if f) for row in flags
    )
    member = "u.data"
    return (
        _numbers(ratings, "user", np.int64, zf, member),
        _numbers(ratings, "item", np.int64, zf, member),
        _numbers(ratings, "rating", np.float64, zf, member),
        _numbers(ratings, "timestamp", np.int64, zf, member),
        items.iloc[:, 0].to_numpy(),
        items.iloc[:, 1].astype(str).to_numpy(),
        genres,
    )


def _assemble(
    users, movies, values, times, movie_ids, titles, genres, *, name, path
):
    user_ids, rows = np.unique(users, return_inverse=True)
    order = np.argsort(movie_ids, kind="stable")
    movie_ids = np.asarray(movie_ids)[order]
    titles = np.asarray(titles)[order]
    genres = tuple(genres[i] for i in order)
    cols = np.searchsorted(movie_ids, movies)
    if np.any(cols >= movie_ids.size) or np.any(
        movie_ids[np.minimum(cols, movie_ids.size - 1)] != movies
    ):
        raise ValueError(
            f"{path}: a rating names a movie id missing from the movie list"
        )
    shape = (user_ids.size, movie_ids.size)
    R = sp.csr_matrix((values, (rows, cols)), shape=shape)
    T = sp.csr_matrix((times.astype(np.float64), (rows, cols)), shape=shape)
    if R.nnz != values.size:
        raise ValueError(f"{path}: a (user, movie) pair is rated twice")
    R.sort_indices()
    T.sort_indices()
    return MovieLens(
        R, T, user_ids, movie_ids, titles, genres, name, Path(path)
    )
