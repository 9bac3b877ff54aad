"""A step of the from-scratch SGD allocates nothing of the arrays' size.

The momentum buffer and the scratch space are made once, by ``sgd_init``. After
that, every operation of a step writes into existing memory (``out=``), so a
step on a million numbers should allocate no more than a few small Python
objects. ``tracemalloc`` sees NumPy's array memory as well as Python's.
"""

from __future__ import annotations

import functools
import tracemalloc
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from descent.sgd import sgd_init, sgd_update

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SIZE = 1_000_000
#: The most a step may allocate, at its peak: a thousandth of one float32 array
#: (4 MB). What a step does allocate is a few small Python objects (array views
#: of each block, short lists): about 0.9 KB, plus about 0.8 KB more when
#: coverage traces the test, and the same for any array size.
BUDGET = 4096


@pytest.fixture
def tracing() -> Iterator[None]:
    tracemalloc.start()
    yield
    tracemalloc.stop()


def peak_allocation(step: Callable[[], object]) -> int:
    """Bytes allocated at the peak of one call of `step`, above the start."""
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    step()
    _, peak = tracemalloc.get_traced_memory()
    return peak - before


@pytest.mark.usefixtures("tracing")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "options",
    [
        {"lr": 1e-3},
        {"lr": 1e-3, "momentum": 0.9, "nesterov": True},
        {"lr": 1e-3, "momentum": 0.9, "dampening": 0.1},
        {"lr": 1e-3, "momentum": 0.9, "weight_decay": 1e-4, "maximize": True},
    ],
)
def test_a_step_allocates_only_a_few_small_objects(
    dtype: type[np.floating[Any]], options: dict[str, Any]
) -> None:
    rng = np.random.default_rng(0)
    params = rng.standard_normal(SIZE).astype(dtype)
    grads = rng.standard_normal(SIZE).astype(dtype)
    state = sgd_init(params, **options)
    sgd_update(params, grads, state)  # the first step fills the buffer
    sizes = [
        peak_allocation(lambda: sgd_update(params, grads, state)) for _ in range(3)
    ]
    assert max(sizes) < BUDGET, sizes


@pytest.mark.usefixtures("tracing")
def test_the_measurement_sees_an_array_sized_allocation() -> None:
    # The control: the naive update makes temporaries of the arrays' size, and
    # the measurement must see them, or the test above would prove nothing.
    params = np.ones(SIZE)
    grads = np.ones(SIZE)

    def naive_step() -> None:
        params[:] = params - 1e-3 * grads

    assert peak_allocation(naive_step) >= params.nbytes


def nesterov_step_peak(size: int) -> int:
    """The smallest of three peaks of a Nesterov step on `size` float32 numbers."""
    params = np.ones(size, dtype=np.float32)
    grads = np.ones(size, dtype=np.float32)
    state = sgd_init(params, lr=1e-3, momentum=0.9, nesterov=True)
    sgd_update(params, grads, state)
    step = functools.partial(sgd_update, params, grads, state)
    return min(peak_allocation(step) for _ in range(3))


@pytest.mark.usefixtures("tracing")
def test_what_a_step_allocates_does_not_grow_with_the_array() -> None:
    peaks = [nesterov_step_peak(size) for size in (1_000, 100_000, 10 * SIZE)]
    # Ten thousand times more numbers, and at most a few more small objects
    # (the views of the last, shorter block).
    assert max(peaks) - min(peaks) < 512, peaks
