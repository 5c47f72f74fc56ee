"""Optional dependencies, imported with an error that names the extra."""

import importlib

__all__ = ["require"]


def require(module, extra):
    """Import ``module``, or say which extra of the package provides it.

    The algorithms need only NumPy, SciPy and numba; the figures and the
    sliders are extras (``pip install "recsys_lessons[plots]"``, or
    ``[widgets]``, or ``[book]`` for everything the notebooks use).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed here and is not installed; install it "
            f'with: pip install "recsys_lessons[{extra}]"'
        ) from exc
