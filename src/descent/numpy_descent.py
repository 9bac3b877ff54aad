"""Gradient descent written with NumPy alone: the update rule, by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

import numpy as np

from descent import _loop
from descent._checks import callable_, real, start_point, step_count
from descent.functions import df, f

if TYPE_CHECKING:
    from collections.abc import Callable

    from descent._typing import AnyFloatArray

__all__ = ["gradient_descent"]


def _sum_of_f(x: AnyFloatArray) -> Any:
    return np.sum(f(x))


@overload
def gradient_descent(
    x: float,
    nsteps: int = 1,
    *,
    lr: float = 0.1,
    grad: Callable[[Any], Any] = df,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
) -> tuple[float, AnyFloatArray]: ...
@overload
def gradient_descent(
    x: AnyFloatArray | np.generic,
    nsteps: int = 1,
    *,
    lr: float = 0.1,
    grad: Callable[[Any], Any] = df,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
) -> tuple[AnyFloatArray, AnyFloatArray]: ...
def gradient_descent(
    x: float | AnyFloatArray | np.generic,
    nsteps: int = 1,
    *,
    lr: float = 0.1,
    grad: Callable[[Any], Any] = df,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
) -> tuple[float | AnyFloatArray, AnyFloatArray]:
    r"""Minimise a function by gradient descent, with NumPy.

    Each step moves against the gradient, scaled by the learning rate
    :math:`\alpha`:

    .. math::

        x_{k+1} = x_k - \alpha \, \nabla f(x_k).

    Parameters
    ----------
    x : float or numpy.ndarray
        The starting point. Integers are promoted to float64; float32 arrays
        stay float32, so the effect of precision can be studied.
    nsteps : int, default 1
        How many steps to take. With `tol`, the most steps to take.
    lr : float, default 0.1
        The learning rate :math:`\alpha`; finite and greater than 0.
    grad : callable, default df
        The gradient of the function to minimise, :math:`x \mapsto \nabla f(x)`.
        The default is the derivative of :math:`f(x) = x^2`.
    loss : callable, optional
        The function being minimised, which must return a scalar. Only used
        with `tol`. By default, :math:`f` summed over the entries of `x`,
        so that an array start has the loss :math:`\sum_i x_i^2`.
    tol : float, optional
        Stop as soon as ``loss(x) < tol``, checked before every step.

    Returns
    -------
    x : float or numpy.ndarray
        The last iterate: a float if a Python number was given, else an array.
    history : numpy.ndarray
        Every iterate, starting point included, stacked along the first axis:
        shape ``(steps + 1, *numpy.shape(x))``.

    Raises
    ------
    TypeError
        If an argument has the wrong type, such as ``nsteps=2.5``.
    ValueError
        If a value is out of range: ``nsteps < 0``, ``lr <= 0``, a non-finite
        start, or a gradient whose shape differs from `x`.
    DivergenceError
        If an iterate overflows to ``inf`` or ``nan``.
    StallError
        If `tol` is given and the iterates repeat while the loss is still
        at or above `tol`.

    See Also
    --------
    gradient_descent_torch : The same loop with autograd.
    gradient_descent_sgd : The same loop with ``torch.optim.SGD``.

    Examples
    --------
    One step from -10 with the default learning rate, then one more:

    >>> x, history = gradient_descent(-10.0, nsteps=1)
    >>> x
    -8.0
    >>> x, _ = gradient_descent(x, nsteps=1)
    >>> x
    -6.4

    The history holds the start and every step:

    >>> gradient_descent(-10.0, nsteps=3)[1]
    array([-10.  ,  -8.  ,  -6.4 ,  -5.12])

    Stop on the loss instead of counting steps:

    >>> x, history = gradient_descent(-10.0, nsteps=1000, tol=1e-6)
    >>> len(history) - 1, bool(x**2 < 1e-6)
    (42, True)
    """
    tol = None if tol is None else real(tol, "tol", positive=True)
    nsteps = step_count(nsteps, tol)
    lr = real(lr, "lr", positive=True)
    callable_(grad, "grad")
    objective = _sum_of_f if loss is None else callable_(loss, "loss")
    start = start_point(x, "x")

    def step(current: AnyFloatArray) -> AnyFloatArray:
        # An overflow here is reported as a DivergenceError by the loop, so the
        # floating-point warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore"):
            gradient = np.asarray(grad(current))
            if gradient.dtype.kind not in "iuf":
                msg = f"grad must return real numbers, got dtype {gradient.dtype}"
                raise TypeError(msg)
            if gradient.shape != current.shape:
                msg = (
                    f"grad must return an array of the same shape as x "
                    f"{current.shape}, got shape {gradient.shape}"
                )
                raise ValueError(msg)
            return np.asarray(current - lr * gradient, dtype=current.dtype)

    def loss_value(current: AnyFloatArray) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            value = np.asarray(objective(current))
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            msg = (
                f"loss must return a real scalar, got shape {value.shape} and dtype "
                f"{value.dtype}; reduce it, for example with np.sum"
            )
            raise ValueError(msg)
        return float(value)

    final, history = _loop.run(
        start,
        nsteps=nsteps,
        lr=lr,
        tol=tol,
        step=step,
        snapshot=np.copy,
        loss_value=loss_value,
        memoryless=True,
    )
    if isinstance(x, int | float):
        return float(final), history
    return final, history
