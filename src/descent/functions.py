"""The functions the tutorial minimises, and their derivatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from descent._checks import operand

if TYPE_CHECKING:
    import numpy as np
    import torch

__all__ = ["df", "f"]

Operand = TypeVar("Operand", float, "np.ndarray", "torch.Tensor")


def f(x: Operand) -> Operand:
    r"""The tutorial's loss, :math:`f(x) = x^2`.

    It has a single minimum, at :math:`x = 0`, and no other flat spot, which
    makes every step of gradient descent easy to follow by eye.

    Parameters
    ----------
    x : float, numpy.ndarray or torch.Tensor
        Where to evaluate. Lists and tuples are turned into arrays. Arrays and
        tensors are squared element by element; a tensor keeps its autograd
        graph, so ``f(x).backward()`` works.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        :math:`x^2`, of the same kind as `x`.

    Raises
    ------
    TypeError
        If `x` is not a real number, a real array or a floating tensor.
    ValueError
        If `x` holds ``inf`` or ``nan``.

    See Also
    --------
    df : The derivative.

    Examples
    --------
    >>> import numpy as np
    >>> f(-10.0)
    100.0
    >>> f(np.array([-10.0, 1.0]))
    array([100.,   1.])
    >>> import torch
    >>> f(torch.tensor(2.0))
    tensor(4.)
    """
    x = operand(x, "x")
    return x**2


def df(x: Operand) -> Operand:
    r"""The derivative of :func:`f`, :math:`f'(x) = 2x`.

    Parameters
    ----------
    x : float, numpy.ndarray or torch.Tensor
        Where to evaluate, as for :func:`f`.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        :math:`2x`, of the same kind as `x`.

    Raises
    ------
    TypeError
        If `x` is not a real number, a real array or a floating tensor.
    ValueError
        If `x` holds ``inf`` or ``nan``.

    See Also
    --------
    f : The function itself.

    Examples
    --------
    The slope is steep and negative far to the left of the minimum, and small
    and positive just to its right:

    >>> df(-10.0)
    -20.0
    >>> df(1.0)
    2.0
    >>> import numpy as np
    >>> df(np.array([-10.0, 1.0]))
    array([-20.,   2.])
    """
    x = operand(x, "x")
    return 2 * x
