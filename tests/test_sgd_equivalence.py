"""Property tests: the from-scratch SGD follows torch.optim.SGD step for step.

Hypothesis draws the hyperparameters, the parameter arrays and the gradients;
both optimizers then take the same 50 steps in float64, and every iterate must
agree to 1e-12. The only allowed difference is rounding: PyTorch fuses some
multiply-adds, NumPy rounds the product and the sum separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from descent.sgd import sgd_init, sgd_update

NSTEPS = 50
TOLERANCE = 1e-12
SETTINGS = settings(max_examples=60, deadline=None)


@dataclass(frozen=True)
class Hyper:
    lr: float
    momentum: float
    dampening: float
    weight_decay: float
    nesterov: bool
    maximize: bool
    foreach: bool

    def ours(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "momentum": self.momentum,
            "dampening": self.dampening,
            "weight_decay": self.weight_decay,
            "nesterov": self.nesterov,
            "maximize": self.maximize,
        }

    def torch(self) -> dict[str, Any]:
        return {**self.ours(), "foreach": self.foreach}


@st.composite
def hyperparameters(draw: st.DrawFn, max_lr: float, max_momentum: float) -> Hyper:
    """Every combination SGD accepts, in ranges where the runs stay bounded."""
    momentum = draw(st.one_of(st.just(0.0), st.floats(0.0, max_momentum)))
    nesterov = momentum > 0 and draw(st.booleans())
    dampening = 0.0 if nesterov else draw(st.floats(-0.5, 1.0))
    return Hyper(
        lr=draw(st.one_of(st.just(0.0), st.floats(0.0, max_lr))),
        momentum=momentum,
        dampening=dampening,
        weight_decay=draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5))),
        nesterov=nesterov,
        maximize=draw(st.booleans()),
        foreach=draw(st.booleans()),
    )


# Up to 40 elements per array: long enough for PyTorch's vectorised kernels
# (which fuse multiply-adds) as well as its scalar tail loop.
shapes = array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=8)
values = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)


def run_both(
    starts: list[np.ndarray], hyper: Hyper, gradient_at: Any
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Take NSTEPS steps with both optimizers; return both paths, per array."""
    ours = [s.copy() for s in starts]
    state = sgd_init(ours, **hyper.ours())
    theirs = [torch.tensor(s) for s in starts]
    optimizer = torch.optim.SGD(theirs, **hyper.torch())
    our_path, their_path = [], []
    for k in range(NSTEPS):
        grads = gradient_at(k, ours)
        their_grads = gradient_at(k, [t.numpy() for t in theirs])
        sgd_update(ours, grads, state)
        for tensor, grad in zip(theirs, their_grads, strict=True):
            tensor.grad = torch.tensor(grad)
        optimizer.step()
        our_path.append(np.concatenate([p.ravel() for p in ours]))
        their_path.append(np.concatenate([t.numpy().ravel() for t in theirs]))
    return our_path, their_path


def assert_same_path(ours: list[np.ndarray], theirs: list[np.ndarray]) -> None:
    for step, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        np.testing.assert_allclose(
            a, b, rtol=TOLERANCE, atol=TOLERANCE, err_msg=f"step {step}"
        )


@st.composite
def drawn_gradients(draw: st.DrawFn) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """One to three parameter arrays, and a fresh gradient for each, each step."""
    array_shapes_ = draw(st.lists(shapes, min_size=1, max_size=3))
    starts = [draw(arrays(np.float64, s, elements=values)) for s in array_shapes_]
    grads = [
        draw(arrays(np.float64, (NSTEPS, *s), elements=st.floats(-1.0, 1.0)))
        for s in array_shapes_
    ]
    return starts, grads


@SETTINGS
@given(data=drawn_gradients(), hyper=hyperparameters(max_lr=0.1, max_momentum=0.9))
def test_same_path_as_torch_for_drawn_gradients(
    data: tuple[list[np.ndarray], list[np.ndarray]], hyper: Hyper
) -> None:
    starts, grads = data

    def gradient_at(k: int, _params: list[np.ndarray]) -> list[np.ndarray]:
        return [g[k].copy() for g in grads]

    assert_same_path(*run_both(starts, hyper, gradient_at))


@st.composite
def quadratics(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A convex quadratic with Hessian eigenvalues in [0, 1]: matrix, offset, start."""
    n = draw(st.integers(1, 40))
    root = draw(arrays(np.float64, (n, n), elements=st.floats(-1.0, 1.0)))
    scale = float(np.sum(root**2))
    matrix = root @ root.T / scale if scale > 0 else np.zeros((n, n))
    offset = draw(arrays(np.float64, n, elements=values))
    start = draw(arrays(np.float64, n, elements=values))
    return matrix, offset, start


@SETTINGS
@given(problem=quadratics(), hyper=hyperparameters(max_lr=0.5, max_momentum=0.99))
def test_same_path_as_torch_on_a_random_quadratic(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], hyper: Hyper
) -> None:
    matrix, offset, start = problem
    sign = -1.0 if hyper.maximize else 1.0  # maximize the negated bowl

    def gradient_at(_k: int, params: list[np.ndarray]) -> list[np.ndarray]:
        return [sign * (matrix @ params[0] - offset)]

    ours, theirs = run_both([start], hyper, gradient_at)
    assert np.isfinite(ours[-1]).all()
    assert_same_path(ours, theirs)
