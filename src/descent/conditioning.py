r"""How the shape of a quadratic loss sets the speed of gradient descent.

For a loss with constant Hessian :math:`H` (a quadratic, such as the mean
squared error of a linear model), everything about the speed of descent
follows from two numbers: the largest and smallest eigenvalues of :math:`H`,
written :math:`\lambda_{\max}` and :math:`\lambda_{\min}`, and their ratio,
the condition number :math:`\kappa = \lambda_{\max} / \lambda_{\min}`.

This module computes them, the step sizes and momentum factors that theory
recommends, the rates it predicts, and the rate a run really achieved: the distance to
the minimum per step, and the rate fitted to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from descent._checks import array, describe, integer, real

if TYPE_CHECKING:
    from descent._typing import FloatArray

__all__ = [
    "condition_number",
    "curvatures",
    "distances",
    "gd_rate",
    "gd_tuning",
    "heavy_ball_rate",
    "heavy_ball_tuning",
    "measured_rate",
    "nesterov_rate",
    "nesterov_tuning",
    "stability_limit",
    "steps_to_tolerance",
]

#: What measured_rate and distances say of an iterate that is not finite.
_HAS_NO_RATE = "be finite (a diverged run has no rate)"
_HAS_NO_DISTANCE = "be finite (a diverged run has no distance)"


def curvatures(hessian: object) -> FloatArray:
    r"""The eigenvalues of a symmetric Hessian, from largest to smallest.

    Each eigenvalue is the curvature of the loss along its eigenvector: a
    large one is a steep, narrow direction, a small one a flat, wide one.

    Parameters
    ----------
    hessian : numpy.ndarray or list
        A real, finite, symmetric square matrix.

    Returns
    -------
    numpy.ndarray
        The eigenvalues in decreasing order.

    Raises
    ------
    TypeError
        If `hessian` does not hold real numbers.
    ValueError
        If it is not square, not finite or not symmetric, or so large that
        its eigenvalues overflow.

    Examples
    --------
    >>> curvatures([[10.0, 14.0], [14.0, 20.0]]).round(4)
    array([29.8661,  0.1339])
    """
    matrix = array(hessian, "hessian", dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.size == 0:
        msg = f"hessian must be a non-empty square matrix, got shape {matrix.shape}"
        raise ValueError(msg)
    if not np.allclose(matrix, matrix.T, rtol=1e-12, atol=0.0):
        msg = f"hessian must be symmetric, got {matrix.tolist()!r}"
        raise ValueError(msg)
    values = np.linalg.eigvalsh(matrix)[::-1].copy()
    if not np.isfinite(values).all():
        msg = (
            f"hessian has entries too large for its eigenvalues to be computed in "
            f"float64 (the largest magnitude is {float(np.abs(matrix).max()):.3g}); "
            f"scale it down"
        )
        raise ValueError(msg)
    return values


def _extremes(hessian: object) -> tuple[float, float]:
    """Return (lam_max, lam_min), the extreme eigenvalues; lam_min must be > 0."""
    values = curvatures(hessian)
    largest, smallest = float(values[0]), float(values[-1])
    if smallest <= 0:
        msg = (
            f"hessian must be positive definite, but its smallest eigenvalue is "
            f"{smallest!r}"
        )
        raise ValueError(msg)
    return largest, smallest


def condition_number(hessian: object) -> float:
    r"""The condition number :math:`\kappa = \lambda_{\max} / \lambda_{\min}` of a positive definite Hessian.

    Parameters
    ----------
    hessian : numpy.ndarray or list
        A real, symmetric, positive definite matrix.

    Returns
    -------
    float
        The ratio of the largest to the smallest eigenvalue, at least 1.

    Raises
    ------
    ValueError
        If the matrix is not symmetric or not positive definite, or the ratio
        of its eigenvalues is beyond the largest float64.

    Examples
    --------
    >>> round(condition_number([[10.0, 14.0], [14.0, 20.0]]), 2)
    223.0
    >>> condition_number([[2.0, 0.0], [0.0, 2.0]])  # a round bowl
    1.0
    """
    largest, smallest = _extremes(hessian)
    kappa = largest / smallest
    return _in_range(kappa, f"hessian's condition number {largest!r} / {smallest!r}")


def stability_limit(hessian: object) -> float:
    r"""The largest learning rate for which gradient descent does not blow up.

    On a quadratic, a step multiplies the error along an eigenvector with
    eigenvalue :math:`\lambda` by :math:`1 - \alpha \lambda`. That factor
    stays inside :math:`(-1, 1)` for every eigenvalue exactly when

    .. math::

        0 < \alpha < \frac{2}{\lambda_{\max}} .

    Parameters
    ----------
    hessian : numpy.ndarray or list
        A real, symmetric matrix with a positive largest eigenvalue.

    Returns
    -------
    float
        :math:`2 / \lambda_{\max}`.

    Raises
    ------
    ValueError
        If the matrix is not symmetric or its largest eigenvalue is not
        positive, or so small that :math:`2 / \lambda_{\max}` overflows.

    Examples
    --------
    >>> stability_limit([[2.0]])  # f(x) = x**2: the limit of chapter 7
    1.0
    """
    largest = float(curvatures(hessian)[0])
    if largest <= 0:
        msg = f"hessian must have a positive eigenvalue, got largest {largest!r}"
        raise ValueError(msg)
    limit = 2.0 / largest
    return _in_range(limit, f"hessian's stability limit 2 / {largest!r}")


def _check_kappa(kappa: object) -> float:
    return real(kappa, "kappa", at_least=1, what="a condition number")


def _check_curvature_pair(largest: object, smallest: object) -> tuple[float, float]:
    top = real(largest, "largest")
    bottom = real(smallest, "smallest")
    if not 0 < bottom <= top:
        msg = (
            f"need 0 < smallest <= largest, got largest={largest!r}, "
            f"smallest={smallest!r}"
        )
        raise ValueError(msg)
    return top, bottom


def _computed(value: float, formula: str, top: float, bottom: float) -> float:
    """Return `value`, `formula` of the curvatures, unless it overflowed float64."""
    return _in_range(value, f"{formula} for largest={top!r}, smallest={bottom!r}")


def _in_range(value: float, what: str) -> float:
    """Return `value` unless computing it overflowed float64 (to inf, or to 0 as 1/inf)."""
    if math.isfinite(value) and value != 0:
        return value
    msg = f"{what} overflows float64; the input is out of range"
    raise ValueError(msg)


def gd_rate(kappa: float) -> float:
    r"""The best rate of plain gradient descent on a quadratic: :math:`\frac{\kappa - 1}{\kappa + 1}`.

    With the learning rate of :func:`gd_tuning`, every step shrinks the
    distance to the minimum by at least this factor.

    Parameters
    ----------
    kappa : float
        The condition number, at least 1.

    Returns
    -------
    float
        The factor, in :math:`[0, 1)`.

    Examples
    --------
    >>> gd_rate(1.0), gd_rate(9.0)
    (0.0, 0.8)
    """
    k = _check_kappa(kappa)
    return (k - 1) / (k + 1)


def heavy_ball_rate(kappa: float) -> float:
    r"""The rate of tuned heavy-ball momentum: :math:`\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}`.

    The square root is the whole point: for :math:`\kappa = 100` plain
    descent keeps about 98% of the error per step, heavy ball about 82%.

    Parameters
    ----------
    kappa : float
        The condition number, at least 1.

    Returns
    -------
    float
        The factor, in :math:`[0, 1)`.

    Examples
    --------
    >>> heavy_ball_rate(9.0)
    0.5
    """
    root = math.sqrt(_check_kappa(kappa))
    return (root - 1) / (root + 1)


def nesterov_rate(kappa: float) -> float:
    r"""The rate of Nesterov momentum tuned as in :func:`nesterov_tuning`: :math:`1 - 1/\sqrt\kappa`.

    Slightly slower than heavy ball on a quadratic, but, unlike heavy ball,
    guaranteed on every smooth strongly convex function.

    Parameters
    ----------
    kappa : float
        The condition number, at least 1.

    Returns
    -------
    float
        The factor, in :math:`[0, 1)`.

    Examples
    --------
    >>> round(nesterov_rate(9.0), 4)
    0.6667
    """
    return 1 - 1 / math.sqrt(_check_kappa(kappa))


def gd_tuning(largest: float, smallest: float) -> float:
    r"""The learning rate that makes plain descent fastest on a quadratic.

    :math:`\alpha = 2 / (\lambda_{\max} + \lambda_{\min})` balances the steepest and the flattest
    direction: both shrink by :math:`(\kappa - 1)/(\kappa + 1)` per step.

    Parameters
    ----------
    largest, smallest : float
        :math:`\lambda_{\max}` and :math:`\lambda_{\min}`, the extreme eigenvalues of the Hessian,
        with :math:`0 < \lambda_{\min} \le \lambda_{\max}`.

    Returns
    -------
    float
        The learning rate.

    Raises
    ------
    TypeError
        If `largest` or `smallest` is not a real number.
    ValueError
        If they are not finite with :math:`0 < \lambda_{\min} \le \lambda_{\max}`, or so large or
        so small that the learning rate overflows float64.

    Examples
    --------
    >>> gd_tuning(9.0, 1.0)
    0.2
    """
    top, bottom = _check_curvature_pair(largest, smallest)
    lr = 2 / (top + bottom)
    return _computed(lr, "the learning rate 2 / (largest + smallest)", top, bottom)


def heavy_ball_tuning(largest: float, smallest: float) -> tuple[float, float]:
    r"""The learning rate and momentum that make heavy ball fastest on a quadratic.

    .. math::

        \alpha = \frac{4}{(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2}, \qquad
        \beta = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2 .

    They are for the rule :math:`w_{k+1} = w_k - \alpha \nabla f(w_k) +
    \beta (w_k - w_{k-1})`, which is :class:`torch.optim.SGD` with
    ``lr=alpha, momentum=beta``.

    Parameters
    ----------
    largest, smallest : float
        :math:`\lambda_{\max}` and :math:`\lambda_{\min}`, with :math:`0 < \lambda_{\min} \le \lambda_{\max}`.

    Returns
    -------
    lr, momentum : float
        :math:`\alpha` and :math:`\beta`.

    Raises
    ------
    TypeError
        If `largest` or `smallest` is not a real number.
    ValueError
        If they are not finite with :math:`0 < \lambda_{\min} \le \lambda_{\max}`, if
        :math:`\lambda_{\max} / \lambda_{\min}` overflows, or if they are so large or so small that
        the learning rate overflows float64.

    Examples
    --------
    >>> heavy_ball_tuning(9.0, 1.0)
    (0.25, 0.25)
    """
    top, bottom = _check_curvature_pair(largest, smallest)
    kappa = _computed(
        top / bottom, "the condition number largest / smallest", top, bottom
    )
    roots = math.sqrt(top) + math.sqrt(bottom)
    lr = 4 / (roots * roots)  # not roots**2: a float ** raises where * gives inf
    lr = _computed(
        lr, "the learning rate 4 / (sqrt(largest) + sqrt(smallest))**2", top, bottom
    )
    return lr, heavy_ball_rate(kappa) ** 2


def nesterov_tuning(largest: float, smallest: float) -> tuple[float, float]:
    r"""The textbook learning rate and momentum for Nesterov's method.

    .. math::

        \alpha = \frac{1}{\lambda_{\max}}, \qquad
        \beta = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1},

    to use as ``lr`` and ``momentum`` of :class:`torch.optim.SGD` with
    ``nesterov=True``. The error then shrinks by :func:`nesterov_rate`.

    Parameters
    ----------
    largest, smallest : float
        :math:`\lambda_{\max}` and :math:`\lambda_{\min}`, with :math:`0 < \lambda_{\min} \le \lambda_{\max}`.

    Returns
    -------
    lr, momentum : float
        :math:`\alpha` and :math:`\beta`.

    Raises
    ------
    TypeError
        If `largest` or `smallest` is not a real number.
    ValueError
        If they are not finite with :math:`0 < \lambda_{\min} \le \lambda_{\max}`, if
        :math:`\lambda_{\max} / \lambda_{\min}` overflows, or if `largest` is so small that
        :math:`1 / \lambda_{\max}` overflows.

    Examples
    --------
    >>> nesterov_tuning(9.0, 1.0)
    (0.1111111111111111, 0.5)
    """
    top, bottom = _check_curvature_pair(largest, smallest)
    kappa = _computed(
        top / bottom, "the condition number largest / smallest", top, bottom
    )
    lr = _computed(1 / top, "the learning rate 1 / largest", top, bottom)
    return lr, heavy_ball_rate(kappa)


def measured_rate(
    history: object, minimum: object, window: tuple[int, int] | None = None
) -> float:
    r"""The average factor by which a run shrank its distance to the minimum.

    With :math:`e_k = \lVert w_k - w^\star \rVert`, this is the geometric mean
    of :math:`e_{k+1} / e_k` over the steps :math:`k` of `window`:

    .. math::

        \rho = \left( \frac{e_{\text{stop}}}{e_{\text{start}}}
               \right)^{1 / (\text{stop} - \text{start})} .

    Parameters
    ----------
    history : numpy.ndarray, list or torch.Tensor
        The iterates, one per row (or one number per step), start included.
    minimum : numpy.ndarray, list or float
        The minimiser :math:`w^\star`, of the shape of one iterate (or a
        float for every coordinate).
    window : tuple of int, optional
        ``(start, stop)``, the steps to average over, with
        ``0 <= start < stop < len(history)``. By default the second half of
        the run, where the slowest direction dominates.

    Returns
    -------
    float
        The measured factor per step.

    Raises
    ------
    TypeError
        If `history` or `minimum` does not hold real numbers, or `window` is
        not a pair of integers.
    ValueError
        If `history` holds fewer than two iterates, `minimum` does not have
        the shape of one, either is not finite, the window is empty or
        outside the history, or the run had already reached the minimum
        exactly at the window's start.

    Examples
    --------
    >>> import numpy as np
    >>> path = 10.0 * 0.5 ** np.arange(20)
    >>> measured_rate(path, 0.0)
    0.5
    """
    points = array(history, "history", dtype=np.float64, finite=_HAS_NO_RATE)
    target = array(minimum, "minimum", dtype=np.float64, finite=_HAS_NO_RATE)
    if points.ndim == 0 or len(points) < 2:
        msg = f"history must hold at least two iterates, got shape {points.shape}"
        raise ValueError(msg)
    one = points.shape[1:]
    try:
        fits = np.broadcast_shapes(target.shape, one) == one
    except ValueError:
        fits = False
    if not fits:
        msg = (
            f"minimum must have the shape {one} of one iterate of history (or "
            f"broadcast to it), got shape {target.shape}"
        )
        raise ValueError(msg)
    start, stop = _check_window(window, len(points))
    distance = _row_distances(points, target, "history")
    if distance[start] == 0:
        msg = f"the run was already at the minimum at step {start}; pick an earlier window"
        raise ValueError(msg)
    return float((distance[stop] / distance[start]) ** (1 / (stop - start)))


def _check_window(window: object, length: int) -> tuple[int, int]:
    """Return ``(start, stop)``: `window`, or the second half of the run."""
    if window is None:
        return length // 2, length - 1
    if (
        not isinstance(window, Sequence)
        or isinstance(window, str | bytes)
        or len(window) != 2
    ):
        msg = f"window must be a pair of integers (start, stop), got {describe(window)}"
        raise TypeError(msg)
    start = integer(window[0], "window[0]")
    stop = integer(window[1], "window[1]")
    if not 0 <= start < stop < length:
        msg = f"window must satisfy 0 <= start < stop < {length}, got {window!r}"
        raise ValueError(msg)
    return start, stop


def steps_to_tolerance(values: Sequence[float] | FloatArray, tol: float) -> int:
    """The first step at which a loss, or a distance, is below `tol`.

    Parameters
    ----------
    values : list of float or numpy.ndarray
        The loss at each iterate, or its distance to the minimum, the start
        (step 0) included.
    tol : float
        The tolerance, greater than 0.

    Returns
    -------
    int
        The smallest ``k`` with ``values[k] < tol``.

    Raises
    ------
    TypeError
        If `values` does not hold real numbers, or `tol` is not a real number.
    ValueError
        If no value is below `tol`, or `tol` is not positive.

    Examples
    --------
    >>> steps_to_tolerance([100.0, 64.0, 40.96, 26.2144], tol=50.0)
    2
    """
    threshold = real(tol, "tol", positive=True)
    values = array(values, "values", dtype=np.float64, finite=False).ravel()
    below = np.flatnonzero(values < threshold)
    if below.size == 0:
        smallest = float(np.min(values)) if values.size else math.nan
        msg = (
            f"no value is below tol={tol!r} in {values.size} values (the smallest "
            f"is {smallest:.3g}); run more steps or raise tol"
        )
        raise ValueError(msg)
    return int(below[0])


def distances(path: object, minimum: object) -> FloatArray:
    r"""The Euclidean distance :math:`\lVert w_k - w^\star \rVert` of each iterate.

    Parameters
    ----------
    path : numpy.ndarray, list or torch.Tensor
        The iterates, one per row (or one number per step), start included.
        A tensor is detached first.
    minimum : numpy.ndarray, list or float
        The minimiser :math:`w^\star`, of the shape of one iterate.

    Returns
    -------
    numpy.ndarray
        One distance per iterate.

    Raises
    ------
    TypeError
        If the arrays do not hold real numbers.
    ValueError
        If `path` is empty, its rows do not have the shape of `minimum`, or
        either holds ``inf`` or ``nan``.

    Examples
    --------
    >>> distances([[3.0, 4.0], [0.0, 1.0]], [0.0, 0.0])
    array([5., 1.])
    """
    points = array(path, "path", dtype=np.float64, finite=_HAS_NO_DISTANCE)
    target = array(minimum, "minimum", dtype=np.float64, finite=_HAS_NO_DISTANCE)
    if points.ndim == 0 or len(points) == 0 or points.shape[1:] != target.shape:
        msg = (
            f"path must hold iterates of the shape of minimum {target.shape}, one "
            f"per row, got shape {points.shape}"
        )
        raise ValueError(msg)
    return _row_distances(points, target, "path")


def _row_distances(points: FloatArray, target: FloatArray, name: str) -> FloatArray:
    """The Euclidean distance from `target` of each iterate (row) of `points`."""
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        errors = (points - target).reshape(len(points), -1)
        distance: FloatArray = np.linalg.norm(errors, axis=1)
    if not np.isfinite(distance).all():
        msg = (
            f"{name} has an iterate too far from minimum: its distance overflows "
            f"float64; the input is out of range"
        )
        raise ValueError(msg)
    return distance
