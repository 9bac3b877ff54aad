"""Bad input, a table in the tests: every public function, given what it must refuse.

Each row of :data:`ERRORS` calls one public function with one bad argument and
names the exception it must raise and a pattern its message must match: the
pattern always names the offending argument, so a failure deep inside NumPy or
PyTorch ("only integers ... are valid indices") does not count as a clear
error. Each row of :data:`RESULTS` is bad-looking input with a well-defined
answer (``nsteps=0`` gives back the start, ``nsteps=10**9`` with a reachable
``tol`` stops early), checked by a small predicate and for finiteness.
:data:`DIVERGENCES` checks that a run that blows up says where and with which
learning rate.

Every call runs under a ``SIGALRM`` deadline, so a case that hangs fails with
"hung" instead of stalling the suite. Rows marked ``BUG`` are known defects of
``src/``: they are strict xfails, to be unmarked when the source is fixed.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import signal
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from descent import (
    DivergenceError,
    StallError,
    df,
    f,
    gradient_descent,
    gradient_descent_sgd,
    gradient_descent_torch,
    visualize,
)
from descent.conditioning import (
    condition_number,
    curvatures,
    distances,
    gd_rate,
    gd_tuning,
    heavy_ball_rate,
    heavy_ball_tuning,
    measured_rate,
    nesterov_rate,
    nesterov_tuning,
    stability_limit,
    steps_to_tolerance,
)
from descent.learning_rate import SweepRun, closed_form, lr_sweep, regime
from descent.linear_model import (
    INPUTS,
    TARGETS,
    exact_weights,
    hessian,
    mse,
    mse_gradient,
    mse_torch,
    predict,
)
from descent.parallel import data_parallel_descent, descend_on_shard
from descent.plotting import (
    notebook_setup,
    plot_contours,
    plot_convergence,
    plot_losses,
    plot_lr_sweep,
    plot_magnitudes,
    plot_parallel_run,
    plot_tangents,
    plot_update,
)
from descent.plotting.animation import MAX_FRAMES, animate_descent, animation_html
from descent.plotting.themes import figure_svg, show_light_and_dark
from descent.precision import stall_step
from descent.sgd import sgd_init, sgd_run, sgd_run_torch, sgd_update

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# An animation made only to be refused is never played; Matplotlib warns then.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Animation was deleted without rendering anything:UserWarning"
)

NAN = float("nan")
INF = float("inf")
#: Seconds after which a call counts as hung.
HANG_SECONDS = 20
#: An upper bound on steps that no case may really take.
HUGE = 10**9


# --- Helpers ------------------------------------------------------------------------


@contextmanager
def _no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail with "hung" if the block runs longer than `seconds` (POSIX only)."""
    usable = (
        hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:  # pragma: no cover - Windows, or a worker thread
        yield
        return

    def hung(signum: int, frame: object) -> None:  # noqa: ARG001
        pytest.fail(f"hung: still running after {seconds} s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _quick(func: Callable[..., Any], seconds: int) -> Callable[..., Any]:
    """`func`, given up on as hung after `seconds` instead of HANG_SECONDS."""
    wrapped = functools.partial(func)
    wrapped.hang_seconds = seconds  # type: ignore[attr-defined]
    return wrapped


def _bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


def _finite(value: object) -> bool:
    """Is every number in `value` (nested tuples, lists, arrays, tensors) finite?"""
    if isinstance(value, torch.Tensor):
        return bool(torch.isfinite(value.detach()).all())
    if isinstance(value, np.ndarray | np.generic | float | int):
        return bool(np.isfinite(np.asarray(value, dtype=np.float64)).all())
    if isinstance(value, tuple | list):
        return all(_finite(item) for item in value)
    return True


def _in_group_of_one(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, called inside a one-process gloo group on 127.0.0.1."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        import torch.distributed as dist  # noqa: PLC0415

        dist.init_process_group(
            "gloo", init_method="tcp://127.0.0.1:0", rank=0, world_size=1
        )
        try:
            return func(*args, **kwargs)
        finally:
            dist.destroy_process_group()

    return call


def _shard() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Fresh weights and a one-feature shard for descend_on_shard."""
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    return w, x, 2 * x[:, 0]


def _read_only() -> np.ndarray:
    array = np.ones(2)
    array.flags.writeable = False
    return array


def _unplayed_html(**kwargs: Any) -> str:
    return animation_html(animate_descent(f, {"run": [1.0, 0.5]}), **kwargs)


def _path(*rows: list[float]) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def _nan_run() -> list[SweepRun]:
    steps = np.arange(2)
    return [SweepRun(0.1, "x", steps, np.array([1.0, NAN]), np.array([1.0, 0.8]))]


def _square(x: np.ndarray) -> np.ndarray:
    return x**2


def _twice(x: np.ndarray) -> np.ndarray:
    return 2 * x


def _bowl(w: np.ndarray) -> float:
    return float(w @ w)


def _too_long(x: np.ndarray) -> np.ndarray:
    """A gradient with two entries too many."""
    return np.ones(np.size(x) + 2)


def _strings(x: np.ndarray) -> np.ndarray:
    """A gradient of the right shape that holds strings."""
    return np.full(np.shape(x), "a")


def _detached(x: torch.Tensor) -> torch.Tensor:
    """A loss that does not depend on x for autograd."""
    return torch.tensor(float(x.numel()))


_STATE = sgd_init(np.ones(2))  # only used by cases refused before any update
_FIG = Figure()
_PAIR = {"a": _path([1.0, 1.0], [0.5, 0.5])}  # a (steps, 2) path for contours
_TRAJ = _path([0.0, 0.0], [1.0, 2.0])  # weights of INPUTS' model, per step
_SWEEP = lr_sweep(4.0, lrs=[0.1], nsteps=2)
_LONG = [float(k) for k in range(MAX_FRAMES + 1)]


class A:
    """The arguments of one call, ``A(*args, **kwargs)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __call__(self, func: Callable[..., Any]) -> Any:
        return func(*self.args, **self.kwargs)


def _name(func: Callable[..., Any]) -> str:
    inner = getattr(func, "func", func)  # a functools.partial from _quick
    return str(inner.__name__)


def errors(func: Callable[..., Any], *rows: tuple[Any, ...]) -> list[Any]:
    """Rows ``(what, error, match, A(...)[, bug])`` of ERRORS for `func`.

    The call ``func(*A.args, **A.kwargs)`` must raise `error` with a message
    matching `match`. A row with a `bug` is a known defect: a strict xfail.
    """
    params = []
    for what, error, match, call, *bug in rows:
        marks = [_bug(bug[0])] if bug else []
        case_id = f"{_name(func)}-{what}"
        params.append(pytest.param(func, call, error, match, id=case_id, marks=marks))
    return params


def results(func: Callable[..., Any], *rows: tuple[Any, ...]) -> list[Any]:
    """Rows ``(what, A(...), check[, bug])`` of RESULTS for `func`.

    The call must return a value for which `check` is true, and every number
    in the value must be finite.
    """
    params = []
    for what, call, check, *bug in rows:
        marks = [_bug(bug[0])] if bug else []
        case_id = f"{_name(func)}-{what}"
        params.append(pytest.param(func, call, check, id=case_id, marks=marks))
    return params


def divergences(func: Callable[..., Any], *rows: tuple[Any, ...]) -> list[Any]:
    """Rows ``(what, A(...), lr, step[, bug])`` of DIVERGENCES for `func`.

    The call must raise DivergenceError for learning rate `lr`, at `step`
    (any step, if None).
    """
    params = []
    for what, call, lr, step, *bug in rows:
        marks = [_bug(bug[0])] if bug else []
        case_id = f"{_name(func)}-{what}"
        params.append(pytest.param(func, call, lr, step, id=case_id, marks=marks))
    return params


# --- The table of errors ------------------------------------------------------------

ERRORS = [
    # f and df: numbers, arrays and tensors only.
    *errors(
        f,
        ("str", TypeError, "x must be a real number", A("abc")),
        ("None", TypeError, "x must be a real number", A(None)),
        ("bool", TypeError, r"x must be .*True \(bool\)", A(True)),
        ("complex", TypeError, r"x must be .*\(complex\)", A(1j)),
        ("object", TypeError, "x must be", A(object())),
        ("list-str", TypeError, "x must hold real numbers", A(["a", "b"])),
        ("nan", ValueError, "x must be finite", A(NAN)),
        (
            "inf-array",
            ValueError,
            "x must be finite",
            A(np.array([1.0, INF])),
        ),
    ),
    *errors(
        df,
        ("str", TypeError, "x must be a real number", A("abc")),
        ("None", TypeError, "x must be a real number", A(None)),
        ("bool", TypeError, "x must be", A(False)),
        ("list-complex", TypeError, "x must hold real numbers", A([1j])),
        (
            "inf-tensor",
            ValueError,
            "x must be finite",
            A(torch.tensor(INF)),
        ),
    ),
    # gradient_descent: the NumPy loop.
    *errors(
        gradient_descent,
        ("x-str", TypeError, "x must be a real number", A("abc")),
        ("x-None", TypeError, "x must be a real number", A(None)),
        ("x-bool", TypeError, "x must be a real number", A(True)),
        ("x-complex", TypeError, "x must hold real numbers.*complex", A(1j)),
        ("x-object", TypeError, "x must hold real numbers.*object", A(object())),
        ("x-list-str", TypeError, "x must hold real numbers", A(["a", "b"])),
        ("x-tensor", TypeError, "x is a torch tensor", A(torch.tensor(1.0))),
        ("x-empty", ValueError, "x must hold at least one number", A([])),
        ("x-empty-2d", ValueError, "x must hold at least one", A(np.empty((2, 0)))),
        ("x-nan", ValueError, "x must be finite", A(NAN)),
        ("x-inf", ValueError, "x must be finite", A([1.0, INF])),
        ("lr-0", ValueError, "lr must be greater than 0, got 0", A(1.0, lr=0)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(1.0, lr=-0.1)),
        ("lr-nan", ValueError, "lr must be finite", A(1.0, lr=NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(1.0, lr=INF)),
        ("lr-str", TypeError, "lr must be a real number", A(1.0, lr="0.1")),
        ("lr-bool", TypeError, "lr must be a real number", A(1.0, lr=True)),
        ("lr-complex", TypeError, "lr must be a real number", A(1.0, lr=1j)),
        ("lr-huge", DivergenceError, r"lr=1e\+300", A(-10.0, 5, lr=1e300)),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative integer, got -1",
            A(1.0, -1),
        ),
        (
            "nsteps-float",
            TypeError,
            r"nsteps must be a non-negative integer, got 2\.5",
            A(1.0, 2.5),
        ),
        ("nsteps-str", TypeError, "nsteps must be", A(1.0, "3")),
        ("nsteps-None", TypeError, "nsteps must be", A(1.0, None)),
        ("nsteps-bool", TypeError, "nsteps must be", A(1.0, True)),
        (
            "nsteps-huge-no-tol",
            ValueError,
            "nsteps=1000000000 .* Pass tol",
            A(1.0, HUGE),
        ),
        (
            "nsteps-huge-tol-swing",
            StallError,
            "swings .*tol=1e-06",
            A(4.0, HUGE, lr=1.0, tol=1e-6),
        ),
        (
            "nsteps-huge-tol-frozen",
            StallError,
            "stopped moving.*tol=1e-06",
            A(4.0, HUGE, lr=1e-300, tol=1e-6),
        ),
        (
            "nsteps-huge-tol-diverges",
            DivergenceError,
            r"lr=1\.5",
            A(4.0, HUGE, lr=1.5, tol=1e-6),
        ),
        ("tol-0", ValueError, "tol must be greater than 0", A(1.0, tol=0)),
        ("tol-nan", ValueError, "tol must be finite", A(1.0, tol=NAN)),
        ("tol-str", TypeError, "tol must be a real number", A(1.0, tol="x")),
        ("grad-str", TypeError, "grad must be callable", A(1.0, grad="df")),
        (
            "grad-wrong-shape",
            ValueError,
            r"grad must return an array of the same shape as x \(\)",
            A(1.0, grad=_too_long),
        ),
        (
            "grad-returns-str",
            TypeError,
            "grad must return real numbers",
            A(1.0, grad=_strings),
        ),
        ("loss-int", TypeError, "loss must be callable", A(1.0, loss=5, tol=1e-6)),
        (
            "loss-not-scalar",
            ValueError,
            "loss must return a real scalar",
            A(np.ones(2), loss=lambda x: x, tol=1e-6),
        ),
    ),
    # gradient_descent_torch: autograd.
    *errors(
        gradient_descent_torch,
        (
            "x-str",
            TypeError,
            "x must be a float or a floating-point torch tensor",
            A("abc"),
        ),
        ("x-None", TypeError, "x must be a float", A(None)),
        ("x-bool", TypeError, "x must be a float", A(True)),
        ("x-complex", TypeError, "x must be a float", A(1j)),
        (
            "x-ndarray",
            TypeError,
            "x must be a float .* got ndarray",
            A(np.array([1.0])),
        ),
        (
            "x-int-tensor",
            TypeError,
            "x must be a floating-point tensor",
            A(torch.tensor([1, 2])),
        ),
        ("x-empty", ValueError, "x must hold at least one number", A(torch.tensor([]))),
        ("x-nan", ValueError, "x must be finite", A(torch.tensor([1.0, NAN]))),
        ("x-inf", ValueError, "x must be finite", A(INF)),
        ("lr-0", ValueError, "lr must be greater than 0", A(1.0, lr=0.0)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(1.0, lr=-1)),
        ("lr-nan", ValueError, "lr must be finite", A(1.0, lr=NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(1.0, lr=INF)),
        ("lr-str", TypeError, "lr must be a real number", A(1.0, lr="a")),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative integer, got -1",
            A(1.0, -1),
        ),
        ("nsteps-float", TypeError, "nsteps must be", A(1.0, 2.5)),
        ("nsteps-huge-no-tol", ValueError, "nsteps=1000000000", A(1.0, HUGE)),
        (
            "nsteps-huge-tol-swing",
            StallError,
            "tol=1e-06",
            A(4.0, HUGE, lr=1.0, tol=1e-6),
        ),
        ("tol-negative", ValueError, "tol must be greater than 0", A(1.0, tol=-1.0)),
        ("loss-str", TypeError, "loss must be callable", A(1.0, loss="f")),
        (
            "loss-not-scalar",
            ValueError,
            r"loss must return a scalar tensor \(0-d\), got \(2,\)",
            A(torch.ones(2), loss=lambda x: 2 * x),
        ),
        (
            "loss-constant",
            ValueError,
            "loss must depend on x",
            A(1.0, loss=_detached),
        ),
    ),
    # gradient_descent_sgd: torch.optim.SGD.
    *errors(
        gradient_descent_sgd,
        ("x-str", TypeError, "x must be a float", A("abc")),
        (
            "x-ndarray",
            TypeError,
            "x must be a float .* got ndarray",
            A(np.array([1.0])),
        ),
        (
            "x-int-tensor",
            TypeError,
            "x must be a floating-point tensor",
            A(torch.tensor(3)),
        ),
        ("x-nan", ValueError, "x must be finite", A(torch.tensor(NAN))),
        ("lr-0", ValueError, "lr must be greater than 0", A(1.0, lr=0)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(1.0, lr=-1.0)),
        ("lr-nan", ValueError, "lr must be finite", A(1.0, lr=NAN)),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative integer",
            A(1.0, -1),
        ),
        ("nsteps-float", TypeError, "nsteps must be", A(1.0, 2.5)),
        (
            "nsteps-huge-tol-swing",
            StallError,
            "tol=1e-06",
            A(4.0, HUGE, lr=1.0, tol=1e-6),
        ),
        ("tol-inf", ValueError, "tol must be finite", A(1.0, tol=INF)),
        (
            "options-params",
            TypeError,
            "options must not contain 'params'",
            A(1.0, params=[]),
        ),
        ("options-unknown", TypeError, "'bogus'", A(1.0, bogus=1)),
        ("momentum-negative", ValueError, "momentum value: -1", A(1.0, momentum=-1)),
        (
            "momentum-nan",
            ValueError,
            "momentum",
            A(-10.0, 3, momentum=NAN),
        ),
        (
            "momentum-str",
            TypeError,
            "momentum",
            A(1.0, momentum="a"),
        ),
        (
            "weight_decay-nan",
            ValueError,
            "weight_decay",
            A(-10.0, 3, weight_decay=NAN),
        ),
    ),
    # sgd: SGD from scratch, and torch.optim.SGD on a NumPy gradient.
    *errors(
        sgd_init,
        ("params-str", TypeError, "params must be a NumPy array", A("abc")),
        ("params-None", TypeError, "params must be a NumPy array", A(None)),
        (
            "params-list-floats",
            TypeError,
            "params must be a NumPy array",
            A([1.0, 2.0]),
        ),
        ("params-tensor", TypeError, "params must be a NumPy array", A(torch.ones(2))),
        (
            "params-int",
            TypeError,
            r"params\[0\] must be a floating-point array",
            A(np.array([1, 2])),
        ),
        (
            "params-strided",
            ValueError,
            r"params\[0\] must be C-contiguous",
            A(np.ones(4)[::2]),
        ),
        (
            "params-read-only",
            ValueError,
            r"params\[0\] must be writeable",
            A(_read_only()),
        ),
        ("lr-negative", ValueError, "lr must be >= 0", A(np.ones(2), lr=-1)),
        ("lr-nan", ValueError, "lr must be finite", A(np.ones(2), lr=NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(np.ones(2), lr=INF)),
        ("lr-str", TypeError, "lr must be a real number", A(np.ones(2), lr="a")),
        (
            "momentum-nan",
            ValueError,
            "momentum must be finite",
            A(np.ones(2), momentum=NAN),
        ),
        (
            "momentum-negative",
            ValueError,
            "momentum must be >= 0",
            A(np.ones(2), momentum=-0.5),
        ),
        (
            "dampening-inf",
            ValueError,
            "dampening must be finite",
            A(np.ones(2), dampening=INF),
        ),
        (
            "weight_decay-negative",
            ValueError,
            "weight_decay must be >= 0",
            A(np.ones(2), weight_decay=-1),
        ),
        (
            "nesterov-str",
            TypeError,
            "nesterov must be True or False",
            A(np.ones(2), nesterov="yes"),
        ),
        (
            "maximize-int",
            TypeError,
            "maximize must be True or False",
            A(np.ones(2), maximize=1),
        ),
        (
            "nesterov-alone",
            ValueError,
            "nesterov=True requires momentum > 0",
            A(np.ones(2), nesterov=True),
        ),
    ),
    *errors(
        sgd_update,
        (
            "state-str",
            TypeError,
            "state must be an SGDState",
            A(np.ones(2), np.ones(2), "state"),
        ),
        (
            "params-wrong-length",
            ValueError,
            r"params\[0\] has shape \(3,\)",
            A(np.ones(3), np.ones(3), _STATE),
        ),
        (
            "grads-wrong-length",
            ValueError,
            r"grads\[0\] must have the shape \(2,\)",
            A(np.ones(2), np.ones(3), _STATE),
        ),
        (
            "grads-float32",
            ValueError,
            r"grads\[0\] must .* dtype float64",
            A(np.ones(2), np.ones(2, np.float32), _STATE),
        ),
        (
            "grads-list-str",
            TypeError,
            "grads must be a NumPy array",
            A(np.ones(2), ["a", "b"], _STATE),
        ),
        (
            "grads-tensor",
            TypeError,
            "grads must be a NumPy array",
            A(np.ones(2), torch.ones(2), _STATE),
        ),
        (
            "params-too-many",
            ValueError,
            "made for 1 parameter arrays, got 2 params",
            A([np.ones(2)] * 2, [np.ones(2)] * 2, _STATE),
        ),
    ),
    *errors(
        sgd_run,
        ("x-str", TypeError, "x must be a real number", A("abc", grad=_twice)),
        (
            "x-tensor",
            TypeError,
            "x is a torch tensor",
            A(torch.tensor(1.0), grad=_twice),
        ),
        ("x-empty", ValueError, "x must hold at least one", A([], grad=_twice)),
        ("x-nan", ValueError, "x must be finite", A([NAN], grad=_twice)),
        ("grad-missing", TypeError, "'grad'", A(1.0)),
        ("grad-str", TypeError, "grad must be callable", A(1.0, grad="2x")),
        (
            "grad-wrong-shape",
            ValueError,
            "grad must return an array of the same shape",
            A(1.0, grad=_too_long),
        ),
        ("lr-negative", ValueError, "lr must be >= 0", A(1.0, grad=_twice, lr=-1)),
        ("lr-nan", ValueError, "lr must be finite", A(1.0, grad=_twice, lr=NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(1.0, grad=_twice, lr=INF)),
        ("lr-huge", DivergenceError, r"lr=1e\+300", A(-10.0, 5, grad=_twice, lr=1e300)),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative",
            A(1.0, -1, grad=_twice),
        ),
        ("nsteps-float", TypeError, "nsteps must be", A(1.0, 2.5, grad=_twice)),
        (
            "tol-without-loss",
            ValueError,
            "tol=1e-06 needs a loss",
            A(1.0, HUGE, grad=_twice, tol=1e-6),
        ),
        (
            "nsteps-huge-tol-swing",
            StallError,
            "tol=1e-06",
            A(4.0, HUGE, grad=_twice, loss=_square, lr=1.0, tol=1e-6),
        ),
        (
            "momentum-inf",
            ValueError,
            "momentum must be finite",
            A(1.0, grad=_twice, momentum=INF),
        ),
    ),
    *errors(
        sgd_run_torch,
        ("x-str", TypeError, "x must be a real number", A("abc", grad=_twice)),
        (
            "x-tensor",
            TypeError,
            "x is a torch tensor",
            A(torch.tensor([1.0]), grad=_twice),
        ),
        ("x-inf", ValueError, "x must be finite", A(INF, grad=_twice)),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative",
            A(1.0, -1, grad=_twice),
        ),
        ("nsteps-float", TypeError, "nsteps must be", A(1.0, 2.5, grad=_twice)),
        ("nsteps-huge", ValueError, "nsteps=1000000000", A(1.0, HUGE, grad=_twice)),
        ("grad-None", TypeError, "grad must be callable", A(1.0, grad=None)),
        ("lr-negative", ValueError, "learning rate: -1", A(1.0, grad=_twice, lr=-1)),
        ("lr-huge", DivergenceError, r"lr=1e\+300", A(-10.0, 5, grad=_twice, lr=1e300)),
        ("options-unknown", TypeError, "'bogus'", A(1.0, grad=_twice, bogus=1)),
        (
            "lr-nan",
            ValueError,
            "lr must be finite",
            A(-10.0, 3, grad=_twice, lr=NAN),
        ),
        (
            "lr-inf",
            ValueError,
            "lr must be finite",
            A(-10.0, 3, grad=_twice, lr=INF),
        ),
        (
            "lr-str",
            TypeError,
            "lr must be a real number",
            A(1.0, grad=_twice, lr="a"),
        ),
        (
            "grad-wrong-shape",
            ValueError,
            "grad must return an array of the same shape",
            A(1.0, grad=_too_long),
        ),
    ),
    # linear_model: the toy model.
    *errors(
        predict,
        ("str", TypeError, "w must hold real numbers", A("ab")),
        ("None", TypeError, "w must hold real numbers", A(None)),
        ("bool", TypeError, "w must hold real numbers", A(True)),
        ("complex", TypeError, "w must hold real numbers", A([1j, 2j])),
        ("wrong-length", ValueError, r"w must have shape \(2,\).*\(3,\)", A([1, 2, 3])),
        ("2d", ValueError, r"w must have shape \(2,\).*\(1, 2\)", A([[1, 2]])),
        ("empty", ValueError, r"w must have shape \(2,\)", A([])),
        ("nan", ValueError, "w must be finite", A([NAN, 1.0])),
        (
            "inputs-str",
            TypeError,
            "inputs",
            A([1.0, 2.0], "abc"),
        ),
    ),
    *errors(
        mse,
        ("str", TypeError, "w must hold real numbers", A("ab")),
        ("wrong-length", ValueError, r"w must have shape \(2,\)", A([1.0, 2.0, 3.0])),
        ("inf", ValueError, "w must be finite", A([INF, 0.0])),
        (
            "targets-too-short",
            ValueError,
            "targets",
            A([10, 20], INPUTS, np.array([50.0])),
        ),
        (
            "targets-too-long",
            ValueError,
            "targets",
            A([10, 20], INPUTS, np.ones(3)),
        ),
    ),
    *errors(
        mse_gradient,
        ("None", TypeError, "w must hold real numbers", A(None)),
        ("2d", ValueError, r"w must have shape \(2,\)", A(np.ones((2, 2)))),
        ("nan", ValueError, "w must be finite", A([NAN, 0.0])),
    ),
    *errors(
        mse_torch,
        (
            "ndarray",
            TypeError,
            "w must be a floating-point torch tensor",
            A(np.ones(2)),
        ),
        ("list", TypeError, "w must be a floating-point torch tensor", A([1.0, 2.0])),
        ("None", TypeError, "w must be a floating-point torch tensor", A(None)),
        (
            "int-tensor",
            TypeError,
            "w must be a floating-point torch tensor",
            A(torch.tensor([1, 2])),
        ),
        (
            "wrong-length",
            ValueError,
            r"w must have shape \(2,\).*\(3,\)",
            A(torch.ones(3)),
        ),
        (
            "nan",
            ValueError,
            "w must be finite",
            A(torch.tensor([NAN, 1.0])),
        ),
    ),
    *errors(
        hessian,
        (
            "str",
            TypeError,
            "inputs",
            A("abc"),
        ),
        (
            "1d",
            ValueError,
            "inputs",
            A(np.ones(3)),
        ),
        (
            "empty",
            ValueError,
            "inputs",
            A(np.empty((0, 2))),
        ),
        ("nan", ValueError, "inputs", A([[NAN]])),
    ),
    *errors(
        exact_weights,
        ("str", TypeError, "weight_decay must be a real number", A("a")),
        ("None", TypeError, "weight_decay must be a real number", A(None)),
        ("bool", TypeError, "weight_decay must be a real number", A(True)),
        (
            "tensor",
            TypeError,
            "weight_decay must be a real number",
            A(torch.tensor(1.0)),
        ),
        ("negative", ValueError, "weight_decay must be >= 0", A(-1.0)),
        ("nan", ValueError, "weight_decay must be finite", A(NAN)),
        ("inf", ValueError, "weight_decay must be finite", A(INF)),
        (
            "singular",
            np.linalg.LinAlgError,
            "Singular matrix",
            A(0.0, np.array([[1.0, 2.0], [2.0, 4.0]])),
        ),
        (
            "inputs-nan",
            ValueError,
            "inputs",
            A(0.0, np.array([[NAN, 1.0], [1.0, 2.0]])),
        ),
    ),
    # learning_rate: the closed form, the regimes and the sweep.
    *errors(
        closed_form,
        ("x0-str", TypeError, "x0 must be a real number", A("a", 0.1, 2)),
        ("x0-None", TypeError, "x0 must be a real number", A(None, 0.1, 2)),
        ("x0-nan", ValueError, "x0 must be finite", A(NAN, 0.1, 2)),
        ("lr-0", ValueError, "lr must be greater than 0", A(4.0, 0, 2)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(4.0, -0.1, 2)),
        ("lr-nan", ValueError, "lr must be finite", A(4.0, NAN, 2)),
        ("lr-inf", ValueError, "lr must be finite", A(4.0, INF, 2)),
        ("lr-str", TypeError, "lr must be a real number", A(4.0, "a", 2)),
        ("k-float", TypeError, "k must be a non-negative integer", A(4.0, 0.1, 2.5)),
        (
            "k-negative",
            ValueError,
            "k must be a non-negative integer, got -1",
            A(4.0, 0.1, -1),
        ),
        (
            "k-list-negative",
            ValueError,
            "k must hold non-negative integers",
            A(4.0, 0.1, [0, -1]),
        ),
        ("k-None", TypeError, "k must be", A(4.0, 0.1, None)),
        ("k-bool", TypeError, "k must be", A(4.0, 0.1, True)),
        ("k-str", TypeError, "k must be", A(4.0, 0.1, "3")),
        (
            "curvature-0",
            ValueError,
            "curvature must be greater than 0",
            A(4.0, 0.1, 2, curvature=0),
        ),
        (
            "curvature-nan",
            ValueError,
            "curvature must be finite",
            A(4.0, 0.1, 2, curvature=NAN),
        ),
        (
            "lr-huge",
            ArithmeticError,
            "lr",
            A(4.0, 1e300, 2),
        ),
        (
            "overflow",
            ArithmeticError,
            "lr",
            A(1e308, 1.1, 5),
        ),
    ),
    *errors(
        regime,
        ("lr-0", ValueError, "lr must be greater than 0", A(0)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(-1.0)),
        ("lr-nan", ValueError, "lr must be finite", A(NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(INF)),
        ("lr-str", TypeError, "lr must be a real number", A("0.1")),
        ("lr-None", TypeError, "lr must be a real number", A(None)),
        ("lr-bool", TypeError, "lr must be a real number", A(True)),
        ("lr-array", TypeError, "lr must be a real number", A(np.array([0.1]))),
        (
            "curvature-negative",
            ValueError,
            "curvature must be greater than 0",
            A(0.1, curvature=-2.0),
        ),
    ),
    *errors(
        lr_sweep,
        ("x0-str", TypeError, "x0 must be a real number", A("a")),
        ("x0-inf", ValueError, "x0 must be finite", A(INF)),
        ("lrs-str", TypeError, "lrs must be an iterable", A(4.0, "abc")),
        ("lrs-number", TypeError, "lrs must be an iterable", A(4.0, 0.1)),
        ("lrs-None", TypeError, "lrs must be an iterable", A(4.0, None)),
        ("lrs-empty", ValueError, "lrs must hold at least one", A(4.0, [])),
        ("lrs-0", ValueError, "lr must be greater than 0, got 0", A(4.0, [0.1, 0])),
        ("lrs-nan", ValueError, "lr must be finite", A(4.0, [NAN])),
        ("lrs-list-str", TypeError, "lr must be a real number", A(4.0, ["a"])),
        ("lrs-huge", DivergenceError, r"lr=1e\+300", A(4.0, [1e300], 5)),
        (
            "nsteps-negative",
            ValueError,
            "nsteps must be a non-negative",
            A(4.0, [0.1], -1),
        ),
        ("nsteps-float", TypeError, "nsteps must be", A(4.0, [0.1], 2.5)),
        ("nsteps-huge", ValueError, "nsteps=1000000000", A(4.0, [0.1], HUGE)),
    ),
    # conditioning: eigenvalues, rates and tunings.
    *errors(
        curvatures,
        ("str", TypeError, "hessian must hold real numbers", A("abc")),
        ("None", TypeError, "hessian must hold real numbers", A(None)),
        ("complex", TypeError, "hessian must hold real numbers", A([[1j]])),
        (
            "not-square",
            ValueError,
            "hessian must be a non-empty square",
            A([[1.0, 2.0]]),
        ),
        ("1d", ValueError, "hessian must be a non-empty square", A([1.0, 2.0])),
        ("empty", ValueError, "hessian must be a non-empty square", A([])),
        ("nan", ValueError, "hessian must be finite", A([[NAN]])),
        (
            "not-symmetric",
            ValueError,
            "hessian must be symmetric",
            A([[1.0, 2.0], [3.0, 4.0]]),
        ),
        (
            "overflow",
            (ValueError, ArithmeticError),
            "hessian",
            A(np.full((2, 2), 1e308)),
        ),
    ),
    *errors(
        condition_number,
        ("str", TypeError, "hessian must hold real numbers", A("abc")),
        (
            "indefinite",
            ValueError,
            "hessian must be positive definite",
            A([[1.0, 0.0], [0.0, -1.0]]),
        ),
        ("zero", ValueError, "hessian must be positive definite", A([[0.0]])),
        ("inf", ValueError, "hessian must be finite", A([[INF]])),
        (
            "overflow",
            (ValueError, ArithmeticError),
            "hessian",
            A(np.diag([1e200, 1e-200])),
        ),
    ),
    *errors(
        stability_limit,
        ("None", TypeError, "hessian must hold real numbers", A(None)),
        (
            "negative",
            ValueError,
            "hessian must have a positive eigenvalue",
            A([[-1.0]]),
        ),
        ("nan", ValueError, "hessian must be finite", A([[NAN]])),
        (
            "overflow",
            (ValueError, ArithmeticError),
            "hessian",
            A([[1e-320]]),
        ),
    ),
    *errors(
        gd_rate,
        ("below-1", ValueError, "kappa must be a condition number >= 1", A(0.5)),
        ("nan", ValueError, "kappa must be finite", A(NAN)),
        ("str", TypeError, "kappa must be a real number", A("9")),
        ("None", TypeError, "kappa must be a real number", A(None)),
    ),
    *errors(
        heavy_ball_rate,
        ("negative", ValueError, "kappa must be a condition number >= 1", A(-1.0)),
        ("inf", ValueError, "kappa must be finite", A(INF)),
        ("bool", TypeError, "kappa must be a real number", A(True)),
    ),
    *errors(
        nesterov_rate,
        ("0", ValueError, "kappa must be a condition number >= 1", A(0)),
        ("nan", ValueError, "kappa must be finite", A(NAN)),
        ("complex", TypeError, "kappa must be a real number", A(1j)),
    ),
    *errors(
        gd_tuning,
        ("swapped", ValueError, "need 0 < smallest <= largest", A(1.0, 2.0)),
        ("smallest-0", ValueError, "need 0 < smallest <= largest", A(1.0, 0.0)),
        ("largest-nan", ValueError, "largest must be finite", A(NAN, 1.0)),
        ("largest-str", TypeError, "largest must be a real number", A("9", 1.0)),
    ),
    *errors(
        heavy_ball_tuning,
        ("smallest-None", TypeError, "smallest must be a real number", A(9.0, None)),
        ("smallest-negative", ValueError, "need 0 < smallest <= largest", A(9.0, -1.0)),
        (
            "ratio-overflow",
            ValueError,
            "largest|smallest",
            A(1e308, 1e-308),
        ),
    ),
    *errors(
        nesterov_tuning,
        ("smallest-inf", ValueError, "smallest must be finite", A(9.0, INF)),
        ("largest-list", TypeError, "largest must be a real number", A([9.0], 1.0)),
        (
            "ratio-overflow",
            ValueError,
            "largest|smallest",
            A(1e308, 1e-308),
        ),
    ),
    *errors(
        measured_rate,
        (
            "one-iterate",
            ValueError,
            "history must hold at least two iterates",
            A([1.0], 0.0),
        ),
        ("scalar", ValueError, "history must hold at least two iterates", A(5.0, 0.0)),
        (
            "window-backwards",
            ValueError,
            "window must satisfy",
            A([4.0, 2.0, 1.0], 0.0, (2, 1)),
        ),
        (
            "window-too-long",
            ValueError,
            "window must satisfy",
            A([4.0, 2.0, 1.0], 0.0, (0, 99)),
        ),
        ("at-minimum", ValueError, "already at the minimum", A([0.0, 0.0, 0.0], 0.0)),
        (
            "history-str",
            TypeError,
            "history",
            A("abc", 0.0),
        ),
        (
            "history-nan",
            ValueError,
            "history",
            A([4.0, NAN, 1.0], 0.0, (0, 1)),
        ),
        (
            "minimum-nan",
            ValueError,
            "minimum",
            A([4.0, 2.0, 1.0], NAN),
        ),
        (
            "minimum-wrong-shape",
            ValueError,
            "minimum",
            A(np.ones((5, 2)), np.ones(3)),
        ),
        (
            "window-float",
            TypeError,
            "window",
            A([4.0, 2.0, 1.0], 0.0, (0, 1.5)),
        ),
        (
            "window-str",
            TypeError,
            "window",
            A([4.0, 2.0, 1.0], 0.0, "ab"),
        ),
        (
            "window-triple",
            (TypeError, ValueError),
            "window",
            A([4.0, 2.0, 1.0], 0.0, (0, 1, 2)),
        ),
    ),
    *errors(
        steps_to_tolerance,
        ("tol-0", ValueError, "tol must be greater than 0", A([1.0], 0)),
        ("tol-nan", ValueError, "tol must be finite", A([1.0], NAN)),
        ("tol-None", TypeError, "tol must be a real number", A([1.0], None)),
        ("tol-str", TypeError, "tol must be a real number", A([1.0], "a")),
        (
            "never-below",
            ValueError,
            r"no value is below tol=1\.0 in 2 values",
            A([100.0, 64.0], 1.0),
        ),
        ("empty", ValueError, "below tol=1.0 in 0 values", A([], 1.0)),
        (
            "values-str",
            TypeError,
            "values must",
            A(["a"], 1.0),
        ),
        (
            "values-None",
            TypeError,
            "values must",
            A(None, 1.0),
        ),
    ),
    # convergence: distances and their plot.
    *errors(
        distances,
        ("path-str", TypeError, "path must hold real numbers", A("abc", 0.0)),
        ("path-None", TypeError, "path must hold real numbers", A(None, 0.0)),
        (
            "minimum-str",
            TypeError,
            "minimum must hold real numbers",
            A([[1.0, 2.0]], "x"),
        ),
        (
            "wrong-shape",
            ValueError,
            r"path must hold iterates of the shape of minimum \(3,\)",
            A([[1.0, 2.0]], [0.0] * 3),
        ),
        ("empty", ValueError, "path must hold iterates", A([], 0.0)),
        (
            "nan",
            ValueError,
            "path must be finite",
            A([1.0, NAN], 0.0),
        ),
    ),
    *errors(
        plot_convergence,
        ("paths-list", TypeError, "paths must be a non-empty mapping", A([], 0.0)),
        ("paths-empty", TypeError, "paths must be a non-empty mapping", A({}, 0.0)),
        ("path-str", TypeError, "path must hold real numbers", A({"a": "abc"}, 0.0)),
        (
            "label-int",
            TypeError,
            r"paths must map labels \(str\)",
            A({1: [1.0, 0.5]}, 0.0),
        ),
        (
            "rates-list",
            TypeError,
            "rates must be a mapping",
            A({"a": [1.0, 0.5]}, 0.0, rates=[0.5]),
        ),
        (
            "rates-unknown",
            ValueError,
            "rates names 'b'",
            A({"a": [1.0, 0.5]}, 0.0, rates={"b": 0.5}),
        ),
        (
            "rates-above-1",
            ValueError,
            r"rates\['a'\] must be in \(0, 1\]",
            A({"a": [1.0, 0.5]}, 0.0, rates={"a": 2.0}),
        ),
        (
            "rates-nan",
            ValueError,
            r"rates\['a'\] must be finite",
            A({"a": [1.0, 0.5]}, 0.0, rates={"a": NAN}),
        ),
        (
            "floor-0",
            ValueError,
            "floor must be greater than 0",
            A({"a": [1.0, 0.5]}, 0.0, floor=0),
        ),
        (
            "floor-nan",
            ValueError,
            "floor must be finite",
            A({"a": [1.0, 0.5]}, 0.0, floor=NAN),
        ),
        (
            "floor-str",
            TypeError,
            "floor must be a real number",
            A({"a": [1.0, 0.5]}, 0.0, floor="x"),
        ),
        (
            "below-floor",
            ValueError,
            r"paths\['a'\] starts below floor",
            A({"a": [0.0, 0.0]}, 0.0),
        ),
        (
            "nan",
            ValueError,
            "finite",
            A({"a": [1.0, NAN, 0.5]}, 0.0),
        ),
        (
            "legend-bogus",
            ValueError,
            "legend",
            A({"a": [1.0, 0.5]}, 0.0, legend="bogus"),
        ),
    ),
    # contours: the loss surface of two weights.
    *errors(
        plot_contours,
        ("loss-int", TypeError, "loss must be callable", A(5, _PAIR)),
        ("paths-list", TypeError, "paths must be a mapping", A(_bowl, [_PAIR["a"]])),
        (
            "path-wrong-shape",
            ValueError,
            r"paths\['a'\] must have shape \(steps, 2\)",
            A(_bowl, {"a": np.ones((3, 3))}),
        ),
        (
            "path-empty",
            ValueError,
            r"paths\['a'\] must have shape",
            A(_bowl, {"a": np.empty((0, 2))}),
        ),
        (
            "path-nan",
            ValueError,
            r"paths\['a'\] must be finite",
            A(_bowl, {"a": _path([1.0, NAN])}),
        ),
        (
            "path-str",
            TypeError,
            r"paths\['a'\] must hold real numbers",
            A(_bowl, {"a": [["x", "y"]]}),
        ),
        (
            "label-int",
            TypeError,
            r"paths must map labels \(str\)",
            A(_bowl, {1: _PAIR["a"]}),
        ),
        (
            "xlim-decreasing",
            ValueError,
            "xlim must be an increasing pair",
            A(_bowl, _PAIR, xlim=(1, 0)),
        ),
        (
            "ylim-nan",
            ValueError,
            r"ylim\[1\] must be finite",
            A(_bowl, _PAIR, ylim=(0, NAN)),
        ),
        ("xlim-int", TypeError, "xlim must be a pair", A(_bowl, _PAIR, xlim=5)),
        (
            "xlim-str",
            TypeError,
            r"xlim\[0\] must be a real number",
            A(_bowl, _PAIR, xlim="ab"),
        ),
        ("no-area", ValueError, "give xlim and ylim", A(_bowl)),
        (
            "levels-1",
            ValueError,
            "levels must be at least 2",
            A(_bowl, _PAIR, levels=1),
        ),
        (
            "levels-float",
            TypeError,
            "levels must be an integer",
            A(_bowl, _PAIR, levels=2.5),
        ),
        (
            "resolution-bool",
            TypeError,
            "resolution must be an integer",
            A(_bowl, _PAIR, resolution=True),
        ),
        (
            "max_points-0",
            ValueError,
            "max_points must be at least 2",
            A(_bowl, _PAIR, max_points=0),
        ),
        (
            "minimum-wrong-shape",
            ValueError,
            r"minimum must be one point \(w1, w2\)",
            A(_bowl, _PAIR, minimum=[1.0, 2.0, 3.0]),
        ),
        (
            "minimum-nan",
            ValueError,
            "minimum",
            A(_bowl, _PAIR, minimum=[NAN, 0.0], resolution=3),
        ),
        (
            "minimum-str",
            TypeError,
            "minimum",
            A(_bowl, _PAIR, minimum="ab", resolution=3),
        ),
        (
            "legend-bogus",
            ValueError,
            "legend",
            A(_bowl, _PAIR, legend="bogus", resolution=3),
        ),
    ),
    *errors(
        _quick(plot_contours, seconds=3),
        (
            "resolution-huge",
            ValueError,
            "resolution",
            A(_bowl, xlim=(0, 1), ylim=(0, 1), resolution=10**5),
        ),
    ),
    # plotting: the chapter figures.
    *errors(
        visualize,
        ("f-str", TypeError, "f must be callable", A("f")),
        ("f-None", TypeError, "f must be callable", A(None)),
        ("x-str", TypeError, "x must be a number, a list", A(f, "abc")),
        ("x-bool", TypeError, "x must be a number, a list", A(f, True)),
        ("x-complex", TypeError, "x must hold real numbers", A(f, 1j)),
        ("x-object", TypeError, "x must hold real numbers", A(f, object())),
        ("x-list-str", TypeError, "x must hold real numbers", A(f, [1, "a"])),
        ("x-nan", ValueError, "x must hold finite numbers only", A(f, [NAN])),
        (
            "xlim-decreasing",
            ValueError,
            "xlim must be an increasing pair",
            A(f, xlim=(1, 0)),
        ),
        ("xlim-nan", ValueError, r"xlim\[0\] must be finite", A(f, xlim=(NAN, 1))),
        (
            "xlim-str",
            TypeError,
            r"xlim\[0\] must be a real number",
            A(f, xlim=("a", 1)),
        ),
        (
            "xlim-None",
            TypeError,
            "xlim must",
            A(f, xlim=None),
        ),
        (
            "xlim-one-number",
            (TypeError, ValueError),
            "xlim must",
            A(f, xlim=(1,)),
        ),
        (
            "xlim-overflow",
            ValueError,
            "xlim",
            A(f, xlim=(-1e308, 1e308)),
        ),
    ),
    *errors(
        plot_tangents,
        ("f-int", TypeError, "f must be callable", A(5, df, [1.0])),
        ("df-str", TypeError, "df must be callable", A(f, "df", [1.0])),
        ("points-str", TypeError, "x must be a number", A(f, df, "a")),
        ("points-inf", ValueError, "x must hold finite numbers", A(f, df, [INF])),
        (
            "half_width-0",
            ValueError,
            "half_width must be greater than 0",
            A(f, df, [1.0], half_width=0),
        ),
        (
            "half_width-nan",
            ValueError,
            "half_width must be finite",
            A(f, df, [1.0], half_width=NAN),
        ),
        (
            "xlim-None",
            TypeError,
            "xlim must",
            A(f, df, [1.0], xlim=None),
        ),
    ),
    *errors(
        plot_update,
        ("df-None", TypeError, "df must be callable", A(f, None, [1.0], 0.1)),
        ("lr-0", ValueError, "lr must be greater than 0", A(f, df, [1.0], 0)),
        ("lr-negative", ValueError, "lr must be greater than 0", A(f, df, [1.0], -0.1)),
        ("lr-nan", ValueError, "lr must be finite", A(f, df, [1.0], NAN)),
        ("lr-inf", ValueError, "lr must be finite", A(f, df, [1.0], INF)),
        ("lr-str", TypeError, "lr must be a real number", A(f, df, [1.0], "0.1")),
        ("points-nan", ValueError, "x must hold finite numbers", A(f, df, [NAN], 0.1)),
        (
            "lr-huge",
            (ValueError, ArithmeticError),
            "lr",
            A(f, df, [-10.0], 1e300),
        ),
        (
            "xlim-one-number",
            (TypeError, ValueError),
            "xlim must",
            A(f, df, [1.0], 0.1, xlim=(1,)),
        ),
    ),
    *errors(
        plot_losses,
        ("str", TypeError, "losses must be a sequence of numbers", A("abc")),
        ("None", TypeError, "losses must be a sequence of numbers", A(None)),
        ("list-str", TypeError, "losses must hold real numbers", A(["a"])),
        ("empty", ValueError, "losses must be a non-empty 1-D sequence", A([])),
        ("2d", ValueError, "losses must be a non-empty 1-D sequence", A([[1.0, 2.0]])),
        ("nan", ValueError, "losses must hold finite numbers", A([1.0, NAN])),
        (
            "reference-short",
            ValueError,
            "reference must have one value per loss",
            A([1.0, 2.0], reference=[1.0]),
        ),
        (
            "reference-inf",
            ValueError,
            "reference must hold finite numbers",
            A([1.0, 2.0], reference=[1.0, INF]),
        ),
        (
            "threshold-nan",
            ValueError,
            "threshold must be finite",
            A([1.0], threshold=NAN),
        ),
        (
            "threshold-str",
            TypeError,
            "threshold must be a real number",
            A([1.0], threshold="a"),
        ),
        (
            "threshold-log",
            ValueError,
            "threshold must be greater than 0 on a log",
            A([1.0], threshold=-1.0, logy=True),
        ),
        (
            "zero-log",
            ValueError,
            "losses must be greater than 0 on a log axis",
            A([1.0, 0.0], logy=True),
        ),
        (
            "first_step-float",
            TypeError,
            "first_step must be an integer",
            A([1.0], first_step=2.5),
        ),
    ),
    *errors(
        plot_lr_sweep,
        ("empty", ValueError, "runs must hold at least one SweepRun", A([])),
        ("None", TypeError, "runs must be a sequence of SweepRun", A(None)),
        ("one-run", TypeError, "runs must be a sequence of SweepRun", A(_SWEEP[0])),
        ("str", TypeError, r"runs\[0\] must be a SweepRun, got str", A("abc")),
        ("list-int", TypeError, r"runs\[0\] must be a SweepRun, got int", A([1])),
        ("nan", ValueError, r"runs\[0\] \(lr=0\.1\) holds inf or nan", A(_nan_run())),
        ("ncols-0", ValueError, "ncols must be at least 1", A(_SWEEP, ncols=0)),
        ("ncols-float", TypeError, "ncols must be an integer", A(_SWEEP, ncols=2.5)),
        ("ncols-bool", TypeError, "ncols must be an integer", A(_SWEEP, ncols=True)),
    ),
    *errors(
        notebook_setup,
        ("argument", TypeError, "notebook_setup", A("x")),
    ),
    # precision: stalls and magnitudes.
    *errors(
        stall_step,
        ("str", TypeError, "history must be an array of iterates", A("abc")),
        ("None", TypeError, "history must be an array of iterates", A(None)),
        ("bool", TypeError, "history must be an array of iterates", A(True)),
        ("complex", TypeError, "history must hold real numbers", A([1j, 2j])),
        ("object", TypeError, "history must hold real numbers", A([object()])),
        (
            "one-iterate",
            ValueError,
            "history must hold at least two iterates",
            A([1.0]),
        ),
        ("scalar", ValueError, "history must have one entry per step", A(5.0)),
        ("empty", ValueError, "history must hold at least one iterate", A([])),
        ("nan", ValueError, "history must hold finite numbers only", A([1.0, NAN])),
        ("inf", ValueError, "history must hold finite numbers only", A([INF, INF])),
    ),
    *errors(
        plot_magnitudes,
        ("list", TypeError, "histories must be a mapping", A([[1.0, 0.5]])),
        ("empty", ValueError, "histories must hold at least one history", A({})),
        (
            "label-int",
            TypeError,
            "every label in histories must be a str",
            A({1: [1.0]}),
        ),
        ("nan", ValueError, r"histories\['a'\] must hold finite", A({"a": [1.0, NAN]})),
        (
            "str",
            TypeError,
            r"histories\['a'\] must be an array of iterates",
            A({"a": "x"}),
        ),
        (
            "level-0",
            ValueError,
            r"levels\['l'\] must be greater than 0",
            A({"a": [1.0]}, levels={"l": 0.0}),
        ),
        (
            "level-nan",
            ValueError,
            r"levels\['l'\] must be finite",
            A({"a": [1.0]}, levels={"l": NAN}),
        ),
        (
            "levels-list",
            TypeError,
            "levels must be a mapping",
            A({"a": [1.0]}, levels=[1e-3]),
        ),
    ),
    # animation: the moving point.
    *errors(
        animate_descent,
        ("f-int", TypeError, "f must be callable", A(5, {"a": [1.0]})),
        ("histories-list", TypeError, "histories must be a mapping", A(f, [1.0, 0.5])),
        ("histories-empty", ValueError, "histories must hold at least one", A(f, {})),
        ("label-int", TypeError, "histories must have str keys", A(f, {1: [1.0]})),
        (
            "history-str",
            TypeError,
            r"histories\['a'\] must hold real numbers",
            A(f, {"a": "abc"}),
        ),
        (
            "history-2d",
            ValueError,
            r"histories\['a'\] must be a non-empty 1-D",
            A(f, {"a": [[1.0, 2.0]]}),
        ),
        (
            "history-empty",
            ValueError,
            r"histories\['a'\] must be a non-empty 1-D",
            A(f, {"a": []}),
        ),
        (
            "history-nan",
            ValueError,
            r"histories\['a'\] must hold finite",
            A(f, {"a": [1.0, NAN]}),
        ),
        (
            "history-too-long",
            ValueError,
            f"at most {MAX_FRAMES} frames",
            A(f, {"a": _LONG}),
        ),
        (
            "interval-float",
            TypeError,
            "interval must be an integer",
            A(f, {"a": [1.0]}, interval=2.5),
        ),
        (
            "interval-0",
            ValueError,
            "interval must be at least 1",
            A(f, {"a": [1.0]}, interval=0),
        ),
        ("dpi-0", ValueError, "dpi must be greater than 0", A(f, {"a": [1.0]}, dpi=0)),
        ("dpi-nan", ValueError, "dpi must be finite", A(f, {"a": [1.0]}, dpi=NAN)),
        (
            "xlim-empty",
            ValueError,
            "xlim must be an increasing pair",
            A(f, {"a": [1.0]}, xlim=(1, 1)),
        ),
        (
            "xlim-nan",
            ValueError,
            r"xlim\[0\] must be finite",
            A(f, {"a": [1.0]}, xlim=(NAN, 1)),
        ),
        (
            "xlim-int",
            TypeError,
            "xlim must",
            A(f, {"a": [1.0]}, xlim=5),
        ),
        (
            "xlim-one-number",
            (TypeError, ValueError),
            "xlim must",
            A(f, {"a": [1.0]}, xlim=(1,)),
        ),
    ),
    *errors(
        animation_html,
        ("str", TypeError, "anim must be a matplotlib animation", A("anim")),
        ("None", TypeError, "anim must be a matplotlib animation", A(None)),
        ("figure", TypeError, "anim must be a matplotlib animation", A(_FIG)),
    ),
    *errors(
        _unplayed_html,
        (
            "default_mode-bogus",
            ValueError,
            "default_mode must be one of",
            A(default_mode="bogus"),
        ),
    ),
    # themes: light and dark SVG.
    *errors(
        figure_svg,
        ("str", TypeError, "fig must be a matplotlib Figure, got str", A("fig")),
        ("None", TypeError, "fig must be a matplotlib Figure", A(None)),
        ("ndarray", TypeError, "fig must be a matplotlib Figure", A(np.ones(2))),
        ("theme-blue", ValueError, "theme must be 'light' or 'dark'", A(_FIG, "blue")),
        ("theme-None", ValueError, "theme must be 'light' or 'dark'", A(_FIG, None)),
    ),
    *errors(
        show_light_and_dark,
        ("str", TypeError, "fig must be a matplotlib Figure", A("fig")),
        ("None", TypeError, "fig must be a matplotlib Figure", A(None)),
    ),
    # parallel: every case is refused before a process is spawned.
    *errors(
        data_parallel_descent,
        (
            "nsteps-float",
            TypeError,
            r"nsteps must be .*, got 2\.5",
            A(INPUTS, TARGETS, np.zeros(2), nsteps=2.5, lr=0.1),
        ),
        (
            "lr-nan",
            ValueError,
            "lr must be finite",
            A(INPUTS, TARGETS, np.zeros(2), nsteps=2, lr=NAN),
        ),
        (
            "w0-wrong-length",
            ValueError,
            r"w0 must have shape \(2,\)",
            A(INPUTS, TARGETS, np.zeros(3), nsteps=2, lr=0.1),
        ),
    ),
    *errors(
        descend_on_shard,
        (
            "no-process-group",
            ValueError,
            "process group",
            A(*_shard(), nsteps=1, lr=0.1),
        ),
    ),
    *errors(
        _in_group_of_one(descend_on_shard),
        (
            "nsteps-negative",
            ValueError,
            "nsteps",
            A(*_shard(), nsteps=-1, lr=0.1),
        ),
        (
            "nsteps-float",
            TypeError,
            "nsteps",
            A(*_shard(), nsteps=2.5, lr=0.1),
        ),
        (
            "lr-nan",
            ValueError,
            "lr",
            A(*_shard(), nsteps=2, lr=NAN),
        ),
        (
            "w-ndarray",
            TypeError,
            "w must",
            A(np.zeros(1), *_shard()[1:], nsteps=2, lr=0.1),
        ),
    ),
    *errors(
        plot_parallel_run,
        ("empty", ValueError, "runs must hold at least one", A({}, INPUTS, TARGETS)),
        (
            "list",
            TypeError,
            "runs must",
            A([_TRAJ], INPUTS, TARGETS),
        ),
        (
            "trajectory-str",
            (TypeError, ValueError),
            r"runs\['a'\]",
            A({"a": "abc"}, INPUTS, TARGETS),
        ),
        (
            "trajectory-wrong-width",
            ValueError,
            r"runs\['a'\]",
            A({"a": np.ones((3, 3))}, INPUTS, TARGETS),
        ),
        (
            "trajectory-nan",
            ValueError,
            "finite",
            A({"a": _path([NAN, 1.0], [0.0, 0.0])}, INPUTS, TARGETS),
        ),
    ),
]


# --- The table of well-defined results ----------------------------------------------


def _number(x: object) -> float:
    """`x` as a float; a tensor is detached first, as torch asks."""
    return float(x.detach() if isinstance(x, torch.Tensor) else x)  # type: ignore[arg-type]


def _is_start(start: float) -> Callable[[Any], bool]:
    """Check that a (x, history) pair is the start itself, after zero steps."""

    def check(outcome: tuple[Any, np.ndarray]) -> bool:
        x, history = outcome
        return _number(x) == start and history.tolist() == [start]

    return check


def _stops_below(tol: float, within: int) -> Callable[[Any], bool]:
    """Check that a (x, history) pair stopped below `tol` in at most `within` steps."""

    def check(outcome: tuple[Any, np.ndarray]) -> bool:
        x, history = outcome
        return _number(x) ** 2 < tol and len(history) - 1 <= within

    return check


RESULTS = [
    # nsteps=0 gives back the start; nsteps=10**9 with a reachable tol stops early.
    *results(
        gradient_descent,
        ("nsteps-0", A(-10.0, 0), _is_start(-10.0)),
        ("nsteps-huge-tol", A(-10.0, HUGE, tol=1e-6), _stops_below(1e-6, 100)),
        ("x-2d", A(np.ones((2, 3)), 2), lambda out: out[1].shape == (3, 2, 3)),
        (
            "x-float32-kept",
            A(np.float32(-10.0)),
            lambda out: out[1].dtype == np.float32,
        ),
    ),
    *results(
        gradient_descent_torch,
        ("nsteps-0", A(-10.0, 0), _is_start(-10.0)),
        ("nsteps-huge-tol", A(-10.0, HUGE, tol=1e-6), _stops_below(1e-6, 100)),
        ("x-2d", A(torch.ones(2, 2), 1), lambda out: out[1].shape == (2, 2, 2)),
    ),
    *results(
        gradient_descent_sgd,
        ("nsteps-0", A(-10.0, 0), _is_start(-10.0)),
        (
            "nsteps-huge-tol",
            A(-10.0, HUGE, tol=1e-6, momentum=0.5),
            _stops_below(1e-6, 100),
        ),
    ),
    *results(
        sgd_run,
        ("nsteps-0", A(-10.0, 0, grad=_twice), _is_start(-10.0)),
        (
            "nsteps-huge-tol",
            A(-10.0, HUGE, grad=_twice, loss=_square, tol=1e-6),
            _stops_below(1e-6, 100),
        ),
        (
            "lr-0-stays",
            A(-10.0, 3, grad=_twice, lr=0),
            lambda out: out[1].tolist() == [-10.0] * 4,
        ),
    ),
    *results(
        sgd_run_torch,
        (
            "nsteps-0",
            A(-10.0, 0, grad=_twice),
            lambda history: history.tolist() == [-10.0],
        ),
    ),
    *results(
        sgd_init,
        ("lr-0", A(np.ones(2), lr=0), lambda state: state.lr == 0.0),
    ),
    *results(
        sgd_update,
        ("no-arrays", A([], [], sgd_init([])), lambda outcome: outcome is None),
    ),
    *results(
        lr_sweep,
        (
            "nsteps-0",
            A(4.0, [0.1, 1e300], 0),
            lambda runs: [r.measured.tolist() for r in runs] == [[4.0]] * 2,
        ),
    ),
    *results(
        closed_form,
        ("k-0-lr-huge", A(4.0, 1e300, 0), lambda x: x == 4.0),
        (
            "k-empty-array",
            A(4.0, 0.1, np.array([], dtype=int)),
            lambda x: x.shape == (0,),
        ),
        (
            "k-empty-list",
            A(4.0, 0.1, []),
            lambda x: x.shape == (0,),
        ),
    ),
    *results(
        regime,
        ("lr-huge", A(1e300), lambda name: name == "divergence"),
    ),
    *results(
        exact_weights,
        (
            "huge-decay",
            A(1e300),
            lambda w: w.shape == (2,) and bool(np.all(np.abs(w) < 1e-290)),
        ),
    ),
    *results(
        predict,
        ("tensor", A(torch.tensor([1.0, 2.0])), lambda y: y.tolist() == [5.0, 11.0]),
        (
            "tensor-requires-grad",
            A(torch.tensor([1.0, 2.0], requires_grad=True)),
            lambda y: y.tolist() == [5.0, 11.0],
        ),
        (
            "inputs-list",
            A([1, 2], [[1, 2], [3, 4]]),
            lambda y: y.tolist() == [5.0, 11.0],
        ),
    ),
    *results(
        gd_rate,
        ("kappa-huge", A(1e308), lambda rate: rate == 1.0),
    ),
    *results(
        gd_tuning,
        (
            "curvatures-huge",
            A(1e308, 1e308),
            lambda lr: lr > 0,
        ),
    ),
    *results(
        curvatures,
        ("tensor", A(torch.eye(2)), lambda values: values.tolist() == [1.0, 1.0]),
    ),
    *results(
        measured_rate,
        ("reaches-minimum", A([4.0, 2.0, 0.0], 0.0, (0, 2)), lambda rate: rate == 0.0),
    ),
    *results(
        steps_to_tolerance,
        ("start-below", A([0.5, 2.0], 1.0), lambda k: k == 0),
    ),
    *results(
        distances,
        (
            "tensor-requires-grad",
            A(torch.tensor([1.0, 2.0], requires_grad=True), 0.0),
            lambda d: d.tolist() == [1.0, 2.0],
        ),
    ),
    *results(
        stall_step,
        ("never-moves", A([[1.0, 2.0], [1.0, 2.0]]), lambda k: k == 0),
        (
            "tensor-requires-grad",
            A(torch.tensor([1.0, 0.5], requires_grad=True)),
            lambda k: k is None,
        ),
    ),
    *results(
        f,
        ("empty-array", A(np.array([])), lambda y: y.shape == (0,)),
    ),
    *results(
        df,
        ("list", A([1, 2]), lambda y: y.tolist() == [2, 4]),
    ),
    *results(
        visualize,
        ("x-None", A(f, None), lambda ax: len(ax.lines) == 1),
        ("x-empty", A(f, []), lambda ax: ax.get_xlabel() == "x"),
        (
            "x-tensor-requires-grad",
            A(f, torch.tensor([1.0], requires_grad=True)),
            lambda ax: ax.get_xlabel() == "x",
        ),
    ),
    *results(
        plot_tangents,
        ("no-points", A(f, df, []), lambda ax: len(ax.texts) == 0),
    ),
    *results(
        plot_losses,
        (
            "tensor",
            A(torch.tensor([3.0, 2.0])),
            lambda ax: ax.lines[0].get_ydata().tolist() == [3.0, 2.0],
        ),
    ),
    *results(
        plot_magnitudes,
        ("all-zero", A({"a": [0.0, 0.0]}), lambda ax: ax.get_yscale() == "log"),
    ),
    *results(
        _unplayed_html,
        ("default", A(), lambda html: html.count("data:image/png") == 2),
    ),
    *results(
        _in_group_of_one(descend_on_shard),
        (
            "nsteps-0",
            A(*_shard(), nsteps=0, lr=0.1),
            lambda history: [h.tolist() for h in history] == [[0.0]],
        ),
    ),
]


# --- The table of diverging runs ----------------------------------------------------

_F64 = torch.float64

DIVERGENCES = [
    *divergences(
        gradient_descent,
        ("lr-1.5", A(1.0, 5000, lr=1.5), 1.5, 1024),
        ("lr-huge", A(-10.0, 5, lr=1e300), 1e300, 2),
        ("float32-lr-huge", A(np.float32(-10.0), 5, lr=1e300), 1e300, 1),
        ("x-huge", A(1e308, 5), 0.1, 1),
    ),
    *divergences(
        gradient_descent_torch,
        ("float64-lr-huge", A(torch.tensor(-10.0, dtype=_F64), 5, lr=1e300), 1e300, 2),
        ("float32-lr-1e38", A(-10.0, 5, lr=1e38), 1e38, 1),
        ("float32-lr-huge", A(-10.0, 5, lr=1e300), 1e300, None),
    ),
    *divergences(
        gradient_descent_sgd,
        ("float64-lr-huge", A(torch.tensor(-10.0, dtype=_F64), 5, lr=1e300), 1e300, 2),
        ("momentum-huge", A(-10.0, 5000, momentum=1e10), 0.1, None),
        ("float32-lr-huge", A(-10.0, 5, lr=1e300), 1e300, None),
    ),
    *divergences(
        sgd_run,
        ("lr-huge", A(-10.0, 5, grad=_twice, lr=1e300), 1e300, 2),
        ("momentum-huge", A(-10.0, 5000, grad=_twice, momentum=1e300), 0.1, None),
    ),
    *divergences(
        sgd_run_torch,
        ("lr-huge", A(-10.0, 5, grad=_twice, lr=1e300), 1e300, 2),
        (
            "float32-lr-huge",
            A(np.array([-10.0], np.float32), 5, grad=_twice, lr=1e300),
            1e300,
            None,
        ),
    ),
    *divergences(
        lr_sweep,
        ("lr-huge", A(4.0, [1.1, 1e300], 5), 1e300, 2),
    ),
]


# --- The tests ----------------------------------------------------------------------


def _deadline(func: Callable[..., Any]) -> int:
    return int(getattr(func, "hang_seconds", HANG_SECONDS))


@pytest.mark.parametrize(("func", "call", "error", "match"), ERRORS)
def test_bad_input_raises_a_clear_error(func, call, error, match) -> None:
    with _no_hang(_deadline(func)), pytest.raises(error, match=match):
        call(func)
    # Nothing is left running, not even the workers of a parallel run.
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(("func", "call", "check"), RESULTS)
def test_bad_input_gets_a_well_defined_result(func, call, check) -> None:
    with _no_hang(_deadline(func)):
        outcome = call(func)
    assert check(outcome), f"unexpected result {outcome!r}"
    assert _finite(outcome), f"a nan or inf came back: {outcome!r}"


@pytest.mark.parametrize(("func", "call", "lr", "step"), DIVERGENCES)
def test_diverging_run_reports_step_and_lr(func, call, lr, step) -> None:
    with _no_hang(_deadline(func)), pytest.raises(DivergenceError) as caught:
        call(func)
    err = caught.value
    assert err.lr == lr
    assert isinstance(err.step, int)
    assert err.step >= 1
    if step is not None:
        assert err.step == step
    assert math.isfinite(err.last_finite)
    assert f"at step {err.step} with lr={lr!r}" in str(err)
