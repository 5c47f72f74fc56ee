"""The live version's chart: :class:`LiveFigure`, redrawn per setting.

:func:`recsys_lessons.widgets.live_explorer` calls a :class:`LiveFigure`
on every move of its ipywidgets; it draws what
:meth:`~recsys_lessons.tryit.figure.TryIt.single` draws, faster.
"""

from __future__ import annotations

from .. import explorers
from ._setting import check_setting, param_value, single_data
from .figure import _as_tryit

__all__ = ["LiveFigure"]


class LiveFigure:
    """Setting -> the live version's chart, fast enough to redraw on a
    slider move.

    Building the chart with Altair takes about 0.2 s; only its data and
    its parameters' values change from one setting to the next, so the
    first chart's spec is kept and those two parts are replaced (the
    tests check the result equals a chart built afresh).

    Parameters
    ----------
    tryit : TryIt

    Attributes
    ----------
    tryit : TryIt
    table : pandas.DataFrame or None
        The last setting's :func:`one_setting` table (the live version's
        readout is read off it).

    Raises
    ------
    TypeError
        If ``tryit`` is not a :class:`TryIt`. A call raises as
        :func:`single` does for its ``setting``.

    Notes
    -----
    Used by: every Try it figure: the live version
    (:func:`recsys_lessons.widgets.live_explorer`) redraws with it.

    Examples
    --------
    >>> from recsys_lessons.tryit import metrics_order
    >>> live = LiveFigure(metrics_order.TRY_IT)
    >>> live({"order": 0, "k": 5}).description
    'The worked example in any order: DCG, NDCG, AP at k'
    >>> live({"order": 1, "k": 2}).spec["params"][1]["value"]
    2
    >>> round(float(live.table["ndcg"].iloc[0]), 4)
    0.7789
    """

    def __init__(self, tryit):
        self.tryit = _as_tryit(tryit)
        self.table = None
        self._template = None

    def __call__(self, setting):
        tryit = self.tryit
        check_setting(tryit, setting)
        table = tryit.one_setting(**setting)
        # The live version's readout is read off the same table.
        self.table = table
        along = tryit.along
        if self._template is None or (
            along is not None and setting[along.name] > along.high
        ):
            shown = tryit.single(table, setting)
            if self._template is None:
                self._template = shown.spec
            return shown
        spec = dict(self._template)
        name = spec["data"]["name"]
        spec["datasets"] = {
            **spec["datasets"],
            name: single_data(tryit, table, setting).values,
        }
        spec["params"] = [
            {**p, "value": param_value(setting[p["name"][len("ctl_") :]])}
            for p in spec["params"]
        ]
        return explorers.Explorer.from_spec(
            spec, max_bytes=tryit.max_bytes, description=tryit.description
        )
