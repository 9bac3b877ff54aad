r"""Where finite precision ends a descent: stalls, and magnitudes on a log scale.

On :math:`f(x) = x^2` every step multiplies :math:`x` by :math:`1 - 2\alpha`,
so in exact arithmetic :math:`x` shrinks forever. A floating-point number
cannot: once :math:`x - \alpha f'(x)` rounds back to :math:`x` itself, the
iterate is frozen. :func:`stall_step` finds that step in a recorded history;
:func:`descent.plotting.plot_magnitudes` draws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from descent._checks import array

if TYPE_CHECKING:
    from descent._typing import AnyFloatArray

__all__ = ["stall_step"]

#: What a history must hold, and why.
_NO_STALL = (
    "hold finite numbers only (a run that reached inf or nan has no stall to find "
    "and nothing to draw on a log axis)"
)


def _check_history(history: object, name: str) -> AnyFloatArray:
    """Return `history` as a finite floating array with one iterate per row.

    Integers become float64; floating dtypes are kept, since the precision is
    the point of this module. A tensor is detached first.
    """
    steps = array(history, name, expected="an array of iterates", finite=_NO_STALL)
    if steps.ndim == 0:
        msg = (
            f"{name} must have one entry per step (at least one dimension), got "
            f"the single number {steps.item()!r}"
        )
        raise ValueError(msg)
    if steps.shape[0] == 0:
        msg = f"{name} must hold at least one iterate, got an empty array"
        raise ValueError(msg)
    return steps


def stall_step(history: object) -> int | None:
    r"""Return the step from which the iterate never changes again.

    The iterates are :math:`x_0, x_1, \dots, x_n`, where :math:`x_k` is the
    value after step :math:`k` (so :math:`x_0` is the start). The answer is
    the smallest :math:`k` with :math:`x_k = x_{k+1} = \dots = x_n`: the step
    that brought :math:`x` to the value it keeps. Every update after it,

    .. math::

        x_{k+1} = \operatorname{round}(x_k - \alpha \nabla f(x_k)) = x_k,

    rounds back to where it started. For plain gradient descent, which is a
    deterministic map, one such update is enough to freeze :math:`x` forever;
    for other methods (momentum keeps a velocity) the answer only describes
    the recorded steps.

    Parameters
    ----------
    history : array_like or torch.Tensor
        The iterates, one per row (shape ``(n + 1, ...)``), such as the
        history from :func:`~descent.gradient_descent`. A row with several
        numbers counts as unchanged only if all of them are.

    Returns
    -------
    int or None
        The step :math:`k`, or ``None`` if the last step still changed the
        iterate. ``0`` means that no step ever moved it.

    Raises
    ------
    TypeError
        If `history` does not hold real numbers.
    ValueError
        If `history` holds fewer than two iterates, or ``inf`` or ``nan``.

    Examples
    --------
    The iterate reaches -4 at step 3 and stays there:

    >>> stall_step([-8.0, -6.0, -5.0, -4.0, -4.0, -4.0])
    3
    >>> stall_step([1.0, 0.5, 0.25]) is None
    True

    Descent from -10 in float32 freezes at twice the smallest subnormal:

    >>> import numpy as np
    >>> from descent import gradient_descent
    >>> x, history = gradient_descent(np.float32(-10.0), nsteps=1002)
    >>> k = stall_step(history)
    >>> k, float(history[k]) == -(2.0**-148)
    (469, True)
    """
    steps = _check_history(history, "history")
    count = steps.shape[0]
    if count < 2:
        msg = f"history must hold at least two iterates to show a stall, got {count}"
        raise ValueError(msg)
    rows = steps.reshape(count, -1)
    unchanged = np.all(rows[1:] == rows[:-1], axis=1)  # entry k-1: did step k move?
    if not unchanged[-1]:
        return None
    moved = np.flatnonzero(~unchanged)
    return 0 if moved.size == 0 else int(moved[-1]) + 1
