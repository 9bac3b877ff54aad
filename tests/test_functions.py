"""Tests for the tutorial's loss ``f(x) = x**2`` and its derivative ``df``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from descent import df, f
from descent.functions import dtwo_valleys, two_valleys


@pytest.mark.parametrize(
    ("x", "expected_f", "expected_df"),
    [
        (-10.0, 100.0, -20.0),
        (0.0, 0.0, 0.0),
        (1.5, 2.25, 3.0),
        (3, 9, 6),
        (np.float64(-2.0), 4.0, -4.0),
    ],
)
def test_numbers(x: float, expected_f: float, expected_df: float) -> None:
    assert f(x) == expected_f
    assert df(x) == expected_df


def test_python_float_stays_a_python_float() -> None:
    assert type(f(-10.0)) is float
    assert type(df(-10.0)) is float


def test_numpy_array_elementwise() -> None:
    x = np.array([-10.0, 0.0, 1.0, 2.5])
    np.testing.assert_array_equal(f(x), [100.0, 0.0, 1.0, 6.25])
    np.testing.assert_array_equal(df(x), [-20.0, 0.0, 2.0, 5.0])
    assert isinstance(f(x), np.ndarray)
    assert isinstance(df(x), np.ndarray)


def test_numpy_array_keeps_shape_and_dtype() -> None:
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for result in (f(x), df(x)):
        assert result.shape == (2, 3)
        assert result.dtype == np.float32


def test_numpy_array_is_not_modified() -> None:
    x = np.array([1.0, -2.0])
    f(x)
    df(x)
    np.testing.assert_array_equal(x, [1.0, -2.0])


@pytest.mark.parametrize("container", [list, tuple])
def test_sequences_become_arrays(container: type) -> None:
    x = container([-10.0, 1.0])
    fx, dfx = f(x), df(x)
    assert isinstance(fx, np.ndarray)
    assert isinstance(dfx, np.ndarray)
    np.testing.assert_array_equal(fx, [100.0, 1.0])
    np.testing.assert_array_equal(dfx, [-20.0, 2.0])


def test_integer_list() -> None:
    np.testing.assert_array_equal(f([1, -2, 3]), [1, 4, 9])  # type: ignore[type-var]
    np.testing.assert_array_equal(df([1, -2, 3]), [2, -4, 6])  # type: ignore[type-var]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_torch_tensor(dtype: torch.dtype) -> None:
    x = torch.tensor([-10.0, 1.0], dtype=dtype)
    fx, dfx = f(x), df(x)
    assert isinstance(fx, torch.Tensor)
    assert isinstance(dfx, torch.Tensor)
    assert fx.dtype == dtype
    assert dfx.dtype == dtype
    torch.testing.assert_close(fx, torch.tensor([100.0, 1.0], dtype=dtype))
    torch.testing.assert_close(dfx, torch.tensor([-20.0, 2.0], dtype=dtype))


def test_torch_backward_gives_the_derivative() -> None:
    x = torch.tensor(3.0, requires_grad=True)
    y = f(x)
    assert y.requires_grad
    y.backward()
    assert x.grad is not None
    assert x.grad.item() == 6.0
    assert x.grad.item() == df(3.0)


def test_torch_backward_elementwise_is_2x() -> None:
    x = torch.tensor([-10.0, 0.5, 2.0], requires_grad=True)
    f(x).sum().backward()
    assert x.grad is not None
    torch.testing.assert_close(x.grad, 2 * x.detach())
    torch.testing.assert_close(x.grad, df(x.detach()))


# The two-valley function x**4 - 3x**2 + x and its derivative.


@pytest.mark.parametrize(
    ("x", "expected_f", "expected_df"),
    [(-2.0, 2.0, -19.0), (0.0, 0.0, 1.0), (1.0, -1.0, -1.0), (2, 6, 21)],
)
def test_two_valleys_numbers(x: float, expected_f: float, expected_df: float) -> None:
    assert two_valleys(x) == expected_f
    assert dtwo_valleys(x) == expected_df


def test_two_valleys_python_float_stays_a_python_float() -> None:
    assert type(two_valleys(-2.0)) is float
    assert type(dtwo_valleys(-2.0)) is float


def test_two_valleys_derivative_vanishes_at_the_roots() -> None:
    roots = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
    np.testing.assert_allclose(dtwo_valleys(roots), 0.0, atol=1e-12)
    values = two_valleys(roots)
    assert values[0] < values[2] < values[1]  # deep minimum, shallow one, hump


def test_two_valleys_numpy_keeps_shape_and_dtype() -> None:
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for result in (two_valleys(x), dtwo_valleys(x)):
        assert result.shape == (2, 3)
        assert result.dtype == np.float32


def test_two_valleys_torch_backward_gives_the_derivative() -> None:
    x = torch.tensor([-1.5, 0.2, 1.7], dtype=torch.float64, requires_grad=True)
    two_valleys(x).sum().backward()
    assert x.grad is not None
    torch.testing.assert_close(x.grad, dtwo_valleys(x.detach()))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), [1.0, float("nan")]])
def test_two_valleys_rejects_non_finite(bad: object) -> None:
    with pytest.raises(ValueError, match="x"):
        two_valleys(bad)  # type: ignore[type-var]
    with pytest.raises(ValueError, match="x"):
        dtwo_valleys(bad)  # type: ignore[type-var]


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j])
def test_two_valleys_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(TypeError, match="x"):
        two_valleys(bad)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="x"):
        dtwo_valleys(bad)  # type: ignore[type-var]
