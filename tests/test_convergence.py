"""Tests of the convergence plot: distances to the minimum and predicted rates."""

from __future__ import annotations

import numpy as np
import pytest

from descent.conditioning import distances
from descent.plotting import plot_convergence


def test_distances_of_vectors_and_of_numbers() -> None:
    np.testing.assert_array_equal(distances([[3, 4], [0, 0]], [0, 0]), [5.0, 0.0])
    np.testing.assert_array_equal(distances([2.0, -1.0], 1.0), [1.0, 2.0])


def test_distances_check_shapes_and_types() -> None:
    with pytest.raises(ValueError, match="shape of minimum"):
        distances(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(TypeError, match="real numbers"):
        distances([["a"]], ["b"])


def test_plots_each_run_and_a_predicted_line_on_its_late_half() -> None:
    path = 8.0 * 0.5 ** np.arange(20)
    ax = plot_convergence(
        {"halving": path, "flat": np.ones(5)}, 0.0, rates={"halving": 0.5}
    )
    assert ax.get_yscale() == "log"
    measured, predicted, flat = ax.lines
    np.testing.assert_array_equal(measured.get_ydata(), path)
    # The prediction goes through the last point and covers the second half.
    np.testing.assert_allclose(np.asarray(predicted.get_ydata()), path[9:], rtol=1e-12)
    np.testing.assert_array_equal(predicted.get_xdata(), np.arange(9, 20))
    assert predicted.get_color() == measured.get_color()
    assert predicted.get_linestyle() == "--"
    assert len(np.asarray(flat.get_ydata())) == 5
    labels = [text.get_text() for text in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    assert labels == ["halving", "halving, predicted 0.5000", "flat"]


def test_stops_at_the_floor() -> None:
    path = np.array([1.0, 1e-6, 1e-13, 0.0, 1e-14])
    ax = plot_convergence({"run": path}, 0.0, floor=1e-12)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1.0, 1e-6])


def test_legend_can_go_inside() -> None:
    ax = plot_convergence({"run": [1.0, 0.5]}, 0.0, legend="lower left")
    assert ax.get_legend()._loc == 3  # type: ignore[union-attr]  # 3 is "lower left"


def test_distances_refuse_an_iterate_whose_distance_overflows() -> None:
    with pytest.raises(ValueError, match=r"^path has an iterate too far from minimum"):
        distances([[1e200, 1e200]], [0.0, 0.0])
