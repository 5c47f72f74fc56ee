"""A Try it figure's readouts: their number format and their words.

A readout is a column of ``compute``'s table and a format. The explorer's
caption formats it with d3-format, the live version's readout and the
tests with Python's ``format``: :func:`check_format` admits only formats
that mean the same in both. :func:`spoken` names the column as the
readout sentence says it
(:meth:`~recsys_lessons.tryit.figure.TryIt.readout`).
"""

from __future__ import annotations

from .. import explorers

# Column words read as letters (and written upper-case) in a readout.
_ACRONYMS = {"rmse", "auc", "ndcg", "dcg", "idcg", "ap", "map"}


def spoken(column):
    """A column's name read aloud: "train_rmse" -> "train RMSE"."""
    return " ".join(
        w.upper() if w in _ACRONYMS else w for w in column.split("_")
    )


def check_format(fmt):
    """Refuse a readouts format unless d3-format and Python's ``format``
    both take it (``ValueError``, naming "a readouts format")."""
    # The caption shows it with d3-format, the tests with Python's format:
    # it must mean the same in both.
    explorers.check_d3_format(fmt, "a readouts format")
    try:
        format(1.5, fmt)
    except ValueError:
        raise ValueError(
            f"a readouts format must also be a Python format spec, "
            f"got {fmt!r}"
        ) from None
