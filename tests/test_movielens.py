"""The real load path: a data folder (no network) and downloads from a
local HTTP server.

``RECSYS_LESSONS_DATA`` names the folder holding the real
ml-latest-small.zip (CI sets it); without it the first test downloads the
zip from GroupLens into the user cache, as a reader's machine would.
"""

import hashlib
import http.server
import io
import os
import stat
import threading
import zipfile

import numpy as np
import pytest

from recsys_lessons.data import (
    DATA_ENV_VAR,
    DatasetUnavailableError,
    global_time_split,
    load_movielens,
    temporal_split,
)

LATEST_SHA256 = (
    "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436"
)


@pytest.fixture(scope="module")
def latest_small():
    return load_movielens("ml-latest-small")


def test_real_latest_small_matches_its_published_counts(latest_small):
    ml = latest_small
    assert ml.ratings.shape == (610, 9742)
    assert ml.ratings.nnz == 100_836
    assert hashlib.sha256(ml.path.read_bytes()).hexdigest() == LATEST_SHA256
    assert set(np.unique(ml.ratings.data)) == set(np.arange(1, 11) / 2)
    assert np.array_equal(ml.timestamps.indices, ml.ratings.indices)
    toy_story = ml.movie_index("Toy Story (1995)")
    assert ml.movie_ids[toy_story] == 1
    assert "Animation" in ml.genres[toy_story]
    # a few movies are listed but never rated: they are still columns
    assert (np.diff(ml.ratings.tocsc().indptr) == 0).sum() == 9742 - 9724
    train, test = temporal_split(ml.ratings, ml.timestamps, 0.2)
    assert train.nnz + test.nnz == ml.ratings.nnz
    # one cut-off for everyone: no training rating after a test rating
    train, test = global_time_split(ml.ratings, ml.timestamps, 0.2)
    assert test.nnz == round(0.2 * ml.ratings.nnz)
    assert train.nnz + test.nnz == ml.ratings.nnz
    T = ml.timestamps
    assert T[train.nonzero()].max() <= T[test.nonzero()].min()


def test_data_folder_is_used_read_only_without_network(
    latest_small, tmp_path, monkeypatch
):
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "ml-latest-small.zip").write_bytes(
        latest_small.path.read_bytes()
    )
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv(DATA_ENV_VAR, str(folder))
    # an unreachable mirror proves that nothing is downloaded
    ml = load_movielens(
        "ml-latest-small", url="http://127.0.0.1:9/none.zip"
    )
    assert ml.path == folder / "ml-latest-small.zip"
    assert sorted(os.listdir(folder)) == ["ml-latest-small.zip"]


def test_corrupt_zip_in_data_folder_is_refused(tmp_path, monkeypatch):
    (tmp_path / "ml-latest-small.zip").write_bytes(b"not the release")
    monkeypatch.setenv(DATA_ENV_VAR, str(tmp_path))
    with pytest.raises(ValueError, match="sha256"):
        load_movielens("ml-latest-small")


def test_missing_zip_in_data_folder_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_ENV_VAR, str(tmp_path))
    with pytest.raises(DatasetUnavailableError, match=DATA_ENV_VAR):
        load_movielens("ml-latest-small")


# ---- a local server with small zips in the real formats -----------------


def latest_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "ml-latest-small/ratings.csv",
            "userId,movieId,rating,timestamp\n"
            "1,10,4.0,100\n1,30,2.5,50\n7,10,5.0,70\n",
        )
        zf.writestr(
            "ml-latest-small/movies.csv",
            'movieId,title,genres\n10,"Heat, The (1995)",Action|Crime\n'
            "20,Nobody Rated (2000),(no genres listed)\n"
            "30,Toy Story (1995),Animation|Children\n",
        )
    return buf.getvalue()


def ml100k_zip():
    buf = io.BytesIO()
    flags = ["0"] * 19
    action = flags.copy()
    action[1] = "1"
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "ml-100k/u.data", "1\t2\t5\t881250949\n3\t1\t3\t891717742\n"
        )
        zf.writestr(
            "ml-100k/u.item",
            (
                "1|Toy Story (1995)|01-Jan-1995||http://x|"
                + "|".join(flags)
                + "\n"
                + "2|GoldenEye (1995)|01-Jan-1995||http://x|"
                + "|".join(action)
                + "\n"
            ).encode("latin-1"),
        )
    return buf.getvalue()


@pytest.fixture
def server():
    files = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield files, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "recsys_lessons"


def test_download_verifies_caches_and_reuses(server, cache):
    files, base = server
    body = latest_zip()
    files["/small.zip"] = body
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    ml = load_movielens(
        "ml-latest-small", url=base + "/small.zip", known_hash=digest
    )
    assert ml.path == cache / "ml-latest-small.zip"
    assert ml.ratings.shape == (2, 3)
    assert ml.ratings.toarray().tolist() == [
        [4.0, 0.0, 2.5],
        [5.0, 0.0, 0.0],
    ]
    assert ml.titles.tolist() == [
        "Heat, The (1995)",
        "Nobody Rated (2000)",
        "Toy Story (1995)",
    ]
    assert ml.genres == (("Action", "Crime"), (), ("Animation", "Children"))
    assert ml.user_ids.tolist() == [1, 7]
    del files["/small.zip"]  # a second load must come from the cache
    again = load_movielens(
        "ml-latest-small", url=base + "/small.zip", known_hash=digest
    )
    assert (again.ratings != ml.ratings).nnz == 0


def test_corrupt_download_is_refused_and_not_cached(server, cache):
    files, base = server
    files["/small.zip"] = latest_zip()[:-10] + b"0123456789"
    digest = "sha256:" + hashlib.sha256(latest_zip()).hexdigest()
    with pytest.raises(ValueError, match="(?i)hash"):
        load_movielens(
            "ml-latest-small", url=base + "/small.zip", known_hash=digest
        )
    assert not (cache / "ml-latest-small.zip").exists()


def test_offline_without_a_copy_says_which_variable_to_set(cache):
    with pytest.raises(DatasetUnavailableError, match=DATA_ENV_VAR):
        load_movielens(
            "ml-latest-small", url="http://127.0.0.1:9/ml-latest-small.zip"
        )


def test_ml100k_format(server, cache):
    files, base = server
    body = ml100k_zip()
    files["/100k.zip"] = body
    ml = load_movielens(
        "ml-100k",
        url=base + "/100k.zip",
        known_hash="md5:" + hashlib.md5(body).hexdigest(),
    )
    assert ml.ratings.toarray().tolist() == [[0.0, 5.0], [3.0, 0.0]]
    assert ml.genres == ((), ("Action",))
    assert ml.titles[1] == "GoldenEye (1995)"
