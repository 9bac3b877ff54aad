"""Every plotting helper's figure is legible on the site, in both themes.

Each figure is rendered as the site renders it (after ``notebook_setup``), in
the light and the dark variant. Two things are measured: the background the
SVG really paints (once, the dark variant was saved on white under light-grey
text, 1.43:1), and the WCAG contrast of every text against what lies behind
it, which must reach :data:`~descent.plotting.themes.MIN_CONTRAST`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

from descent import df, f, gradient_descent
from descent.learning_rate import lr_sweep
from descent.linear_model import INPUTS, TARGETS, mse
from descent.plotting import (
    notebook_setup,
    plot_contours,
    plot_convergence,
    plot_losses,
    plot_lr_sweep,
    plot_magnitudes,
    plot_parallel_run,
    plot_tangents,
    plot_update,
    visualize,
)
from descent.plotting.themes import (
    DARK,
    MIN_CONTRAST,
    Theme,
    _dark,
    figure_svg,
    show_light_and_dark,
    text_contrasts,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from matplotlib.figure import Figure


def _path() -> np.ndarray:
    return gradient_descent(np.array([1.0, 2.0]), nsteps=30, lr=0.01)[1]


#: One call of every public plotting helper, as a chapter makes it.
FIGURES: dict[str, Callable[[], object]] = {
    "visualize": lambda: visualize(f, x=[-10.0, 1.0], title="f(x) = x²"),
    "plot_tangents": lambda: plot_tangents(f, df, [-8.0, 0.0, 6.0], title="Tangents"),
    "plot_update": lambda: plot_update(f, df, [-10.0, 1.0], lr=0.1, title="A step"),
    "plot_losses": lambda: plot_losses(
        [16 * 0.64**k for k in range(9)], threshold=1e-6, logy=True, title="Loss"
    ),
    "plot_lr_sweep": lambda: plot_lr_sweep(lr_sweep(4.0, lrs=(0.1, 0.9), nsteps=8)),
    "plot_contours": lambda: plot_contours(
        mse, {"descent": _path()}, minimum=[10.0, 20.0], title="Contours"
    ),
    "plot_convergence": lambda: plot_convergence(
        {"run": [1.0, 0.5, 0.25, 0.125]}, 0.0, rates={"run": 0.5}
    ),
    "plot_magnitudes": lambda: plot_magnitudes(
        {"float64": gradient_descent(-10.0, nsteps=50)[1]}, levels={"floor": 1e-6}
    ),
    "plot_parallel_run": lambda: plot_parallel_run(
        {"run": _path()}, INPUTS, TARGETS, title="Loss per step"
    ),
}


def _figure_of(drawn: object) -> Figure:
    if isinstance(drawn, mpl.figure.Figure):
        return drawn
    return drawn.get_figure()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _site_style() -> Iterator[None]:
    """Draw with the site's settings (white savefig face and all), then undo them."""
    with mpl.rc_context():
        notebook_setup()
        yield


def _painted_background(svg: str) -> str:
    """The fill of the figure's own background rectangle in Matplotlib's SVG."""
    found = re.search(r'<g id="patch_1">\s*<path[^>]*style="fill: (#[0-9a-f]{6})', svg)
    assert found is not None, "no figure background in the SVG"
    return found.group(1)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("helper", sorted(FIGURES))
def test_every_text_is_legible_on_the_background_it_is_saved_on(
    helper: str, theme: Theme
) -> None:
    fig = _figure_of(FIGURES[helper]())
    with _dark(fig) if theme == "dark" else mpl.rc_context():
        expected = mcolors.to_hex(fig.get_facecolor())
    assert _painted_background(figure_svg(fig, theme)) == expected
    if theme == "dark":
        assert expected == DARK["background"]
    contrasts = text_contrasts(fig, theme)
    assert contrasts, "the figure has no text: no title, labels or ticks"
    low = [(text, round(ratio, 2)) for text, ratio in contrasts if ratio < MIN_CONTRAST]
    assert low == [], f"{helper} ({theme}) has text below {MIN_CONTRAST}:1"


def test_the_measurement_catches_light_text_on_a_light_background() -> None:
    fig, ax = plt.subplots(facecolor="white")
    ax.set_title("pale", color="#d8d8d8")
    ax.set_xlabel("clear", color="black")
    measured = dict(text_contrasts(fig, "light"))
    assert measured["pale"] == pytest.approx(1.43, abs=0.01)
    assert measured["clear"] == pytest.approx(21.0)


def test_the_measurement_uses_the_legend_frame_and_the_axes() -> None:
    fig, ax = plt.subplots(facecolor="white")
    ax.set_facecolor("black")
    ax.text(0.5, 0.5, "inside", color="white", transform=ax.transAxes)
    ax.plot([0, 1], label="legend entry")
    ax.legend(facecolor="white", framealpha=1.0)
    measured = dict(text_contrasts(fig, "light"))
    assert measured["inside"] == pytest.approx(21.0)  # white on the black axes
    assert measured["legend entry"] > 15  # dark text on the white frame


def test_show_light_and_dark_refuses_an_unreadable_figure() -> None:
    fig, ax = plt.subplots(facecolor="white")
    ax.set_title("yellow on white", color="#ffff00")
    with pytest.raises(ValueError, match=r"light rendering.*'yellow on white'"):
        show_light_and_dark(fig)


def test_text_contrasts_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        text_contrasts("figure")
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="theme must be 'light' or 'dark'"):
        text_contrasts(fig, "sepia")  # type: ignore[arg-type]


def test_a_figure_legend_is_measured_on_its_frame_and_darkened() -> None:
    """fig.legend (not an axes' legend) once kept a white frame under light text."""
    fig, axes = plt.subplots(1, 2, facecolor="white")
    for ax in axes:
        ax.plot([0, 1], label="entry")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center")
    fig.legends[0].get_frame().set_facecolor("white")
    fig.legends[0].get_texts()[0].set_color("#eeeeee")
    # Light grey on the white frame: the frame, not the figure, is the background.
    assert dict(text_contrasts(fig, "light"))["entry"] < 1.2
    fig.legends[0].get_texts()[0].set_color("black")
    with _dark(fig):
        frame = mcolors.to_hex(fig.legends[0].get_frame().get_facecolor())
    assert frame == DARK["axes"]
    contrasts = [
        ratio for text, ratio in text_contrasts(fig, "dark") if text == "entry"
    ]
    assert contrasts
    assert min(contrasts) >= MIN_CONTRAST
