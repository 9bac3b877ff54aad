"""The functions the tutorial minimises, and their derivatives."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from descent._checks import operand

if TYPE_CHECKING:
    import numpy as np
    import torch

__all__ = ["df", "dtwo_valleys", "f", "two_valleys"]

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


def two_valleys(x: Operand) -> Operand:
    r"""A function with two valleys, :math:`f(x) = x^4 - 3x^2 + x`.

    It has two minima, a deep one near :math:`x = -1.30` and a shallower one
    near :math:`x = 1.13`, with a hump (a local maximum) near :math:`x = 0.17`
    between them, so where gradient descent ends depends on where it starts.

    Parameters
    ----------
    x : float, numpy.ndarray or torch.Tensor
        Where to evaluate, as for :func:`~descent.f`. Arrays and tensors are evaluated
        element by element; a tensor keeps its autograd graph.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        :math:`x^4 - 3x^2 + x`, of the same kind as `x`.

    Raises
    ------
    TypeError
        If `x` is not a real number, a real array or a floating tensor.
    ValueError
        If `x` holds ``inf`` or ``nan``.

    See Also
    --------
    dtwo_valleys : The derivative.

    Examples
    --------
    >>> two_valleys(1.0)
    -1.0
    >>> import numpy as np
    >>> two_valleys(np.array([-2.0, 0.0, 2.0]))
    array([2., 0., 6.])
    """
    x = operand(x, "x")
    value: Operand = x**4 - 3 * x**2 + x  # Any for arrays, to mypy
    return value


def dtwo_valleys(x: Operand) -> Operand:
    r"""The derivative of :func:`two_valleys`, :math:`f'(x) = 4x^3 - 6x + 1`.

    Its three roots are the two minima and the hump of :func:`two_valleys`.

    Parameters
    ----------
    x : float, numpy.ndarray or torch.Tensor
        Where to evaluate, as for :func:`~descent.f`.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        :math:`4x^3 - 6x + 1`, of the same kind as `x`.

    Raises
    ------
    TypeError
        If `x` is not a real number, a real array or a floating tensor.
    ValueError
        If `x` holds ``inf`` or ``nan``.

    See Also
    --------
    two_valleys : The function itself.

    Examples
    --------
    Between the deep minimum and the hump the slope is positive, between the
    hump and the shallow minimum it is negative, and beyond that it is steep:

    >>> dtwo_valleys(0.0)
    1.0
    >>> dtwo_valleys(2.0)
    21.0
    >>> import numpy as np
    >>> dtwo_valleys(np.array([-2.0, 1.0]))
    array([-19.,  -1.])
    """
    x = operand(x, "x")
    slope: Operand = 4 * x**3 - 6 * x + 1  # Any for arrays, to mypy
    return slope
