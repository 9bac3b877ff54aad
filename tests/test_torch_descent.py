"""Tests for the PyTorch loops: autograd by hand and ``torch.optim.SGD``."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import torch

from descent import (
    DivergenceError,
    StallError,
    gradient_descent,
    gradient_descent_sgd,
    gradient_descent_torch,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    #: gradient_descent_torch or gradient_descent_sgd.
    Descend = Callable[..., tuple[torch.Tensor, Any]]

# Both loops take the same plain steps by default, so most tests run on both.
both = pytest.mark.parametrize(
    "descend",
    [gradient_descent_torch, gradient_descent_sgd],
    ids=["torch", "sgd"],
)


# --- The numbers from the article -------------------------------------------


@both
def test_first_and_second_step(descend: Descend) -> None:
    x, _ = descend(torch.tensor(-10.0), nsteps=1)
    assert x.dtype == torch.float32
    assert x.item() == float(np.float32(-8.0))
    x, _ = descend(x, nsteps=1)
    assert x.dtype == torch.float32
    assert x.item() == float(np.float32(-6.4))


@both
def test_python_float_start_is_float32(descend: Descend) -> None:
    x, history = descend(-10.0, nsteps=2)
    assert x.dtype == torch.float32
    assert x.item() == float(np.float32(-6.4))
    assert history.dtype == np.float32
    np.testing.assert_array_equal(history, np.array([-10.0, -8.0, -6.4], np.float32))


@both
def test_python_int_start(descend: Descend) -> None:
    x, _ = descend(-10, nsteps=1)
    assert x.dtype == torch.float32
    assert x.item() == -8.0


@both
def test_float32_1002_steps_exact(descend: Descend) -> None:
    x, history = descend(torch.tensor(-10.0), nsteps=1002)
    # Twice the smallest float32 subnormal, 2 * 2**-149, exactly.
    assert x.item() == -2.802596928649634e-45
    assert history[-1] == np.float32(-2.802596928649634e-45)
    assert len(history) == 1003


def add_rounds_once() -> bool:
    """Tell whether this CPU kernel's ``add_`` with ``alpha`` rounds once.

    The AVX2 and AVX512 kernels compute it as a fused multiply-add, the
    DEFAULT kernel (``ATEN_CPU_CAPABILITY=default``) as a product and a sum.
    With a = 1 + 2**-30, a * a - (1 + 2**-29) is exactly 2**-60; rounding the
    product first loses that term and leaves 0.
    """
    a = 1 + 2**-30
    x = torch.tensor(-(1 + 2**-29), dtype=torch.float64)
    x.add_(torch.tensor(a, dtype=torch.float64), alpha=a)
    assert x.item() in (2**-60, 0.0)
    return x.item() == 2**-60


#: Where 1002 float64 steps from -10 end, rounding once or twice per step.
ROUNDED_ONCE, ROUNDED_TWICE = -7.873484301831079e-97, -7.873484301831169e-97
TORCH_FLOAT64_END = ROUNDED_ONCE if add_rounds_once() else ROUNDED_TWICE


def test_rounding_candidates_are_exact() -> None:
    once = twice = -10.0
    for _ in range(1002):
        once = float(Fraction(once) - Fraction(0.1) * 2 * Fraction(once))
        twice = twice - 0.1 * (2 * twice)
    assert (once, twice) == (ROUNDED_ONCE, ROUNDED_TWICE)


@both
def test_float64_1002_steps_exact(descend: Descend) -> None:
    x, history = descend(torch.tensor(-10.0, dtype=torch.float64), nsteps=1002)
    # Rounded once per step (fused multiply-add) this differs in the last bits
    # from NumPy's two roundings; on the DEFAULT kernel it is NumPy's number.
    assert x.dtype == torch.float64
    assert history.dtype == np.float64
    assert x.item() == TORCH_FLOAT64_END
    numpy_x, _ = gradient_descent(-10.0, nsteps=1002)
    assert numpy_x == ROUNDED_TWICE
    assert x.item() == pytest.approx(numpy_x, rel=1e-13)


@both
def test_steps_in_one_call_match_steps_in_several(descend: Descend) -> None:
    start = torch.tensor(-10.0, dtype=torch.float64)
    x, _ = descend(start, nsteps=1)
    x, _ = descend(x, nsteps=1)
    x, _ = descend(x, nsteps=1000)
    assert x.item() == TORCH_FLOAT64_END


# --- What comes back, and what is left alone --------------------------------


@both
def test_callers_tensor_is_not_modified(descend: Descend) -> None:
    start = torch.tensor([-10.0, 4.0], requires_grad=True)
    x, _ = descend(start, nsteps=3, loss=lambda t: (t**2).sum())
    torch.testing.assert_close(start.detach(), torch.tensor([-10.0, 4.0]))
    assert start.grad is None
    assert x is not start
    assert x.data_ptr() != start.data_ptr()


@both
def test_callers_non_leaf_tensor_is_accepted(descend: Descend) -> None:
    base = torch.tensor(-5.0, requires_grad=True)
    start = base * 2  # not a leaf: it has a grad_fn
    x, _ = descend(start, nsteps=1)
    assert x.is_leaf
    assert x.item() == -8.0
    assert base.grad is None


@both
def test_returned_x_is_a_leaf_that_requires_grad(descend: Descend) -> None:
    x, _ = descend(torch.tensor(-10.0), nsteps=3)
    assert x.is_leaf
    assert x.requires_grad
    assert x.grad_fn is None
    # So it can go straight back in, or be differentiated again.
    (x**2).backward()
    assert x.grad is not None


@both
def test_history_is_numpy_of_copies(descend: Descend) -> None:
    x, history = descend(
        torch.tensor([-10.0, 4.0]), nsteps=2, loss=lambda t: (t**2).sum()
    )
    assert isinstance(history, np.ndarray)
    assert history.shape == (3, 2)
    expected = np.array([[-10.0, 4.0], [-8.0, 3.2], [-6.4, 2.56]], np.float32)
    np.testing.assert_allclose(history, expected, rtol=1e-6)
    before = history.copy()
    # Changing the returned tensor in place must not reach the history ...
    with torch.no_grad():
        x.add_(100.0)
    np.testing.assert_array_equal(history, before)
    # ... and every row is a different iterate, not the same buffer thrice.
    assert not np.array_equal(history[0], history[1])
    assert not np.array_equal(history[1], history[2])


@both
def test_history_of_zero_steps(descend: Descend) -> None:
    x, history = descend(
        torch.tensor([1.0, 2.0]), nsteps=0, loss=lambda t: (t**2).sum()
    )
    np.testing.assert_array_equal(history, np.array([[1.0, 2.0]], np.float32))
    torch.testing.assert_close(x.detach(), torch.tensor([1.0, 2.0]))
    assert x.requires_grad


@both
def test_tol_stops_early(descend: Descend) -> None:
    x, history = descend(-10.0, nsteps=1000, tol=1e-6)
    assert x.item() ** 2 < 1e-6
    assert len(history) - 1 < 1000
    assert float(history[-2]) ** 2 >= 1e-6


@both
def test_tol_with_huge_nsteps(descend: Descend) -> None:
    x, history = descend(-10.0, nsteps=10**9, tol=1e-6)
    assert x.item() ** 2 < 1e-6
    assert len(history) < 100


@both
def test_tol_already_met(descend: Descend) -> None:
    _, history = descend(1e-4, nsteps=10, tol=1e-6)
    assert len(history) == 1


@both
def test_custom_loss_vector(descend: Descend) -> None:
    target = torch.tensor([3.0, -1.0], dtype=torch.float64)

    def loss(t: torch.Tensor) -> torch.Tensor:
        return ((t - target) ** 2).sum()

    x, _ = descend(
        torch.zeros(2, dtype=torch.float64), nsteps=200, loss=loss, tol=1e-20
    )
    torch.testing.assert_close(x.detach(), target)


def test_gradients_do_not_accumulate() -> None:
    # If .grad were not zeroed, the second step would use 2 * (-10) + 2 * (-8).
    _, history = gradient_descent_torch(
        torch.tensor(-10.0, dtype=torch.float64), nsteps=2
    )
    np.testing.assert_allclose(history, [-10.0, -8.0, -6.4], rtol=1e-15)


# --- SGD options --------------------------------------------------------------


def test_sgd_momentum_passes_through() -> None:
    x, history = gradient_descent_sgd(-10.0, nsteps=2, momentum=0.9)
    # v1 = -20, x1 = -8; v2 = 0.9 * -20 + -16 = -34, x2 = -8 + 3.4 = -4.6
    assert x.item() == pytest.approx(-4.6, rel=1e-6)
    np.testing.assert_allclose(history, [-10.0, -8.0, -4.6], rtol=1e-6)
    plain, _ = gradient_descent_sgd(-10.0, nsteps=2)
    assert plain.item() == pytest.approx(-6.4)


def test_sgd_weight_decay_passes_through() -> None:
    # weight_decay adds wd * x to the gradient: -10 - 0.1 * (-20 + 0.5 * -10) = -7.5
    x, _ = gradient_descent_sgd(-10.0, nsteps=1, weight_decay=0.5)
    assert x.item() == pytest.approx(-7.5)


def test_sgd_maximize_passes_through() -> None:
    x, _ = gradient_descent_sgd(-10.0, nsteps=1, maximize=True)
    assert x.item() == pytest.approx(-12.0)


def test_sgd_momentum_with_tol_does_not_stall_spuriously() -> None:
    # With momentum 0.5 and lr 1.25 from 1.0 the iterates are exactly
    # 1, -1.5, 1, -0.25, -0.25, ...: a "swing" at step 2 and a "fixed point"
    # at step 4, yet the velocity differs each time and the run converges.
    _, head = gradient_descent_sgd(1.0, nsteps=4, lr=1.25, momentum=0.5)
    np.testing.assert_array_equal(head, [1.0, -1.5, 1.0, -0.25, -0.25])
    x, history = gradient_descent_sgd(1.0, nsteps=1000, lr=1.25, momentum=0.5, tol=1e-6)
    assert x.item() ** 2 < 1e-6
    assert len(history) < 1000


def test_sgd_without_momentum_stalls_like_torch() -> None:
    with pytest.raises(StallError) as info:
        gradient_descent_sgd(4.0, nsteps=100, lr=1.0, tol=1e-6, momentum=0)
    assert info.value.period == 2


# --- Errors -------------------------------------------------------------------


@both
@pytest.mark.parametrize(
    ("dtype", "step", "last_finite"),
    [(torch.float32, 128, 2.0**127), (torch.float64, 1024, 2.0**1023)],
)
def test_divergence(
    descend: Descend, dtype: torch.dtype, step: int, last_finite: float
) -> None:
    with pytest.raises(
        DivergenceError, match=r"diverged at step \d+ with lr=1\.5"
    ) as info:
        descend(torch.tensor(1.0, dtype=dtype), nsteps=5000, lr=1.5)
    assert info.value.step == step
    assert info.value.lr == 1.5
    assert info.value.last_finite == last_finite


@both
def test_swing_with_tol_raises_stall_error(descend: Descend) -> None:
    with pytest.raises(StallError) as info:
        descend(4.0, nsteps=100, lr=1.0, tol=1e-6)
    assert info.value.period == 2
    assert info.value.step == 2
    assert info.value.loss == 16.0


@both
def test_fixed_point_above_tol_raises_stall_error(descend: Descend) -> None:
    def loss(t: torch.Tensor) -> torch.Tensor:
        return t.sum() * 0 + 1.0  # constant, so the gradient is 0

    with pytest.raises(StallError) as info:
        descend(3.0, nsteps=100, loss=loss, tol=0.5)
    assert info.value.period == 1
    assert info.value.step == 1
    assert info.value.loss == 1.0


@pytest.mark.parametrize("descend", [gradient_descent_torch, gradient_descent_sgd])
def test_numpy_scalar_start_is_accepted(descend: Descend) -> None:
    x, history = descend(np.float32(-10.0), nsteps=1)
    assert x.item() == -8.0
    assert history.dtype == np.float32
