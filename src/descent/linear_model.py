r"""The toy linear model that motivates gradient descent.

Two inputs, two targets, two weights: small enough to check by hand. The
weights :math:`w = (10, 20)` fit the data exactly, since
:math:`1 \cdot 10 + 2 \cdot 20 = 50` and :math:`3 \cdot 10 + 4 \cdot 20 = 110`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from descent._checks import array, real

if TYPE_CHECKING:
    import torch

    from descent._typing import FloatArray

__all__ = [
    "INPUTS",
    "TARGETS",
    "exact_weights",
    "hessian",
    "mse",
    "mse_gradient",
    "mse_torch",
    "predict",
]


#: The inputs, one sample per row.
INPUTS: FloatArray = np.array([[1.0, 2.0], [3.0, 4.0]])
INPUTS.flags.writeable = False
#: The targets the model should predict.
TARGETS: FloatArray = np.array([50.0, 110.0])
TARGETS.flags.writeable = False


def _check_inputs(inputs: object) -> FloatArray:
    """`inputs` as a finite, non-empty 2-D float64 array, one sample per row."""
    rows = ", one sample per row"
    return array(inputs, "inputs", ndim=2, nonempty=True, dtype=np.float64, note=rows)


def _check_targets(targets: object, x: FloatArray) -> FloatArray:
    """`targets` as a finite float64 array of one number per row of `x`."""
    one_each = ", one per sample (row of inputs)"
    return array(targets, "targets", shape=x.shape[:1], dtype=np.float64, note=one_each)


def _check_weights(w: object, x: FloatArray) -> FloatArray:
    """`w` as a finite float64 array of one weight per column of `x`."""
    columns = " to match the inputs"
    return array(w, "w", shape=x.shape[1:], dtype=np.float64, note=columns)


def predict(w: object, inputs: FloatArray = INPUTS) -> FloatArray:
    """Predict the targets with weights `w`: the matrix product ``inputs @ w``.

    Parameters
    ----------
    w : array_like
        The weights, one per input column. A tensor is detached first.
    inputs : numpy.ndarray, optional
        The inputs, one sample per row; by default :data:`INPUTS`.

    Returns
    -------
    numpy.ndarray
        One prediction per sample.

    Raises
    ------
    TypeError
        If `w` or `inputs` does not hold real numbers.
    ValueError
        If `w` has the wrong shape or is not finite, or `inputs` is not a
        finite, non-empty 2-D array.

    Examples
    --------
    >>> predict([1, 2])
    array([ 5., 11.])
    >>> predict([10, 20])
    array([ 50., 110.])
    """
    x = _check_inputs(inputs)
    return x @ _check_weights(w, x)


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

    Raises
    ------
    TypeError
        If `w`, `inputs` or `targets` does not hold real numbers.
    ValueError
        If `w` does not have one finite weight per column of `inputs`,
        `inputs` is not a finite, non-empty 2-D array, or `targets` does not
        hold one finite number per sample.

    Examples
    --------
    >>> mse([1, 2])  # predictions [5, 11] against [50, 110]
    5913.0
    >>> mse([10, 20])
    0.0
    """
    x = _check_inputs(inputs)
    y = _check_targets(targets, x)
    residual = x @ _check_weights(w, x) - y
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

    Raises
    ------
    TypeError
        If `w`, `inputs` or `targets` does not hold real numbers.
    ValueError
        If the shapes do not match or a value is not finite, as for
        :func:`mse`.

    Examples
    --------
    >>> mse_gradient([1, 2])
    array([-342., -486.])
    >>> mse_gradient([10, 20])
    array([0., 0.])
    """
    x = _check_inputs(inputs)
    y = _check_targets(targets, x)
    residual = x @ _check_weights(w, x) - y
    gradient: FloatArray = 2.0 / len(y) * (x.T @ residual)
    return gradient


def mse_torch(
    w: torch.Tensor, inputs: FloatArray = INPUTS, targets: FloatArray = TARGETS
) -> torch.Tensor:
    r"""The mean squared error of :func:`mse`, as a tensor for autograd.

    The data become tensors of the dtype of `w`, so a float64 `w` gives the
    loss in float64, and ``mse_torch(w).backward()`` fills ``w.grad`` with
    the gradient of :func:`mse_gradient`.

    Parameters
    ----------
    w : torch.Tensor
        The weights, a floating-point tensor of shape ``(inputs.shape[1],)``.
    inputs, targets : numpy.ndarray, optional
        The data; by default ``INPUTS`` and ``TARGETS``.

    Returns
    -------
    torch.Tensor
        The loss, a 0-d tensor.

    Raises
    ------
    TypeError
        If `w` is not a floating-point tensor, or the data do not hold real
        numbers.
    ValueError
        If `w` has the wrong shape or is not finite, or the data are not as
        for :func:`mse`.

    Examples
    --------
    >>> import torch
    >>> w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    >>> loss = mse_torch(w)
    >>> loss
    tensor(5913., dtype=torch.float64, grad_fn=<MeanBackward0>)
    >>> loss.backward()
    >>> w.grad
    tensor([-342., -486.], dtype=torch.float64)
    """
    import torch  # noqa: PLC0415  (importing torch is slow; only pay for it here)

    given: object = w  # callers without type checking may pass anything
    if not isinstance(given, torch.Tensor) or not given.is_floating_point():
        msg = f"w must be a floating-point torch tensor, got {given!r}"
        raise TypeError(msg)
    data = _check_inputs(inputs)
    answers = _check_targets(targets, data)
    _check_weights(w, data)
    x = torch.tensor(data, dtype=w.dtype)
    y = torch.tensor(answers, dtype=w.dtype)
    return torch.mean((x @ w - y) ** 2)


def hessian(inputs: FloatArray = INPUTS) -> FloatArray:
    r"""The Hessian of :func:`mse`, the same at every `w`.

    The loss is quadratic in the weights, so its matrix of second
    derivatives does not depend on them:

    .. math::

        \nabla^2 L = \frac{2}{n} X^\top X .

    With the two samples of ``INPUTS``, :math:`2/n = 1` and the Hessian
    is :math:`X^\top X` itself.

    Parameters
    ----------
    inputs : numpy.ndarray, optional
        The inputs, one sample per row; by default ``INPUTS``.

    Returns
    -------
    numpy.ndarray
        A symmetric matrix with one row and column per weight.

    Raises
    ------
    TypeError
        If `inputs` does not hold real numbers.
    ValueError
        If `inputs` is not a finite, non-empty 2-D array.

    Examples
    --------
    >>> hessian()
    array([[10., 14.],
           [14., 20.]])
    """
    x = _check_inputs(inputs)
    return 2.0 / len(x) * (x.T @ x)


def exact_weights(
    weight_decay: float = 0.0,
    inputs: FloatArray = INPUTS,
    targets: FloatArray = TARGETS,
) -> FloatArray:
    r"""The minimiser of :func:`mse`, plus an optional L2 penalty, in closed form.

    Weight decay :math:`\lambda` adds :math:`\lambda w` to the gradient,
    as :class:`torch.optim.SGD` does. The gradient vanishes where

    .. math::

        \left(\tfrac{2}{n} X^\top X + \lambda I\right) w
        = \tfrac{2}{n} X^\top y ,

    which this function solves. With :math:`\lambda = 0` it is the exact fit.

    Parameters
    ----------
    weight_decay : float, default 0
        The penalty :math:`\lambda`, at least 0.
    inputs, targets : numpy.ndarray, optional
        The data; by default ``INPUTS`` and ``TARGETS``.

    Returns
    -------
    numpy.ndarray
        The weights at which descent with this weight decay comes to rest.

    Raises
    ------
    TypeError
        If `weight_decay` is not a real number, or the data do not hold real
        numbers.
    ValueError
        If `weight_decay` is negative or not finite, `inputs` is not a finite,
        non-empty 2-D array, or `targets` does not hold one finite number per
        sample.
    numpy.linalg.LinAlgError
        If the system is singular (only possible with ``weight_decay=0``).

    Examples
    --------
    >>> exact_weights().round(12)
    array([10., 20.])
    >>> w = exact_weights(weight_decay=10.0)
    >>> w.round(4)
    array([ 9.505 , 13.5644])
    >>> bool(np.linalg.norm(w) < np.linalg.norm(exact_weights()))  # shorter
    True
    """
    penalty = real(weight_decay, "weight_decay", at_least=0)
    x = _check_inputs(inputs)
    y = _check_targets(targets, x)
    system = hessian(x) + penalty * np.eye(x.shape[1])
    solution = np.linalg.solve(system, 2.0 / len(x) * (x.T @ y))
    return np.asarray(solution, dtype=np.float64)
