"""The built book, served on 127.0.0.1, and a browser to read it with.

Shared by the browser tests (``test_book_browser.py``,
``test_accessibility.py``): make test runs each file whole on one worker,
and the book is built once per test run, whichever file asks first (a
file lock; the other waits, then reads the same build).
"""

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from cpu_targets import BOOK_CPU, CPU_VARIABLES
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
CHROMIUM = "/usr/bin/chromium"
CHAPTERS = sorted(
    p.stem for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb")
)
PAGES = [
    "book/preface",
    "book/notation",
    "book/errata",
    "book/exercises",
    "book/classroom",
    "book/references",
    "notebooks/00_tour",
    *[f"notebooks/{c}" for c in CHAPTERS],
]
# The student edition leaves out the teacher's page.
STUDENT_PAGES = [p for p in PAGES if p != "book/classroom"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _run_id():
    # pytest-xdist gives every worker of one run the same id; without it,
    # the one process is the run.
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"


def build_book():
    """``make book student``, once per test run.

    Executed afresh on another emulated processor (tests/cpu_targets.py),
    for test_executed_book_shows_the_stored_outputs. A later make book
    renders this cache instead of executing again.
    """
    BUILD.mkdir(exist_ok=True)
    stamp = BUILD / ".book-built-by"
    with open(BUILD / ".book-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text() == _run_id():
            return
        stamp.unlink(missing_ok=True)
        shutil.rmtree(CACHE, ignore_errors=True)
        env = {
            k: v for k, v in os.environ.items() if k not in CPU_VARIABLES
        }
        done = subprocess.run(
            ["make", "book", "student"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env | BOOK_CPU,
        )
        assert done.returncode == 0, (
            "make book student failed:\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
        stamp.write_text(_run_id())


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve():
    """``_build`` on 127.0.0.1; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(BUILD))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server():
    """The built book's base URL (import it into a test module)."""
    build_book()
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def outside(url):
    host = urlparse(url).hostname
    return host not in ("127.0.0.1", None) and urlparse(url).scheme in (
        "http",
        "https",
    )


def visit(browser, url, *, mode=None):
    """Open a page; return it with the problems seen while it loaded.

    ``mode``: ``"dark"`` or ``"light"``, the theme's colour mode chosen
    as a reader's switch stores it (default: the book's, light)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    if mode is not None:
        page.add_init_script(f"localStorage.setItem('mode', '{mode}');")
    problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and problems.append(f"console error: {m.text} at {m.location}")
        ),
    )
    page.on(
        "request",
        lambda r: (
            outside(r.url)
            and problems.append(f"request to another host: {r.url}")
        ),
    )
    page.on(
        "requestfailed",
        lambda r: (
            not outside(r.url)
            and problems.append(f"failed local request: {r.url}")
        ),
    )
    page.on(
        "response",
        lambda r: (
            not outside(r.url)
            and r.status >= 400
            and problems.append(f"HTTP {r.status} for {r.url}")
        ),
    )
    page.goto(url, wait_until="load")
    # Pages with math load MathJax (deferred, so it has started by "load");
    # wait until it has typeset everything.
    page.evaluate(
        "() => window.MathJax && MathJax.startup"
        " ? MathJax.startup.promise.then(() => true) : true"
    )
    if page.locator("div.vegalite-output").count():
        page.wait_for_selector(
            "div.vegalite-output[data-rendered]", timeout=10_000
        )
    return page, problems


def try_it_figures():
    # The chapter figures: tryit's modules that define TRY_IT.
    from tryit_support import chapter_figures

    return {fig.description: fig for fig in chapter_figures().values()}


def expected_caption_numbers(fig, setting):
    from recsys_lessons import tryit

    table = tryit.one_setting(fig, **setting)
    along = fig.along
    row = table.iloc[-1]
    if along is not None:
        row = table[table[along.name] == setting[along.name]].iloc[0]
    return [format(float(row[column]), fmt) for column, fmt in fig.readouts]
