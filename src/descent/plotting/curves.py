"""Plots of a function and of the points that gradient descent visits.

The helpers draw onto a Matplotlib ``Axes`` and return it. They never call
``plt.show()``, so a notebook shows the figure once, and a script can save it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np

from descent._checks import array, callable_, flag, integer, limits, real

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from descent._typing import FloatArray
    from descent.learning_rate import SweepRun

__all__ = [
    "POINT_COLOR",
    "notebook_setup",
    "plot_losses",
    "plot_lr_sweep",
    "plot_tangents",
    "plot_update",
    "visualize",
]

#: The colour of the marked points, as in the article the tutorial follows.
POINT_COLOR = "red"
#: The colour of the curve: a blue that stays clear on a white figure.
CURVE_COLOR = "#1f77b4"

#: What the points to mark may be, and must hold, as the messages say.
_POINTS = "a number, a list, an array or a tensor of points"
_PLOTTABLE = "hold finite numbers only (a diverged run has nothing to plot)"


def _check_points(x: object, name: str) -> FloatArray:
    """The points to mark on a curve (the argument `name`), flattened to float64."""
    return array(x, name, dtype=np.float64, expected=_POINTS, finite=_PLOTTABLE).ravel()


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
        If `f` is not callable, `x` does not hold real numbers, or `xlim` is
        not a pair of real numbers.
    ValueError
        If `x` holds ``nan`` or ``inf``, or `xlim` is empty, not finite or
        wider than the largest float.

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

    callable_(f, "f")
    lo, hi = limits(xlim, "xlim")
    # Check the points before drawing, so that a refused call leaves no figure.
    points = None if x is None else _check_points(x, "x")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    grid = np.linspace(lo, hi, 100)
    sns.lineplot(x=grid, y=np.asarray(f(grid)), ax=ax, color=CURVE_COLOR, label="f(x)")
    if points is not None:
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
    a fixed SVG id salt so that two builds write the same files. Under
    Jupyter, each figure is shown twice, as drawn and recoloured for a dark
    page (see ``descent.plotting.themes.show_light_and_dark``); the site shows the
    one that matches the reader's theme. Errors are reported in IPython's
    minimal mode: the exception and its message, without the traceback.

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
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure  # noqa: PLC0415

    from descent.plotting.themes import show_light_and_dark  # noqa: PLC0415

    hooks = shell.display_formatter.ipython_display_formatter
    hooks.for_type(Figure, show_light_and_dark)
    # Cells that fail on purpose should show the error, not a page of traceback.
    shell.run_line_magic("xmode", "Minimal")


# --- Helpers for the chapters on the gradient and the learning rate -----------

#: The colour of the points after a step, next to the red starting points.
STEP_COLOR = "#2ca02c"
#: The colour of tangent lines and predictions: dark enough for a white card.
GUIDE_COLOR = "#555555"


def _new_axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    return ax


def _draw_curve(f: Callable[[Any], Any], lo: float, hi: float, ax: Axes) -> None:
    grid = np.linspace(lo, hi, 200)
    ax.plot(
        grid, np.asarray(f(grid), dtype=np.float64), color=CURVE_COLOR, label="f(x)"
    )


def _check_series(values: object, name: str) -> FloatArray:
    """A non-empty 1-D sequence of finite numbers as a float64 array."""
    expected = "a sequence of numbers"
    return array(
        values,
        name,
        ndim=1,
        nonempty=True,
        dtype=np.float64,
        expected=expected,
        finite=_PLOTTABLE,
    )


def plot_tangents(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    points: object,
    *,
    xlim: tuple[float, float] = (-10.0, 10.0),
    half_width: float = 2.5,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    r"""Draw `f` with its tangent line at each of `points`, slope written beside it.

    The tangent at :math:`p` is the line :math:`t \mapsto f(p) + f'(p)\,(t - p)`,
    drawn for :math:`t` within `half_width` of :math:`p`.

    Parameters
    ----------
    f, df : callable
        The function and its derivative, both called with NumPy arrays.
    points : float, list, numpy.ndarray or torch.Tensor
        Where to draw tangents; flattened.
    xlim : tuple of float, optional
        The interval ``(low, high)`` to draw `f` on; by default ``(-10, 10)``.
    half_width : float, default 2.5
        How far each tangent segment reaches to either side of its point.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title; by default ``"Tangent lines of f(x)"``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with labelled axes, a title and a legend.

    Raises
    ------
    TypeError
        If `f` or `df` is not callable, `points` does not hold real numbers,
        or `xlim` is not a pair of real numbers.
    ValueError
        If `points` holds ``nan`` or ``inf``, `half_width` is not greater than
        0, or `xlim` is empty, not finite or wider than the largest float.

    Examples
    --------
    >>> from descent import df, f
    >>> ax = plot_tangents(f, df, [-4.0, 0.0, 2.0])
    >>> [text.get_text() for text in ax.texts]
    ['slope -8', 'slope 0', 'slope 4']
    >>> ax.get_title()
    'Tangent lines of f(x)'
    """
    callable_(f, "f")
    callable_(df, "df")
    lo, hi = limits(xlim, "xlim")
    width = real(half_width, "half_width", positive=True)
    where = _check_points(points, "points")
    ax = _new_axes(ax)
    _draw_curve(f, lo, hi, ax)
    heights = np.asarray(f(where), dtype=np.float64)
    slopes = np.asarray(df(where), dtype=np.float64)
    for i, (p, height, slope) in enumerate(zip(where, heights, slopes, strict=True)):
        t = np.array([p - width, p + width])
        ax.plot(
            t,
            height + slope * (t - p),
            color=GUIDE_COLOR,
            linestyle="--",
            linewidth=1.5,
            label="tangent" if i == 0 else None,
        )
        ax.annotate(
            f"slope {slope:g}",
            (p, height),
            xytext=(0, 10),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.scatter(where, heights, color=POINT_COLOR, s=40, zorder=3, label="point")
    values = np.asarray(f(np.linspace(lo, hi, 200)), dtype=np.float64)
    span = float(values.max() - values.min()) or 1.0
    ax.set_ylim(values.min() - 0.1 * span, values.max() + 0.15 * span)
    ax.set(xlabel="x", ylabel="f(x)")
    ax.set_title(title if title is not None else "Tangent lines of f(x)")
    ax.legend(loc="upper center")
    return ax


def plot_update(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    points: object,
    lr: float,
    *,
    xlim: tuple[float, float] = (-10.0, 10.0),
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    r"""Draw one step of gradient descent from each of `points`, as arrows on `f`.

    Each point :math:`x` (red) moves to :math:`x - \alpha f'(x)` (green).

    Parameters
    ----------
    f, df : callable
        The function and its derivative, both called with NumPy arrays.
    points : float, list, numpy.ndarray or torch.Tensor
        The starting points; flattened.
    lr : float
        The learning rate :math:`\alpha`; finite and greater than 0.
    xlim : tuple of float, optional
        The interval ``(low, high)`` to draw `f` on; by default ``(-10, 10)``.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title; by default ``"One step with learning rate <lr>"``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with labelled axes, a title and a legend.

    Raises
    ------
    TypeError
        If `f` or `df` is not callable, `points` does not hold real numbers,
        `lr` is not a real number, or `xlim` is not a pair of real numbers.
    ValueError
        If `points` holds ``nan`` or ``inf``, `lr` is not greater than 0,
        `xlim` is empty, not finite or wider than the largest float, `f` is
        not finite at the points, or the step with `lr` takes a point (or
        `f` there) beyond the finite floats.

    Examples
    --------
    >>> from descent import df, f
    >>> ax = plot_update(f, df, [-10.0, 1.0], lr=0.1)
    >>> after = ax.collections[-1].get_offsets()
    >>> after[:, 0].round(6).tolist()  # -10 moves to -8, 1 moves to 0.8
    [-8.0, 0.8]
    """
    callable_(f, "f")
    callable_(df, "df")
    rate = real(lr, "lr", positive=True)
    lo, hi = limits(xlim, "xlim")
    start = _check_points(points, "points")
    with np.errstate(over="ignore", invalid="ignore"):
        end = start - rate * np.asarray(df(start), dtype=np.float64)
        f_start = np.asarray(f(start), dtype=np.float64)
        f_end = (
            np.asarray(f(end), dtype=np.float64)
            if np.isfinite(end).all()
            else np.full_like(end, np.nan)
        )
    if not np.isfinite(f_start).all():
        msg = f"f must be finite at the points, got f(x) = {f_start.tolist()!r}"
        raise ValueError(msg)
    if not (np.isfinite(end).all() and np.isfinite(f_end).all()):
        msg = (
            f"one step with lr={lr!r} moves the points {start.tolist()!r} to "
            f"{end.tolist()!r}, where x or f(x) is inf or nan: the step leaves the "
            f"finite floats. Try a smaller lr"
        )
        raise ValueError(msg)
    ax = _new_axes(ax)
    _draw_curve(f, lo, hi, ax)
    for x0, y0, x1, y1 in zip(start, f_start, end, f_end, strict=True):
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={"arrowstyle": "->", "color": GUIDE_COLOR, "linewidth": 1.5},
        )
    ax.scatter(start, f_start, color=POINT_COLOR, s=40, zorder=3, label="before")
    ax.scatter(
        end, f_end, color=STEP_COLOR, marker="D", s=36, zorder=3, label="after one step"
    )
    ax.set(xlabel="x", ylabel="f(x)")
    ax.set_title(
        title if title is not None else f"One step with learning rate {rate:g}"
    )
    ax.legend(loc="upper center")
    return ax


def plot_losses(
    losses: object,
    *,
    reference: object = None,
    threshold: float | None = None,
    first_step: int = 1,
    logy: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    label: str = "measured",
    reference_label: str = "prediction",
) -> Axes:
    """Plot a loss per step as points, optionally against a predicted curve.

    Parameters
    ----------
    losses : list, numpy.ndarray or torch.Tensor
        One loss per step, a non-empty 1-D sequence of finite numbers.
    reference : list, numpy.ndarray or torch.Tensor, optional
        A prediction of the same length, drawn as a dashed line.
    threshold : float, optional
        A level to mark with a dotted horizontal line, such as the tolerance
        a run stops at. It must be greater than 0 on a log axis.
    first_step : int, default 1
        The step number of ``losses[0]``; use 0 when the start is included.
    logy : bool, default False
        Use a logarithmic y-axis; then every value must be greater than 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title; by default ``"Loss after each step"``.
    label, reference_label : str, optional
        Legend entries for the two series. A legend is drawn when there is more
        than the measured series.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with labelled axes and a title.

    Raises
    ------
    TypeError
        If `losses` or `reference` does not hold real numbers, `threshold` is
        not a real number, or `first_step` is not an integer.
    ValueError
        If a series is empty, not 1-D or not finite, the two lengths differ,
        `threshold` is not finite, or `logy` is set and a value is not greater
        than 0.

    Examples
    --------
    >>> ax = plot_losses([16 * 0.64**k for k in range(1, 10)], logy=True)
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()
    ('step', 'loss', 'log')
    >>> ax.lines[0].get_xdata().tolist()
    [1, 2, 3, 4, 5, 6, 7, 8, 9]

    Mark the level a run stops at:

    >>> ax = plot_losses([100.0, 10.0, 1.0, 0.1], threshold=0.5, logy=True)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['measured', 'threshold 0.5']
    """
    values = _check_series(losses, "losses")
    first_step = integer(first_step, "first_step")
    logy = flag(logy, "logy")
    steps = np.arange(first_step, first_step + len(values))
    series = [(values, "losses")]
    if reference is not None:
        predicted = _check_series(reference, "reference")
        if len(predicted) != len(values):
            msg = (
                f"reference must have one value per loss ({len(values)}), got "
                f"{len(predicted)}"
            )
            raise ValueError(msg)
        series.append((predicted, "reference"))
    level = None if threshold is None else real(threshold, "threshold")
    if logy and level is not None and level <= 0:
        msg = f"threshold must be greater than 0 on a log axis, got {threshold!r}"
        raise ValueError(msg)
    if logy:
        for data, name in series:
            if (data <= 0).any():
                msg = f"{name} must be greater than 0 on a log axis, got {data.min()!r}"
                raise ValueError(msg)
    ax = _new_axes(ax)
    ax.plot(steps, values, "o", color=POINT_COLOR, markersize=6, zorder=3, label=label)
    if reference is not None:
        ax.plot(
            steps,
            series[1][0],
            "--",
            color=GUIDE_COLOR,
            zorder=2,
            label=reference_label,
        )
    if level is not None:
        ax.axhline(
            level,
            color=GUIDE_COLOR,
            linestyle=":",
            linewidth=1.5,
            label=f"threshold {level:g}",
        )
    if reference is not None or level is not None:
        ax.legend()
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="loss")
    ax.set_title(title if title is not None else "Loss after each step")
    return ax


# Below this magnitude the sweep's y axis is linear, above it logarithmic, so
# that 0 and both signs of x_k fit on one axis.
_SWEEP_LINTHRESH = 0.1


def plot_lr_sweep(runs: Sequence[SweepRun], *, ncols: int = 3) -> Figure:
    r"""Small multiples of a learning-rate sweep: signed iterates, measured and predicted.

    One panel per run of :func:`~descent.learning_rate.lr_sweep`, titled with
    its learning rate and regime, showing the signed iterate :math:`x_k`
    against the step :math:`k`: the measured iterates as points and the closed
    form :math:`x_k = (1 - 2\alpha)^k x_0` as a dashed line. The sign is kept
    so that an oscillating run (:math:`\alpha > 0.5`) is visibly different from
    a monotone one with the same :math:`|1 - 2\alpha|`. All panels share one
    symmetric-log y axis (``symlog``): logarithmic beyond
    0.1 on either side of 0, linear inside it, so that
    decay, growth, both signs and an exact 0 all fit on it.

    Parameters
    ----------
    runs : list of descent.learning_rate.SweepRun
        The runs to draw, at least one; any sequence of them will do.
    ncols : int, default 3
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with a title, a legend and labelled axes on every panel.

    Raises
    ------
    TypeError
        If `runs` holds something else than runs, or `ncols` is not an integer.
    ValueError
        If `runs` is empty, `ncols` is less than 1, or a run holds ``nan`` or
        ``inf`` (a diverged run has nothing to plot).

    Examples
    --------
    >>> from descent.learning_rate import lr_sweep
    >>> fig = plot_lr_sweep(lr_sweep(4.0, lrs=[0.1, 0.9], nsteps=3), ncols=2)
    >>> [ax.get_title().split(": ")[1] for ax in fig.axes]
    ['monotone convergence', 'oscillating convergence']
    >>> [round(float(y), 3) for y in fig.axes[1].lines[1].get_ydata()]
    [4.0, -3.2, 2.56, -2.048]
    """
    from descent.learning_rate import SweepRun  # noqa: PLC0415  (no import cycle)

    given: object = runs  # checked as it comes, whatever the annotation says
    if isinstance(given, SweepRun) or not isinstance(given, Sequence):
        msg = f"runs must be a sequence of SweepRun, got {type(given).__name__}"
        raise TypeError(msg)
    if not given:
        msg = "runs must hold at least one SweepRun, got none"
        raise ValueError(msg)
    for i, item in enumerate(given):
        if not isinstance(item, SweepRun):
            msg = f"runs[{i}] must be a SweepRun, got {type(item).__name__}"
            raise TypeError(msg)
    for i, run in enumerate(runs):
        if not (np.isfinite(run.measured).all() and np.isfinite(run.predicted).all()):
            msg = f"runs[{i}] (lr={run.lr!r}) holds inf or nan: nothing to plot"
            raise ValueError(msg)
    ncols = min(integer(ncols, "ncols", low=1), len(runs))
    nrows = -(-len(runs) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.2 * ncols, 2.8 * nrows),
        sharex=True,
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    for ax, run in zip(axes.flat, runs, strict=False):
        _draw_sweep_panel(ax, run)
    for ax in axes.flat[len(runs) :]:
        ax.remove()
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    fig.suptitle("Gradient descent on x²: measured x_k against the closed form")
    return fig


def _draw_sweep_panel(ax: Axes, run: SweepRun) -> None:
    # The minimum, x = 0: a run that oscillates crosses this line every step.
    ax.axhline(0.0, color=GUIDE_COLOR, linewidth=0.8)
    ax.plot(
        run.steps,
        run.predicted,
        "--",
        color=GUIDE_COLOR,
        label="predicted (1 − 2α)ᵏ·x₀",  # noqa: RUF001
    )
    ax.plot(
        run.steps,
        run.measured,
        "o",
        color=POINT_COLOR,
        markersize=4,
        label="measured x_k",
    )
    # symlog, not log: a log axis drops the sign and cannot show 0.
    ax.set_yscale("symlog", linthresh=_SWEEP_LINTHRESH)
    ax.set_title(f"α = {run.lr:g}: {run.regime}", fontsize=10)  # noqa: RUF001
    ax.set_xlabel("step k")
    ax.set_ylabel("x_k")
