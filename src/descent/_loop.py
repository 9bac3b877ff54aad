"""The loop that all three implementations share.

Each implementation supplies one ``step`` (how to move), and the loop does the
bookkeeping the chapters rely on: recording the history, both stopping rules,
and turning a blow-up or a hopeless tolerance into an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import numpy as np

from descent.errors import DivergenceError, StallError

if TYPE_CHECKING:
    from collections.abc import Callable

    import torch

    from descent._typing import AnyFloatArray

State = TypeVar("State")


class UpdateOverflow(ArithmeticError):
    """Raised by a ``step`` whose update cannot be computed in the iterate's dtype.

    PyTorch refuses, for example, a learning rate that does not fit in a
    float32 tensor's dtype rather than give ``inf``. That is the same blow-up
    as an iterate that overflows, and :func:`run` reports it the same way: as
    a :class:`~descent.DivergenceError` at the step that was being taken.
    """


def run(
    x: State,
    *,
    nsteps: int,
    lr: float,
    tol: float | None,
    step: Callable[[State], State],
    snapshot: Callable[[State], AnyFloatArray],
    loss_value: Callable[[State], float],
    memoryless: bool,
) -> tuple[State, AnyFloatArray]:
    """Take up to `nsteps` steps from `x` and return the last iterate and history.

    Parameters
    ----------
    x
        The start, in the implementation's own type.
    nsteps
        The number of steps, or the most steps to take when `tol` is given.
    lr
        The learning rate, only used to report divergence.
    tol
        Stop as soon as ``loss_value(x) < tol``; ``None`` takes all `nsteps`.
    step
        Maps one iterate to the next.
    snapshot
        Copies an iterate into a fresh NumPy array for the history.
    loss_value
        The loss at an iterate, as a Python float.
    memoryless
        True when the next iterate depends on the current one alone. Only then
        does a repeated iterate prove that the run is stuck for good.

    Raises
    ------
    DivergenceError
        If an iterate is not finite, or `step` raises :class:`UpdateOverflow`.
    StallError
        If `tol` is given, the run is `memoryless` and an iterate repeats.
    """
    history = [snapshot(x)]
    if tol is not None and loss_value(x) < tol:
        return x, np.stack(history)
    # Every iterate is checked before anything else sees it, so `step` and
    # `loss_value` are only ever called on finite iterates.
    for k in range(1, nsteps + 1):
        try:
            x = step(x)
        except UpdateOverflow as err:
            raise _diverged(k, lr, history) from err
        current = snapshot(x)
        if not np.isfinite(current).all():
            raise _diverged(k, lr, history)
        history.append(current)
        if tol is None:
            continue
        loss = loss_value(x)
        if loss < tol:
            break
        if memoryless:
            _check_not_stuck(history, k, loss, tol)
    return x, np.stack(history)


def is_dtype_overflow(err: RuntimeError) -> bool:
    """Tell whether PyTorch refused a number too large for a tensor's dtype.

    ``x.add_(g, alpha=-lr)`` raises "value cannot be converted to type float
    without overflow" when ``lr`` is beyond the largest float32 (or float16)
    of `x`, instead of computing ``inf``.
    """
    return "without overflow" in str(err)


def optimizer_step(optimizer: torch.optim.Optimizer) -> None:
    """Take a step of a torch optimizer; a number too large for the dtype is a blow-up.

    Raises
    ------
    UpdateOverflow
        If PyTorch refuses the step because a hyperparameter does not fit in
        the parameters' dtype; :func:`run` reports it as a divergence.
    """
    try:
        optimizer.step()
    except RuntimeError as err:
        if not is_dtype_overflow(err):
            raise
        raise UpdateOverflow(str(err)) from err


def _diverged(k: int, lr: float, history: list[AnyFloatArray]) -> DivergenceError:
    last = float(np.max(np.abs(history[-1])))
    return DivergenceError(step=k, lr=lr, last_finite=last)


def _check_not_stuck(
    history: list[AnyFloatArray], k: int, loss: float, tol: float
) -> None:
    # A deterministic map that revisits an iterate repeats itself forever, so the
    # tolerance can never be met; say so now rather than spin until nsteps.
    for period in (1, 2):
        if len(history) > period and np.array_equal(history[-1], history[-1 - period]):
            raise StallError(step=k, period=period, loss=loss, tol=tol)
