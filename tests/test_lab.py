"""``make lab``: a chapter in JupyterLab 4 with jupyterlab-myst, as a
student opens it (Debian's Chromium, no internet).

* The MyST markup renders (admonitions, ``{eq}`` references, citations),
  not as raw text.
* The stored explorer draws and moves with no kernel and no network.
* The live version, run in a kernel, redraws when an ipywidget moves, with
  the number the helper computes for that setting.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHAPTER = "02_als.ipynb"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / CHAPTER, root / CHAPTER)
    live = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "live",
                "metadata": {},
                "outputs": [],
                "source": "from recsys_lessons import widgets\n"
                "from recsys_lessons.tryit import als_toy\n"
                "widgets.live_explorer(als_toy.TRY_IT)",
            }
        ],
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "live.ipynb").write_text(json.dumps(live))
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".config")}
    proc = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--notebook-dir={root}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--allow-root",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield b
        b.close()


def open_notebook(browser, url, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside = []

    def watch(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https") and parsed.hostname not in (
            "127.0.0.1",
            None,
        ):
            outside.append(request.url)

    page.on("request", watch)
    # ?reset: a fresh workspace, with no tab left open by an earlier test
    page.goto(f"{url}/lab/tree/{name}?reset")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    return page, outside


def wait_for_idle_kernel(url, seconds=120):
    """Until the notebook's kernel has started and is idle (the REST API
    JupyterLab itself polls)."""
    for _ in range(seconds * 2):
        with urlopen(f"{url}/api/kernels", timeout=5) as response:
            kernels = json.load(response)
        if kernels and all(k["execution_state"] == "idle" for k in kernels):
            return
        time.sleep(0.5)
    pytest.fail(f"no idle kernel after {seconds} s: {kernels}")


CAPTION = """() => [...document.querySelectorAll(
  '.jp-RenderedVegaCommon5 g.caption_marks text')]
  .map(t => t.textContent)"""


def test_chapter_renders_myst_and_its_explorer_without_kernel(lab, browser):
    page, outside = open_notebook(browser, lab, CHAPTER)
    try:
        page.wait_for_selector(
            ".jp-RenderedVegaCommon5 g.caption_marks text", timeout=60_000
        )
        # jupyterlab-myst: admonitions are drawn, no raw directive is left
        page.wait_for_selector(".jp-MarkdownCell aside, .admonition")
        text = page.inner_text(".jp-Notebook")
        for raw in (":::{", "{eq}`", "{cite:p}`", "(ch-als)="):
            assert raw not in text, f"raw MyST markup {raw!r} shown"
        before = page.evaluate(CAPTION)
        assert before and "k = 2" in before[0]
        k = page.locator('.jp-RenderedVegaCommon5 input[name="ctl_k"]')
        k.fill("4")
        page.wait_for_function(
            "() => [...document.querySelectorAll("
            "'.jp-RenderedVegaCommon5 g.caption_marks text')]"
            ".some(t => t.textContent.includes('k = 4'))",
            timeout=10_000,
        )
        assert outside == [], outside
    finally:
        page.close()


def test_live_version_redraws_with_the_helpers_number(lab, browser):
    from recsys_lessons import tryit
    from recsys_lessons.tryit import als_toy

    page, outside = open_notebook(browser, lab, "live.ipynb")
    try:
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator", timeout=60_000
        )
        wait_for_idle_kernel(lab)
        # The notebook's own session shows its kernel idle in the status
        # bar once it is connected; a cell run before that is dropped.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-StatusBar-Widget')]"
            ".some(e => e.innerText.includes('| Idle'))",
            timeout=120_000,
        )
        cell = page.locator(".jp-CodeCell .cm-content").filter(visible=True)
        cell.first.click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_selector(
                ".jp-RenderedVegaCommon5 g.caption_marks text",
                # A fresh environment compiles the package's numba
                # kernels on this first run.
                timeout=300_000,
            )
        except Exception:
            shots = ROOT / "_build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "lab_live_failed.png"))
            raise
        readout = page.locator(".widget-readout").first
        readout.wait_for(timeout=60_000)
        # The first control is k: type a new value into its readout.
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("4")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll("
            "'.jp-RenderedVegaCommon5 g.caption_marks text')]"
            ".some(t => t.textContent.includes('k = 4'))",
            timeout=60_000,
        )
        caption = " ".join(page.evaluate(CAPTION))
        setting = {**als_toy.TRY_IT.default, "k": 4}
        rmse = tryit.one_setting(als_toy.TRY_IT, **setting).iloc[-1][
            "train_rmse"
        ]
        assert f"train RMSE {rmse:.3f}" in caption, caption
        # By keyboard alone: the k slider's handle takes the focus, an
        # arrow key moves it, and the live region (role status) says the
        # new setting with the helper's number.
        status = page.locator(
            ".jp-OutputArea [role=status][aria-live=polite]"
        ).first
        assert f"train RMSE {rmse:.3f}" in status.inner_text()
        handle = page.locator(".widget-slider [role=slider]").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=status]')]"
            ".some(e => e.textContent.startsWith('k = 5,'))",
            timeout=60_000,
        )
        setting["k"] = 5
        rmse = tryit.one_setting(als_toy.TRY_IT, **setting).iloc[-1][
            "train_rmse"
        ]
        assert f"train RMSE {rmse:.3f}" in status.inner_text()
        assert outside == [], outside
    finally:
        page.close()
