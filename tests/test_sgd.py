"""Tests of the from-scratch SGD: its checks, its rule, and its loop."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from descent import DivergenceError, StallError
from descent.sgd import (
    BLOCK_SIZE,
    SGDState,
    sgd_init,
    sgd_run,
    sgd_run_torch,
    sgd_update,
)


def textbook_sgd(
    start: np.ndarray,
    grads: list[np.ndarray],
    *,
    lr: float,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> np.ndarray:
    """The rule of torch.optim.SGD's documentation, one line per line, unblocked."""
    theta = start.copy()
    buf = None
    path = [theta.copy()]
    for grad in grads:
        g = -grad if maximize else grad.copy()
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        theta = theta - lr * g
        path.append(theta.copy())
    return np.array(path)


def run_update(
    start: np.ndarray, grads: list[np.ndarray], **options: Any
) -> np.ndarray:
    params = start.copy()
    state = sgd_init(params, **options)
    path = [params.copy()]
    for grad in grads:
        sgd_update(params, grad, state)
        path.append(params.copy())
    return np.array(path)


OPTIONS: list[dict[str, Any]] = [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    {"lr": 0.05, "momentum": 0.5, "dampening": 0.3},
    {"lr": 0.05, "momentum": 0.5, "dampening": -0.5, "weight_decay": 0.2},
    {"lr": 0.1, "weight_decay": 0.5, "maximize": True},
    {"lr": 0.1, "momentum": 0.7, "nesterov": True, "maximize": True},
    {"lr": 0.0, "momentum": 0.9},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_update_follows_the_documented_rule(options: dict[str, Any]) -> None:
    rng = np.random.default_rng(0)
    start = rng.standard_normal(5)
    grads = list(rng.standard_normal((20, 5)))
    expected = textbook_sgd(start, grads, **options)
    np.testing.assert_allclose(
        run_update(start, grads, **options), expected, atol=1e-13
    )


def test_first_step_fills_the_buffer_without_dampening() -> None:
    params = np.array([0.0])
    state = sgd_init(params, lr=1.0, momentum=0.9, dampening=0.5)
    sgd_update(params, np.array([2.0]), state)
    assert state.momentum_buffers[0][0] == 2.0  # not (1 - 0.5) * 2
    assert params[0] == -2.0
    sgd_update(params, np.array([2.0]), state)
    assert state.momentum_buffers[0][0] == 0.9 * 2.0 + 0.5 * 2.0


def test_weight_decay_is_added_before_maximize_is_applied_to_the_gradient() -> None:
    # torch negates the gradient first and then adds weight_decay * theta.
    params = np.array([1.0])
    state = sgd_init(params, lr=1.0, weight_decay=0.5, maximize=True)
    sgd_update(params, np.array([2.0]), state)
    assert params[0] == 1.0 - (-2.0 + 0.5 * 1.0)


def test_block_size_is_the_documented_cache_friendly_size() -> None:
    # 65 536 elements: five float64 blocks in play take 2.5 MiB, which stays in
    # a CPU cache between the operations of a step (docs/api.md says so).
    assert BLOCK_SIZE == 65_536
    assert 5 * BLOCK_SIZE * np.dtype(np.float64).itemsize == 2.5 * 2**20


def test_arrays_larger_than_one_block_match_the_textbook_rule() -> None:
    rng = np.random.default_rng(1)
    size = 2 * BLOCK_SIZE + 123
    start = rng.standard_normal(size)
    grads = list(rng.standard_normal((4, size)))
    options: dict[str, Any] = {
        "lr": 0.1,
        "momentum": 0.9,
        "nesterov": True,
        "weight_decay": 0.01,
    }
    np.testing.assert_allclose(
        run_update(start, grads, **options),
        textbook_sgd(start, grads, **options),
        atol=1e-13,
    )


def test_update_handles_a_list_of_arrays_of_several_shapes_and_dtypes() -> None:
    rng = np.random.default_rng(2)
    params: list[np.ndarray] = [
        rng.standard_normal((3, 4)),
        rng.standard_normal(7).astype(np.float32),
    ]
    before = [p.copy() for p in params]
    grads: list[np.ndarray] = [np.ones((3, 4)), np.ones(7, dtype=np.float32)]
    state = sgd_init(params, lr=0.5, momentum=0.9)
    sgd_update(params, grads, state)
    np.testing.assert_array_equal(params[0], before[0] - 0.5)
    np.testing.assert_array_equal(params[1], before[1] - np.float32(0.5))
    assert params[1].dtype == np.float32
    assert state.step == 1


def test_update_reads_the_gradient_and_never_writes_it() -> None:
    params = np.array([1.0, 2.0])
    grad = np.array([3.0, -4.0])
    state = sgd_init(
        params, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True
    )
    for _ in range(3):
        sgd_update(params, grad, state)
    np.testing.assert_array_equal(grad, [3.0, -4.0])


def test_zero_dimensional_params_are_updated_in_place() -> None:
    params = np.array(-10.0)
    state = sgd_init(params, lr=0.1)
    sgd_update(params, np.array(-20.0), state)
    assert params == -8.0


def test_numpy_scalar_gradients_are_read_but_scalar_params_are_refused() -> None:
    params = np.array(3.0)
    state = sgd_init(params, lr=0.5)
    sgd_update(params, 2 * params, state)  # 2 * params is a NumPy scalar
    assert params == 0.0
    with pytest.raises(TypeError, match="params must be a NumPy array"):
        sgd_init(np.float64(3.0))  # type: ignore[arg-type]


def test_empty_params_are_allowed_as_in_torch() -> None:
    params = np.empty(0)
    state = sgd_init(params, lr=0.1, momentum=0.9)
    sgd_update(params, np.empty(0), state)
    assert state.step == 1


def test_init_accepts_what_torch_accepts() -> None:
    state = sgd_init(np.zeros(2), lr=0.0, momentum=0.0, dampening=-2.0)
    assert isinstance(state, SGDState)
    assert state.momentum_buffers == ()


def test_update_rejects_params_it_cannot_update_in_place() -> None:
    # Same shape and dtype as the state's arrays, but a transposed view would
    # be updated through a copy, and the step lost; a read-only array would
    # fail halfway through a list. Both are refused before anything changes.
    state = sgd_init([np.zeros(2), np.zeros((3, 4))], lr=1.0)
    first = np.zeros(2)
    with pytest.raises(ValueError, match=r"params\[1\] must be C-contiguous"):
        sgd_update([first, np.zeros((4, 3)).T], [np.ones(2), np.ones((3, 4))], state)
    read_only = np.zeros((3, 4))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[1\] must be writeable"):
        sgd_update([first, read_only], [np.ones(2), np.ones((3, 4))], state)
    np.testing.assert_array_equal(first, [0.0, 0.0])
    assert state.step == 0


def test_run_on_x_squared_reproduces_plain_descent() -> None:
    x, history = sgd_run(-10.0, nsteps=2, grad=lambda x: 2 * x)
    assert x == -6.4
    assert isinstance(x, float)
    np.testing.assert_array_equal(history, [-10.0, -8.0, -6.4])


def test_run_leaves_the_start_untouched_and_returns_an_array() -> None:
    start = np.array([1.0, 2.0])
    x, history = sgd_run(start, nsteps=3, grad=lambda w: w, momentum=0.5)
    np.testing.assert_array_equal(start, [1.0, 2.0])
    assert isinstance(x, np.ndarray)
    assert history.shape == (4, 2)
    np.testing.assert_array_equal(history[-1], x)


def test_run_stops_on_the_tolerance() -> None:
    x, history = sgd_run(
        -10.0, nsteps=1000, grad=lambda x: 2 * x, loss=lambda x: x**2, tol=1e-6
    )
    assert len(history) - 1 == 42
    assert x**2 < 1e-6


def test_run_reports_divergence() -> None:
    with pytest.raises(DivergenceError) as info:
        sgd_run(1.0, nsteps=5000, grad=lambda x: 2 * x, lr=1.5)
    assert info.value.step == 1024
    assert info.value.lr == 1.5


def test_run_reports_a_stall_without_momentum_only() -> None:
    with pytest.raises(StallError):
        sgd_run(
            4.0, nsteps=100, grad=lambda x: 2 * x, loss=lambda x: x**2, lr=1.0, tol=1e-6
        )


def test_run_matches_torch_on_a_quadratic() -> None:
    matrix = np.array([[3.0, 1.0], [1.0, 2.0]])

    def grad(w: np.ndarray) -> np.ndarray:
        return matrix @ w - 1.0

    for options in OPTIONS:
        if options.get("maximize"):
            continue  # ascent on a bowl diverges; the equivalence tests cover it
        _, ours = sgd_run(np.array([1.0, -1.0]), nsteps=100, grad=grad, **options)
        theirs = sgd_run_torch(np.array([1.0, -1.0]), nsteps=100, grad=grad, **options)
        assert theirs.dtype == np.float64
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_torch_reference_reports_divergence() -> None:
    with pytest.raises(DivergenceError):
        sgd_run_torch(1.0, nsteps=5000, grad=lambda x: 2 * x, lr=1.5)
