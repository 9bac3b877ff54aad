r"""The toy linear model that motivates gradient descent.

Two inputs, two targets, two weights: small enough to check by hand. The
weights :math:`w = (10, 20)` fit the data exactly, since
:math:`1 \cdot 10 + 2 \cdot 20 = 50` and :math:`3 \cdot 10 + 4 \cdot 20 = 110`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["INPUTS", "TARGETS", "mse", "mse_gradient", "predict"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

#: The inputs, one sample per row.
INPUTS: FloatArray = np.array([[1.0, 2.0], [3.0, 4.0]])
INPUTS.flags.writeable = False
#: The targets the model should predict.
TARGETS: FloatArray = np.array([50.0, 110.0])
TARGETS.flags.writeable = False


def _check_weights(w: object, inputs: FloatArray) -> FloatArray:
    weights = np.asarray(w)
    if weights.dtype.kind not in "iuf":
        msg = f"w must hold real numbers, got dtype {weights.dtype}"
        raise TypeError(msg)
    if weights.shape != inputs.shape[1:]:
        msg = f"w must have shape {inputs.shape[1:]} to match the inputs, got {weights.shape}"
        raise ValueError(msg)
    return weights.astype(np.float64, copy=False)


def predict(w: object, inputs: FloatArray = INPUTS) -> FloatArray:
    """Predict the targets with weights `w`: the matrix product ``inputs @ w``.

    Parameters
    ----------
    w : array_like
        The weights, one per input column.
    inputs : numpy.ndarray, optional
        The inputs, one sample per row; by default :data:`INPUTS`.

    Returns
    -------
    numpy.ndarray
        One prediction per sample.

    Raises
    ------
    TypeError
        If `w` does not hold real numbers.
    ValueError
        If `w` has the wrong shape.

    Examples
    --------
    >>> predict([1, 2])
    array([ 5., 11.])
    >>> predict([10, 20])
    array([ 50., 110.])
    """
    return inputs @ _check_weights(w, inputs)


def mse(w: object, inputs: FloatArray = INPUTS, targets: FloatArray = TARGETS) -> float:
    r"""The mean squared error of the predictions with weights `w`.

    .. math::

        L(w) = \frac{1}{n} \sum_{i=1}^{n} (x_i^\top w - y_i)^2 .

    Parameters
    ----------
    w : array_like
        The weights.
    inputs, targets : numpy.ndarray, optional
        The data; by default :data:`INPUTS` and :data:`TARGETS`.

    Returns
    -------
    float
        The loss; 0 when the predictions hit the targets exactly.

    Examples
    --------
    >>> mse([1, 2])  # predictions [5, 11] against [50, 110]
    5913.0
    >>> mse([10, 20])
    0.0
    """
    residual = predict(w, inputs) - targets
    return float(np.mean(residual**2))


def mse_gradient(
    w: object, inputs: FloatArray = INPUTS, targets: FloatArray = TARGETS
) -> FloatArray:
    r"""The gradient of :func:`mse` with respect to the weights.

    .. math::

        \nabla L(w) = \frac{2}{n} X^\top (X w - y).

    Parameters
    ----------
    w : array_like
        The weights.
    inputs, targets : numpy.ndarray, optional
        The data; by default :data:`INPUTS` and :data:`TARGETS`.

    Returns
    -------
    numpy.ndarray
        One partial derivative per weight.

    Examples
    --------
    >>> mse_gradient([1, 2])
    array([-342., -486.])
    >>> mse_gradient([10, 20])
    array([0., 0.])
    """
    residual = predict(w, inputs) - targets
    return 2.0 / len(targets) * (inputs.T @ residual)
