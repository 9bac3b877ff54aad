"""Plots of a function and of the points that gradient descent visits.

The helpers draw onto a Matplotlib ``Axes`` and return it. They never call
``plt.show()``, so a notebook shows the figure once, and a script can save it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np

from descent._checks import check_callable, check_real, is_tensor

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["POINT_COLOR", "notebook_setup", "visualize"]

#: The colour of the marked points, as in the article the tutorial follows.
POINT_COLOR = "red"
#: The colour of the curve: a blue that stays clear on a white figure.
CURVE_COLOR = "#1f77b4"


def _as_points(x: object) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Turn the points to mark into a flat float64 array, or explain why not."""
    if is_tensor(x):
        x = x.detach().cpu().numpy()  # type: ignore[attr-defined]
    if isinstance(x, bool | str | bytes):
        msg = f"x must be a number, a list, an array or a tensor of points, got {x!r}"
        raise TypeError(msg)
    points = np.asarray(x)
    if points.dtype.kind not in "iuf":
        msg = f"x must hold real numbers, got dtype {points.dtype}"
        raise TypeError(msg)
    points = points.astype(np.float64).ravel()
    if not np.isfinite(points).all():
        msg = "x must hold finite numbers only; a diverged run has nothing to plot"
        raise ValueError(msg)
    return points


def visualize(
    f: Callable[[Any], Any],
    x: object = None,
    *,
    xlim: tuple[float, float] = (-10.0, 10.0),
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw `f` as a line on `xlim` and mark the points `x` on it in red.

    Parameters
    ----------
    f : callable
        The function to draw. It is called with a NumPy array of 100 points.
    x : float, list, numpy.ndarray or torch.Tensor, optional
        Points to mark on the curve, such as a history from
        :func:`~descent.gradient_descent`. Any shape; it is flattened.
    xlim : tuple of float, optional
        The interval ``(low, high)`` to draw `f` on; by default ``(-10, 10)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title. By default ``"f(x) on [-10, 10]"``, with the interval used.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with labelled axes and a title.

    Raises
    ------
    TypeError
        If `f` is not callable or `x` does not hold real numbers.
    ValueError
        If `x` holds ``nan`` or ``inf``, or `xlim` is empty.

    Examples
    --------
    >>> from descent import f
    >>> ax = visualize(f, x=[-10, 1])
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('x', 'f(x)')
    >>> len(ax.collections[-1].get_offsets())  # the two red points
    2
    """
    import seaborn as sns  # noqa: PLC0415  (seaborn imports pandas: slow)

    check_callable(f, "f")
    lo, hi = check_real(xlim[0], "xlim[0]"), check_real(xlim[1], "xlim[1]")
    if lo >= hi:
        msg = f"xlim must be an increasing pair (low, high), got {xlim!r}"
        raise ValueError(msg)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    grid = np.linspace(lo, hi, 100)
    sns.lineplot(x=grid, y=np.asarray(f(grid)), ax=ax, color=CURVE_COLOR, label="f(x)")
    if x is not None:
        points = _as_points(x)
        values = np.asarray(f(points), dtype=np.float64)
        sns.scatterplot(
            x=points, y=values, ax=ax, color=POINT_COLOR, s=40, zorder=3, label="x"
        )
    ax.set(xlabel="x", ylabel="f(x)")
    ax.set_title(title if title is not None else f"f(x) on [{lo:g}, {hi:g}]")
    return ax


def notebook_setup() -> None:
    """Set up Matplotlib for the tutorial's notebooks.

    Figures are drawn as SVG, so they stay sharp on high-density screens, with
    a fixed SVG id salt so that two builds write the same files. The figure
    background stays opaque white, so plots read well in dark mode too.

    Examples
    --------
    >>> notebook_setup()
    >>> import matplotlib
    >>> matplotlib.rcParams["svg.hashsalt"]
    'descent'
    """
    import seaborn as sns  # noqa: PLC0415

    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update(
        {
            "svg.hashsalt": "descent",
            "svg.fonttype": "path",
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "figure.dpi": 100,
        }
    )
    try:
        from matplotlib_inline.backend_inline import (  # noqa: PLC0415
            set_matplotlib_formats,
        )
    except ImportError:  # pragma: no cover - only outside Jupyter
        return
    set_matplotlib_formats("svg")  # type: ignore[no-untyped-call]
