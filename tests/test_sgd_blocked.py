"""Property tests: the blocked fast path gives the readable rule's numbers, bit for bit.

``sgd_update`` runs ``_sgd_blocked.sgd_step_blocked``; the tutorial shows
``sgd_step``. Both make the same NumPy operations in the same order, with every
product and sum rounded once, so they must agree exactly, not just to a
tolerance: the fast path writes into scratch memory and works block by block,
but neither changes what is computed. (The one rewrite, ``p + g * -lr`` for
``p - lr * g``, is exact, since IEEE rounding is symmetric in the sign.) The
comparison is of the bit patterns, so even a zero of the other sign would fail.

Hypothesis draws the shapes, sizes on both sides of multiples of
``BLOCK_SIZE`` among them, the dtype, every combination of options, and the
numbers, and both take three steps: the first, which fills the buffer, and two
after it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

from descent._sgd_blocked import make_scratch, sgd_step_blocked
from descent.sgd import BLOCK_SIZE, sgd_init, sgd_step, sgd_update

NSTEPS = 3
DTYPES = [np.float32, np.float64]


@st.composite
def sizes_around_blocks(draw: st.DrawFn) -> tuple[int, ...]:
    """A shape whose size is a few elements from 0 to 3 blocks, 1-D or 2-D."""
    size = max(0, draw(st.integers(0, 3)) * BLOCK_SIZE + draw(st.integers(-2, 2)))
    rows = [d for d in (2, 3, 4, 256) if size % d == 0]
    two_dimensional = draw(st.booleans())
    if rows and two_dimensional:
        d = draw(st.sampled_from(rows))
        return (d, size // d)
    return (size,)


shapes = st.one_of(
    array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6), sizes_around_blocks()
)


@st.composite
def options(draw: st.DrawFn) -> dict[str, Any]:
    """Every combination sgd_init accepts, with 0 drawn often for each number."""
    momentum = draw(st.sampled_from([0.0, 0.9]) | st.floats(0.0, 1.0))
    nesterov = momentum > 0 and draw(st.booleans())
    return {
        "lr": draw(st.sampled_from([0.0, 1e-3]) | st.floats(0.0, 2.0)),
        "momentum": momentum,
        "dampening": 0.0
        if nesterov
        else draw(st.sampled_from([0.0, 0.1]) | st.floats(-1.0, 1.0)),
        "weight_decay": draw(st.sampled_from([0.0, 1e-4]) | st.floats(0.0, 1.0)),
        "nesterov": nesterov,
        "maximize": draw(st.booleans()),
    }


def numbers(rng: np.random.Generator, shape: tuple[int, ...], dtype: Any) -> Any:
    """Normal numbers, with some zeros of both signs among them."""
    values = rng.standard_normal(shape).astype(dtype)
    zeros = rng.random(shape) < 0.05
    values[zeros] = np.copysign(0.0, values[zeros])
    return values


def bits(array: np.ndarray) -> np.ndarray:
    """The array's bit patterns, as unsigned integers of its width."""
    return array.view(f"u{array.itemsize}")


@settings(max_examples=150, deadline=None)
@given(
    shape=shapes,
    dtype=st.sampled_from(DTYPES),
    hyper=options(),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_fast_path_gives_the_rule_bit_for_bit(
    shape: tuple[int, ...], dtype: Any, hyper: dict[str, Any], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    start = numbers(rng, shape, dtype)
    grads = [numbers(rng, shape, dtype) for _ in range(NSTEPS)]
    with_buffer = hyper["momentum"] != 0

    readable, fast = start.copy(), start.copy()
    readable_buf = np.full(shape, np.nan, dtype) if with_buffer else None
    fast_buf = np.full(shape, np.nan, dtype) if with_buffer else None
    work, tmp = make_scratch(fast)
    for k, grad in enumerate(grads):
        before = grad.copy()
        sgd_step(readable, grad, readable_buf, **hyper, first=k == 0)
        sgd_step_blocked(fast, grad, fast_buf, work, tmp, **hyper, first=k == 0)
        assert np.array_equal(bits(fast), bits(readable)), f"params, step {k + 1}"
        if readable_buf is not None:
            assert fast_buf is not None
            assert np.array_equal(bits(fast_buf), bits(readable_buf)), (
                f"buffer, step {k + 1}"
            )
        assert np.array_equal(bits(grad), bits(before)), "a gradient was written"
    assert fast.dtype == readable.dtype == dtype


@pytest.mark.parametrize("dtype", DTYPES)
def test_sgd_update_is_the_rule_applied_to_each_array(dtype: Any) -> None:
    # The dispatch: sgd_update's state (buffers, first step) feeds the rule.
    rng = np.random.default_rng(3)
    shapes_ = [(), (5,), (3, BLOCK_SIZE // 3 + 1)]
    params = [numbers(rng, s, dtype) for s in shapes_]
    expected = [p.copy() for p in params]
    buffers = [np.empty_like(p) for p in params]
    hyper: dict[str, Any] = {
        "lr": 0.1,
        "momentum": 0.9,
        "dampening": 0.25,
        "weight_decay": 0.01,
        "nesterov": False,
        "maximize": True,
    }
    state = sgd_init(params, **hyper)
    for k in range(NSTEPS):
        grads = [numbers(rng, s, dtype) for s in shapes_]
        sgd_update(params, grads, state)
        for p, g, b in zip(expected, grads, buffers, strict=True):
            sgd_step(p, g, b, **hyper, first=k == 0)
        for p, e in zip(params, expected, strict=True):
            assert np.array_equal(bits(p), bits(e)), f"step {k + 1}"
