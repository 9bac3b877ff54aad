"""Every figure of the tutorial: the only part of ``descent`` that imports Matplotlib.

The numerics (``descent.numpy_descent``, ``descent.torch_descent``,
``descent.sgd`` and the theory helpers) never import Matplotlib or seaborn, so
``import descent`` stays fast and works without a display. The helpers here
draw onto a Matplotlib ``Axes`` and return it; they never call ``plt.show()``,
so a notebook shows each figure once and a script can save it.

- ``descent.plotting.curves``: a function, its tangents, update steps,
  losses and the learning-rate sweep.
- ``descent.plotting.contours``: loss contours of two weights, with paths.
- ``descent.plotting.convergence``: distance to the minimum against theory.
- ``descent.plotting.precision``: magnitudes on a log axis (the stall).
- ``descent.plotting.parallel``: the loss along data-parallel runs.
- ``descent.plotting.animation``: a descent as a browser-playable animation.
- ``descent.plotting.themes``: the light and dark renderings of a figure.
"""

from __future__ import annotations

from descent.plotting.contours import plot_contours
from descent.plotting.convergence import plot_convergence
from descent.plotting.curves import (
    notebook_setup,
    plot_losses,
    plot_lr_sweep,
    plot_tangents,
    plot_update,
    visualize,
)
from descent.plotting.parallel import plot_parallel_run
from descent.plotting.precision import plot_magnitudes

__all__ = [
    "notebook_setup",
    "plot_contours",
    "plot_convergence",
    "plot_losses",
    "plot_lr_sweep",
    "plot_magnitudes",
    "plot_parallel_run",
    "plot_tangents",
    "plot_update",
    "visualize",
]
