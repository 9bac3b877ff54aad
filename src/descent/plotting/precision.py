r"""The magnitudes of several runs, such as float32 against float64, on one log axis.

The companion of :mod:`descent.precision`: where that module finds the step at
which a run freezes, this one draws the runs so that the stall can be seen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from descent._checks import describe, real
from descent.precision import _check_history

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from descent._typing import AnyFloatArray, FloatArray

__all__ = ["plot_magnitudes"]

#: Colours for the series: readable on a white page, and light enough that the
#: dark rendering of ``descent.plotting.themes`` keeps them (it recolours dark ink).
SERIES_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
#: Line widths, widest first: a later series drawn over an earlier one along
#: the same path leaves the earlier one visible on both sides.
SERIES_WIDTHS = (3.4, 1.6, 1.2)
#: Past this many markers, the zero marks are drawn as pixels, not vectors.
_RASTERIZE_ABOVE = 200


def _magnitudes(history: AnyFloatArray) -> FloatArray:
    # The largest |x| of each row. abs() is exact, and so is the conversion to
    # float64 from any narrower float, so no value changes on the way.
    rows = history.reshape(history.shape[0], -1)
    return np.asarray(np.max(np.abs(rows), axis=1), dtype=np.float64)


def _labelled(mapping: object, name: str) -> dict[str, object]:
    """Return `mapping` as a dict if it maps string labels to values."""
    if not isinstance(mapping, Mapping):
        msg = (
            f"{name} must be a mapping from label to value, such as "
            f"{{'float32': ...}}, got {describe(mapping)}"
        )
        raise TypeError(msg)
    labelled: dict[str, object] = {}
    for label, value in mapping.items():
        if not isinstance(label, str):
            msg = f"every label in {name} must be a str, got {describe(label)}"
            raise TypeError(msg)
        labelled[label] = value
    return labelled


def _power_of_ten(exponent: float) -> float:
    # 10**e stays a finite float greater than 0 for e in [-323.3, 308.25].
    return float(10.0 ** min(max(exponent, -323.3), 308.25))


def _log_y_axis(ax: Axes, values: list[FloatArray]) -> None:
    """Make the y axis logarithmic, labelled at up to about eight powers of ten."""
    positive = np.concatenate([v[v > 0] for v in values])
    if positive.size > 0:
        low = math.floor(math.log10(positive.min()))
        high = math.ceil(math.log10(positive.max()))
        pad = 0.04 * (high - low + 1)
        # Fix the limits before switching to a log scale, so that Matplotlib's
        # own margins cannot overflow for values near the ends of float64.
        ax.set_ylim(_power_of_ten(low - pad), _power_of_ten(high + pad))
    ax.set_yscale("log")
    if positive.size > 0:
        stride = next(
            s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (high - low) / s <= 8
        )
        first = math.floor(low / stride) * stride
        decades = [d for d in range(first, high + stride, stride) if -323 <= d <= 308]
        ax.yaxis.set_major_locator(FixedLocator([10.0**d for d in decades]))
        ax.yaxis.set_minor_locator(NullLocator())


def plot_magnitudes(
    histories: Mapping[str, object],
    *,
    levels: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    r"""Draw :math:`|x_k|` against the step :math:`k`, on a logarithmic y axis.

    A log axis turns the geometric decay :math:`|x_k| = |1 - 2\alpha|^k |x_0|`
    into a straight line, and shows where a run leaves that line: a flat tail
    is a stall, where rounding freezes the iterate.

    Zero has no place on a log axis. An iterate that is exactly ``0`` (an
    underflow) is not silently dropped: its steps are marked with ticks along
    the bottom edge, in the colour of its series, and the legend says so.

    Parameters
    ----------
    histories : mapping of str to array_like or torch.Tensor
        One history per series, keyed by its legend label, for example
        ``{"float32": h32, "float64": h64}``. A history with several numbers
        per step is drawn as the largest magnitude of each step.
    levels : mapping of str to float, optional
        Horizontal reference lines, keyed by label, such as the smallest
        subnormal of a dtype. Each value must be finite and greater than 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title. By default ``"|x| at each step (log scale)"``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with a log y axis, labels, a title and a legend.

    Raises
    ------
    TypeError
        If `histories` or `levels` is not a mapping, a label is not a string,
        or a history does not hold real numbers.
    ValueError
        If `histories` is empty, a history is empty or holds ``inf`` or
        ``nan``, or a level is not greater than 0.

    Examples
    --------
    >>> import numpy as np
    >>> from descent import gradient_descent
    >>> _, h64 = gradient_descent(-10.0, nsteps=200)
    >>> _, h32 = gradient_descent(np.float32(-10.0), nsteps=200)
    >>> ax = plot_magnitudes({"float64": h64, "float32": h32})
    >>> ax.get_yscale(), ax.get_xlabel(), ax.get_ylabel()
    ('log', 'step $k$', '$|x_k|$')
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['float64', 'float32']

    A run that underflows to exactly 0 gets ticks instead of a line:

    >>> _, h16 = gradient_descent(np.float16(-10.0), nsteps=60, lr=0.4)
    >>> ax = plot_magnitudes({"float16, lr = 0.4": h16})
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['float16, lr = 0.4', 'float16, lr = 0.4: exactly 0 (not drawable on a log axis)']
    """
    series: list[tuple[str, FloatArray]] = []
    for label, history in _labelled(histories, "histories").items():
        iterates = _check_history(history, f"histories[{label!r}]")
        series.append((label, _magnitudes(iterates)))
    if not series:
        msg = "histories must hold at least one history to draw, got an empty mapping"
        raise ValueError(msg)
    lines = [
        (label, real(value, f"levels[{label!r}]", positive=True))
        for label, value in _labelled(
            {} if levels is None else levels, "levels"
        ).items()
    ]

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    bottom_edge = blended_transform_factory(ax.transData, ax.transAxes)
    for index, (label, size) in enumerate(series):
        color = SERIES_COLORS[index % len(SERIES_COLORS)]
        steps = np.arange(size.size)
        zero = size == 0
        width = SERIES_WIDTHS[min(index, len(SERIES_WIDTHS) - 1)]
        ax.plot(steps, np.where(zero, np.nan, size), color=color, lw=width, label=label)
        if zero.any():
            ax.plot(
                steps[zero],
                np.zeros(int(zero.sum())),
                linestyle="none",
                marker="|",
                markersize=10,
                color=color,
                transform=bottom_edge,
                clip_on=False,
                rasterized=bool(zero.sum() > _RASTERIZE_ABOVE),
                label=f"{label}: exactly 0 (not drawable on a log axis)",
            )
    for index, (label, value) in enumerate(lines):
        ax.axhline(
            value, color="0.2", lw=1, ls=("--", ":", "-.")[index % 3], label=label
        )
    _log_y_axis(ax, [size for _, size in series] + [np.array([v]) for _, v in lines])
    ax.set(xlabel="step $k$", ylabel="$|x_k|$")
    ax.set_title(title if title is not None else "|x| at each step (log scale)")
    ax.legend(fontsize="small")
    return ax
