"""Tests of the conditioning helpers: eigenvalues, limits, tunings and rates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from descent.conditioning import (
    condition_number,
    curvatures,
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
from descent.linear_model import exact_weights, hessian, mse_gradient
from descent.sgd import sgd_run

TOY = [[10.0, 14.0], [14.0, 20.0]]


def test_the_toy_hessian_has_the_contract_numbers() -> None:
    largest, smallest = curvatures(TOY)
    assert largest == pytest.approx(15 + math.sqrt(221), rel=1e-14)
    assert smallest == pytest.approx(4 / (15 + math.sqrt(221)), rel=1e-12)
    assert round(largest, 3) == 29.866
    assert round(smallest, 4) == 0.1339
    assert round(condition_number(TOY)) == 223
    assert round(stability_limit(TOY), 3) == 0.067


def test_curvatures_are_sorted_and_match_a_diagonal_matrix() -> None:
    np.testing.assert_array_equal(curvatures(np.diag([1.0, 5.0, 3.0])), [5, 3, 1])


def test_the_stability_limit_separates_convergence_from_divergence() -> None:
    limit = stability_limit(hessian())
    start = np.array([1.0, 2.0])
    below, _ = sgd_run(start, nsteps=20_000, grad=mse_gradient, lr=0.99 * limit)
    np.testing.assert_allclose(below, [10.0, 20.0], atol=1e-8)
    _, path = sgd_run(start, nsteps=2000, grad=mse_gradient, lr=1.01 * limit)
    assert np.linalg.norm(path[-1] - [10, 20]) > 1e3 * np.linalg.norm(
        path[0] - [10, 20]
    )


def test_rates_at_the_edges_and_their_order() -> None:
    assert gd_rate(1.0) == heavy_ball_rate(1.0) == nesterov_rate(1.0) == 0.0
    for kappa in (2.0, 10.0, 223.0, 1e6):
        assert heavy_ball_rate(kappa) < nesterov_rate(kappa) < gd_rate(kappa) < 1


@pytest.mark.parametrize(
    ("options", "theory"),
    [
        ("gd", gd_rate),
        ("heavy_ball", heavy_ball_rate),
        ("nesterov", nesterov_rate),
    ],
)
def test_tuned_runs_contract_at_the_predicted_rate(
    options: str, theory: object
) -> None:
    # A diagonal quadratic with kappa = 100: every tuning must deliver its rate.
    matrix = np.diag([100.0, 1.0])
    largest, smallest = 100.0, 1.0
    kwargs: dict[str, Any]
    if options == "gd":
        kwargs = {"lr": gd_tuning(largest, smallest)}
    elif options == "heavy_ball":
        lr, momentum = heavy_ball_tuning(largest, smallest)
        kwargs = {"lr": lr, "momentum": momentum}
    else:
        lr, momentum = nesterov_tuning(largest, smallest)
        kwargs = {"lr": lr, "momentum": momentum, "nesterov": True}
    _, path = sgd_run(np.array([1.0, 1.0]), 400, grad=lambda w: matrix @ w, **kwargs)
    predicted = theory(100.0)  # type: ignore[operator]
    # Tuned momentum sits at critical damping, where the error is C k rho^k:
    # over steps 200..400 that factor k adds (400/200)**(1/200) - 1, about 0.35%.
    assert measured_rate(path, [0.0, 0.0], (200, 400)) == pytest.approx(
        predicted, rel=5e-3
    )


def test_measured_rate_of_a_geometric_sequence() -> None:
    path = 3.0 * 0.9 ** np.arange(50)
    assert measured_rate(path, 0.0) == pytest.approx(0.9, rel=1e-13)
    assert measured_rate(path, 0.0, (0, 10)) == pytest.approx(0.9, rel=1e-13)


def test_measured_rate_checks_its_window() -> None:
    with pytest.raises(ValueError, match="window must satisfy"):
        measured_rate(np.ones(5), 0.0, (3, 3))
    with pytest.raises(ValueError, match="at least two iterates"):
        measured_rate(np.ones(1), 0.0)
    with pytest.raises(ValueError, match="already at the minimum"):
        measured_rate(np.zeros(5), 0.0)


def test_steps_to_tolerance() -> None:
    assert steps_to_tolerance([5.0, 1.0, 0.1, 0.001], 0.5) == 2
    assert steps_to_tolerance(np.array([0.0]), 1.0) == 0
    with pytest.raises(ValueError, match=r"no value is below tol=0\.01"):
        steps_to_tolerance([1.0, 0.5], 0.01)
    with pytest.raises(ValueError, match="tol must be greater than 0"):
        steps_to_tolerance([1.0], 0.0)


def test_exact_weights_solve_the_system() -> None:
    np.testing.assert_allclose(exact_weights(), [10.0, 20.0], rtol=1e-13)


@pytest.mark.parametrize(
    ("tuning", "largest", "smallest"),
    [
        (gd_tuning, 1e308, 1e308),  # L + mu overflows, so 2 / (L + mu) is 0
        (heavy_ball_tuning, 1e308, 1e308),  # (sqrt L + sqrt mu)**2 overflows
        (nesterov_tuning, 1e-320, 1e-320),  # 1 / L overflows
    ],
)
def test_tunings_refuse_curvatures_whose_learning_rate_overflows(
    tuning: object, largest: float, smallest: float
) -> None:
    with pytest.raises(ValueError, match=r"^the learning rate .* overflows float64"):
        tuning(largest, smallest)  # type: ignore[operator]
