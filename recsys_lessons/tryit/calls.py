"""The Try it calls a chapter makes: :class:`TryIt`'s methods as functions.

``tryit.explore(als_toy.TRY_IT, table)`` is ``als_toy.TRY_IT.explore(
table)``: :func:`grid_table`, :func:`one_setting`, :func:`explore` and
:func:`single` check that their first argument is a
:class:`~recsys_lessons.tryit.figure.TryIt` and call its method of the
same name.
"""

from __future__ import annotations

from .figure import _as_tryit

__all__ = ["grid_table", "one_setting", "explore", "single"]


def grid_table(tryit):
    """Every setting of a figure's grids, as one long table.

    ``tryit.grid_table()`` (:meth:`TryIt.grid_table`), in the form the
    chapters call.

    Parameters
    ----------
    tryit : TryIt

    Returns
    -------
    pandas.DataFrame
        One column per knob, then ``compute``'s columns.
        ``attrs["seconds"]``: the time the fits took.

    Raises
    ------
    TypeError
        If ``tryit`` is not a :class:`TryIt` (or as
        :meth:`TryIt.grid_table`).
    ValueError
        As :meth:`TryIt.grid_table`.

    Notes
    -----
    Defined in: Chapter 2. Every chapter's Try it section calls it
    (Chapters 1-6).

    Examples
    --------
    >>> import pandas as pd
    >>> from recsys_lessons import explorers
    >>> from recsys_lessons.tryit import Knob, TryIt
    >>> fig = TryIt(
    ...     lambda iterations: pd.DataFrame(
    ...         {"iterations": range(iterations + 1)}
    ...     ).assign(y=lambda d: 0.5**d.iterations),
    ...     [Knob("iterations", "iterations", (1, 2, 4), 4, "t")],
    ...     lambda c: [explorers.caption_panel(list(c.values()), "1")],
    ...     "y halves at each iteration",
    ... )
    >>> grid_table(fig)
       iterations       y
    0           1  0.5000
    1           2  0.2500
    2           4  0.0625
    """
    return _as_tryit(tryit).grid_table()


def one_setting(tryit, **setting):
    """``compute`` of a figure for one setting (the live version's data).

    ``tryit.one_setting(**setting)`` (:meth:`TryIt.one_setting`).

    Parameters
    ----------
    tryit : TryIt
    **setting
        Knob name -> value, exactly the knobs; values need not be on the
        grid.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    TypeError
        If ``tryit`` is not a :class:`TryIt` (or as
        :meth:`TryIt.one_setting`).
    ValueError
        As :meth:`TryIt.one_setting`.

    Notes
    -----
    Used by: every Try it figure (not called in a chapter).

    Examples
    --------
    >>> from recsys_lessons.tryit import metrics_order
    >>> table = one_setting(metrics_order.TRY_IT, order=0, k=3)
    >>> table[["dcg", "ndcg"]].round(4)
           dcg    ndcg
    0  12.3928  0.9595
    """
    return _as_tryit(tryit).one_setting(**setting)


def explore(tryit, table=None, *, caption=None, name=None):
    """The kernel-free explorer of a Try it figure.

    ``tryit.explore(table, caption=..., name=...)``
    (:meth:`TryIt.explore`), in the form the chapters call.

    Parameters
    ----------
    tryit : TryIt
    table : pandas.DataFrame, optional
        :func:`grid_table`'s result, when already computed.
    caption, name : str, optional
        Both or neither: the book shows the explorer as a numbered
        figure with this caption, which ``{numref}`` cites by ``name``
        (as :func:`recsys_lessons.figures.show`).

    Returns
    -------
    recsys_lessons.explorers.Explorer

    Raises
    ------
    TypeError
        If ``tryit`` is not a :class:`TryIt` (or as
        :meth:`TryIt.explore`).
    ValueError
        As :meth:`TryIt.explore`.

    Notes
    -----
    Defined in: Chapter 2. Every chapter's Try it section calls it
    (Chapters 1-6).

    Examples
    --------
    >>> import pandas as pd
    >>> from recsys_lessons import explorers
    >>> from recsys_lessons.tryit import Knob, TryIt
    >>> fig = TryIt(
    ...     lambda iterations: pd.DataFrame(
    ...         {"iterations": range(iterations + 1)}
    ...     ).assign(y=lambda d: 0.5**d.iterations),
    ...     [Knob("iterations", "iterations", (1, 2, 4), 4, "t")],
    ...     lambda c: [explorers.caption_panel(list(c.values()), "1")],
    ...     "y halves at each iteration",
    ... )
    >>> table = grid_table(fig)
    >>> explore(fig, table).spec["description"]
    'y halves at each iteration'
    >>> shown = explore(fig, table, caption="y halves.", name="fig-y")
    >>> {k: shown.spec["usermeta"][k] for k in ("caption", "name")}
    {'caption': 'y halves.', 'name': 'fig-y'}
    >>> explore(fig, table, caption="y halves.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: caption and name go together: give both ... or neither
    """
    return _as_tryit(tryit).explore(table, caption=caption, name=name)


def single(tryit, table, setting):
    """A figure's panels for one setting's table (the live chart).

    ``tryit.single(table, setting)`` (:meth:`TryIt.single`).

    Parameters
    ----------
    tryit : TryIt
    table : pandas.DataFrame
        :func:`one_setting`'s result for ``setting``.
    setting : dict
        Knob name -> value.

    Returns
    -------
    recsys_lessons.explorers.Explorer

    Raises
    ------
    TypeError
        If ``tryit`` is not a :class:`TryIt` (or as :meth:`TryIt.single`).
    ValueError
        As :meth:`TryIt.single`.

    Notes
    -----
    Used by: every Try it figure: the live version
    (:func:`recsys_lessons.widgets.live_explorer`) draws it.

    Examples
    --------
    >>> from recsys_lessons.tryit import metrics_order
    >>> fig, setting = metrics_order.TRY_IT, {"order": 0, "k": 5}
    >>> table = one_setting(fig, **setting)
    >>> single(fig, table, setting).description
    'The worked example in any order: DCG, NDCG, AP at k'
    """
    return _as_tryit(tryit).single(table, setting)
