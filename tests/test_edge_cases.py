"""Bad-looking input with a well-defined answer, and runs that diverge.

Each row of :data:`RESULTS` is input that looks wrong but has an answer
(``nsteps=0`` gives back the start, ``nsteps=10**9`` with a reachable ``tol``
stops early), checked by a small predicate and for finiteness.
:data:`DIVERGENCES` checks that a run that blows up says where and with which
learning rate. The refused input is in ``test_bad_input.py``; both use the
machinery of ``tests/cases.py``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import torch

from descent import (
    DivergenceError,
    df,
    f,
    gradient_descent,
    gradient_descent_sgd,
    gradient_descent_torch,
    visualize,
)
from descent.conditioning import (
    curvatures,
    distances,
    gd_rate,
    measured_rate,
    steps_to_tolerance,
)
from descent.learning_rate import closed_form, lr_sweep, regime
from descent.linear_model import exact_weights, predict
from descent.parallel import descend_on_shard
from descent.plotting import plot_losses, plot_magnitudes, plot_tangents
from descent.precision import stall_step
from descent.sgd import sgd_init, sgd_run, sgd_run_torch, sgd_update
from tests.cases import (
    HUGE,
    A,
    deadline,
    diverges,
    finite,
    in_group_of_one,
    no_hang,
    results,
    shard,
    square,
    twice,
    unplayed_html,
)

if TYPE_CHECKING:
    from collections.abc import Callable

# Tables read best one row to a line: the formatter leaves them at 100 columns.
# fmt: off
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


_START = ("nsteps-0", A(-10.0, 0), _is_start(-10.0))
_BELOW = _stops_below(1e-6, 100)
_REQUIRES_GRAD = torch.tensor([1.0, 2.0], requires_grad=True)


def _gives(expected: object) -> Callable[[Any], bool]:
    """Check that a result, as a list, is `expected`."""
    return lambda out: bool(np.asarray(out).tolist() == expected)


RESULTS = [
    # nsteps=0 gives back the start; nsteps=10**9 with a reachable tol stops early.
    *results(gradient_descent, _START, ("nsteps-huge-tol", A(-10.0, HUGE, tol=1e-6), _BELOW),
             ("x-2d", A(np.ones((2, 3)), 2), lambda o: o[1].shape == (3, 2, 3)),
             ("x-float32-kept", A(np.float32(-10.0)), lambda o: o[1].dtype == np.float32)),
    *results(gradient_descent_torch, _START, ("nsteps-huge-tol", A(-10.0, HUGE, tol=1e-6), _BELOW),
             ("x-2d", A(torch.ones(2, 2), 1), lambda o: o[1].shape == (2, 2, 2))),
    *results(gradient_descent_sgd, _START,
             ("nsteps-huge-tol", A(-10.0, HUGE, tol=1e-6, momentum=0.5), _BELOW)),
    *results(
        sgd_run,
        ("nsteps-0", A(-10.0, 0, grad=twice), _is_start(-10.0)),
        ("nsteps-huge-tol", A(-10.0, HUGE, grad=twice, loss=square, tol=1e-6), _BELOW),
        ("lr-0-stays", A(-10.0, 3, grad=twice, lr=0), lambda o: o[1].tolist() == [-10.0] * 4),
    ),
    *results(sgd_run_torch, ("nsteps-0", A(-10.0, 0, grad=twice), _gives([-10.0]))),
    *results(sgd_init, ("lr-0", A(np.ones(2), lr=0), lambda state: state.lr == 0.0)),
    *results(sgd_update, ("no-arrays", A([], [], sgd_init([])), lambda o: o is None)),
    *results(
        lr_sweep,
        ("nsteps-0", A(4.0, [0.1, 1e300], 0),
         lambda runs: [r.measured.tolist() for r in runs] == [[4.0]] * 2),
    ),
    *results(closed_form, ("k-0-lr-huge", A(4.0, 1e300, 0), lambda x: x == 4.0),
             ("k-empty-array", A(4.0, 0.1, np.array([], dtype=int)), lambda x: x.shape == (0,)),
             ("k-empty-list", A(4.0, 0.1, []), lambda x: x.shape == (0,))),
    *results(regime, ("lr-huge", A(1e300), lambda name: name == "divergence")),
    *results(
        exact_weights,
        ("huge-decay", A(1e300), lambda w: w.shape == (2,) and bool(np.all(np.abs(w) < 1e-290))),
    ),
    *results(predict, ("tensor", A(torch.tensor([1.0, 2.0])), _gives([5.0, 11.0])),
             ("tensor-requires-grad", A(_REQUIRES_GRAD), _gives([5.0, 11.0])),
             ("inputs-list", A([1, 2], [[1, 2], [3, 4]]), _gives([5.0, 11.0]))),
    *results(gd_rate, ("kappa-huge", A(1e308), lambda rate: rate == 1.0)),
    *results(curvatures, ("tensor", A(torch.eye(2)), _gives([1.0, 1.0]))),
    *results(measured_rate, ("reaches-minimum", A([4.0, 2.0, 0.0], 0.0, (0, 2)), _gives(0.0))),
    *results(steps_to_tolerance, ("start-below", A([0.5, 2.0], 1.0), _gives(0))),
    *results(distances, ("tensor-requires-grad", A(_REQUIRES_GRAD, 0.0), _gives([1.0, 2.0]))),
    *results(
        stall_step,
        ("never-moves", A([[1.0, 2.0], [1.0, 2.0]]), lambda k: k == 0),
        ("tensor-requires-grad", A(torch.tensor([1.0, 0.5], requires_grad=True)),
         lambda k: k is None),
    ),
    *results(f, ("empty-array", A(np.array([])), lambda y: y.shape == (0,))),
    *results(df, ("list", A([1, 2]), _gives([2, 4]))),
    *results(
        visualize,
        ("x-None", A(f, None), lambda ax: len(ax.lines) == 1),
        ("x-empty", A(f, []), lambda ax: ax.get_xlabel() == "x"),
        ("x-tensor-requires-grad", A(f, _REQUIRES_GRAD[:1]), lambda ax: ax.get_xlabel() == "x"),
    ),
    *results(plot_tangents, ("no-points", A(f, df, []), lambda ax: len(ax.texts) == 0)),
    *results(
        plot_losses,
        ("tensor", A(torch.tensor([3.0, 2.0])),
         lambda ax: ax.lines[0].get_ydata().tolist() == [3.0, 2.0]),
    ),
    *results(
        plot_magnitudes, ("all-zero", A({"a": [0.0, 0.0]}), lambda ax: ax.get_yscale() == "log")
    ),
    *results(unplayed_html, ("default", A(), lambda html: html.count("data:image/svg+xml") == 2)),
    *results(
        in_group_of_one(descend_on_shard),
        ("nsteps-0", A(*shard(), nsteps=0, lr=0.1), lambda h: [w.tolist() for w in h] == [[0.0]]),
    ),
]


# --- The table of diverging runs ----------------------------------------------------


_F64 = torch.tensor(-10.0, dtype=torch.float64)

DIVERGENCES = [
    diverges(gradient_descent, "lr-1.5", A(1.0, 5000, lr=1.5), 1.5, 1024),
    diverges(gradient_descent, "lr-huge", A(-10.0, 5, lr=1e300), 1e300, 2),
    diverges(gradient_descent, "float32-lr-huge", A(np.float32(-10.0), 5, lr=1e300), 1e300, 1),
    diverges(gradient_descent, "x-huge", A(1e308, 5), 0.1, 1),
    diverges(gradient_descent_torch, "float64-lr-huge", A(_F64, 5, lr=1e300), 1e300, 2),
    diverges(gradient_descent_torch, "float32-lr-1e38", A(-10.0, 5, lr=1e38), 1e38, 1),
    diverges(gradient_descent_torch, "float32-lr-huge", A(-10.0, 5, lr=1e300), 1e300, None),
    diverges(gradient_descent_sgd, "float64-lr-huge", A(_F64, 5, lr=1e300), 1e300, 2),
    diverges(gradient_descent_sgd, "momentum-huge", A(-10.0, 5000, momentum=1e10), 0.1, None),
    diverges(gradient_descent_sgd, "float32-lr-huge", A(-10.0, 5, lr=1e300), 1e300, None),
    diverges(sgd_run, "lr-huge", A(-10.0, 5, grad=twice, lr=1e300), 1e300, 2),
    diverges(sgd_run, "momentum-huge", A(-10.0, 5000, grad=twice, momentum=1e300), 0.1, None),
    diverges(sgd_run_torch, "lr-huge", A(-10.0, 5, grad=twice, lr=1e300), 1e300, 2),
    diverges(sgd_run_torch, "float32-lr-huge",
             A(np.array([-10.0], np.float32), 5, grad=twice, lr=1e300), 1e300, None),
    diverges(lr_sweep, "lr-huge", A(4.0, [1.1, 1e300], 5), 1e300, 2),
]
# fmt: on


# --- The tests ------------------------------------------------------------------


@pytest.mark.parametrize(("func", "call", "check"), RESULTS)
def test_bad_input_gets_a_well_defined_result(
    func: Callable[..., Any], call: A, check: Callable[[Any], bool]
) -> None:
    with no_hang(deadline(func)):
        outcome = call(func)
    assert check(outcome), f"unexpected result {outcome!r}"
    assert finite(outcome), f"a nan or inf came back: {outcome!r}"


@pytest.mark.parametrize(("func", "call", "lr", "step"), DIVERGENCES)
def test_diverging_run_reports_step_and_lr(
    func: Callable[..., Any], call: A, lr: float, step: int | None
) -> None:
    with no_hang(deadline(func)), pytest.raises(DivergenceError) as caught:
        call(func)
    err = caught.value
    assert err.lr == lr
    assert isinstance(err.step, int)
    assert err.step >= 1
    if step is not None:
        assert err.step == step
    assert math.isfinite(err.last_finite)
    assert f"at step {err.step} with lr={lr!r}" in str(err)
