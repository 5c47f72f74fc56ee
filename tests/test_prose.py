"""``prose.glue`` writes what MyST-NB's own ``glue`` writes.

MyST-NB (installed for the book build) is the oracle: both functions are
called with IPython's ``display`` captured, and their outputs compared.
"""

import numpy as np
import pytest

from recsys_lessons import prose


def captured(monkeypatch, module, attr, call):
    seen = []

    def fake(obj, **kw):
        seen.append((obj, kw))

    monkeypatch.setattr(module, attr, fake)
    call()
    return seen


@pytest.mark.parametrize(
    "value", [0.898877, 3, np.float64(0.125), np.int64(43141), -1e-7]
)
def test_glue_writes_myst_nbs_format(monkeypatch, capsys, value):
    import IPython.display
    import myst_nb.ext.glue as theirs

    ours = captured(
        monkeypatch,
        IPython.display,
        "display",
        lambda: prose.glue("ch00-x", value),
    )
    plain = value.item() if isinstance(value, np.generic) else value
    expected = captured(
        monkeypatch,
        theirs,
        "ipy_display",
        lambda: theirs.glue("ch00-x", plain, display=False),
    )
    assert ours == expected
    assert len(ours) == 1
    # and, for a reader of the notebook outside the book, the number
    assert capsys.readouterr().out == f"ch00-x = {plain!r}\n"


def test_glue_refuses_what_the_prose_cannot_format():
    for name, value, error, words in (
        (3, 1.0, TypeError, "name must be a str"),
        ("Ch02 RMSE", 1.0, ValueError, "name must be lower-case"),
        ("ch02-x", "0.5", TypeError, "value must be a real number"),
        ("ch02-x", True, TypeError, "value must be a real number"),
        ("ch02-x", float("nan"), ValueError, "value must be finite"),
        ("ch02-x", np.inf, ValueError, "value must be finite"),
    ):
        with pytest.raises(error, match=words):
            prose.glue(name, value)
