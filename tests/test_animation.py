"""Tests for ``descent.plotting.animation.animate_descent``."""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")  # conftest.py does this too; keep the module safe on its own

import gc
import os
import re
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from descent import f, gradient_descent
from descent.plotting.animation import MIN_TEXT_PIXELS, animate_descent, animation_html

if TYPE_CHECKING:
    from collections.abc import Iterator

# Most tests inspect an animation without playing it, which Matplotlib reports
# with a warning when the animation is garbage-collected. That is intended here.
UNPLAYED = "ignore:Animation was deleted without rendering anything:UserWarning"
pytestmark = pytest.mark.filterwarnings(UNPLAYED)


@pytest.fixture(autouse=True)
def _collect_animations() -> Iterator[None]:
    """Free each test's animations while its warning filter is still active."""
    yield
    gc.collect()


def figure_of(anim: FuncAnimation) -> Figure:
    # FuncAnimation keeps its figure in a private attribute; only tests use it.
    fig = anim._fig  # type: ignore[attr-defined]
    assert isinstance(fig, Figure)
    return fig


def test_one_frame_per_step_and_one_panel_per_run() -> None:
    _, slow = gradient_descent(4.0, nsteps=4, lr=0.1)
    _, swing = gradient_descent(4.0, nsteps=6, lr=0.9)
    anim = animate_descent(f, {"lr = 0.1": slow, "lr = 0.9": swing})
    assert isinstance(anim, FuncAnimation)
    fig = figure_of(anim)
    assert [ax.get_title() for ax in fig.axes] == ["lr = 0.1", "lr = 0.9"]
    for ax in fig.axes:
        assert ax.get_xlabel() == "x"
        assert ax.get_ylabel() == "f(x)"
    html = anim.to_jshtml(default_mode="once")
    assert html.count("data:image/png") == 7  # the longest run: start + 6 steps


def test_frames_show_the_iterates() -> None:
    _, history = gradient_descent(4.0, nsteps=3, lr=0.9)
    anim = animate_descent(f, {"run": history})
    fig = figure_of(anim)
    draw = anim._func  # type: ignore[attr-defined]
    draw(2)
    (ax,) = fig.axes
    trail, point = ax.lines[1], ax.lines[2]
    np.testing.assert_array_equal(trail.get_xdata(), history[:3])
    np.testing.assert_allclose(np.asarray(trail.get_ydata()), history[:3] ** 2)
    assert np.asarray(point.get_xdata()).tolist() == [history[2]]
    assert ax.texts[0].get_text() == f"k = 2, x = {history[2]:.3g}"


def test_a_shorter_run_waits_on_its_last_point() -> None:
    anim = animate_descent(f, {"short": [2.0, 1.0], "long": [2.0, 1.5, 1.0, 0.5]})
    fig = figure_of(anim)
    anim._func(3)  # type: ignore[attr-defined]
    short, long = fig.axes
    assert np.asarray(short.lines[2].get_xdata()).tolist() == [1.0]
    assert np.asarray(long.lines[2].get_xdata()).tolist() == [0.5]


def test_default_xlim_is_symmetric_and_holds_every_point() -> None:
    anim = animate_descent(f, {"a": [-3.0, 5.0]})
    (ax,) = figure_of(anim).axes
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(-5.5)
    assert hi == pytest.approx(5.5)


def test_options_reach_the_figure() -> None:
    anim = animate_descent(
        f, {"a": [1.0, 0.5]}, xlim=(-2.0, 2.0), figsize=(3.0, 2.0), dpi=50, interval=200
    )
    fig = figure_of(anim)
    assert tuple(fig.get_size_inches()) == (3.0, 2.0)
    assert fig.dpi == 50
    assert fig.axes[0].get_xlim() == (-2.0, 2.0)
    assert anim._interval == 200  # type: ignore[attr-defined]


def test_accepts_tensors_and_lists() -> None:
    anim = animate_descent(f, {"t": torch.tensor([1.0, 0.8], requires_grad=True)})
    assert len(figure_of(anim).axes) == 1
    animate_descent(f, {"l": [1, 0]})


def test_does_not_touch_pyplot() -> None:
    before = plt.get_fignums()
    animate_descent(f, {"a": [1.0, 0.5]})
    assert plt.get_fignums() == before


def test_a_small_animation_stays_small() -> None:
    _, history = gradient_descent(4.0, nsteps=15, lr=0.9)
    html = animate_descent(f, {"a": history}).to_jshtml(default_mode="once")
    # Readable fonts cost some bytes; 16 frames must still stay well under 300 kB.
    assert len(html) < 300_000


def drawn_texts(fig: Figure) -> list[Text]:
    """Every text drawn in the figure, tick labels outside the limits left out."""
    # An axis keeps labels for ticks just outside its limits; those are not drawn.
    every = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    ticks = {id(t) for t in every}
    drawn = [t for t in fig.findobj(Text) if id(t) not in ticks]
    for ax in fig.axes:
        (xlo, xhi), (ylo, yhi) = ax.get_xlim(), ax.get_ylim()
        drawn += [t for t in ax.get_xticklabels() if xlo <= t.get_position()[0] <= xhi]
        drawn += [t for t in ax.get_yticklabels() if ylo <= t.get_position()[1] <= yhi]
    return [t for t in drawn if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("dpi", [40, 50, 60, 100])
def test_every_text_is_tall_enough_to_read(dpi: int) -> None:
    _, slow = gradient_descent(4.0, nsteps=10, lr=0.1)
    _, swing = gradient_descent(4.0, nsteps=10, lr=0.9)
    anim = animate_descent(f, {"α = 0.1": slow, "α = 0.9": swing}, dpi=dpi)  # noqa: RUF001
    fig = figure_of(anim)
    anim._draw_next_frame(10, blit=False)  # type: ignore[attr-defined]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = drawn_texts(fig)
    # Titles, axis labels, tick labels and the caption: all are checked.
    assert len(texts) > 10
    for text in texts:
        # Height of the font in pixels of the frame: points are 1/72 inch.
        assert float(text.get_fontsize()) * dpi / 72 >= MIN_TEXT_PIXELS, text.get_text()
        # And the drawn text, measured, is as tall: its box includes the ink.
        height = text.get_window_extent(renderer).height
        assert height >= MIN_TEXT_PIXELS, (text.get_text(), height)


def test_text_stays_inside_the_frame() -> None:
    _, swing = gradient_descent(4.0, nsteps=10, lr=0.9)
    anim = animate_descent(f, {"α = 0.9": swing}, dpi=50)  # noqa: RUF001
    fig = figure_of(anim)
    anim._draw_next_frame(10, blit=False)  # type: ignore[attr-defined]
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    fig.draw(renderer)
    width, height = canvas.get_width_height()
    for text in drawn_texts(fig):
        box = text.get_window_extent(renderer)
        assert box.x0 >= -1, text.get_text()
        assert box.x1 <= width + 1, text.get_text()
        assert box.y0 >= -1, text.get_text()
        assert box.y1 <= height + 1, text.get_text()


#: The width a frame is shown at, in CSS pixels: furo's content column.
COLUMN_PX = 736


def shown_text_pixels(fig: Figure, frame_format: str) -> dict[str, float]:
    """Each drawn text of `fig` and its height in CSS pixels where the page shows
    the frame: at its natural size (SVG: 96 px an inch; PNG: one px a dot),
    shrunk to fit the column."""
    natural = fig.get_figwidth() * (96 if frame_format == "svg" else fig.dpi)
    px_per_pt = natural / fig.get_figwidth() / 72 * min(1.0, COLUMN_PX / natural)
    return {t.get_text(): float(t.get_fontsize()) * px_per_pt for t in drawn_texts(fig)}


def test_text_is_tall_enough_where_the_page_shows_it() -> None:
    """As chapter 7 draws it: SVG frames at dpi=90, two panels across the column."""
    _, slow = gradient_descent(4.0, nsteps=10, lr=0.1)
    _, swing = gradient_descent(4.0, nsteps=10, lr=0.9)
    anim = animate_descent(f, {"a": slow, "b": swing}, xlim=(-5.0, 5.0), dpi=90)
    fig = figure_of(anim)
    anim._draw_next_frame(10, blit=False)  # type: ignore[attr-defined]
    fig.canvas.draw()
    heights = shown_text_pixels(fig, "svg")
    assert len(heights) > 10, heights
    assert min(heights.values()) >= MIN_TEXT_PIXELS, heights


# --- animation_html ---------------------------------------------------------------


def test_html_needs_no_network() -> None:
    _, history = gradient_descent(4.0, nsteps=4, lr=0.9)
    html = animation_html(animate_descent(f, {"a": history}))
    assert "font-awesome" not in html
    assert "<i class=" not in html
    assert "https://" not in html
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert html.count("data:image/svg+xml") == 5
    assert html.count("data:image/png") == 0
    png = animation_html(animate_descent(f, {"a": history}), frame_format="png")
    assert png.count("data:image/png") == 5


def test_html_puts_source_date_epoch_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The frames are rendered with SOURCE_DATE_EPOCH=0; a reader's own value returns."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    animation_html(animate_descent(f, {"a": [1.0, 0.5]}))
    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"


def test_html_loads_only_the_frame_it_shows() -> None:
    """Matplotlib's player would load every frame as an image on page load."""
    html = animation_html(animate_descent(f, {"a": [1.0, 0.5]}))
    assert "new Image()" not in html
    assert html.count("this.frames[i] = {src: frames[i]};") == 1


def test_a_changed_player_template_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """If Matplotlib changes its player, the rewrite says so instead of doing nothing."""
    anim = animate_descent(f, {"a": [1.0, 0.5]})
    html = anim.to_jshtml()
    changed = html.replace("new Image()", "document.createElement('img')")
    monkeypatch.setattr(anim, "to_jshtml", lambda **_: changed)
    with pytest.raises(ValueError, match="to_jshtml template changed"):
        animation_html(anim)


def test_html_keeps_the_buttons_and_their_labels() -> None:
    html = animation_html(animate_descent(f, {"a": [1.0, 0.5]}))
    for label in ("Play", "Pause", "Next frame", "Previous frame", "Play backwards"):
        assert f'title="{label}" aria-label="{label}"' in html
    assert "\u25b6\ufe0e" in html  # the play triangle, as a text glyph
    assert "\u25ae\u25ae" in html  # pause


@pytest.mark.parametrize("mode", ["once", "loop", "reflect"])
def test_html_default_mode(mode: str) -> None:
    html = animation_html(animate_descent(f, {"a": [1.0, 0.5]}), default_mode=mode)
    (checked,) = re.findall(r'value="(\w+)"[^>]*\bchecked', html)
    assert checked == mode
