from tqdm.auto import tqdm

from recsys_lessons.progress import QUIET_ENV_VAR, progress


def test_quiet_returns_the_iterable_itself(monkeypatch):
    monkeypatch.setenv(QUIET_ENV_VAR, "1")
    items = [1, 2, 3]
    assert progress(items, "x") is items


def test_interactive_wraps_in_a_progress_bar(monkeypatch):
    monkeypatch.delenv(QUIET_ENV_VAR, raising=False)
    bar = progress(range(3), "x")
    assert isinstance(bar, tqdm) and list(bar) == [0, 1, 2]
