"""Colours a colour-vision deficiency would merge: :func:`simulate_cvd`
(protanopia, deuteranopia, achromatopsia) and :func:`check_colours`.

Used by :func:`recsys_lessons.figures.show`, for every chapter figure.
"""

from __future__ import annotations

import numpy as np

from .._extras import require
from .._validation import as_numeric_array, check_float
from ._artists import _figure, _lines, _name, _panels, _plain

mpl = require("matplotlib", "plots")

__all__ = ["simulate_cvd", "check_colours"]


# Two series told apart by colour alone must stay this far apart (CIE76
# ΔE, about 2.3 is a just-noticeable difference) under every simulated
# colour-vision deficiency; for greys this is a difference in lightness L*.
MIN_DELTA_E = 10.0

# Machado, Oliveira & Fernandes (2009), severity 1, on linear sRGB.
_CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    # Rod monochromacy: every colour becomes the grey of its luminance.
    "achromatopsia": np.tile([0.2126, 0.7152, 0.0722], (3, 1)),
}

DEFICIENCIES = tuple(_CVD)


def _linear(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return np.where(
        rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4
    )


def simulate_cvd(rgb, deficiency):
    """sRGB colours (values in [0, 1], last axis of 3) as seen with a
    colour-vision deficiency, in sRGB.

    Protanopia and deuteranopia: Machado, Oliveira & Fernandes (2009),
    severity 1, applied to linear sRGB; achromatopsia: the grey of the
    colour's luminance (Rec. 709 weights). This is what Chromium's
    simulated deficiencies show.

    Notes
    -----
    Used by: :func:`check_colours`.
    """
    if not isinstance(deficiency, str):
        raise TypeError(
            f"deficiency must be a str, got {type(deficiency).__name__}"
        )
    if deficiency not in _CVD:
        raise ValueError(
            f"deficiency must be one of {DEFICIENCIES}, got {deficiency!r}"
        )
    rgb = as_numeric_array(rgb, "rgb").astype(float)
    if rgb.shape[-1:] != (3,) or not np.all((rgb >= 0) & (rgb <= 1)):
        raise ValueError("rgb must hold sRGB triples with values in [0, 1]")
    lin = np.clip(_linear(rgb) @ _CVD[deficiency].T, 0, 1)
    return np.where(
        lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055
    )


def _lab(rgb):
    """CIE L*a*b* (D65) of sRGB colours."""
    xyz = (
        _linear(rgb)
        @ np.array(
            [
                [0.4124, 0.3576, 0.1805],
                [0.2126, 0.7152, 0.0722],
                [0.0193, 0.1192, 0.9505],
            ]
        ).T
    )
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(
        xyz > (6 / 29) ** 3,
        np.cbrt(xyz),
        xyz / (3 * (6 / 29) ** 2) + 4 / 29,
    )
    return np.stack(
        [
            116 * f[..., 1] - 16,
            500 * (f[..., 0] - f[..., 1]),
            200 * (f[..., 1] - f[..., 2]),
        ],
        axis=-1,
    )


def _styled_series(ax):
    """(label, colour, style) of each line, bar set and point set: the
    style is what tells them apart without colour."""
    out = []
    for line in _lines(ax):
        if not len(line.get_xdata()):
            continue
        style = ("line", line.get_linestyle(), str(line.get_marker()))
        out.append(
            (line.get_label(), mpl.colors.to_rgb(line.get_color()), style)
        )
    for c in ax.containers:
        if isinstance(c, mpl.container.BarContainer) and c.patches:
            patch = c.patches[0]
            colours = {mpl.colors.to_rgb(p.get_facecolor()) for p in c}
            if len(colours) > 1:
                continue  # coloured by category: each bar is labelled
            style = ("bar", patch.get_hatch() or "")
            out.append((c.get_label(), colours.pop(), style))
    for coll in ax.collections:
        if not isinstance(coll, mpl.collections.PathCollection):
            continue
        colours = coll.get_facecolor()
        if len(colours) != 1:
            continue  # a colour scale, read with its colour bar
        paths = coll.get_paths()
        # The marker's own shape (▲ and ▼ have as many vertices).
        shape = (
            tuple(np.round(paths[0].vertices, 3).ravel()) if paths else ()
        )
        style = ("points", shape)
        out.append((coll.get_label(), tuple(colours[0][:3]), style))
    return out


def check_colours(fig, min_delta_e=MIN_DELTA_E):
    """Raise ``ValueError`` if two series of a panel differ only in
    colour, and those colours come within ``min_delta_e`` (CIE76) under a
    simulated protanopia, deuteranopia or achromatopsia.

    Series are a panel's lines, bar sets and point sets; two differ in
    more than colour when their line style, marker, hatch or kind
    differ. Colour scales (images, points coloured by value) are read
    against their colour bar and are not compared.

    Notes
    -----
    Used by: :func:`show`, for every chapter figure.
    """
    fig = _figure(fig)
    min_delta_e = check_float(min_delta_e, "min_delta_e", low=0.0)
    panels = _panels(fig)
    for i, (main, twins) in enumerate(panels):
        for ax in [main, *twins]:
            _check_pairs(
                _styled_series(ax),
                _name(main, i, len(panels)),
                min_delta_e,
            )


def _check_pairs(series, where, min_delta_e=MIN_DELTA_E):
    for a in range(len(series)):
        for b in range(a + 1, len(series)):
            (la, ca, sa), (lb, cb, sb) = series[a], series[b]
            if sa != sb or ca == cb:
                continue
            for deficiency in DEFICIENCIES:
                lab = _lab(simulate_cvd(np.array([ca, cb]), deficiency))
                delta = float(np.linalg.norm(lab[0] - lab[1]))
                if delta < min_delta_e:
                    raise ValueError(
                        f"{where}: “{_plain(la)}” and “{_plain(lb)}” "
                        f"differ only in colour, and under {deficiency} "
                        f"their colours are {delta:.1f} apart (ΔE), under "
                        f"{min_delta_e}: give them different markers or "
                        "line styles"
                    )
