"""Property tests: invariants of the three loops on f(x) = x**2, for many inputs.

On f(x) = x**2 the update is x_{k+1} = x_k - lr * 2 * x_k = (1 - 2 * lr) * x_k,
so everything the loops do can be checked against the closed form
x_k = (1 - 2 * lr)**k * x_0.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from descent import (
    DivergenceError,
    gradient_descent,
    gradient_descent_sgd,
    gradient_descent_torch,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    #: gradient_descent_torch or gradient_descent_sgd.
    Descend = Callable[..., tuple[torch.Tensor, Any]]

EPS = np.finfo(np.float64).eps
# Below this the iterates are (nearly) subnormal and lose relative precision.
TINY = 1e-300

# The torch loops are much slower per step than NumPy's, so try fewer cases.
torch_settings = settings(max_examples=50, deadline=None)
numpy_settings = settings(max_examples=200, deadline=None)

starts = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
nonzero_starts = st.builds(
    lambda magnitude, sign: sign * magnitude,
    st.floats(min_value=1e-3, max_value=1e3),
    st.sampled_from([-1.0, 1.0]),
)
# 0 < lr < 1: every step shrinks |x|.
shrinking_lrs = st.floats(
    min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True
)
# 0 < lr <= 0.5: every step shrinks x without crossing 0.
monotone_lrs = st.floats(min_value=0.0, max_value=0.5, exclude_min=True)
# Away from 0 (where x barely moves) and 1 (where it barely shrinks).
converging_lrs = st.floats(min_value=0.01, max_value=0.99)
step_counts = st.integers(min_value=0, max_value=200)

torch_loops = pytest.mark.parametrize(
    "descend", [gradient_descent_torch, gradient_descent_sgd], ids=["torch", "sgd"]
)


def rounding_bound(lr: float, k: int) -> float:
    """A relative error bound for k steps of x - lr * 2x in float64.

    Each step rounds lr * 2x (error eps * |2 lr x|) and the difference (error
    eps * |x_{k+1}|). Relative to |x_{k+1}| = |1 - 2 lr| |x| that is at most
    eps * (1 + 2 lr / |1 - 2 lr|) per step; a factor 2 covers the second order.
    """
    return 2 * k * EPS * (1 + 2 * lr / abs(1 - 2 * lr))


# --- The closed form ----------------------------------------------------------


@numpy_settings
@given(x0=starts, lr=shrinking_lrs, nsteps=step_counts)
def test_abs_x_never_increases(x0: float, lr: float, nsteps: int) -> None:
    _, history = gradient_descent(x0, nsteps=nsteps, lr=lr)
    magnitudes = np.abs(history)
    assert np.all(magnitudes[1:] <= magnitudes[:-1])


@numpy_settings
@given(x0=starts, lr=shrinking_lrs, nsteps=step_counts)
def test_matches_closed_form(x0: float, lr: float, nsteps: int) -> None:
    assume(lr != 0.5)  # 1 - 2 lr = 0: covered exactly below
    _, history = gradient_descent(x0, nsteps=nsteps, lr=lr)
    for k, x_k in enumerate(history):
        expected = (1 - 2 * lr) ** k * x0
        assert math.isclose(
            x_k, expected, rel_tol=rounding_bound(lr, k), abs_tol=TINY
        ), (
            k,
            x_k,
            expected,
        )


@numpy_settings
@given(x0=starts)
def test_lr_one_half_jumps_to_the_minimum(x0: float) -> None:
    x, history = gradient_descent(x0, nsteps=3, lr=0.5)
    assert x == 0.0
    np.testing.assert_array_equal(history[1:], 0.0)


@numpy_settings
@given(x0=starts, lr=monotone_lrs, nsteps=step_counts)
def test_sign_never_flips_numpy(x0: float, lr: float, nsteps: int) -> None:
    _, history = gradient_descent(x0, nsteps=nsteps, lr=lr)
    assert np.all(history * np.sign(x0) >= 0)


@torch_loops
@torch_settings
@given(x0=starts, lr=monotone_lrs, nsteps=st.integers(min_value=0, max_value=50))
def test_sign_never_flips_torch(
    descend: Descend, x0: float, lr: float, nsteps: int
) -> None:
    _, history = descend(x0, nsteps=nsteps, lr=lr)
    assert np.all(history.astype(np.float64) * np.sign(x0) >= 0)


@torch_loops
@torch_settings
@given(x0=starts, lr=shrinking_lrs, nsteps=st.integers(min_value=0, max_value=50))
def test_abs_x_never_increases_torch(
    descend: Descend, x0: float, lr: float, nsteps: int
) -> None:
    _, history = descend(x0, nsteps=nsteps, lr=lr)
    magnitudes = np.abs(history)
    assert np.all(magnitudes[1:] <= magnitudes[:-1])


# --- NumPy and torch agree ------------------------------------------------------


@torch_loops
@torch_settings
@given(x0=starts, lr=shrinking_lrs, nsteps=st.integers(min_value=0, max_value=50))
def test_numpy_and_torch_float64_agree(
    descend: Descend, x0: float, lr: float, nsteps: int
) -> None:
    assume(abs(1 - 2 * lr) > 0.01)  # near lr = 0.5 every rounding is magnified
    _, numpy_history = gradient_descent(x0, nsteps=nsteps, lr=lr)
    _, torch_history = descend(
        torch.tensor(x0, dtype=torch.float64), nsteps=nsteps, lr=lr
    )
    assert torch_history.dtype == np.float64
    assert torch_history.shape == numpy_history.shape
    # Both are within rounding_bound of the closed form, so within twice that
    # of each other: about 1e-12 here (NumPy rounds twice per step, torch once
    # or twice, depending on its CPU kernel).
    rtol = 2 * rounding_bound(lr, nsteps)
    np.testing.assert_allclose(torch_history, numpy_history, rtol=rtol, atol=TINY)


# --- History and stopping rules -------------------------------------------------


@numpy_settings
@given(
    x0=st.one_of(starts, st.lists(starts, min_size=1, max_size=4).map(np.array)),
    lr=shrinking_lrs,
    nsteps=step_counts,
)
def test_history_length_is_steps_plus_one(x0: Any, lr: float, nsteps: int) -> None:
    x, history = gradient_descent(x0, nsteps=nsteps, lr=lr)
    assert history.shape == (nsteps + 1, *np.shape(x0))
    np.testing.assert_array_equal(history[0], x0)
    np.testing.assert_array_equal(history[-1], x)


@torch_loops
@torch_settings
@given(x0=starts, lr=shrinking_lrs, nsteps=st.integers(min_value=0, max_value=50))
def test_history_length_is_steps_plus_one_torch(
    descend: Descend, x0: float, lr: float, nsteps: int
) -> None:
    x, history = descend(x0, nsteps=nsteps, lr=lr)
    assert history.shape == (nsteps + 1,)
    assert history[0] == np.float32(x0)
    assert history[-1] == x.item()


@numpy_settings
@given(x0=starts, lr=shrinking_lrs, first=step_counts, second=step_counts)
def test_steps_can_be_split_between_calls(
    x0: float, lr: float, first: int, second: int
) -> None:
    at_once, _ = gradient_descent(x0, nsteps=first + second, lr=lr)
    halfway, _ = gradient_descent(x0, nsteps=first, lr=lr)
    in_two, _ = gradient_descent(halfway, nsteps=second, lr=lr)
    assert in_two == at_once


@numpy_settings
@given(
    x0=starts,
    lr=converging_lrs,
    tol=st.floats(min_value=1e-12, max_value=1.0),
    nsteps=st.integers(min_value=0, max_value=2000),
)
def test_tol_is_met_or_budget_used(
    x0: float, lr: float, tol: float, nsteps: int
) -> None:
    x, history = gradient_descent(x0, nsteps=nsteps, lr=lr, tol=tol)
    steps = len(history) - 1
    assert steps <= nsteps
    assert x**2 < tol or steps == nsteps
    # It stops at the first iterate below tol, never later.
    assert np.all(history[:-1] ** 2 >= tol)


@torch_loops
@torch_settings
@given(
    x0=starts,
    lr=converging_lrs,
    tol=st.floats(min_value=1e-6, max_value=1.0),
    nsteps=st.integers(min_value=0, max_value=300),
)
def test_tol_is_met_or_budget_used_torch(
    descend: Descend, x0: float, lr: float, tol: float, nsteps: int
) -> None:
    x, history = descend(x0, nsteps=nsteps, lr=lr, tol=tol)
    steps = len(history) - 1
    assert steps <= nsteps
    assert x.item() ** 2 < tol or steps == nsteps


@torch_settings
@given(
    x0=nonzero_starts,
    lr=st.floats(min_value=0.01, max_value=0.3),
    momentum=st.floats(min_value=0.0, max_value=0.9),
    tol=st.floats(min_value=1e-6, max_value=1.0),
)
def test_momentum_with_tol_converges(
    x0: float, lr: float, momentum: float, tol: float
) -> None:
    # Heavy ball converges on x**2 for these values; no StallError on the way.
    x, history = gradient_descent_sgd(
        x0, nsteps=3000, lr=lr, tol=tol, momentum=momentum
    )
    assert x.item() ** 2 < tol
    assert len(history) <= 3001


# --- Divergence -------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(x0=nonzero_starts, lr=st.floats(min_value=1.1, max_value=10.0))
def test_divergence_raises_numpy(x0: float, lr: float) -> None:
    # |x_k| = |1 - 2 lr|**k |x0| >= 1.2**k * 1e-3 overflows within ~4000 steps.
    with pytest.raises(DivergenceError) as info:
        gradient_descent(x0, nsteps=10_000, lr=lr)
    assert info.value.lr == lr
    assert 1 <= info.value.step <= 10_000
    assert math.isfinite(info.value.last_finite)
    # Stopping one step short of the blow-up returns a finite answer.
    x, history = gradient_descent(x0, nsteps=info.value.step - 1, lr=lr)
    assert math.isfinite(x)
    assert np.isfinite(history).all()
    assert float(np.max(np.abs(history[-1]))) == info.value.last_finite


@torch_loops
@torch_settings
@given(x0=nonzero_starts, lr=st.floats(min_value=1.5, max_value=10.0))
def test_divergence_raises_torch(descend: Descend, x0: float, lr: float) -> None:
    # In float32, |x_k| >= 2**k * 1e-3 overflows within ~140 steps.
    with pytest.raises(DivergenceError) as info:
        descend(x0, nsteps=1000, lr=lr)
    assert info.value.lr == lr
    assert 1 <= info.value.step <= 1000
    assert math.isfinite(info.value.last_finite)
