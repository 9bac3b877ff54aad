"""The loss along data-parallel trajectories, one line per run.

Draws what :func:`descent.parallel.data_parallel_descent` returns next to
single-process runs, so that agreement (or its absence) can be seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt

from descent._checks import array, describe
from descent.linear_model import _check_inputs, _check_targets, mse

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from descent._typing import FloatArray

__all__ = ["plot_parallel_run"]

#: What the message says of a trajectory that is not finite.
_LOSSY = "be finite (a diverged run has no loss to draw)"


def plot_parallel_run(
    runs: Mapping[str, FloatArray],
    inputs: FloatArray,
    targets: FloatArray,
    *,
    ax: Axes | None = None,
    title: str = "Loss per step",
) -> Axes:
    """Draw the mean squared error along weight trajectories, one line per run.

    Parameters
    ----------
    runs : dict of str to numpy.ndarray
        A label for the legend, and the weights after every step, shape
        ``(nsteps + 1, d)``, such as one worker's slice of the result of
        :func:`~descent.parallel.data_parallel_descent` or a history from
        :func:`~descent.gradient_descent`.
    inputs, targets : numpy.ndarray
        The data the loss is measured on.
    ax : matplotlib.axes.Axes, optional
        Where to draw. By default a new figure is made.
    title : str, optional
        The title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with the loss on a log scale against the step.

    Raises
    ------
    TypeError
        If `runs` is not a mapping, or a trajectory or the data do not hold
        real numbers.
    ValueError
        If `runs` is empty, a trajectory does not have shape ``(steps, d)``
        for the ``d`` columns of `inputs` or holds ``inf`` or ``nan``, or the
        data are not as for :func:`~descent.linear_model.mse`. The message
        names the run.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0], [2.0]])
    >>> y = np.array([2.0, 4.0])
    >>> ax = plot_parallel_run({"w": np.array([[0.0], [1.0], [1.5]])}, x, y)
    >>> ax.lines[0].get_ydata()
    array([10.   ,  2.5  ,  0.625])
    """
    given: object = runs  # checked as it comes, whatever the annotation says
    if not isinstance(given, Mapping):
        msg = f"runs must be a mapping of label to trajectory, got {describe(given)}"
        raise TypeError(msg)
    if not given:
        msg = "runs must hold at least one labelled trajectory, got an empty mapping"
        raise ValueError(msg)
    x = _check_inputs(inputs)
    y = _check_targets(targets, x)
    trajectories = {
        label: array(
            w,
            f"runs[{label!r}]",
            shape=("steps", x.shape[1]),
            nonempty=True,
            note=", the weights after every step",
            finite=_LOSSY,
        )
        for label, w in given.items()
    }
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    # A wide pale line under a dashed one, so that runs that agree stay visible.
    styles: list[dict[str, Any]] = [
        {"linewidth": 3.0, "alpha": 0.45},
        {"linestyle": "--", "marker": "."},
    ]
    for index, (label, trajectory) in enumerate(trajectories.items()):
        losses = [mse(w, x, y) for w in trajectory]
        ax.plot(losses, label=label, **styles[index % len(styles)])
    ax.set(yscale="log", xlabel="step", ylabel="mean squared error", title=title)
    ax.legend()
    return ax
