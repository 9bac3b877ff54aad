"""Tests for the chapter plots in ``descent.plotting``.

``plot_tangents``, ``plot_update``, ``plot_losses`` and ``plot_lr_sweep``.
"""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")  # conftest.py does this too; keep the module safe on its own

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection

from descent import df, f
from descent.learning_rate import lr_sweep
from descent.plotting import plot_losses, plot_lr_sweep, plot_tangents, plot_update

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@pytest.fixture(autouse=True)
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        pytest.fail("a plotting helper must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)


def scatter_offsets(ax: Axes) -> list[np.ndarray]:
    return [
        np.asarray(c.get_offsets())
        for c in ax.collections
        if isinstance(c, PathCollection)
    ]


# --- plot_tangents --------------------------------------------------------------


def test_tangents_touch_the_curve_with_the_right_slope() -> None:
    points = [-6.0, -3.0, 0.0, 3.0, 6.0]
    ax = plot_tangents(f, df, points, half_width=1.0)
    curve, *tangents = ax.lines
    np.testing.assert_allclose(
        np.asarray(curve.get_ydata()), np.asarray(curve.get_xdata()) ** 2
    )
    assert len(tangents) == len(points)
    for p, line in zip(points, tangents, strict=True):
        t, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        np.testing.assert_allclose(t, [p - 1.0, p + 1.0])
        assert (y[1] - y[0]) / (t[1] - t[0]) == pytest.approx(2 * p)
        assert (y[0] + y[1]) / 2 == pytest.approx(p**2)  # the midpoint is on f
    (marked,) = scatter_offsets(ax)
    np.testing.assert_allclose(marked, [[p, p**2] for p in points])


def test_tangents_label_the_slopes_and_flat_minimum() -> None:
    ax = plot_tangents(f, df, np.array([-2.0, 0.0, 1.5]))
    assert [text.get_text() for text in ax.texts] == ["slope -4", "slope 0", "slope 3"]


def test_tangents_have_title_labels_and_legend() -> None:
    ax = plot_tangents(f, df, [1.0], title="Slopes")
    assert ax.get_title() == "Slopes"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "f(x)")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    assert labels == ["f(x)", "tangent", "point"]


def test_tangents_keep_the_curve_in_view() -> None:
    ax = plot_tangents(f, df, [-9.0, 9.0], half_width=5.0)
    low, high = ax.get_ylim()
    assert low < 0
    assert high > 100
    assert low > -20  # a steep tangent does not stretch the axis far below 0


def test_tangents_on_an_existing_axes_and_a_tensor() -> None:
    fig, ax = plt.subplots()
    assert plot_tangents(f, df, torch.tensor([1.0]), ax=ax) is ax
    assert plt.get_fignums() == [fig.number]


# --- plot_update -----------------------------------------------------------------


def test_update_moves_each_point_by_the_rule() -> None:
    ax = plot_update(f, df, [-10.0, 1.0], lr=0.1)
    before, after = scatter_offsets(ax)
    np.testing.assert_allclose(before, [[-10.0, 100.0], [1.0, 1.0]])
    np.testing.assert_allclose(after, [[-8.0, 64.0], [0.8, 0.64]])
    arrows = [text for text in ax.texts if text.arrow_patch is not None]  # type: ignore[attr-defined]
    assert len(arrows) == 2
    assert ax.get_title() == "One step with learning rate 0.1"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    assert labels == ["f(x)", "before", "after one step"]


def test_update_with_a_large_rate_jumps_across() -> None:
    ax = plot_update(f, df, [4.0], lr=1.0, xlim=(-5.0, 5.0))
    _, after = scatter_offsets(ax)
    np.testing.assert_allclose(after, [[-4.0, 16.0]])


# --- plot_losses ------------------------------------------------------------------


def test_losses_against_a_reference() -> None:
    losses = [10.24, 6.5536, 4.194304]
    ax = plot_losses(losses, reference=[10.0, 6.5, 4.2], logy=True, title="Nine")
    measured, predicted = ax.lines
    assert np.asarray(measured.get_xdata()).tolist() == [1, 2, 3]
    np.testing.assert_array_equal(measured.get_ydata(), losses)
    np.testing.assert_array_equal(predicted.get_ydata(), [10.0, 6.5, 4.2])
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Nine"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    assert labels == ["measured", "prediction"]


def test_losses_count_from_first_step_and_take_tensors() -> None:
    ax = plot_losses(torch.tensor([3.0, 2.0, 1.0]), first_step=0, label="loss")
    assert np.asarray(ax.lines[0].get_xdata()).tolist() == [0, 1, 2]
    assert ax.get_legend() is None  # one series: no legend
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "loss")


def test_losses_mark_a_threshold() -> None:
    ax = plot_losses([4.0, 2.0, 0.5], threshold=1.0, logy=True)
    measured, level = ax.lines
    assert np.asarray(level.get_ydata()).tolist() == [1.0, 1.0]
    assert level.get_linestyle() == ":"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    assert labels == ["measured", "threshold 1"]
    np.testing.assert_array_equal(measured.get_ydata(), [4.0, 2.0, 0.5])


# --- plot_lr_sweep ------------------------------------------------------------------


def test_sweep_has_one_labelled_panel_per_run() -> None:
    runs = lr_sweep(4.0, nsteps=10)
    fig = plot_lr_sweep(runs)
    assert len(fig.axes) == len(runs)
    for ax, run in zip(fig.axes, runs, strict=True):
        assert ax.get_title() == f"α = {run.lr:g}: {run.regime}"  # noqa: RUF001
        # symlog keeps the sign and has room for 0; a log axis has neither.
        assert ax.get_yscale() == "symlog"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("step k", "x_k")
    assert fig.get_suptitle().startswith("Gradient descent on x²")
    assert len(fig.legends) == 1


def test_sweep_plots_signed_iterates_so_oscillation_shows() -> None:
    (run,) = lr_sweep(4.0, lrs=[0.9], nsteps=6)
    fig = plot_lr_sweep([run])
    _zero, predicted, measured = fig.axes[0].lines
    ys = np.asarray(measured.get_ydata())
    np.testing.assert_allclose(ys, run.measured)
    np.testing.assert_allclose(np.asarray(predicted.get_ydata()), run.predicted)
    # The plotted data is signed: alpha = 0.9 alternates sign at every step.
    assert (ys < 0).any()
    assert (np.sign(ys[1:]) == -np.sign(ys[:-1])).all()


def test_sweep_monotone_and_oscillating_runs_differ_on_the_page() -> None:
    slow, fast = lr_sweep(4.0, lrs=[0.1, 0.9], nsteps=6)
    fig = plot_lr_sweep([slow, fast])
    plotted = [np.asarray(ax.lines[2].get_ydata()) for ax in fig.axes]
    np.testing.assert_allclose(np.abs(plotted[0]), np.abs(plotted[1]))
    assert (plotted[0] > 0).all()
    assert not np.allclose(plotted[0], plotted[1])


def test_sweep_draws_an_exact_zero_on_the_axis() -> None:
    (run,) = lr_sweep(4.0, lrs=[0.5], nsteps=5)
    fig = plot_lr_sweep([run])
    ax = fig.axes[0]
    measured = ax.lines[2]
    assert np.asarray(measured.get_ydata()).tolist() == [4.0, 0, 0, 0, 0, 0]
    lo, hi = ax.get_ylim()
    assert lo < 0 < hi


def test_sweep_lays_out_rows_and_drops_empty_panels() -> None:
    fig = plot_lr_sweep(lr_sweep(1.0, lrs=[0.1, 0.2, 0.3, 0.4], nsteps=3), ncols=3)
    assert len(fig.axes) == 4
