"""Tests of the toy linear model: data, loss, gradient, Hessian, exact weights."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

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


def test_the_chapter_one_numbers() -> None:
    np.testing.assert_array_equal(predict([10, 20]), TARGETS)
    np.testing.assert_array_equal(predict([1, 2]), [5.0, 11.0])
    assert mse([1, 2]) == 5913.0
    assert mse([10, 20]) == 0.0


def test_the_data_cannot_be_changed_by_accident() -> None:
    with pytest.raises(ValueError, match="read-only"):
        INPUTS[0, 0] = 5.0


def test_gradient_matches_central_differences() -> None:
    w = np.array([1.5, -0.5])
    h = 1e-6
    numeric = [
        (mse(w + h * e) - mse(w - h * e)) / (2 * h) for e in np.eye(2, dtype=float)
    ]
    np.testing.assert_allclose(mse_gradient(w), numeric, rtol=1e-7)


def test_hessian_is_the_change_of_the_gradient() -> None:
    h = hessian()
    np.testing.assert_array_equal(h, INPUTS.T @ INPUTS)  # 2/n = 1 for two samples
    w = np.array([3.0, -7.0])
    step = np.array([0.25, 0.5])
    np.testing.assert_allclose(mse_gradient(w + step) - mse_gradient(w), h @ step)


def test_hessian_scales_with_the_number_of_samples() -> None:
    inputs = np.vstack([INPUTS, INPUTS])  # the same samples twice: same Hessian
    np.testing.assert_allclose(hessian(inputs), hessian())


def test_mse_torch_agrees_with_numpy_and_gives_the_gradient() -> None:
    w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    loss = mse_torch(w)
    assert loss.dtype == torch.float64
    assert loss.item() == mse([1, 2])
    loss.backward()
    assert w.grad is not None
    np.testing.assert_array_equal(w.grad.numpy(), mse_gradient([1, 2]))


@pytest.mark.parametrize("weight_decay", [0.0, 0.1, 1.0, 10.0])
def test_exact_weights_zero_the_decayed_gradient(weight_decay: float) -> None:
    w = exact_weights(weight_decay)
    np.testing.assert_allclose(mse_gradient(w) + weight_decay * w, 0.0, atol=1e-12)


def test_weight_decay_shortens_the_solution() -> None:
    norms = [np.linalg.norm(exact_weights(d)) for d in (0.0, 0.1, 1.0, 10.0, 100.0)]
    assert all(a > b for a, b in itertools.pairwise(norms))
