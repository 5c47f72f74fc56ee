"""Old names kept working for one release, with a ``FutureWarning``.

``FutureWarning`` rather than ``DeprecationWarning``: Python shows it to
every user by default, in a notebook as in a script.
"""

import functools
import importlib
import warnings

__all__ = ["renamed_keyword", "moved_names"]


def renamed_keyword(old, new):
    """Accept keyword ``old`` as ``new`` for one release, with a warning.

    A decorator for a public function whose keyword argument was renamed:
    ``f(old=x)`` runs as ``f(new=x)`` and warns with a ``FutureWarning``
    (shown to users by default, unlike ``DeprecationWarning``); passing
    both is a ``TypeError``. The wrapped function keeps its signature
    (``inspect.signature`` follows ``__wrapped__``).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(
                        f"{func.__name__}() got both {new}= and its old "
                        f"name {old}=; pass only {new}="
                    )
                warnings.warn(
                    f"{func.__name__}(): the keyword {old}= is now "
                    f"{new}=; {old}= will stop working in the next "
                    "release",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def moved_names(module, moved):
    """A module ``__getattr__`` for names that moved to other modules.

    ``moved`` maps each old name to the module that now holds it (relative
    to this package, e.g. ``"evaluation"``). Reading ``module.name``
    returns the new object and warns with a ``FutureWarning`` naming the
    new place; any other missing name is an ``AttributeError`` as usual.
    """

    def __getattr__(name):
        if name not in moved:
            raise AttributeError(
                f"module {module!r} has no attribute {name!r}"
            )
        target = f"recsys_lessons.{moved[name]}"
        warnings.warn(
            f"{module}.{name} is now {target}.{name}; the old place will "
            "stop working in the next release",
            FutureWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(target), name)

    return __getattr__
