"""Light and dark renderings of figures (descent.plotting.themes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import IPython.display
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from descent.plotting import themes
from descent.plotting.themes import DARK, figure_svg, show_light_and_dark

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from descent.plotting.themes import Theme


def _figure() -> tuple[Figure, Axes]:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0], color="black", label="black line")
    ax.plot([0, 1], [0, 1], color="red", label="red line")
    ax.grid(True)
    ax.set(title="title", xlabel="x", ylabel="y")
    ax.legend()
    ax.xaxis.get_ticklines(minor=True)
    return fig, ax


def _colors(fig: Figure, ax: Axes) -> tuple[object, ...]:
    """Every colour the dark rendering may touch, to compare before and after."""
    texts = [t.get_color() for t in fig.findobj(Text)]
    lines = [mcolors.to_hex(line.get_color()) for line in ax.get_lines()]
    grid = [mcolors.to_hex(g.get_color()) for g in ax.get_xgridlines()]
    frame = ax.get_legend().get_frame()  # type: ignore[union-attr]
    return (
        texts,
        lines,
        grid,
        mcolors.to_hex(fig.get_facecolor()),
        mcolors.to_hex(ax.get_facecolor()),
        mcolors.to_hex(frame.get_facecolor()),
        [mcolors.to_hex(s.get_edgecolor()) for s in ax.spines.values()],
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_svg_is_marked_with_its_theme(theme: Theme) -> None:
    fig, _ = _figure()
    svg = figure_svg(fig, theme)
    assert svg.startswith("<?xml")
    assert svg.splitlines()[1] == f"<!-- descent-theme: {theme} -->"
    assert "<svg" in svg


def test_dark_rendering_recolours_neutral_parts_only() -> None:
    fig, _ = _figure()
    light, dark = figure_svg(fig, "light"), figure_svg(fig, "dark")
    assert DARK["background"] in dark
    assert DARK["background"] not in light
    assert DARK["ink"] in dark  # the black line became light ink
    assert "stroke: #ff0000" in dark  # the red line kept its colour


def test_figure_is_left_exactly_as_it_was() -> None:
    fig, ax = _figure()
    before = _colors(fig, ax)
    figure_svg(fig, "dark")
    assert _colors(fig, ax) == before


def test_colours_are_restored_when_saving_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fig, ax = _figure()
    before = _colors(fig, ax)

    def broken_savefig(*_args: object, **_kwargs: object) -> None:
        msg = "disk full"
        raise RuntimeError(msg)

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(RuntimeError, match="disk full"):
        figure_svg(fig, "dark")
    assert _colors(fig, ax) == before


def test_same_figure_gives_the_same_text() -> None:
    fig, _ = _figure()
    assert figure_svg(fig, "dark") == figure_svg(fig, "dark")


def test_figure_without_legend_renders() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="0.1")
    assert "descent-theme: dark" in figure_svg(fig, "dark")


def test_show_light_and_dark_displays_both(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr(
        IPython.display, "display", lambda bundle, raw: shown.append((bundle, raw))
    )
    fig, _ = _figure()
    show_light_and_dark(fig)
    assert [raw for _, raw in shown] == [True, True]
    markers = [bundle["image/svg+xml"].splitlines()[1] for bundle, _ in shown]
    assert markers == [
        "<!-- descent-theme: light -->",
        "<!-- descent-theme: dark -->",
    ]
    assert all(bundle["text/plain"] == repr(fig) for bundle, _ in shown)


def test_luminance_orders_black_below_white() -> None:
    assert themes._luminance("black") == 0.0
    assert themes._luminance("white") == pytest.approx(1.0)
    assert themes._luminance("0.5") == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("color", "dark_grey"),
    [("black", True), ("0.2", True), ("red", False), ("navy", False), ("0.8", False)],
)
def test_only_dark_greys_are_recoloured(color: str, dark_grey: bool) -> None:
    assert themes._dark_grey(color, 0.4) is dark_grey
