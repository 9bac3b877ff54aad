"""Gradient descent with NumPy and PyTorch, small enough to read in one sitting.

The functions here back the chapters of the *descent* tutorial. Each chapter
imports them, so the code on the site is the code that the tests check.

The package is split by what it needs. The numerics (this namespace,
``descent.sgd``, ``descent.linear_model`` and the theory helpers) import
NumPy only, and PyTorch only inside the functions that use it. The figures
live in :mod:`descent.plotting`, the one subpackage that imports Matplotlib
and seaborn; ``descent.visualize`` is loaded from there on first use.

>>> import descent
>>> descent.gradient_descent(-10.0, nsteps=2)[0]
-6.4
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from descent.errors import DescentError, DivergenceError, StallError
from descent.functions import df, f
from descent.numpy_descent import gradient_descent
from descent.torch_descent import gradient_descent_sgd, gradient_descent_torch

if TYPE_CHECKING:
    from descent.plotting import visualize

__version__ = "0.1.0"

__all__ = [
    "DescentError",
    "DivergenceError",
    "StallError",
    "__version__",
    "df",
    "f",
    "gradient_descent",
    "gradient_descent_sgd",
    "gradient_descent_torch",
    "visualize",
]

#: Public names that live in a subpackage with heavy imports, loaded on first use.
_LAZY = {"visualize": "descent.plotting"}


def __getattr__(name: str) -> Any:
    # PEP 562: importing Matplotlib costs most of a second, so ``import
    # descent`` leaves it out until a plotting name is asked for.
    if name in _LAZY:
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    msg = f"module 'descent' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
