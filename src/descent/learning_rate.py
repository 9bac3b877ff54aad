r"""What the learning rate does to gradient descent on a quadratic.

On :math:`f(x) = \tfrac{c}{2} x^2` (with :math:`c = 2`, the tutorial's
:math:`x^2`) the update :math:`x \leftarrow x - \alpha f'(x)` multiplies
:math:`x` by the same factor :math:`1 - c\alpha` at every step, so the whole run
has a closed form, and the learning rate alone decides how it behaves.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, overload

import numpy as np

from descent._checks import array, integer, real
from descent.numpy_descent import gradient_descent

if TYPE_CHECKING:
    from descent._typing import FloatArray, IntArray

__all__ = ["REGIMES", "SweepRun", "closed_form", "lr_sweep", "regime"]


#: The five behaviours of descent on a quadratic, from the smallest learning
#: rate to the largest, as returned by :func:`regime`.
REGIMES = (
    "monotone convergence",
    "one-step convergence",
    "oscillating convergence",
    "two-point swing",
    "divergence",
)

#: The learning rates of the tutorial's sweep, one or two from each regime.
SWEEP_LRS = (0.01, 0.1, 0.5, 0.9, 1.0, 1.1)


def _check_steps(k: object) -> int | IntArray:
    """Return `k` as a non-negative int, or an array of them."""
    if isinstance(k, numbers.Number | str | bytes) or k is None:  # one step count
        return integer(k, "k", low=0)
    steps = array(k, "k", kinds="iu", dtype=np.int64)
    if steps.size and steps.min() < 0:
        msg = f"k must hold non-negative integers, got a minimum of {steps.min()}"
        raise ValueError(msg)
    return steps


@overload
def closed_form(x0: float, lr: float, k: int, *, curvature: float = 2.0) -> float: ...
@overload
def closed_form(
    x0: float, lr: float, k: IntArray | list[int] | range, *, curvature: float = 2.0
) -> FloatArray: ...
def closed_form(
    x0: float,
    lr: float,
    k: int | IntArray | list[int] | range,
    *,
    curvature: float = 2.0,
) -> float | FloatArray:
    r"""The iterate after `k` steps of gradient descent on a quadratic.

    On :math:`f(x) = \tfrac{c}{2} x^2`, whose derivative is :math:`c\,x`, one
    step maps :math:`x` to :math:`x - \alpha c x = (1 - c\alpha)\,x`, so

    .. math::

        x_k = (1 - c\alpha)^k \, x_0 .

    With the default :math:`c = 2` this is :math:`f(x) = x^2` and
    :math:`x_k = (1 - 2\alpha)^k x_0`.

    Parameters
    ----------
    x0 : float
        The starting point :math:`x_0`.
    lr : float
        The learning rate :math:`\alpha`; finite and greater than 0.
    k : int, list of int or numpy.ndarray
        The step count, or several of them (a list, a range or an integer
        array, possibly empty); 0 gives back `x0`.
    curvature : float, default 2.0
        The second derivative :math:`c` of the quadratic; greater than 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`x_k`: a float for an integer `k`, else an array shaped like `k`.

    Raises
    ------
    TypeError
        If `x0`, `lr` or `curvature` is not a real number, or `k` is not an
        integer or an array of integers.
    ValueError
        If `x0` is not finite, `lr` or `curvature` is not greater than 0, or
        `k` is negative.
    OverflowError
        If :math:`x_k`, or the power :math:`(1 - c\alpha)^k` in it, is beyond
        the largest float64: the run diverges before step `k`. The message
        names `lr` and the first such `k`.

    See Also
    --------
    regime : The behaviour this formula predicts for a learning rate.

    Examples
    --------
    With :math:`\alpha = 0.1` every step multiplies :math:`x` by 0.8:

    >>> closed_form(-10.0, 0.1, 2)
    -6.4...
    >>> closed_form(4.0, 0.1, [0, 1, 2, 3])
    array([4.   , 3.2  , 2.56 , 2.048])

    At :math:`\alpha = 1` the factor is :math:`-1`, a swing between two points:

    >>> closed_form(4.0, 1.0, range(4))
    array([ 4., -4.,  4., -4.])
    """
    start = real(x0, "x0")
    rate = real(lr, "lr", positive=True)
    c = real(curvature, "curvature", positive=True)
    steps = _check_steps(k)
    factor = 1.0 - c * rate
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        values = factor ** np.asarray(steps, dtype=np.float64) * start
    if not np.isfinite(values).all():
        first = int(np.min(np.asarray(steps)[~np.isfinite(values)]))
        msg = (
            f"closed_form overflows for lr={lr!r} at k={first}: the iterate "
            f"x0 * (1 - curvature * lr)**k = {start!r} * ({factor!r})**{first} "
            f"overflows float64: with this learning rate gradient descent diverges "
            f"(from any start but 0). Take fewer steps or a smaller lr"
        )
        raise OverflowError(msg)
    return float(values) if isinstance(steps, int) else values


def regime(lr: float, *, curvature: float = 2.0) -> str:
    r"""Name how gradient descent on a quadratic behaves at learning rate `lr`.

    The factor :math:`r = 1 - c\alpha` of :func:`closed_form` decides it:

    ============================  ======================  ===========================
    learning rate                 factor :math:`r`        behaviour
    ============================  ======================  ===========================
    :math:`0 < \alpha < 1/c`      :math:`0 < r < 1`       monotone convergence
    :math:`\alpha = 1/c`          :math:`r = 0`           one-step convergence
    :math:`1/c < \alpha < 2/c`    :math:`-1 < r < 0`      oscillating convergence
    :math:`\alpha = 2/c`          :math:`r = -1`          two-point swing
    :math:`\alpha > 2/c`          :math:`r < -1`          divergence
    ============================  ======================  ===========================

    For :math:`f(x) = x^2` (:math:`c = 2`) the boundaries are 0.5 and 1.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\alpha`; finite and greater than 0.
    curvature : float, default 2.0
        The second derivative :math:`c` of the quadratic; greater than 0.

    Returns
    -------
    str
        One of :data:`REGIMES`.

    Raises
    ------
    TypeError
        If `lr` or `curvature` is not a real number.
    ValueError
        If `lr` or `curvature` is not finite and greater than 0.

    Examples
    --------
    >>> for lr in (0.1, 0.5, 0.9, 1.0, 1.1):
    ...     print(lr, regime(lr))
    0.1 monotone convergence
    0.5 one-step convergence
    0.9 oscillating convergence
    1.0 two-point swing
    1.1 divergence

    A steeper quadratic moves the boundaries down, to :math:`1/c` and
    :math:`2/c`:

    >>> regime(0.05, curvature=30.0), regime(0.1, curvature=30.0)
    ('oscillating convergence', 'divergence')
    """
    rate = real(lr, "lr", positive=True)
    c = real(curvature, "curvature", positive=True)
    factor = 1.0 - c * rate
    if factor > 0:
        return REGIMES[0]
    if factor == 0:
        return REGIMES[1]
    if factor > -1:
        return REGIMES[2]
    if factor == -1:
        return REGIMES[3]
    return REGIMES[4]


class SweepRun(NamedTuple):
    """One learning rate of :func:`lr_sweep`: what was measured and predicted."""

    #: The learning rate of the run.
    lr: float
    #: Its behaviour, one of :data:`REGIMES`.
    regime: str
    #: The step numbers 0, 1, ..., nsteps.
    steps: IntArray
    #: The iterates :math:`x_k` that gradient descent visited.
    measured: FloatArray
    #: The iterates the closed form predicts, :math:`(1 - 2\alpha)^k x_0`.
    predicted: FloatArray


def lr_sweep(
    x0: float = 4.0, lrs: Iterable[float] = SWEEP_LRS, nsteps: int = 20
) -> list[SweepRun]:
    r"""Run gradient descent on :math:`x^2` for several learning rates.

    Each run starts at `x0` and takes `nsteps` steps with
    :func:`~descent.gradient_descent`; next to it is the prediction of
    :func:`closed_form`, :math:`x_k = (1 - 2\alpha)^k x_0`.

    Parameters
    ----------
    x0 : float, default 4.0
        The start of every run; finite.
    lrs : list of float, optional
        The learning rates to try, each finite and greater than 0; at least
        one. Any iterable will do. By default :data:`SWEEP_LRS`, that is
        0.01, 0.1, 0.5, 0.9, 1.0 and 1.1.
    nsteps : int, default 20
        How many steps each run takes. Keep it short for divergent rates: a
        run that overflows raises :class:`~descent.DivergenceError`.

    Returns
    -------
    list of SweepRun
        One per learning rate, in the order given.

    Raises
    ------
    TypeError
        If `x0`, a learning rate or `nsteps` has the wrong type.
    ValueError
        If `lrs` is empty or holds a value out of range, or `nsteps < 0`.
    DivergenceError
        If a run overflows within `nsteps` steps.

    Examples
    --------
    >>> runs = lr_sweep(4.0, lrs=[0.1, 1.0], nsteps=3)
    >>> [run.regime for run in runs]
    ['monotone convergence', 'two-point swing']
    >>> runs[1].measured
    array([ 4., -4.,  4., -4.])
    >>> bool(np.allclose(runs[0].measured, runs[0].predicted))
    True
    """
    start = real(x0, "x0")
    if isinstance(lrs, str | bytes) or not isinstance(lrs, Iterable):
        msg = f"lrs must be an iterable of learning rates, got {lrs!r}"
        raise TypeError(msg)
    rates = [real(lr, "lr", positive=True) for lr in lrs]
    if not rates:
        msg = "lrs must hold at least one learning rate, got none"
        raise ValueError(msg)
    runs = []
    for rate in rates:
        _, history = gradient_descent(start, nsteps, lr=rate)
        steps = np.arange(len(history), dtype=np.int64)
        runs.append(
            SweepRun(
                lr=rate,
                regime=regime(rate),
                steps=steps,
                measured=np.asarray(history, dtype=np.float64),
                predicted=closed_form(start, rate, steps),
            )
        )
    return runs
