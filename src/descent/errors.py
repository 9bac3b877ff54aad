"""Exceptions raised when a descent run cannot give a meaningful answer."""

from __future__ import annotations

__all__ = ["DescentError", "DivergenceError", "StallError"]


class DescentError(ArithmeticError):
    """Base class for the errors a descent run reports instead of a bad number."""


class DivergenceError(DescentError):
    """The iterates left the finite floating-point numbers.

    Raised instead of returning ``nan`` or ``inf``: a run that blows up is a
    result worth reporting, not a value to hand back.

    Parameters
    ----------
    step : int
        The step (counting from 1) whose update produced a non-finite value.
    lr : float
        The learning rate of the run.
    last_finite : float
        The largest magnitude among the entries of the last finite iterate.

    Examples
    --------
    >>> from descent import gradient_descent
    >>> try:
    ...     gradient_descent(1.0, nsteps=5000, lr=1.5)
    ... except DivergenceError as err:
    ...     print(err.step, err.lr)
    1024 1.5
    """

    def __init__(self, step: int, lr: float, last_finite: float) -> None:
        self.step = step
        self.lr = lr
        self.last_finite = last_finite
        super().__init__(
            f"gradient descent diverged at step {step} with lr={lr!r}: the iterate "
            f"became inf or nan (the last finite iterate had magnitude "
            f"{last_finite:.3g}). Try a smaller learning rate."
        )


class StallError(DescentError):
    """A run with a tolerance can provably never reach it.

    Plain gradient descent is a deterministic map ``x -> x - lr * grad(x)``.
    Once an iterate repeats (a fixed point, or a two-point swing such as
    ``4 -> -4 -> 4``) every later iterate repeats too, so waiting for the loss
    to fall below ``tol`` would loop until ``nsteps`` runs out.

    Parameters
    ----------
    step : int
        The step at which the repetition was seen.
    period : int
        1 for a fixed point, 2 for a swing between two values.
    loss : float
        The loss at the repeating iterate, which is still ``>= tol``.
    tol : float
        The tolerance that cannot be reached.

    Examples
    --------
    >>> from descent import gradient_descent
    >>> try:
    ...     gradient_descent(4.0, nsteps=100, lr=1.0, tol=1e-6)
    ... except StallError as err:
    ...     print(err.step, err.period)
    2 2
    """

    def __init__(self, step: int, period: int, loss: float, tol: float) -> None:
        self.step = step
        self.period = period
        self.loss = loss
        self.tol = tol
        kind = "stopped moving" if period == 1 else "swings between two values"
        super().__init__(
            f"gradient descent {kind} at step {step} with loss {loss:.6g}, which is "
            f"not below tol={tol!r}; more steps cannot change that. Change the "
            f"learning rate or the tolerance."
        )
