"""Tests for ``descent.learning_rate``: the closed form, the regimes, the sweep."""

from __future__ import annotations

import numpy as np
import pytest

from descent import DivergenceError, gradient_descent
from descent.learning_rate import (
    REGIMES,
    SWEEP_LRS,
    SweepRun,
    closed_form,
    lr_sweep,
    regime,
)

# --- closed_form ----------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.3, 0.5, 0.75, 0.9, 1.0, 1.1])
@pytest.mark.parametrize("x0", [4.0, -10.0, 0.5])
def test_closed_form_matches_the_loop(x0: float, lr: float) -> None:
    _, history = gradient_descent(x0, nsteps=25, lr=lr)
    predicted = closed_form(x0, lr, np.arange(26))
    np.testing.assert_allclose(history, predicted, rtol=1e-12, atol=0.0)


def test_closed_form_known_values() -> None:
    assert closed_form(-10.0, 0.1, 0) == -10.0
    assert closed_form(-10.0, 0.1, 1) == -8.0
    assert closed_form(-10.0, 0.1, 2) == pytest.approx(-6.4, rel=1e-15)
    assert closed_form(4.0, 0.5, 1) == 0.0
    np.testing.assert_array_equal(closed_form(4.0, 1.0, range(4)), [4, -4, 4, -4])


def test_closed_form_scalar_and_array_types() -> None:
    assert isinstance(closed_form(4.0, 0.1, 3), float)
    assert isinstance(closed_form(4.0, 0.1, np.int64(3)), float)  # type: ignore[call-overload]
    values = closed_form(4.0, 0.1, [[0, 1], [2, 3]])  # type: ignore[list-item]
    assert values.shape == (2, 2)
    assert values.dtype == np.float64


def test_closed_form_curvature() -> None:
    # On c/2 x^2 the factor is 1 - c * lr.
    assert closed_form(1.0, 0.1, 2, curvature=4.0) == pytest.approx(0.36, rel=1e-15)
    _, history = gradient_descent(1.0, nsteps=5, lr=0.1, grad=lambda x: 4.0 * x)
    np.testing.assert_allclose(
        history, closed_form(1.0, 0.1, range(6), curvature=4.0), rtol=1e-14
    )


@pytest.mark.parametrize("x0", [0.0, 1e-300, 4.0])
def test_closed_form_refuses_a_power_beyond_float64(x0: float) -> None:
    # 1.2**5000 overflows float64, whatever x0 it multiplies.
    with pytest.raises(
        OverflowError, match=r"^closed_form overflows for lr=1\.1 at k="
    ):
        closed_form(x0, 1.1, 5000)


# --- regime ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lr", "expected"),
    [
        (1e-6, "monotone convergence"),
        (0.01, "monotone convergence"),
        (0.4999, "monotone convergence"),
        (0.5, "one-step convergence"),
        (0.5001, "oscillating convergence"),
        (0.9, "oscillating convergence"),
        (1.0, "two-point swing"),
        (1.0001, "divergence"),
        (1.1, "divergence"),
        (100.0, "divergence"),
    ],
)
def test_regime_for_x_squared(lr: float, expected: str) -> None:
    assert regime(lr) == expected
    assert expected in REGIMES


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.5, 0.7, 0.95, 1.0, 1.05])
def test_regime_agrees_with_what_the_loop_does(lr: float) -> None:
    _, history = gradient_descent(3.0, nsteps=40, lr=lr)
    name = regime(lr)
    signs = np.sign(history[1:])
    if name == "monotone convergence":
        assert (signs > 0).all()
        assert (np.diff(history) < 0).all()
    elif name == "one-step convergence":
        assert (history[1:] == 0).all()
    elif name == "oscillating convergence":
        assert (signs[1:] != signs[:-1]).all()
        assert abs(history[-1]) < abs(history[0])
    elif name == "two-point swing":
        np.testing.assert_array_equal(np.abs(history), 3.0)
    else:
        assert abs(history[-1]) > abs(history[0])


def test_regime_with_curvature() -> None:
    # The toy linear model's largest curvature is about 29.87: 2/c is about 0.067.
    assert regime(0.05, curvature=29.87) == "oscillating convergence"
    assert regime(0.07, curvature=29.87) == "divergence"
    assert regime(0.25, curvature=4.0) == "one-step convergence"


# --- lr_sweep ------------------------------------------------------------------------


def test_default_sweep() -> None:
    runs = lr_sweep()
    assert [run.lr for run in runs] == list(SWEEP_LRS)
    assert [run.regime for run in runs] == [
        "monotone convergence",
        "monotone convergence",
        "one-step convergence",
        "oscillating convergence",
        "two-point swing",
        "divergence",
    ]
    for run in runs:
        assert isinstance(run, SweepRun)
        np.testing.assert_array_equal(run.steps, np.arange(21))
        assert run.measured[0] == 4.0
        np.testing.assert_allclose(run.measured, run.predicted, rtol=1e-12, atol=0.0)


def test_sweep_measures_with_gradient_descent() -> None:
    (run,) = lr_sweep(-2.0, lrs=[0.3], nsteps=7)
    _, history = gradient_descent(-2.0, nsteps=7, lr=0.3)
    np.testing.assert_array_equal(run.measured, history)
    np.testing.assert_array_equal(run.predicted, closed_form(-2.0, 0.3, range(8)))


def test_sweep_keeps_the_order_and_accepts_any_iterable() -> None:
    runs = lr_sweep(1.0, lrs=(lr for lr in [1.0, 0.1]), nsteps=2)
    assert [run.lr for run in runs] == [1.0, 0.1]


def test_sweep_reports_divergence() -> None:
    with pytest.raises(DivergenceError) as info:
        lr_sweep(4.0, lrs=[1.1], nsteps=5000)
    assert info.value.lr == 1.1
