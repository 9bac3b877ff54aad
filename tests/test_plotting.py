"""Tests for ``descent.visualize`` and ``descent.plotting.notebook_setup``."""

from __future__ import annotations

from unittest.mock import MagicMock

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection

from descent import f, gradient_descent, visualize
from descent.plotting import notebook_setup

RED = mcolors.to_rgba("red")


def scatters(ax: Axes) -> list[PathCollection]:
    """The scatter plots on `ax` (the line's error band is another collection)."""
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def points_of(ax: Axes) -> np.ndarray:
    """The (x, y) offsets of the marked points, from the one scatter plot."""
    (points,) = scatters(ax)
    return np.asarray(points.get_offsets(), dtype=np.float64)


@pytest.fixture
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        pytest.fail("visualize must not call plt.show()")

    monkeypatch.setattr(plt, "show", fail)


@pytest.mark.usefixtures("no_show")
def test_returns_axes_with_labels_and_title() -> None:
    ax = visualize(f, x=[-10.0, 1.0])
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() == "x"
    assert ax.get_ylabel() == "f(x)"
    assert ax.get_title() == "f(x) on [-10, 10]"


@pytest.mark.usefixtures("no_show")
def test_never_calls_show() -> None:
    # The fixture makes plt.show fail the test; check that it really would.
    with pytest.raises(pytest.fail.Exception):
        plt.show()
    visualize(f, x=[1.0])
    visualize(f)


def test_draws_the_curve_on_xlim() -> None:
    ax = visualize(f, xlim=(-2.0, 3.0))
    (line,) = ax.lines
    xs, ys = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert len(xs) == 100
    assert xs[0] == -2.0
    assert xs[-1] == 3.0
    np.testing.assert_allclose(ys, np.asarray(xs) ** 2)
    assert ax.get_title() == "f(x) on [-2, 3]"


def test_without_x_draws_no_points() -> None:
    ax = visualize(f)
    assert len(ax.lines) == 1
    assert scatters(ax) == []


def test_red_points_at_the_given_x() -> None:
    ax = visualize(f, x=[-10.0, 1.0, 2.5])
    np.testing.assert_array_equal(
        points_of(ax), [[-10.0, 100.0], [1.0, 1.0], [2.5, 6.25]]
    )
    (points,) = scatters(ax)
    facecolors = points.get_facecolors()  # type: ignore[attr-defined]
    assert len(facecolors) >= 1
    for colour in facecolors:
        assert tuple(colour) == RED


def test_custom_title() -> None:
    ax = visualize(f, title="Gradient descent on x²")
    assert ax.get_title() == "Gradient descent on x²"


def test_custom_function() -> None:
    ax = visualize(lambda x: (x - 1) ** 2, x=[1.0, 3.0])
    np.testing.assert_array_equal(points_of(ax), [[1.0, 0.0], [3.0, 4.0]])


@pytest.mark.parametrize(
    "x",
    [
        pytest.param([-10.0, -8.0], id="list"),
        pytest.param((-10, -8), id="int-tuple"),
        pytest.param(np.array([-10.0, -8.0]), id="ndarray"),
        pytest.param(np.array([-10.0, -8.0], dtype=np.float32), id="float32"),
        pytest.param(torch.tensor([-10.0, -8.0]), id="tensor"),
        pytest.param(torch.tensor([-10.0, -8.0], requires_grad=True), id="tensor-grad"),
    ],
)
def test_accepts_sequences_arrays_and_tensors(x: object) -> None:
    ax = visualize(f, x=x)
    np.testing.assert_array_equal(points_of(ax), [[-10.0, 100.0], [-8.0, 64.0]])


def test_accepts_a_single_number() -> None:
    ax = visualize(f, x=-3.0)
    np.testing.assert_array_equal(points_of(ax), [[-3.0, 9.0]])


def test_accepts_a_history_from_gradient_descent() -> None:
    _, history = gradient_descent(-10.0, nsteps=3)
    ax = visualize(f, x=history)
    np.testing.assert_allclose(points_of(ax)[:, 0], history)
    np.testing.assert_allclose(points_of(ax)[:, 1], history**2)


def test_accepts_a_2d_history_and_flattens_it() -> None:
    _, history = gradient_descent(np.array([1.0, -2.0]), nsteps=3)
    assert history.shape == (4, 2)

    ax = visualize(lambda x: x**2, x=history)
    offsets = points_of(ax)
    assert offsets.shape == (8, 2)
    np.testing.assert_allclose(offsets[:, 0], history.ravel())


def test_draws_on_an_existing_axes() -> None:
    fig, (left, right) = plt.subplots(1, 2)
    ax = visualize(f, x=[1.0], ax=right)
    assert ax is right
    assert len(fig.axes) == 2
    assert len(left.lines) == 0
    assert len(right.lines) == 1
    assert plt.get_fignums() == [fig.number]


def test_makes_a_new_figure_by_default() -> None:
    before = set(plt.get_fignums())
    ax = visualize(f)
    assert ax.figure.number not in before  # type: ignore[union-attr, operator]


# --- notebook_setup -----------------------------------------------------------


def test_notebook_setup_sets_svg_hashsalt() -> None:
    before = dict(mpl.rcParams)
    # rc_context restores every rcParam (seaborn's theme included) afterwards.
    with mpl.rc_context():
        mpl.rcParams["svg.hashsalt"] = None
        notebook_setup()
        assert mpl.rcParams["svg.hashsalt"] == "descent"
        assert mpl.rcParams["svg.fonttype"] == "path"
        assert mpl.rcParams["figure.facecolor"] == "white"
        assert mpl.rcParams["savefig.facecolor"] == "white"
    assert mpl.rcParams["svg.hashsalt"] == before["svg.hashsalt"]


def test_notebook_setup_outside_jupyter_registers_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ipython = pytest.importorskip("IPython")
    monkeypatch.setattr(ipython, "get_ipython", lambda: None)
    with mpl.rc_context():
        notebook_setup()  # must not fail without a shell
        assert mpl.rcParams["svg.hashsalt"] == "descent"


def test_notebook_setup_under_jupyter_registers_a_figure_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ipython = pytest.importorskip("IPython")
    from matplotlib.figure import Figure  # noqa: PLC0415

    from descent.plotting.themes import show_light_and_dark  # noqa: PLC0415

    # A stand-in for the Jupyter shell that records what notebook_setup does.
    shell = MagicMock()
    monkeypatch.setattr(ipython, "get_ipython", lambda: shell)
    with mpl.rc_context():
        notebook_setup()
    formatter = shell.display_formatter.ipython_display_formatter
    formatter.for_type.assert_called_once_with(Figure, show_light_and_dark)
