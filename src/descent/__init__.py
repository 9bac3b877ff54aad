"""Gradient descent with NumPy and PyTorch, small enough to read in one sitting.

The functions here back the chapters of the *descent* tutorial. Each chapter
imports them, so the code on the site is the code that the tests check.

>>> import descent
>>> descent.gradient_descent(-10.0, nsteps=2)[0]
-6.4
"""

from __future__ import annotations

from descent.errors import DescentError, DivergenceError, StallError
from descent.functions import df, f
from descent.numpy_descent import gradient_descent
from descent.plotting import visualize
from descent.torch_descent import gradient_descent_sgd, gradient_descent_torch

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
