r"""How fast runs close in on the minimum, drawn against the rates theory predicts.

On a quadratic, a well-tuned method shrinks the distance to the minimum by a
constant factor :math:`\rho` per step, so on a logarithmic axis its distance
falls along a straight line of slope :math:`\log \rho`. Plotting the measured
distance next to a line of the predicted slope shows at a glance whether the
theory describes the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.legend import Legend

from descent._checks import choice, describe, real
from descent.conditioning import distances

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from descent._typing import FloatArray

__all__ = ["plot_convergence"]

#: Where the legend may go, as Matplotlib's ``loc``.
LegendLocation = Literal[
    "outside", "best", "upper right", "upper left", "lower left", "lower right"
]
#: Every value `legend` may take: "outside", or a location Matplotlib names.
LEGEND_LOCATIONS = ("outside", *Legend.codes)


def plot_convergence(
    paths: Mapping[str, object],
    minimum: object,
    *,
    rates: Mapping[str, float] | None = None,
    floor: float = 1e-12,
    ax: Axes | None = None,
    title: str | None = None,
    legend: LegendLocation = "outside",
) -> Axes:
    r"""Plot each run's distance to the minimum per step, on a log scale.

    Parameters
    ----------
    paths : dict of str to numpy.ndarray
        The runs, each a history of iterates (start included), keyed by the
        label for the legend.
    minimum : numpy.ndarray, list or float
        The minimiser the distances are measured to.
    rates : dict of str to float, optional
        A predicted factor :math:`\rho` per step for some of the runs, keyed
        by the same labels. Each is drawn as a dashed line of the same colour,
        :math:`e_n \rho^{k - n}`, through the run's last plotted point
        :math:`(n, e_n)`, over the second half of the run (where the slowest
        direction dominates): where the run contracts at the predicted rate,
        the two lines coincide.
    floor : float, default 1e-12
        Distances are drawn until the first one below `floor`; below it
        rounding errors, not the method, set the distance.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title; by default ``"Distance to the minimum"``.
    legend : str, default "outside"
        Where to put the legend: ``"outside"`` (to the right of the plot,
        where it hides no line), or inside at Matplotlib's ``"best"``,
        ``"upper right"``, ``"upper left"``, ``"lower left"`` or
        ``"lower right"`` (or another location Matplotlib names, such as
        ``"center right"``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with a log-scaled y axis, labels, a title and a legend.

    Raises
    ------
    TypeError
        If `paths` or `rates` is not a mapping, or holds the wrong types, or
        `legend` is not a str.
    ValueError
        If a path holds ``inf`` or ``nan`` or starts below `floor`, a rate is
        not in ``(0, 1]``, a rate names no path, or `legend` is not one of the
        locations above. Nothing is drawn then.

    Examples
    --------
    >>> import numpy as np
    >>> path = 10.0 * 0.5 ** np.arange(30)
    >>> ax = plot_convergence({"halving": path}, 0.0, rates={"halving": 0.5})
    >>> ax.get_yscale(), len(ax.lines)
    ('log', 2)
    """
    given: object = paths
    if not isinstance(given, Mapping) or not given:
        msg = (
            f"paths must be a non-empty mapping of label to path, got {describe(given)}"
        )
        raise TypeError(msg)
    predicted: dict[str, float] = {}
    if rates is not None:
        given_rates: object = rates
        if not isinstance(given_rates, Mapping):
            msg = f"rates must be a mapping of label to rate, got {describe(rates)}"
            raise TypeError(msg)
        for label, rate in given_rates.items():
            if label not in paths:
                msg = f"rates names {label!r}, which is not one of the paths"
                raise ValueError(msg)
            predicted[label] = real(rate, f"rates[{label!r}]", positive=True, at_most=1)
    threshold = real(floor, "floor", positive=True)
    choice(legend, "legend", LEGEND_LOCATIONS)
    curves: dict[str, FloatArray] = {}
    for label, path in given.items():
        if not isinstance(label, str):
            msg = f"paths must map labels (str) to paths, got {describe(label)}"
            raise TypeError(msg)
        gaps = distances(path, minimum)
        below = np.flatnonzero(gaps < threshold)
        shown = gaps[: below[0]] if below.size else gaps
        if shown.size == 0:
            msg = f"paths[{label!r}] starts below floor={floor!r}: nothing to draw"
            raise ValueError(msg)
        curves[label] = shown
    if ax is None:
        _, ax = plt.subplots(figsize=(8.4, 4), layout="constrained")
    for label, shown in curves.items():
        steps = np.arange(len(shown))
        (line,) = ax.plot(steps, shown, linewidth=1.6, label=label)
        if label in predicted:
            rho = predicted[label]
            last = len(shown) - 1
            late = steps[last // 2 :]  # the late half, where the slowest mode rules
            ax.plot(
                late,
                shown[-1] * rho ** (late - last),
                linestyle="--",
                linewidth=1.2,
                color=line.get_color(),
                label=f"{label}, predicted {rho:.4f}",
            )
    ax.set_yscale("log")
    ax.set(xlabel="step", ylabel="distance to the minimum")
    ax.set_title(title if title is not None else "Distance to the minimum")
    if legend == "outside":
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    else:
        ax.legend(loc=legend)
    return ax
