"""Seeded synthetic data for the chapters that train a model on minibatches.

The set is a linear regression problem with known answer: the targets are
``X @ weights + bias`` plus Gaussian noise, so a chapter can compare what
training finds with the weights that made the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from descent import _checks

if TYPE_CHECKING:
    from descent._typing import FloatArray

__all__ = ["Regression", "make_regression"]


class Regression(NamedTuple):
    """A regression set and the exact parameters that generated it."""

    #: The inputs, one row per sample, of shape ``(n_samples, n_features)``.
    X: FloatArray
    #: The targets, of shape ``(n_samples,)``.
    y: FloatArray
    #: The true weights :math:`w^\ast`, of shape ``(n_features,)``.
    weights: FloatArray
    #: The true intercept :math:`b`.
    bias: float


def make_regression(
    n_samples: int = 1000,
    n_features: int = 3,
    *,
    noise: float = 0.5,
    bias: float = 1.0,
    seed: int = 0,
) -> Regression:
    r"""Make a seeded linear regression set, :math:`y = X w^\ast + b + \varepsilon`.

    The inputs are standard normal, the true weights are drawn uniformly from
    [-3, 3] and rounded to one decimal so that a page can print them, and the
    noise :math:`\varepsilon` is normal with standard deviation `noise`. The
    same `seed` always gives the same arrays, on every machine.

    Parameters
    ----------
    n_samples : int, default 1000
        The number of samples :math:`n`, at least 1.
    n_features : int, default 3
        The number of input features, at least 1.
    noise : float, default 0.5
        The standard deviation of the noise added to the targets, >= 0.
    bias : float, default 1.0
        The true intercept :math:`b`.
    seed : int, default 0
        The seed of NumPy's random generator, >= 0.

    Returns
    -------
    Regression
        ``(X, y, weights, bias)``: float64 arrays of shapes ``(n, d)``,
        ``(n,)`` and ``(d,)``, and the intercept.

    Raises
    ------
    TypeError, ValueError
        If an argument is of the wrong type or out of range; the message names it.

    Examples
    --------
    >>> from descent.data import make_regression
    >>> data = make_regression(n_samples=4, n_features=2, seed=0)
    >>> data.X.shape, data.y.shape
    ((4, 2), (4,))
    >>> data.weights
    array([ 0.8, -1.4])
    """
    count = _checks.integer(n_samples, "n_samples", low=1)
    features = _checks.integer(n_features, "n_features", low=1)
    spread = _checks.real(noise, "noise", at_least=0.0)
    intercept = _checks.real(bias, "bias")
    rng = np.random.default_rng(_checks.integer(seed, "seed", low=0))
    # Draw the weights first, so that they do not depend on n_samples: the
    # same seed gives the same true model for a small and a large set.
    weights = np.round(rng.uniform(-3.0, 3.0, size=features), 1)
    X = rng.standard_normal((count, features))
    y = X @ weights + intercept + spread * rng.standard_normal(count)
    return Regression(X, y, weights, intercept)
