"""The loop that all three implementations share.

Each implementation supplies one ``step`` (how to move), and the loop does the
bookkeeping the chapters rely on: recording the history, both stopping rules,
and turning a blow-up or a hopeless tolerance into an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from descent.errors import DivergenceError, StallError

State = TypeVar("State")
Snapshot = np.ndarray[Any, np.dtype[np.floating[Any]]]


def run(
    x: State,
    *,
    nsteps: int,
    lr: float,
    tol: float | None,
    step: Callable[[State], State],
    snapshot: Callable[[State], Snapshot],
    loss_value: Callable[[State], float],
    memoryless: bool,
) -> tuple[State, Snapshot]:
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
    """
    history = [snapshot(x)]
    if tol is not None and loss_value(x) < tol:
        return x, np.stack(history)
    for k in range(1, nsteps + 1):
        x = step(x)
        current = snapshot(x)
        if not np.isfinite(current).all():
            last = float(np.max(np.abs(history[-1])))
            raise DivergenceError(step=k, lr=lr, last_finite=last)
        history.append(current)
        if tol is None:
            continue
        loss = loss_value(x)
        if loss < tol:
            break
        if memoryless:
            _check_not_stuck(history, k, loss, tol)
    return x, np.stack(history)


def _check_not_stuck(history: list[Snapshot], k: int, loss: float, tol: float) -> None:
    # A deterministic map that revisits an iterate repeats itself forever, so the
    # tolerance can never be met; say so now rather than spin until nsteps.
    for period in (1, 2):
        if len(history) > period and np.array_equal(history[-1], history[-1 - period]):
            raise StallError(step=k, period=period, loss=loss, tol=tol)
