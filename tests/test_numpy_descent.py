"""Tests for the NumPy gradient descent loop, ``descent.gradient_descent``."""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pytest

from descent import DescentError, DivergenceError, StallError, gradient_descent
from descent._checks import MAX_RECORDED_STEPS

# --- The numbers from the article -------------------------------------------


def test_first_step_from_minus_ten() -> None:
    x, _ = gradient_descent(-10.0, nsteps=1)
    assert x == -8.0


def test_second_step() -> None:
    x, _ = gradient_descent(-10.0, nsteps=1)
    x, _ = gradient_descent(x, nsteps=1)
    assert x == -6.4


def test_thousand_more_steps_exact() -> None:
    x, _ = gradient_descent(-6.4, nsteps=1000)
    assert x == -7.873484301831169e-97


def test_steps_in_one_call_match_steps_in_several() -> None:
    x, _ = gradient_descent(-10.0, nsteps=1002)
    assert x == -7.873484301831169e-97


def test_default_is_one_step_with_lr_0_1() -> None:
    x, history = gradient_descent(-10.0)
    assert x == -8.0
    assert len(history) == 2


def test_history_of_three_steps() -> None:
    _, history = gradient_descent(-10.0, nsteps=3)
    np.testing.assert_allclose(history, [-10.0, -8.0, -6.4, -5.12], rtol=1e-15)
    assert history[0] == -10.0


# --- Return types, shapes and dtypes ----------------------------------------


@pytest.mark.parametrize("start", [-10.0, 3, np.float64(2.0)])
def test_python_number_start_returns_python_float(start: float) -> None:
    x, history = gradient_descent(start, nsteps=2)
    assert type(x) is float
    assert isinstance(history, np.ndarray)
    assert history.dtype == np.float64


@pytest.mark.parametrize(
    ("start", "nsteps"),
    [
        (-10.0, 0),
        (-10.0, 5),
        (np.array([1.0, -2.0, 3.0]), 4),
        (np.ones((2, 3)), 3),
    ],
)
def test_history_includes_start_and_has_shape(start: Any, nsteps: int) -> None:
    x, history = gradient_descent(start, nsteps=nsteps)
    assert history.shape == (nsteps + 1, *np.shape(start))
    np.testing.assert_array_equal(history[0], start)
    np.testing.assert_array_equal(history[-1], x)


def test_history_rows_follow_the_update_rule() -> None:
    _, history = gradient_descent(-10.0, nsteps=10, lr=0.2)
    np.testing.assert_array_equal(history[1:], history[:-1] - 0.2 * (2 * history[:-1]))


def test_float32_stays_float32() -> None:
    start = np.array([-10.0, 4.0], dtype=np.float32)
    x, history = gradient_descent(start, nsteps=3)
    assert x.dtype == np.float32
    assert history.dtype == np.float32
    # The arithmetic is done in float32 too, not in float64 and rounded after.
    expected = start.copy()
    for _ in range(3):
        expected = expected - np.float32(0.1) * (np.float32(2) * expected)
    np.testing.assert_array_equal(x, expected)
    assert x[1] != np.float32(2.048)  # float64 arithmetic would give this


def test_float32_start_is_not_modified() -> None:
    start = np.array([-10.0, 4.0], dtype=np.float32)
    gradient_descent(start, nsteps=3)
    np.testing.assert_array_equal(start, np.array([-10.0, 4.0], np.float32))


def test_float64_array_start_is_not_modified() -> None:
    start = np.array([-10.0, 4.0])
    x, _ = gradient_descent(start, nsteps=3)
    np.testing.assert_array_equal(start, [-10.0, 4.0])
    assert x is not start


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint16])
def test_integer_array_becomes_float64(dtype: type) -> None:
    x, history = gradient_descent(np.array([10, 5], dtype=dtype), nsteps=1)
    assert x.dtype == np.float64
    assert history.dtype == np.float64
    np.testing.assert_array_equal(x, [8.0, 4.0])


def test_integer_python_number_becomes_float() -> None:
    x, history = gradient_descent(-10, nsteps=1)
    assert x == -8.0
    assert type(x) is float
    assert history.dtype == np.float64


def test_list_start_is_an_array() -> None:
    x, history = gradient_descent([-10.0, 10.0], nsteps=1)  # type: ignore[call-overload]
    assert isinstance(x, np.ndarray)
    np.testing.assert_array_equal(x, [-8.0, 8.0])
    assert history.shape == (2, 2)


def test_vector_with_custom_grad() -> None:
    # f(x) = sum(c * x**2), so grad = 2 * c * x; each coordinate shrinks by its
    # own factor (1 - 2 * lr * c).
    c = np.array([1.0, 2.0, 0.5])

    def grad(x: np.ndarray) -> np.ndarray:
        return 2 * c * x

    start = np.array([1.0, 1.0, 1.0])
    x, history = gradient_descent(start, nsteps=5, lr=0.1, grad=grad)
    assert history.shape == (6, 3)
    np.testing.assert_allclose(x, (1 - 0.2 * c) ** 5, rtol=1e-14)


def test_vector_with_custom_grad_and_loss_and_tol() -> None:
    target = np.array([3.0, -1.0])

    def grad(x: np.ndarray) -> np.ndarray:
        return 2 * (x - target)

    def loss(x: np.ndarray) -> float:
        return float(np.sum((x - target) ** 2))

    x, history = gradient_descent(
        np.zeros(2), nsteps=1000, grad=grad, loss=loss, tol=1e-12
    )
    assert loss(x) < 1e-12
    assert len(history) - 1 < 1000
    np.testing.assert_allclose(x, target, atol=1e-6)


# --- Stopping on a tolerance ------------------------------------------------


def test_tol_stops_early_below_tol() -> None:
    x, history = gradient_descent(-10.0, nsteps=1000, tol=1e-6)
    steps = len(history) - 1
    assert steps == 42
    assert x**2 < 1e-6
    # It stopped at the first iterate below tol, not later.
    assert history[-2] ** 2 >= 1e-6
    assert all(h**2 >= 1e-6 for h in history[:-1])


def test_tol_with_huge_nsteps_finishes_fast() -> None:
    started = time.perf_counter()
    x, history = gradient_descent(-10.0, nsteps=10**9, tol=1e-6)
    elapsed = time.perf_counter() - started
    assert x**2 < 1e-6
    assert len(history) == 43
    assert elapsed < 5.0


def test_tol_already_met_takes_no_step() -> None:
    x, history = gradient_descent(1e-4, nsteps=100, tol=1e-6)
    assert x == 1e-4
    assert history.shape == (1,)


@pytest.mark.parametrize(
    ("tol", "steps"),
    [
        (100.0, 1),  # f(-10) == 100 is not below 100: take a step
        (64.0, 2),  # f(-8) == 64 is not below 64: take another
        (64.0000001, 1),
    ],
)
def test_tol_is_strict(tol: float, steps: int) -> None:
    _, history = gradient_descent(-10.0, nsteps=10, tol=tol)
    assert len(history) - 1 == steps


def test_tol_not_reached_uses_all_steps() -> None:
    x, history = gradient_descent(-10.0, nsteps=5, tol=1e-6)
    assert len(history) == 6
    assert x**2 >= 1e-6


def test_tol_loss_is_used_not_f() -> None:
    # With loss |x| the tolerance is met later than with x**2.
    _, with_f = gradient_descent(-10.0, nsteps=1000, tol=1e-6)
    _, with_abs = gradient_descent(-10.0, nsteps=1000, tol=1e-6, loss=abs)
    assert len(with_abs) > len(with_f)
    assert abs(with_abs[-1]) < 1e-6


def test_zero_steps_return_start_unchanged() -> None:
    x, history = gradient_descent(-10.0, nsteps=0)
    assert x == -10.0
    assert type(x) is float
    np.testing.assert_array_equal(history, [-10.0])


def test_zero_steps_array() -> None:
    start = np.array([1.0, 2.0])
    x, history = gradient_descent(start, nsteps=0)
    np.testing.assert_array_equal(x, start)
    assert history.shape == (1, 2)


def test_numpy_integer_nsteps_accepted() -> None:
    x, history = gradient_descent(-10.0, nsteps=np.int64(2))  # type: ignore[call-overload]
    assert x == -6.4
    assert len(history) == 3


def test_max_nsteps_allowed_with_tol() -> None:
    x, _ = gradient_descent(-10.0, nsteps=MAX_RECORDED_STEPS + 1, tol=1.0)
    assert x**2 < 1.0


# --- Argument errors --------------------------------------------------------


def test_messages_show_the_bad_value() -> None:
    with pytest.raises(TypeError, match=r"got '0\.1' \(str\)"):
        gradient_descent(-10.0, lr="0.1")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"got -0\.1$"):
        gradient_descent(-10.0, lr=-0.1)


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(TypeError, match=r"got 'a+\.\.\. \(str\)$") as info:
        gradient_descent(-10.0, lr="a" * 100)  # type: ignore[call-overload]
    assert len(str(info.value)) < 100


# --- Divergence and stalls --------------------------------------------------


def test_divergence_raises_with_step_and_lr() -> None:
    with warnings.catch_warnings():
        # Any RuntimeWarning (overflow) escaping the loop fails the test.
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(
            DivergenceError, match=r"diverged at step 1024 with lr=1\.5"
        ) as info:
            gradient_descent(1.0, nsteps=5000, lr=1.5)
    err = info.value
    assert err.step == 1024
    assert err.lr == 1.5
    # x_k = (-2)**k, so the last finite iterate is 2**1023.
    assert err.last_finite == 2.0**1023
    assert isinstance(err, DescentError)
    assert isinstance(err, ArithmeticError)


def test_divergence_in_float32() -> None:
    with pytest.raises(DivergenceError) as info:
        gradient_descent(np.array([1.0], dtype=np.float32), nsteps=5000, lr=1.5)
    assert info.value.step == 128
    assert info.value.last_finite == 2.0**127


def test_no_divergence_before_nsteps_runs_out() -> None:
    x, history = gradient_descent(1.0, nsteps=1023, lr=1.5)
    assert x == -(2.0**1023)
    assert np.isfinite(history).all()


def test_nan_gradient_is_divergence() -> None:
    with pytest.raises(DivergenceError) as info:
        gradient_descent(1.0, nsteps=3, grad=lambda x: x * np.nan)
    assert info.value.step == 1
    assert info.value.last_finite == 1.0


def test_two_point_swing_raises_stall_error() -> None:
    with pytest.raises(
        StallError, match=r"swings between two values at step 2"
    ) as info:
        gradient_descent(4.0, nsteps=100, lr=1.0, tol=1e-6)
    err = info.value
    assert err.period == 2
    assert err.step == 2
    assert err.loss == 16.0
    assert err.tol == 1e-6
    assert isinstance(err, DescentError)


def test_swing_without_tol_is_not_an_error() -> None:
    x, history = gradient_descent(4.0, nsteps=5, lr=1.0)
    assert x == -4.0
    np.testing.assert_array_equal(history, [4.0, -4.0, 4.0, -4.0, 4.0, -4.0])


def test_fixed_point_above_tol_raises_stall_error() -> None:
    with pytest.raises(StallError, match=r"stopped moving at step 1") as info:
        gradient_descent(
            3.0,
            nsteps=100,
            grad=np.zeros_like,
            loss=lambda _x: 1.0,
            tol=0.5,
        )
    err = info.value
    assert err.period == 1
    assert err.step == 1
    assert err.loss == 1.0
    assert err.tol == 0.5


def test_fixed_point_below_tol_is_success() -> None:
    x, history = gradient_descent(
        3.0, nsteps=100, grad=np.zeros_like, loss=lambda _x: 0.0, tol=0.5
    )
    assert x == 3.0
    assert len(history) == 1


# With tol, the loss must be a scalar: a custom loss that returns an array is
# refused with a message naming `loss`, and the default loss sums f over the
# entries, so an array start can stop on tol.


def test_array_start_with_tol_and_default_loss() -> None:
    x, history = gradient_descent(np.array([1.0, 2.0]), nsteps=1000, tol=1e-6)
    assert np.sum(x**2) < 1e-6
    assert np.sum(history[-2] ** 2) >= 1e-6  # stopped at the first step below tol
