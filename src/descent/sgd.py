r"""Stochastic gradient descent with momentum, written from scratch in NumPy.

The update rule is the one of :class:`torch.optim.SGD`, option for option, so
the two can be run side by side and compared number for number. So is the
design: there is no optimizer object, only plain functions over an explicit
state, which change the parameters and the state *in place*. That is the form
of PyTorch's functional SGD (``torch.optim.sgd.sgd``, whose one-tensor-at-a-time
loop is ``_single_tensor_sgd``): it takes the parameters, their gradients and
the momentum buffers, and updates the parameters and the buffers where they
are. It is not optax's form, although it looks alike: an optax update is a pure
function that returns new updates and a new state, and changes neither its
inputs nor the parameters.

- :func:`sgd_step` is the rule itself, for one array, in a dozen lines that
  read like the maths. The momentum chapter of the tutorial shows it.
- :func:`sgd_init` checks the hyperparameters (as PyTorch's constructor does)
  and allocates the state: a momentum buffer per parameter array and a small
  scratch space that fits in the CPU cache.
- :func:`sgd_update` applies one step to every parameter array, in place.
  It runs the rule through a fast path that gives the same numbers, bit for
  bit, without allocating: every operation writes into the parameters, the
  momentum buffer or the scratch space with ``out=``, in blocks of
  :data:`BLOCK_SIZE` elements, so each block is read from memory once, worked
  on in the cache, and written back once (see ``descent._sgd_blocked``).
- :func:`sgd_run` runs the loop on a gradient function and records the path,
  like :func:`descent.gradient_descent`.
- :func:`sgd_run_torch` runs :class:`torch.optim.SGD` on the same gradient
  function, as a reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np

from descent import _loop, _sgd_blocked
from descent._checks import (
    callable_,
    describe,
    flag,
    real,
    sgd_options,
    start_point,
    step_count,
)
from descent._sgd_blocked import make_scratch, sgd_step_blocked

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import torch

    from descent._typing import AnyFloatArray

__all__ = [
    "BLOCK_SIZE",
    "SGDState",
    "sgd_init",
    "sgd_run",
    "sgd_run_torch",
    "sgd_step",
    "sgd_update",
]

#: How many elements of each array :func:`sgd_update` works on at a time. The
#: five blocks in play (parameters, gradient, buffer, two scratch arrays) take
#: 1.25 MiB in float32, 2.5 MiB in float64: they stay in the CPU's caches
#: between the operations of a step, and only the first read and the last
#: write of each block go to main memory.
BLOCK_SIZE = _sgd_blocked.BLOCK_SIZE


@dataclass(eq=False)
class SGDState:
    """The state of the from-scratch SGD optimizer, made by :func:`sgd_init`.

    :func:`sgd_update` changes it in place: the buffers' contents and `step`.

    Attributes
    ----------
    lr, momentum, dampening, weight_decay : float
        The hyperparameters, checked by :func:`sgd_init`.
    nesterov, maximize : bool
        The two switches of the rule.
    shapes : tuple of tuple of int
        The shape of each parameter array.
    dtypes : tuple of numpy.dtype
        The dtype of each parameter array.
    momentum_buffers : tuple of numpy.ndarray
        One buffer per parameter array, empty when ``momentum == 0``. Before
        the first step its contents are undefined; the first step copies the
        gradient into it.
    scratch : tuple of tuple of numpy.ndarray
        Per parameter array, two work arrays of ``min(size, BLOCK_SIZE)``
        elements.
    step : int
        How many steps have been taken.
    """

    lr: float
    momentum: float
    dampening: float
    weight_decay: float
    nesterov: bool
    maximize: bool
    shapes: tuple[tuple[int, ...], ...]
    dtypes: tuple[np.dtype[Any], ...]
    momentum_buffers: tuple[AnyFloatArray, ...]
    scratch: tuple[tuple[AnyFloatArray, AnyFloatArray], ...]
    step: int = 0


def sgd_step(
    param: AnyFloatArray,
    grad: AnyFloatArray,
    buf: AnyFloatArray | None,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    first: bool,
) -> None:
    r"""The rule of :class:`torch.optim.SGD`: one step on one array, in place.

    With the gradient :math:`\nabla L(w)` at the weights :math:`w`, the
    learning rate :math:`\alpha`, momentum :math:`\beta`, dampening
    :math:`\tau` and weight decay :math:`\delta`, as in the notation table of
    the tutorial:

    .. math::

        \begin{aligned}
        g &\leftarrow \begin{cases}
            -\nabla L(w) & \text{if maximize} \\
            \nabla L(w) & \text{otherwise}
        \end{cases} \\
        g &\leftarrow g + \delta w
            && \text{if } \delta \neq 0 \\
        b &\leftarrow \begin{cases}
            g & \text{on the first step} \\
            \beta b + (1 - \tau) g & \text{after it}
        \end{cases}
            && \text{if } \beta \neq 0 \\
        g &\leftarrow \begin{cases}
            g + \beta b & \text{if nesterov} \\
            b & \text{otherwise}
        \end{cases}
            && \text{if } \beta \neq 0 \\
        w &\leftarrow w - \alpha g
        \end{aligned}

    Two details are PyTorch's: the sign is flipped for `maximize` before the
    weight decay is added, so the decay still pulls :math:`w` towards 0;
    and the buffer starts as a plain copy of the first gradient, so dampening
    applies from the second step on.

    This is the readable form, as in PyTorch's ``_single_tensor_sgd``: `param`
    and `buf` are updated in place, and each line makes temporary arrays of
    the size of `param`. :func:`sgd_update` takes the same step without them.

    Parameters
    ----------
    param : numpy.ndarray
        The weights :math:`w`; updated in place.
    grad : numpy.ndarray
        The gradient :math:`\nabla L(w)`, of the shape and dtype of
        `param`; only read.
    buf : numpy.ndarray or None
        The momentum buffer :math:`b`, of the shape and dtype of `param`;
        updated in place. ``None`` if and only if ``momentum == 0``.
    lr, momentum, dampening, weight_decay : float
        :math:`\alpha`, :math:`\beta`, :math:`\tau` and :math:`\delta`, as
        checked by :func:`sgd_init`.
    nesterov, maximize : bool
        The two switches.
    first : bool
        Whether this is the first step, when `buf` is filled, not updated.

    Examples
    --------
    Two steps of heavy-ball momentum on :math:`L(w) = w^2`:

    >>> import numpy as np
    >>> w, buf = np.array([1.0]), np.empty(1)
    >>> options = dict(lr=0.25, momentum=0.5, dampening=0.0, weight_decay=0.0,
    ...                nesterov=False, maximize=False)
    >>> sgd_step(w, 2 * w, buf, **options, first=True)
    >>> w, buf  # b = g = 2, w = 1 - 0.25 * 2
    (array([0.5]), array([2.]))
    >>> sgd_step(w, 2 * w, buf, **options, first=False)
    >>> w, buf  # b = 0.5 * 2 + 1, w = 0.5 - 0.25 * 2
    (array([0.]), array([2.]))
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    if momentum != 0:
        assert buf is not None, "momentum != 0 needs a buffer"
        if first:
            buf[...] = g
        else:
            buf[...] = momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    param -= lr * g


def sgd_init(
    params: AnyFloatArray | Sequence[AnyFloatArray],
    *,
    lr: float = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> SGDState:
    r"""Check the hyperparameters and make the state for :func:`sgd_update`.

    The arguments and their defaults are those of :class:`torch.optim.SGD`,
    and so are the checks: ``lr``, ``momentum`` and ``weight_decay`` must be
    at least 0, and Nesterov momentum needs ``momentum > 0`` and
    ``dampening == 0``. In addition, every number must be finite.

    Parameters
    ----------
    params : numpy.ndarray or list of numpy.ndarray
        The parameter arrays to optimize: floating point, C-contiguous and
        writeable, since :func:`sgd_update` changes them in place.
    lr : float, default 1e-3
        The learning rate :math:`\alpha`.
    momentum : float, default 0
        The momentum factor :math:`\beta`; 0 switches momentum off.
    dampening : float, default 0
        The dampening :math:`\tau`: the new gradient enters the buffer with
        weight :math:`1 - \tau`, from the second step on.
    weight_decay : float, default 0
        The L2 penalty :math:`\delta`, added to the gradient as
        :math:`\delta w`.
    nesterov : bool, default False
        Use Nesterov momentum.
    maximize : bool, default False
        Climb the objective instead of descending it.

    Returns
    -------
    SGDState
        The hyperparameters, a momentum buffer per array (when ``momentum``
        is not 0) and the scratch space, allocated here once.

    Raises
    ------
    TypeError
        If `params` is not an array or a list of floating arrays, or an
        argument has the wrong type.
    ValueError
        If a number is out of range or not finite, if Nesterov momentum is
        asked for without momentum or with dampening, or if an array of
        `params` is not C-contiguous and writeable.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, 2.0])
    >>> state = sgd_init(w, lr=0.1, momentum=0.9, nesterov=True)
    >>> state.step, len(state.momentum_buffers)
    (0, 1)
    >>> sgd_init(w, momentum=0.9, dampening=0.1, nesterov=True)
    Traceback (most recent call last):
    ...
    ValueError: nesterov=True requires momentum > 0 and dampening == 0, got momentum=0.9, dampening=0.1
    """
    arrays, hyper = _check_init_arguments(
        params,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
        maximize=maximize,
    )
    buffers = tuple(np.empty_like(p) for p in arrays) if hyper.momentum else ()
    return SGDState(
        lr=hyper.lr,
        momentum=hyper.momentum,
        dampening=hyper.dampening,
        weight_decay=hyper.weight_decay,
        nesterov=hyper.nesterov,
        maximize=hyper.maximize,
        shapes=tuple(p.shape for p in arrays),
        dtypes=tuple(p.dtype for p in arrays),
        momentum_buffers=buffers,
        scratch=tuple(make_scratch(p) for p in arrays),
    )


def sgd_update(
    params: AnyFloatArray | Sequence[AnyFloatArray],
    grads: AnyFloatArray | Sequence[AnyFloatArray],
    state: SGDState,
) -> None:
    r"""Take one step of SGD, changing `params` and `state` in place.

    The step is :func:`sgd_step` on every array, with the hyperparameters of
    `state` and its momentum buffers; see there for the rule. Like PyTorch's
    functional ``torch.optim.sgd.sgd``, and unlike an optax update, it returns
    nothing: the parameters, the buffers and ``state.step`` are changed where
    they are.

    It runs the rule through a fast path, ``descent._sgd_blocked``, which
    makes the same operations in the same order, so the numbers are those of
    :func:`sgd_step` bit for bit, but writes every intermediate result into
    the scratch space of `state`, one cache-sized block of :data:`BLOCK_SIZE`
    elements at a time. So a step allocates nothing of the arrays' size, and
    each block goes through main memory only once, where the readable rule
    makes a temporary array and a pass over all of memory for each
    operation. The test suite holds both promises: ``tests/test_sgd_alloc.py``
    measures a step's peak allocation with ``tracemalloc``, and
    ``tests/test_sgd_blocked.py`` checks the two forms bit for bit on random
    shapes, dtypes and options. ``benchmarks/sgd_step.py`` times a step on ten
    million weights with both, against :class:`torch.optim.SGD`.

    The result agrees with PyTorch's to rounding: PyTorch's AVX2 and AVX512
    CPU kernels compute ``a + alpha * b`` as one fused multiply-add, rounded
    once, where NumPy rounds the product and the sum separately, so a step can
    differ in the last bit; the DEFAULT kernel rounds twice, as NumPy does.

    Like PyTorch, the step does not look at the values: an update that
    overflows leaves ``inf`` or ``nan`` in `params`. :func:`sgd_run` checks
    every iterate and raises :class:`~descent.DivergenceError` instead.

    Parameters
    ----------
    params : numpy.ndarray or list of numpy.ndarray
        The arrays given to :func:`sgd_init`; updated in place.
    grads : numpy.ndarray or list of numpy.ndarray
        One gradient per parameter array, of the same shape and dtype. They
        are only read.
    state : SGDState
        The state from :func:`sgd_init`; its buffers and step count are
        updated in place.

    Raises
    ------
    TypeError
        If `state` is not an :class:`SGDState`, or `params` or `grads` are not
        arrays.
    ValueError
        If the arrays do not match the ones the state was made for, or a
        gradient's shape or dtype differs from its parameter's.

    Examples
    --------
    Heavy-ball momentum on :math:`L(w) = \tfrac{1}{2}\lVert w \rVert^2`,
    whose gradient is :math:`w`:

    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> state = sgd_init(w, lr=0.5, momentum=0.5)
    >>> sgd_update(w, w.copy(), state)  # the buffer starts as the gradient
    >>> w
    array([ 0.5, -1. ])
    >>> sgd_update(w, w.copy(), state)  # b = 0.5 * [1, -2] + [0.5, -1]
    >>> w
    array([0., 0.])
    >>> state.step
    2
    """
    ps, gs = _check_update_arguments(params, grads, state)
    for i in range(len(ps)):
        work, tmp = state.scratch[i]
        sgd_step_blocked(
            ps[i],
            gs[i],
            state.momentum_buffers[i] if state.momentum != 0 else None,
            work,
            tmp,
            lr=state.lr,
            momentum=state.momentum,
            dampening=state.dampening,
            weight_decay=state.weight_decay,
            nesterov=state.nesterov,
            maximize=state.maximize,
            first=state.step == 0,
        )
    state.step += 1


@overload
def sgd_run(
    x: float,
    nsteps: int = 1,
    *,
    grad: Callable[[Any], Any],
    lr: float = 0.1,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> tuple[float, AnyFloatArray]: ...
@overload
def sgd_run(
    x: AnyFloatArray,
    nsteps: int = 1,
    *,
    grad: Callable[[Any], Any],
    lr: float = 0.1,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> tuple[AnyFloatArray, AnyFloatArray]: ...
def sgd_run(
    x: float | AnyFloatArray,
    nsteps: int = 1,
    *,
    grad: Callable[[Any], Any],
    lr: float = 0.1,
    loss: Callable[[Any], Any] | None = None,
    tol: float | None = None,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> tuple[float | AnyFloatArray, AnyFloatArray]:
    r"""Run the from-scratch SGD from `x` and record every iterate.

    Each step evaluates ``grad`` at the current point and applies
    :func:`sgd_update`; the options are those of :func:`sgd_init`.

    Parameters
    ----------
    x : float or numpy.ndarray
        The starting point; it is copied, never changed. Integers become
        float64.
    nsteps : int, default 1
        How many steps to take. With `tol`, the most steps to take.
    grad : callable
        The gradient, :math:`x \mapsto \nabla f(x)`, returning an array of
        the shape of `x`.
    lr : float, default 0.1
        The learning rate :math:`\alpha`, at least 0.
    loss : callable, optional
        The objective; needed with `tol`.
    tol : float, optional
        Stop as soon as ``loss(x) < tol``, checked before every step.
    momentum, dampening, weight_decay, nesterov, maximize
        As for :func:`sgd_init`.

    Returns
    -------
    x : float or numpy.ndarray
        The last iterate: a float if a Python number was given.
    history : numpy.ndarray
        Every iterate, the start included, stacked along the first axis.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a value is out of range, `tol` is given without `loss`, or `grad`
        returns an array of the wrong shape.
    ~descent.DivergenceError
        If an iterate overflows to ``inf`` or ``nan``.
    ~descent.StallError
        If `tol` is given, there is no momentum, and the iterates repeat while
        the loss is still at or above `tol`.

    See Also
    --------
    sgd_run_torch : The same loop with :class:`torch.optim.SGD`.

    Examples
    --------
    On :math:`f(x) = x^2`, plain steps reproduce chapter 4, and heavy-ball
    momentum keeps some of the previous step:

    >>> sgd_run(-10.0, nsteps=2, grad=lambda x: 2 * x)[1]
    array([-10. ,  -8. ,  -6.4])
    >>> sgd_run(-10.0, nsteps=2, grad=lambda x: 2 * x, momentum=0.9)[1]
    array([-10. ,  -8. ,  -4.6])
    """
    tol = None if tol is None else real(tol, "tol", positive=True)
    nsteps = step_count(nsteps, tol)
    callable_(grad, "grad")
    if loss is not None:
        callable_(loss, "loss")
    elif tol is not None:
        msg = f"tol={tol!r} needs a loss to compare with; pass loss"
        raise ValueError(msg)
    start = np.array(start_point(x, "x"), order="C")  # a copy we may change
    state = sgd_init(
        start,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
        maximize=maximize,
    )

    def step(current: AnyFloatArray) -> AnyFloatArray:
        with np.errstate(over="ignore", invalid="ignore"):
            gradient = np.asarray(grad(current.copy()), dtype=current.dtype)
            if gradient.shape != current.shape:
                msg = (
                    f"grad must return an array of the same shape as x "
                    f"{current.shape}, got shape {gradient.shape}"
                )
                raise ValueError(msg)
            sgd_update(current, gradient, state)
        return current

    def loss_value(current: AnyFloatArray) -> float:
        assert loss is not None  # only called with tol, which needs loss
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.asarray(loss(current)))

    final, history = _loop.run(
        start,
        nsteps=nsteps,
        lr=state.lr,
        tol=tol,
        step=step,
        snapshot=np.copy,
        loss_value=loss_value,
        memoryless=state.momentum == 0,
    )
    if isinstance(x, int | float):
        return float(final), history
    return final, history


def sgd_run_torch(
    x: float | AnyFloatArray,
    nsteps: int = 1,
    *,
    grad: Callable[[Any], Any],
    lr: float = 0.1,
    **options: Any,
) -> AnyFloatArray:
    r"""Run :class:`torch.optim.SGD` on a NumPy gradient and record the path.

    The reference for :func:`sgd_run`: the same gradient function drives
    PyTorch's optimizer, so any difference between the two paths comes from
    the update rule alone. Each step sets ``p.grad`` to ``grad(x)`` and calls
    ``step()``.

    Parameters
    ----------
    x : float or numpy.ndarray
        The starting point; a float64 array keeps float64 in PyTorch.
    nsteps : int, default 1
        How many steps to take.
    grad : callable
        The gradient, given and returning NumPy arrays.
    lr : float, default 0.1
        The learning rate; a finite number, at least 0.
    **options
        Passed to :class:`torch.optim.SGD`: ``momentum``, ``dampening``,
        ``weight_decay``, ``nesterov``, ``maximize``, ``foreach``. The three
        numbers must be finite.

    Returns
    -------
    numpy.ndarray
        Every iterate, the start included, stacked along the first axis.

    Raises
    ------
    TypeError
        If an argument has the wrong type, `options` names an argument that
        ``torch.optim.SGD`` does not take, or `grad` returns something other
        than real numbers.
    ValueError
        If a value is out of range or not finite (PyTorch checks the range of
        `lr` and the options), or `grad` returns an array of the wrong shape.
    ~descent.DivergenceError
        If an iterate overflows to ``inf`` or ``nan``, or an update cannot be
        represented in the dtype of `x` (a learning rate beyond the largest
        float32 for a float32 `x`).

    Examples
    --------
    >>> sgd_run_torch(-10.0, nsteps=2, grad=lambda x: 2 * x, momentum=0.9)
    array([-10. ,  -8. ,  -4.6])
    """
    import torch  # noqa: PLC0415  (importing torch is slow; only pay for it here)

    nsteps = step_count(nsteps, None)
    callable_(grad, "grad")
    # Type and finiteness here; PyTorch checks the range (lr >= 0 and so on).
    real(lr, "lr")
    sgd_options(options)
    start = torch.tensor(start_point(x, "x"))
    optimizer = torch.optim.SGD([start], lr=lr, **options)

    def step(current: torch.Tensor) -> torch.Tensor:
        with np.errstate(over="ignore", invalid="ignore"):
            gradient = np.asarray(grad(current.numpy().copy()))
        if gradient.dtype.kind not in "iuf":
            msg = f"grad must return real numbers, got dtype {gradient.dtype}"
            raise TypeError(msg)
        if gradient.shape != tuple(current.shape):
            msg = (
                f"grad must return an array of the same shape as x "
                f"{tuple(current.shape)}, got shape {gradient.shape}"
            )
            raise ValueError(msg)
        current.grad = torch.tensor(gradient, dtype=current.dtype)
        _loop.optimizer_step(optimizer)
        return current

    _, history = _loop.run(
        start,
        nsteps=nsteps,
        lr=lr,
        tol=None,
        step=step,
        snapshot=lambda t: t.numpy().copy(),
        loss_value=float,  # unused without tol
        memoryless=False,
    )
    return history


# The argument checks of this module, built from descent._checks: one function
# for what sgd_init is given, one for what sgd_update is given. Only the rules
# of SGD itself (in-place arrays, matching state) are written out here.


#: Where the rule "at least 0" of lr, momentum and weight decay comes from.
TORCH_RULE = "as in torch.optim.SGD"


class _Hyperparameters(NamedTuple):
    lr: float
    momentum: float
    dampening: float
    weight_decay: float
    nesterov: bool
    maximize: bool


def _check_init_arguments(
    params: object,
    *,
    lr: object,
    momentum: object,
    dampening: object,
    weight_decay: object,
    nesterov: object,
    maximize: object,
) -> tuple[list[AnyFloatArray], _Hyperparameters]:
    """The arguments of :func:`sgd_init`, checked as PyTorch does, and more."""
    arrays = _as_arrays(params, "params")
    for i, p in enumerate(arrays):
        if p.dtype.kind != "f":
            msg = f"params[{i}] must be a floating-point array, got dtype {p.dtype}"
            raise TypeError(msg)
        _check_updatable(p, i)
    hyper = _Hyperparameters(
        lr=real(lr, "lr", at_least=0, note=TORCH_RULE),
        momentum=real(momentum, "momentum", at_least=0, note=TORCH_RULE),
        dampening=real(dampening, "dampening"),
        weight_decay=real(weight_decay, "weight_decay", at_least=0, note=TORCH_RULE),
        nesterov=flag(nesterov, "nesterov"),
        maximize=flag(maximize, "maximize"),
    )
    if hyper.nesterov and (hyper.momentum <= 0 or hyper.dampening != 0):
        msg = (
            f"nesterov=True requires momentum > 0 and dampening == 0, "
            f"got momentum={hyper.momentum!r}, dampening={hyper.dampening!r}"
        )
        raise ValueError(msg)
    return arrays, hyper


def _check_update_arguments(
    params: object, grads: object, state: object
) -> tuple[list[AnyFloatArray], list[AnyFloatArray]]:
    """The arrays given to :func:`sgd_update`, checked against `state`."""
    if not isinstance(state, SGDState):
        msg = f"state must be an SGDState from sgd_init, got {describe(state)}"
        raise TypeError(msg)
    ps = _as_arrays(params, "params")
    gs = _as_arrays(grads, "grads", scalars=True)
    if len(ps) != len(state.shapes) or len(gs) != len(ps):
        msg = (
            f"the state was made for {len(state.shapes)} parameter arrays, got "
            f"{len(ps)} params and {len(gs)} grads"
        )
        raise ValueError(msg)
    for i in range(len(ps)):
        p, g = ps[i], gs[i]
        if p.shape != state.shapes[i] or p.dtype != state.dtypes[i]:
            msg = (
                f"params[{i}] has shape {p.shape} and dtype {p.dtype}, but the "
                f"state was made for shape {state.shapes[i]} and dtype "
                f"{state.dtypes[i]}"
            )
            raise ValueError(msg)
        _check_updatable(p, i)
        if g.shape != p.shape or g.dtype != p.dtype:
            msg = (
                f"grads[{i}] must have the shape {p.shape} and dtype {p.dtype} of "
                f"params[{i}], got shape {g.shape} and dtype {g.dtype}"
            )
            raise ValueError(msg)
    return ps, gs


def _as_arrays(
    values: object, name: str, *, scalars: bool = False
) -> list[AnyFloatArray]:
    """Return one array, or a list or tuple of arrays, as a list of arrays.

    With `scalars`, NumPy scalars (such as ``2 * x`` for a 0-d array ``x``)
    become 0-d arrays; that is right for gradients, which are only read, and
    wrong for parameters, which must be changed in place.
    """
    kinds = (np.ndarray, np.generic) if scalars else (np.ndarray,)
    if isinstance(values, kinds):
        return [np.asarray(values)]
    if isinstance(values, list | tuple):
        arrays = []
        for value in values:  # a plain loop: a step should create few objects
            if not isinstance(value, kinds):
                break
            arrays.append(np.asarray(value))
        else:
            return arrays
    msg = (
        f"{name} must be a NumPy array or a list of NumPy arrays, "
        f"got {describe(values)}"
    )
    raise TypeError(msg)


def _check_updatable(p: AnyFloatArray, i: int) -> None:
    """Refuse an array that an update could not change where it is."""
    if not p.flags.c_contiguous:
        msg = (
            f"params[{i}] must be C-contiguous so that it can be updated in "
            f"place; pass np.ascontiguousarray(...) and keep that array"
        )
        raise ValueError(msg)
    if not p.flags.writeable:
        msg = f"params[{i}] must be writeable: the update changes it in place"
        raise ValueError(msg)
