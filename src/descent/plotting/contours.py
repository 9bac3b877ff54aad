"""Contour maps of a loss of two weights, with the paths that descent took.

A loss of two weights is a surface over the plane. Its contour lines (points
of equal loss) show the shape of the valley, and drawing the iterates on top
shows how an optimizer moved through it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.legend import Legend

from descent._checks import array, callable_, choice, describe, flag, integer, limits

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from descent._typing import FloatArray

__all__ = ["MAX_RESOLUTION", "plot_contours"]

#: Where the legend may go, as Matplotlib's ``loc``.
LegendLocation = Literal[
    "best", "upper right", "upper left", "lower left", "lower right"
]

#: Colour of the minimum, drawn as a star (recoloured light on a dark page).
MINIMUM_COLOR = "black"
#: A mid grey for the contour lines: as clear on a white page as on a dark one.
CONTOUR_COLOR = "#9a9a9a"
#: How many of the first iterates are always drawn, before thinning.
KEEP_FIRST = 60
#: The most grid points along each axis. The loss is called once per point of
#: the grid, ``resolution**2`` times in all, from a Python loop.
MAX_RESOLUTION = 2000
#: Every value `legend` may take: the locations Matplotlib names.
LEGEND_LOCATIONS = tuple(Legend.codes)
#: What the messages say of a path that is not finite, and of a huge resolution.
_DRAWABLE = "be finite (a diverged run has nothing to draw)"
_CALLS = "the loss is called resolution**2 times, one point at a time"


def _check_path(label: object, path: object) -> FloatArray:
    """A labelled path: a str label, and finite points of shape ``(steps, 2)``."""
    if not isinstance(label, str):
        msg = f"paths must map labels (str) to paths, got the key {describe(label)}"
        raise TypeError(msg)
    return array(
        path,
        f"paths[{label!r}]",
        shape=("steps", 2),
        nonempty=True,
        dtype=np.float64,
        note=", one (w1, w2) per row",
        finite=_DRAWABLE,
    )


def _thin(points: FloatArray, max_points: int) -> FloatArray:
    """Keep the first iterates and the last one, and every few in between."""
    if len(points) <= max_points:
        return points
    head = min(KEEP_FIRST, max_points // 2)
    rest = np.linspace(head, len(points) - 1, max_points - head).round().astype(int)
    return np.concatenate([points[:head], points[np.unique(rest)]])


def _check_minimum(minimum: object) -> FloatArray:
    """The point to mark: finite, of shape ``(2,)``."""
    star = array(minimum, "minimum", dtype=np.float64)
    if star.shape != (2,):
        msg = f"minimum must be one point (w1, w2), got shape {star.shape}"
        raise ValueError(msg)
    return star


def _padded(values: FloatArray) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    pad = 0.1 * (high - low) if high > low else 1.0
    return low - pad, high + pad


def _levels(grid: FloatArray, levels: int) -> FloatArray:
    """Contour levels spaced evenly in log scale, so the valley floor shows."""
    positive = grid[grid > 0]
    if positive.size == 0 or positive.min() == positive.max():
        return np.linspace(float(grid.min()), float(grid.max()) + 1.0, levels)
    return np.geomspace(float(positive.min()), float(positive.max()), levels + 1)[1:]


def plot_contours(
    loss: Callable[[FloatArray], float],
    paths: Mapping[str, object] | None = None,
    *,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    minimum: object = None,
    levels: int = 14,
    resolution: int = 150,
    max_points: int = 300,
    title: str | None = None,
    labels: tuple[str, str] = ("$w_1$", "$w_2$"),
    equal: bool = False,
    style: Mapping[str, Any] | None = None,
    legend: LegendLocation = "best",
) -> Axes:
    """Draw the contour lines of a loss of two weights, and paths on top.

    Parameters
    ----------
    loss : callable
        The loss, called with one point ``numpy.array([w1, w2])`` at a time
        and returning a number.
    paths : dict of str to numpy.ndarray, optional
        Each path is a history of shape ``(steps + 1, 2)``, as returned by
        :func:`descent.gradient_descent`, and its key is its legend label.
        Long paths are thinned to `max_points` points (the first ones and the
        last one are always kept) so the figure stays small.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    xlim, ylim : tuple of float, optional
        The area to draw. By default the paths' extent, with a margin.
    minimum : numpy.ndarray or list, optional
        A finite point ``(w1, w2)`` to mark with a star, such as the exact
        solution.
    levels : int, default 14
        How many contour lines, spaced evenly in log scale.
    resolution : int, default 150
        How many grid points along each axis, from 2 to
        :data:`~descent.plotting.contours.MAX_RESOLUTION`; `loss` is called ``resolution**2`` times.
    max_points : int, default 300
        The most points drawn per path.
    title : str, optional
        The title. By default ``"Loss contours"``.
    labels : tuple of str, optional
        The axis labels; by default :math:`w_1` and :math:`w_2`.
    equal : bool, default False
        Draw both axes to the same scale, so that the contours keep their
        true shape (a narrow valley looks narrow).
    style : dict, optional
        Keyword arguments for :meth:`matplotlib.axes.Axes.plot`, applied to
        every path on top of the default dots joined by lines; for example
        ``{"linestyle": "none"}`` draws the iterates as dots only.
    legend : str, default "best"
        Where to put the legend, as Matplotlib's ``loc``: ``"best"``,
        ``"upper right"``, ``"upper left"``, ``"lower left"`` or
        ``"lower right"`` (or another location Matplotlib names, such as
        ``"center right"``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with labels, a title, and a legend when there are paths or
        a minimum.

    Raises
    ------
    TypeError
        If `loss` is not callable, or a path, limit, count, `minimum` or
        `legend` has the wrong type.
    ValueError
        If a path does not have shape ``(steps, 2)`` or is not finite, if
        `minimum` is not one finite point, if a limit is not an increasing
        pair of finite numbers a finite distance apart, if there are no paths
        and no limits to take the area from, if a count is out of range, or
        if `legend` is not a location Matplotlib names.

    Examples
    --------
    >>> import numpy as np
    >>> bowl = lambda w: float(w[0] ** 2 + 10 * w[1] ** 2)
    >>> path = np.array([[2.0, 1.0], [1.6, 0.0], [1.28, 0.0]])
    >>> ax = plot_contours(bowl, {"descent": path}, minimum=[0, 0])
    >>> ax.get_xlabel(), ax.get_title()
    ('$w_1$', 'Loss contours')
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['descent', 'minimum']
    """
    callable_(loss, "loss")
    levels = integer(levels, "levels", low=2)
    resolution = integer(
        resolution, "resolution", low=2, high=MAX_RESOLUTION, note=_CALLS
    )
    max_points = integer(max_points, "max_points", low=2)
    equal = flag(equal, "equal")
    choice(legend, "legend", LEGEND_LOCATIONS)
    given: object = paths
    if given is not None and not isinstance(given, Mapping):
        msg = f"paths must be a mapping of label to path, got {describe(given)}"
        raise TypeError(msg)
    checked = {label: _check_path(label, p) for label, p in (paths or {}).items()}
    star = _check_minimum(minimum) if minimum is not None else None
    everything = [*checked.values()] + ([star[None, :]] if star is not None else [])
    if (xlim is None or ylim is None) and not checked:
        msg = "give xlim and ylim, or at least one path to take the area from"
        raise ValueError(msg)
    stacked = np.concatenate(everything) if everything else np.zeros((1, 2))
    x_lo, x_hi = limits(xlim, "xlim") if xlim is not None else _padded(stacked[:, 0])
    y_lo, y_hi = limits(ylim, "ylim") if ylim is not None else _padded(stacked[:, 1])
    for name, low, high in (("xlim", x_lo, x_hi), ("ylim", y_lo, y_hi)):
        if not math.isfinite(high - low):
            msg = (
                f"the paths span more than the largest float64 along one axis, "
                f"so no grid fits them; give {name}"
            )
            raise ValueError(msg)

    xs = np.linspace(x_lo, x_hi, resolution)
    ys = np.linspace(y_lo, y_hi, resolution)
    grid = np.array([[float(loss(np.array([a, b]))) for a in xs] for b in ys])
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    ax.contour(
        xs, ys, grid, levels=_levels(grid, levels), colors=CONTOUR_COLOR, linewidths=0.8
    )
    ax.grid(False)
    for label, points in checked.items():
        shown = _thin(points, max_points)
        ax.plot(
            shown[:, 0],
            shown[:, 1],
            **{"marker": "o", "markersize": 3, "linewidth": 1.2, **(style or {})},
            label=label,
        )
    if star is not None:
        ax.plot(
            star[0],
            star[1],
            marker="*",
            markersize=14,
            color=MINIMUM_COLOR,
            linestyle="none",
            label="minimum",
        )
    ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel=labels[0], ylabel=labels[1])
    ax.set_title(title if title is not None else "Loss contours")
    if equal:
        ax.set_aspect("equal")
    if checked or star is not None:
        ax.legend(loc=legend)
    return ax
