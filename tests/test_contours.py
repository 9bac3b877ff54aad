"""Tests of the contour plot of a loss of two weights."""

from __future__ import annotations

import numpy as np

from descent.linear_model import mse
from descent.plotting import plot_contours


def bowl(w: np.ndarray) -> float:
    return float(w[0] ** 2 + 10 * w[1] ** 2)


def test_draws_contours_paths_a_minimum_and_a_legend() -> None:
    paths = {"a": np.array([[2.0, 1.0], [1.0, 0.5]]), "b": np.array([[-1.0, 1.0]])}
    ax = plot_contours(bowl, paths, minimum=[0.0, 0.0], title="Two runs")
    assert ax.get_title() == "Two runs"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$w_1$", "$w_2$")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "minimum"]  # type: ignore[union-attr]
    assert len(ax.collections) >= 1  # the contour set
    np.testing.assert_array_equal(ax.lines[0].get_xydata(), paths["a"])


def test_the_area_comes_from_the_paths_or_the_limits() -> None:
    ax = plot_contours(bowl, {"run": np.array([[0.0, 0.0], [4.0, 2.0]])})
    low, high = ax.get_xlim()
    assert low < 0.0
    assert high > 4.0
    ax = plot_contours(bowl, xlim=(-1.0, 1.0), ylim=(-2.0, 2.0))
    assert ax.get_xlim() == (-1.0, 1.0)
    assert ax.get_legend() is None  # nothing to label


def test_long_paths_are_thinned_but_keep_their_ends() -> None:
    path = np.column_stack([np.linspace(10, 0, 5000), np.zeros(5000)])
    ax = plot_contours(bowl, {"long": path}, max_points=200)
    drawn = np.asarray(ax.lines[0].get_xydata())
    assert len(drawn) <= 200
    np.testing.assert_array_equal(drawn[0], path[0])
    np.testing.assert_array_equal(drawn[-1], path[-1])
    np.testing.assert_array_equal(drawn[:60], path[:60])


def test_works_with_the_linear_model_loss() -> None:
    ax = plot_contours(mse, xlim=(0.0, 14.0), ylim=(0.0, 22.0), resolution=20)
    assert ax.get_ylim() == (0.0, 22.0)


def test_style_equal_axes_and_legend_placement() -> None:
    path = np.array([[2.0, 1.0], [1.0, 0.5], [0.5, 0.25]])
    ax = plot_contours(
        bowl,
        {"dots": path},
        equal=True,
        style={"linestyle": "none", "markersize": 2},
        legend="upper left",
    )
    line = ax.lines[0]
    assert line.get_linestyle() == "None"
    assert line.get_markersize() == 2
    assert ax.get_aspect() == 1.0
    assert ax.get_legend()._loc == 2  # type: ignore[union-attr]  # 2 is "upper left"


def test_a_flat_loss_still_gets_contour_levels() -> None:
    ax = plot_contours(lambda _w: 0.0, xlim=(0, 1), ylim=(0, 1), resolution=5)
    assert ax.get_title() == "Loss contours"
