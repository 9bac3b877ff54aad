"""Tests for ``descent.precision``: finding stalls and plotting magnitudes."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from descent import gradient_descent, gradient_descent_sgd, gradient_descent_torch
from descent.plotting import plot_magnitudes
from descent.precision import stall_step

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.axes import Axes

TINY32 = float(np.finfo(np.float32).smallest_subnormal)  # 2**-149


def legend_texts(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


# --- stall_step ----------------------------------------------------------------


def test_stall_step_finds_the_step_that_reached_the_final_value() -> None:
    assert stall_step([-8.0, -6.0, -5.0, -4.0, -4.0, -4.0]) == 3


def test_stall_step_is_none_while_still_moving() -> None:
    assert stall_step([1.0, 0.5, 0.25]) is None
    # A repeat earlier on does not count if the last step moved again.
    assert stall_step([1.0, 1.0, 0.5]) is None


def test_stall_step_is_zero_if_nothing_ever_moved() -> None:
    assert stall_step([3.0, 3.0, 3.0]) == 0


def test_stall_step_treats_signed_zeros_as_equal() -> None:
    assert stall_step([1.0, 0.0, -0.0]) == 1


def test_stall_step_compares_whole_rows() -> None:
    history = np.array([[1.0, 5.0], [1.0, 4.0], [1.0, 4.0]])
    assert stall_step(history) == 1
    # One coordinate still moving means the row is still moving.
    moving = np.array([[1.0, 5.0], [1.0, 4.0], [1.0, 3.0]])
    assert stall_step(moving) is None


def test_float32_descent_stalls_at_two_subnormal_units() -> None:
    _, history = gradient_descent(np.float32(-10.0), nsteps=1002)
    k = stall_step(history)
    assert k == 469
    assert history[k] == np.float32(-2 * TINY32)
    assert history[k - 1] == np.float32(-3 * TINY32)
    # The update at the stall point really gives back the same number.
    x = history[k]
    assert x - np.float32(0.1) * (2 * x) == x


@pytest.mark.parametrize(
    "descend", [gradient_descent_torch, gradient_descent_sgd], ids=["torch", "sgd"]
)
def test_torch_float32_stalls_at_the_same_step_as_numpy(
    descend: Callable[..., tuple[torch.Tensor, Any]],
) -> None:
    _, numpy_history = gradient_descent(np.float32(-10.0), nsteps=1002)
    x, history = descend(torch.tensor(-10.0), nsteps=1002)
    assert stall_step(history) == stall_step(numpy_history) == 469
    assert x.item() == -2 * TINY32
    np.testing.assert_array_equal(history, numpy_history)


def test_float64_descent_does_not_stall_in_1002_steps() -> None:
    _, history = gradient_descent(-10.0, nsteps=1002)
    assert stall_step(history) is None


def test_stall_step_accepts_a_tensor() -> None:
    history = torch.tensor([2.0, 1.0, 1.0], requires_grad=True)
    assert stall_step(history) == 1


def test_stall_step_accepts_integers() -> None:
    assert stall_step([4, 2, 2]) == 1


# --- plot_magnitudes -----------------------------------------------------------


def test_plot_has_log_axis_labels_title_and_legend() -> None:
    _, h64 = gradient_descent(-10.0, nsteps=50)
    _, h32 = gradient_descent(np.float32(-10.0), nsteps=50)
    ax = plot_magnitudes({"float64": h64, "float32": h32}, title="Two runs")
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step $k$"
    assert ax.get_ylabel() == "$|x_k|$"
    assert ax.get_title() == "Two runs"
    assert legend_texts(ax) == ["float64", "float32"]


def test_plot_default_title() -> None:
    ax = plot_magnitudes({"run": [1.0, 0.5]})
    assert ax.get_title() == "|x| at each step (log scale)"


def test_plot_draws_exact_magnitudes_against_the_step() -> None:
    _, h32 = gradient_descent(np.float32(-10.0), nsteps=1002)
    ax = plot_magnitudes({"float32": h32})
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), np.arange(1003))
    # No value is changed on the way: the tail is exactly 2 * 2**-149.
    ys = np.asarray(line.get_ydata(), dtype=np.float64)
    np.testing.assert_array_equal(ys, np.abs(h32).astype(np.float64))
    assert ys[-1] == 2 * TINY32


def test_plot_is_a_straight_line_on_the_log_axis() -> None:
    # |x_k| = 0.8**k * 10, so log|x_k| falls by the same amount each step.
    _, history = gradient_descent(-10.0, nsteps=100)
    ax = plot_magnitudes({"float64": history})
    ys = np.log(np.asarray(ax.lines[0].get_ydata(), dtype=np.float64))
    np.testing.assert_allclose(np.diff(ys), np.log(0.8), rtol=1e-9)


def test_plot_marks_exact_zeros_at_the_bottom_edge() -> None:
    _, h16 = gradient_descent(np.float16(-10.0), nsteps=60, lr=0.4)
    zero_steps = np.flatnonzero(h16 == 0)
    assert zero_steps.size > 0  # the run does underflow to 0
    ax = plot_magnitudes({"half": h16})
    line, ticks = ax.lines
    ys = np.asarray(line.get_ydata(), dtype=np.float64)
    assert np.isnan(ys[zero_steps]).all()  # not drawn on the log line
    assert np.isfinite(np.delete(ys, zero_steps)).all()
    np.testing.assert_array_equal(ticks.get_xdata(), zero_steps)
    assert ticks.get_color() == line.get_color()
    assert ticks.get_linestyle() == "None"
    assert legend_texts(ax) == [
        "half",
        "half: exactly 0 (not drawable on a log axis)",
    ]


def test_plot_of_all_zeros_draws_without_warnings() -> None:
    ax = plot_magnitudes({"zero": np.zeros(4)})
    ax.figure.canvas.draw()  # filterwarnings=error: a log-scale warning fails here


def test_plot_reference_levels() -> None:
    ax = plot_magnitudes({"run": [1.0, 1e-3]}, levels={"floor": 1e-6, "other": 1e-9})
    levels = [line for line in ax.lines if line.get_label() in {"floor", "other"}]
    assert [np.asarray(line.get_ydata())[0] for line in levels] == [1e-6, 1e-9]
    assert legend_texts(ax) == ["run", "floor", "other"]


def test_plot_of_vector_histories_uses_the_largest_magnitude() -> None:
    history = np.array([[1.0, -4.0], [-3.0, 2.0]])
    ax = plot_magnitudes({"two coordinates": history})
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [4.0, 3.0])


def test_plot_accepts_a_tensor_and_draws_on_given_axes() -> None:
    _, ax = plt.subplots()
    returned = plot_magnitudes(
        {"t": torch.tensor([2.0, 1.0], requires_grad=True)}, ax=ax
    )
    assert returned is ax
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [2.0, 1.0])


def test_plot_never_calls_show(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        pytest.fail("plot_magnitudes must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)
    plot_magnitudes({"run": [1.0, 0.5]})


def test_plot_labels_a_few_evenly_spaced_decades() -> None:
    _, history = gradient_descent(-10.0, nsteps=1002)
    ax = plot_magnitudes({"float64": history})
    exponents = np.log10(ax.get_yticks())
    np.testing.assert_allclose(exponents, np.round(exponents))
    assert 2 <= exponents.size <= 9
    assert len(set(np.diff(np.round(exponents)))) == 1
    low, high = ax.get_ylim()
    assert low < abs(history[-1])
    assert high > 10.0


@pytest.mark.parametrize("values", [[1e308, 5e-324], [1.0, 1.0], [0.0, 0.0]])
def test_plot_handles_extreme_and_flat_values(values: list[float]) -> None:
    ax = plot_magnitudes({"run": values})
    ax.figure.canvas.draw()  # filterwarnings=error: an overflow warning fails here
    low, high = ax.get_ylim()
    assert 0 < low < high < np.inf


# --- float64: one rounding or two per step, whichever kernel runs -------------


def _trajectory(update: Callable[[float], float], nsteps: int = 1002) -> np.ndarray:
    points = [-10.0]
    for _ in range(nsteps):
        points.append(update(points[-1]))
    return np.array(points)


def test_float64_torch_path_is_one_of_the_two_exact_emulations() -> None:
    lr = Fraction(0.1)
    once = _trajectory(lambda v: float(Fraction(v) - lr * 2 * Fraction(v)))
    twice = _trajectory(lambda v: v - 0.1 * (2 * v))
    _, numpy_history = gradient_descent(-10.0, nsteps=1002)
    np.testing.assert_array_equal(twice, numpy_history)
    _, history = gradient_descent_torch(
        torch.tensor(-10.0, dtype=torch.float64), nsteps=1002
    )
    matches_once = np.array_equal(history, once)
    matches_twice = np.array_equal(history, twice)
    assert matches_once != matches_twice
    if torch.backends.cpu.get_cpu_capability() == "DEFAULT":
        assert matches_twice  # no fused multiply-add: two roundings, as NumPy
    assert once[-1] == -7.873484301831079e-97
    assert twice[-1] == -7.873484301831169e-97
