"""Gradient descent with PyTorch: autograd by hand, then ``torch.optim.SGD``."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from descent import _loop
from descent._checks import (
    array,
    callable_,
    is_tensor,
    real,
    sgd_options,
    step_count,
)
from descent.functions import f

if TYPE_CHECKING:
    from collections.abc import Callable

    import torch

    from descent._typing import AnyFloatArray

__all__ = ["gradient_descent_sgd", "gradient_descent_torch"]


def _leaf(x: object) -> torch.Tensor:
    """Return a fresh leaf tensor that requires grad, leaving `x` untouched."""
    import torch  # noqa: PLC0415  (importing torch is slow; only pay for it here)

    if not isinstance(x, bool) and isinstance(x, numbers.Real):
        leaf = torch.tensor(real(x, "x"))
    elif isinstance(x, torch.Tensor):
        if not x.is_floating_point():
            msg = (
                f"x must be a floating-point tensor for autograd, got dtype {x.dtype}; "
                f"write torch.tensor(-10.0) rather than torch.tensor(-10)"
            )
            raise TypeError(msg)
        leaf = x.detach().clone()
    else:
        msg = (
            f"x must be a float or a floating-point torch tensor, got "
            f"{type(x).__name__} {x!r}"
        )
        raise TypeError(msg)
    array(leaf, "x", nonempty=True)  # a float beyond float32 is inf in the leaf
    return leaf.requires_grad_(True)


def _snapshot(x: torch.Tensor) -> AnyFloatArray:
    # detach: the history must not hold on to the graph; copy: .numpy() shares
    # memory with the tensor, which the next in-place update would overwrite.
    return x.detach().numpy().copy()


def _sum_of_f(x: torch.Tensor) -> torch.Tensor:
    return f(x).sum()


def _scalar_loss(
    loss: Callable[[Any], Any], x: torch.Tensor, *, grad: bool = False
) -> torch.Tensor:
    value = loss(x)
    if not is_tensor(value) or value.ndim != 0:
        shape = tuple(value.shape) if is_tensor(value) else type(value).__name__
        msg = f"loss must return a scalar tensor (0-d), got {shape}"
        raise ValueError(msg)
    if grad and not value.requires_grad:
        msg = "loss must depend on x through operations autograd can follow"
        raise ValueError(msg)
    return value


def _add_out_of_range(x: torch.Tensor, grad: torch.Tensor, lr: float) -> None:
    """Set `x` to ``x - lr * grad`` for an `lr` that does not fit in x's dtype.

    The update is computed in float64 and rounded to x's dtype, so an entry
    overflows to ``inf`` exactly when its gradient is not 0, and the loop
    reports the run as diverged. Only this case takes this path: every `lr`
    that fits goes through ``add_``, whose rounding the chapters examine.
    """
    x.copy_(x.double() - lr * grad.double())


def _loss_value(loss: Callable[[Any], Any]) -> Callable[[torch.Tensor], float]:
    import torch  # noqa: PLC0415

    def value(x: torch.Tensor) -> float:
        with torch.no_grad():
            return float(_scalar_loss(loss, x))

    return value


def gradient_descent_torch(
    x: float | torch.Tensor,
    nsteps: int = 1,
    *,
    lr: float = 0.1,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
) -> tuple[torch.Tensor, AnyFloatArray]:
    r"""Minimise a function by gradient descent, with PyTorch's autograd.

    No derivative is written by hand: ``loss(x).backward()`` fills ``x.grad``,
    and the update runs under :func:`torch.no_grad` so that it is not itself
    recorded for differentiation:

    .. math::

        g_k = \nabla f(x_k) \text{ (by autograd)}, \qquad
        x_{k+1} = x_k - \alpha \, g_k.

    The update uses ``x.add_(x.grad, alpha=-lr)``, the same call as
    :class:`torch.optim.SGD`. On PyTorch's AVX2 and AVX512 CPU kernels it
    computes :math:`x - \alpha g` with a single rounding (a fused
    multiply-add), where NumPy rounds the product and the difference
    separately, so the two can differ in the last bits; the DEFAULT kernel
    rounds twice, as NumPy does. A learning rate too large for the
    dtype of `x` (beyond the largest float32 for a float32 `x`), which
    ``add_`` refuses, is applied in float64 instead: every entry with a
    nonzero gradient overflows, and the run is reported as diverged.

    Parameters
    ----------
    x : float or torch.Tensor
        The starting point. A float becomes a tensor of PyTorch's default dtype
        (float32). A tensor must be floating point; it is copied, never changed.
    nsteps : int, default 1
        How many steps to take. With `tol`, the most steps to take.
    lr : float, default 0.1
        The learning rate :math:`\alpha`; finite and greater than 0.
    loss : callable, optional
        The function to minimise. It must return a 0-d tensor that depends on
        `x`. By default, :math:`f` summed over the entries of `x`.
    tol : float, optional
        Stop as soon as ``loss(x) < tol``, checked before every step.

    Returns
    -------
    x : torch.Tensor
        The last iterate, a leaf tensor with ``requires_grad=True``, so it can
        be passed straight back in to continue.
    history : numpy.ndarray
        Every iterate, starting point included, as NumPy values.

    Raises
    ------
    TypeError
        If an argument has the wrong type, such as an integer tensor.
    ValueError
        If a value is out of range, or `loss` does not return a scalar.
    DivergenceError
        If an iterate overflows to ``inf`` or ``nan``, including when `lr` is
        too large for the dtype of `x` (beyond the largest float32 for a
        float32 `x`) and the gradient is not 0.
    StallError
        If `tol` is given and the iterates repeat while the loss is still
        at or above `tol`.

    See Also
    --------
    gradient_descent : The NumPy version, with a hand-written derivative.
    gradient_descent_sgd : The same loop with ``torch.optim.SGD``.

    Examples
    --------
    >>> import torch
    >>> x, history = gradient_descent_torch(torch.tensor(-10.0), nsteps=2)
    >>> x
    tensor(-6.4000, requires_grad=True)
    >>> history
    array([-10. ,  -8. ,  -6.4], dtype=float32)
    """
    import torch  # noqa: PLC0415

    tol = None if tol is None else real(tol, "tol", positive=True)
    nsteps = step_count(nsteps, tol)
    lr = real(lr, "lr", positive=True)
    objective = _sum_of_f if loss is None else callable_(loss, "loss")
    start = _leaf(x)

    def step(current: torch.Tensor) -> torch.Tensor:
        _scalar_loss(objective, current, grad=True).backward()  # type: ignore[no-untyped-call]
        assert current.grad is not None  # backward() on a leaf always sets it
        with torch.no_grad():
            try:
                current.add_(current.grad, alpha=-lr)
            except RuntimeError as err:
                if not _loop.is_dtype_overflow(err):
                    raise
                _add_out_of_range(current, current.grad, lr)
        # backward() adds into .grad; without this the next step would use the
        # sum of all gradients so far.
        current.grad.zero_()
        return current

    return _loop.run(
        start,
        nsteps=nsteps,
        lr=lr,
        tol=tol,
        step=step,
        snapshot=_snapshot,
        loss_value=_loss_value(objective),
        memoryless=True,
    )


def gradient_descent_sgd(
    x: float | torch.Tensor,
    nsteps: int = 1,
    *,
    lr: float = 0.1,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
    **options: Any,
) -> tuple[torch.Tensor, AnyFloatArray]:
    r"""Minimise a function with :class:`torch.optim.SGD`.

    Neither the derivative nor the update is written by hand: each step is
    ``zero_grad()``, ``loss(x).backward()``, ``step()``. With the default
    options the rule is the same as in :func:`gradient_descent_torch`,

    .. math::

        x_{k+1} = x_k - \alpha \, \nabla f(x_k),

    and `options` switch on the rest of SGD's rule (momentum, dampening,
    Nesterov, weight decay, maximize).

    Parameters
    ----------
    x : float or torch.Tensor
        The starting point, as for :func:`gradient_descent_torch`.
    nsteps : int, default 1
        How many steps to take. With `tol`, the most steps to take.
    lr : float, default 0.1
        The learning rate :math:`\alpha`; finite and greater than 0.
    loss : callable, optional
        The function to minimise. It must return a 0-d tensor that depends on
        `x`. By default, :math:`f` summed over the entries of `x`.
    tol : float, optional
        Stop as soon as ``loss(x) < tol``, checked before every step.
    **options
        Passed to :class:`torch.optim.SGD`, for example ``momentum=0.9``.
        ``momentum``, ``dampening`` and ``weight_decay`` must be finite real
        numbers; PyTorch checks their range and raises ``ValueError`` for bad
        values.

    Returns
    -------
    x : torch.Tensor
        The last iterate, a leaf tensor with ``requires_grad=True``.
    history : numpy.ndarray
        Every iterate, starting point included, as NumPy values.

    Raises
    ------
    TypeError
        If an argument has the wrong type, such as ``momentum="0.9"``, or
        `options` names an argument that ``torch.optim.SGD`` does not take.
    ValueError
        If a value is out of range, as for :func:`gradient_descent_torch`, or
        a numeric option is not finite.
    DivergenceError
        If an iterate overflows to ``inf`` or ``nan``, or an update cannot be
        represented in the dtype of `x` (PyTorch refuses a learning rate
        beyond the largest float32 for a float32 `x`).
    StallError
        If `tol` is given, there is no momentum, and the iterates repeat while
        the loss is still at or above `tol`.

    See Also
    --------
    gradient_descent_torch : The same loop with the update written out.

    Examples
    --------
    >>> import torch
    >>> x, history = gradient_descent_sgd(torch.tensor(-10.0), nsteps=2)
    >>> x
    tensor(-6.4000, requires_grad=True)

    Options go straight to the optimizer:

    >>> x, _ = gradient_descent_sgd(-10.0, nsteps=2, momentum=0.9)
    >>> round(x.item(), 4)
    -4.6
    """
    import torch  # noqa: PLC0415

    tol = None if tol is None else real(tol, "tol", positive=True)
    nsteps = step_count(nsteps, tol)
    lr = real(lr, "lr", positive=True)
    objective = _sum_of_f if loss is None else callable_(loss, "loss")
    if "params" in options:
        msg = "options must not contain 'params'; the parameter is x"
        raise TypeError(msg)
    sgd_options(options)
    start = _leaf(x)
    optimizer = torch.optim.SGD([start], lr=lr, **options)

    def step(current: torch.Tensor) -> torch.Tensor:
        optimizer.zero_grad()
        _scalar_loss(objective, current, grad=True).backward()  # type: ignore[no-untyped-call]
        _loop.optimizer_step(optimizer)
        return current

    # With momentum the next step also depends on the velocity, so a repeated
    # iterate does not mean a repeated future.
    memoryless = not options.get("momentum", 0)
    return _loop.run(
        start,
        nsteps=nsteps,
        lr=lr,
        tol=tol,
        step=step,
        snapshot=_snapshot,
        loss_value=_loss_value(objective),
        memoryless=memoryless,
    )
