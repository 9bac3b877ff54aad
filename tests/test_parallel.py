"""Tests for data-parallel descent: the result, the errors, and clean shutdown.

Each real run spawns processes that import torch, which takes seconds, so the
tests share one run where they can and check everything else before spawning.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import socket
import sys
import time
from typing import TYPE_CHECKING

import numpy as np
import pytest

from descent import DivergenceError, gradient_descent, parallel
from descent.linear_model import mse, mse_gradient
from descent.parallel import (
    HOST,
    PortInUseError,
    data_parallel_descent,
)
from descent.plotting import plot_parallel_run

if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.process import BaseProcess

    #: Inputs, targets and the start w0.
    Problem = tuple[np.ndarray, np.ndarray, np.ndarray]

NSTEPS = 25
LR = 0.1


@pytest.fixture(scope="module")
def problem() -> Problem:
    rng = np.random.default_rng(7)
    inputs = rng.normal(size=(12, 3))
    targets = inputs @ np.array([1.0, -2.0, 0.5]) + 0.05 * rng.normal(size=12)
    return inputs, targets, rng.normal(size=3)


@pytest.fixture(scope="module")
def run(problem: Problem) -> np.ndarray:
    inputs, targets, w0 = problem
    return data_parallel_descent(inputs, targets, w0, nsteps=NSTEPS, lr=LR)


@pytest.fixture
def stopped(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseProcess]]:
    """Record the worker processes that a run stops, to inspect them after."""
    seen: list[BaseProcess] = []
    real_stop = parallel._stop

    def spy(processes: list[BaseProcess]) -> None:
        seen.extend(processes)
        real_stop(processes)

    monkeypatch.setattr(parallel, "_stop", spy)
    yield seen
    assert multiprocessing.active_children() == []


# --- The result ------------------------------------------------------------------


def test_no_worker_left_running(run: np.ndarray) -> None:
    # Every worker was joined before the run returned.
    assert run.size
    assert multiprocessing.active_children() == []


def test_shape_and_dtype(run: np.ndarray) -> None:
    assert run.shape == (2, NSTEPS + 1, 3)
    assert run.dtype == np.float64


def test_workers_hold_identical_weights(run: np.ndarray) -> None:
    np.testing.assert_array_equal(run[0], run[1])


def test_starts_from_w0(problem: Problem, run: np.ndarray) -> None:
    np.testing.assert_array_equal(run[:, 0], np.stack([problem[2]] * 2))


def test_equals_single_process_full_batch(problem: Problem, run: np.ndarray) -> None:
    inputs, targets, w0 = problem
    _, reference = gradient_descent(
        w0, NSTEPS, lr=LR, grad=lambda w: mse_gradient(w, inputs, targets)
    )
    np.testing.assert_allclose(run[0], reference, rtol=0, atol=1e-12)


def test_loss_goes_down(problem: Problem, run: np.ndarray) -> None:
    inputs, targets, _ = problem
    losses = [mse(w, inputs, targets) for w in run[0]]
    assert all(b < a for a, b in itertools.pairwise(losses))


def test_divergence_is_reported(problem: Problem, stopped: list[BaseProcess]) -> None:
    inputs, targets, w0 = problem
    with pytest.raises(DivergenceError, match=r"lr=50\.0") as info:
        data_parallel_descent(inputs, targets, w0, nsteps=5000, lr=50.0)
    assert 1 < info.value.step < 5000
    assert len(stopped) == 2
    assert all(process.exitcode == 0 for process in stopped)


# --- Ports and timeouts ------------------------------------------------------------


def test_taken_port_is_named(problem: Problem, stopped: list[BaseProcess]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(
            PortInUseError, match=rf"port {port} on 127\.0\.0\.1"
        ) as info:
            data_parallel_descent(*problem, nsteps=1, lr=LR, port=port)
    assert isinstance(info.value, OSError)
    assert stopped == []  # refused before any worker started


def test_timeout_terminates_the_workers(
    problem: Problem, stopped: list[BaseProcess]
) -> None:
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"timeout=0\.05 seconds"):
        data_parallel_descent(*problem, nsteps=1, lr=LR, timeout=0.05)
    assert time.monotonic() - start < 10
    assert len(stopped) == 2
    for process in stopped:
        assert not process.is_alive()
        if sys.platform != "win32":
            assert process.exitcode == -signal.SIGTERM


def test_worker_error_is_raised_with_its_traceback() -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    results.put((1, None, "Traceback (most recent call last):\nBoomError: boom"))
    unstarted: list[BaseProcess] = [context.Process(target=print) for _ in range(2)]
    with pytest.raises(
        RuntimeError, match=r"(?s)worker 1 failed:\nTraceback.*BoomError: boom"
    ):
        parallel._collect(unstarted, results, time.monotonic() + 10, 10.0)
    results.close()


def test_worker_that_dies_silently_is_reported() -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    dying: list[BaseProcess] = [context.Process(target=sys.exit, args=(3,))]
    dying[0].start()
    try:
        with pytest.raises(RuntimeError, match="worker 0 exited with code 3"):
            parallel._collect(dying, results, time.monotonic() + 30, 30.0)
    finally:
        dying[0].join()
        results.close()


# --- The plot ---------------------------------------------------------------------


def test_plot_draws_one_labelled_line_per_run(
    problem: Problem, run: np.ndarray
) -> None:
    inputs, targets, _ = problem
    ax = plot_parallel_run({"worker 0": run[0], "worker 1": run[1]}, inputs, targets)
    assert [line.get_label() for line in ax.lines] == ["worker 0", "worker 1"]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step"
    assert ax.get_ylabel() == "mean squared error"
    assert ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [  # type: ignore[union-attr]
        "worker 0",
        "worker 1",
    ]
    np.testing.assert_allclose(
        np.asarray(ax.lines[0].get_ydata())[0], mse(run[0, 0], inputs, targets)
    )
