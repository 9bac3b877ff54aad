# The explorers label the Greek letters alpha and beta by name, on purpose.
# ruff: noqa: RUF001
"""Tests for ``descent.plotting.explorer``: the learning-rate and momentum explorers."""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")  # conftest.py does this too; keep the module safe on its own

import base64
import gc
import gzip
import os
import re
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pytest
from matplotlib.figure import Figure

from descent.learning_rate import REGIMES, closed_form
from descent.plotting.animation import MIN_TEXT_PIXELS
from descent.plotting.explorer import (
    BACKGROUND,
    LR_VALUES,
    explorer_html,
    label_player,
    lr_description,
    lr_explorer,
    lr_frames,
    momentum_betas,
    momentum_description,
    momentum_explorer,
    momentum_frames,
)
from descent.plotting.themes import MIN_CONTRAST, text_contrasts
from tests.test_animation import shown_text_pixels

if TYPE_CHECKING:
    from collections.abc import Iterator

    from matplotlib.animation import FuncAnimation

UNPLAYED = "ignore:Animation was deleted without rendering anything:UserWarning"
pytestmark = pytest.mark.filterwarnings(UNPLAYED)

#: The most bytes, once gzipped as the server sends them, one explorer may add
#: to its page: a page's budget is 1 MB in all.
GZIP_BUDGET = {"lr": 200_000, "momentum": 200_000}
#: And the most bytes before compression, which the browser parses.
RAW_BUDGET = {"lr": 800_000, "momentum": 700_000}


@pytest.fixture(autouse=True)
def _collect_animations() -> Iterator[None]:
    yield
    gc.collect()


def figure_of(anim: FuncAnimation) -> Figure:
    fig = getattr(anim, "_fig")  # noqa: B009  (private: only tests look inside)
    assert isinstance(fig, Figure)
    return fig


def draw_frame(anim: FuncAnimation, i: int) -> None:
    """Draw frame `i`, as the player does when it saves that frame."""
    getattr(anim, "_func")(i)  # noqa: B009  (private: only tests look inside)


@cache
def lr_page() -> str:
    anim, frames = lr_explorer()
    return explorer_html(
        anim,
        label="Learning rate α",
        values=[f"α = {frame.lr:.2f}" for frame in frames],
        descriptions=[lr_description(frame) for frame in frames],
    )


@cache
def momentum_page() -> str:
    anim, _, frames = momentum_explorer()
    return explorer_html(
        anim,
        label="Momentum β",
        values=[f"β = {frame.momentum:.3g}" for frame in frames],
        descriptions=[momentum_description(frame, 1) for frame in frames],
    )


def test_lr_values_span_the_five_regimes() -> None:
    assert len(LR_VALUES) >= 21
    assert LR_VALUES[0] == 0.05
    assert LR_VALUES[-1] == 1.05
    assert np.allclose(np.diff(LR_VALUES), 0.05)
    assert {frame.regime for frame in lr_frames()} == set(REGIMES)


def test_lr_frames_are_signed_and_match_the_closed_form() -> None:
    for frame in lr_frames(x0=4.0, nsteps=10):
        assert frame.path.shape == (11,)
        assert np.allclose(frame.path, closed_form(4.0, frame.lr, range(11)))
        if frame.lr > 0.5:  # oscillating, swinging or diverging: signs alternate
            assert (np.sign(frame.path[1::2]) == -1).all(), frame.lr
    regimes = {frame.lr: frame.regime for frame in lr_frames()}
    assert regimes[0.45] == "monotone convergence"
    assert regimes[0.5] == "one-step convergence"
    assert regimes[0.55] == "oscillating convergence"
    assert regimes[1.0] == "two-point swing"
    assert regimes[1.05] == "divergence"


def test_lr_explorer_has_one_frame_per_rate_and_names_it() -> None:
    anim, frames = lr_explorer()
    html = anim.to_jshtml()
    assert html.count("data:image/png") == len(frames) == 21
    fig = figure_of(anim)
    assert fig.get_facecolor()[:3] == mpl.colors.to_rgb(BACKGROUND)
    draw_frame(anim, 9)
    assert fig.get_suptitle() == "α = 0.50: one-step convergence"


def test_lr_description_says_the_sign() -> None:
    frames = {frame.lr: frame for frame in lr_frames()}
    assert "keeps its sign" in lr_description(frames[0.2])
    assert "changes sign every step" in lr_description(frames[0.8])
    assert "is 0 from step 1" in lr_description(frames[0.5])


@pytest.mark.parametrize("kind", ["lr", "momentum"])
def test_frame_text_is_legible_in_both_themes(kind: str) -> None:
    """The frames are shown as drawn on either page: measure them as drawn."""
    anim = lr_explorer()[0] if kind == "lr" else momentum_explorer(nsteps=400)[0]
    draw_frame(anim, 0)
    ratios = dict(text_contrasts(figure_of(anim), "light"))
    assert ratios
    assert min(ratios.values()) >= MIN_CONTRAST, ratios


@pytest.mark.parametrize("kind", ["lr", "momentum"])
def test_frame_text_is_tall_enough_where_the_page_shows_it(kind: str) -> None:
    anim = lr_explorer()[0] if kind == "lr" else momentum_explorer(nsteps=400)[0]
    draw_frame(anim, 0)
    fig = figure_of(anim)
    fig.canvas.draw()  # make the ticks, as saving a frame does
    heights = shown_text_pixels(fig, "svg")
    # Titles, axis labels, tick labels, legends and the heading are all there.
    assert len(heights) > 15, heights
    assert min(heights.values()) >= MIN_TEXT_PIXELS, heights
    # The same frames as PNG at their 50 dpi are shown at 400 px: unreadable.
    assert min(shown_text_pixels(fig, "png").values()) < 10


def frame_backgrounds(html: str) -> set[str]:
    """The colour each embedded SVG frame of a player paints behind everything."""
    found = set()
    for frame in re.findall(r"data:image/svg\+xml;base64,([^\"]+)\"", html):
        svg = base64.b64decode(re.sub(r"[^A-Za-z0-9+/=]", "", frame)).decode()
        # The figure's patch comes first: a rectangle over the whole frame.
        fill = re.search(
            r'<g id="patch_1">\s*<path [^>]*style="fill: (#[0-9a-f]{6})"', svg
        )
        assert fill, svg[:500]
        found.add(fill[1])
    return found


def test_frames_paint_the_background_their_contrast_is_measured_on() -> None:
    """The notebooks save figures on white; the explorer's frames keep their grey."""
    anim, frames = lr_explorer((0.3, 0.9))
    texts = [lr_description(frame) for frame in frames]
    with mpl.rc_context({"savefig.facecolor": "white"}):  # as notebook_setup sets
        html = explorer_html(anim, label="α", values=texts, descriptions=texts)
    assert frame_backgrounds(html) == {BACKGROUND}


def test_momentum_betas_hold_the_tuned_one() -> None:
    betas = momentum_betas()
    assert len(betas) >= 11
    assert list(betas) == sorted(betas)
    assert betas[0] == 0.0
    assert betas[-1] == 0.9
    assert any(round(beta, 3) == 0.765 for beta in betas)


def test_momentum_frames_speed_up_with_beta() -> None:
    lr, frames = momentum_frames()
    assert 0.03 < lr < 0.04
    steps = [frame.steps for frame in frames if frame.steps is not None]
    assert len(steps) == len(frames), steps
    assert steps == sorted(steps, reverse=True)
    assert frames[0].path.shape == (4001, 2)
    assert frames[0].distances.shape == (4001,)
    assert momentum_description(frames[-1], steps[0]).startswith("β = 0.9: ")


def test_momentum_frames_refuse_bad_betas() -> None:
    with pytest.raises(ValueError, match="below 1"):
        momentum_frames([0.5, 1.0])
    with pytest.raises(ValueError, match="at least one"):
        momentum_frames([])
    with pytest.raises(ValueError, match="betas"):
        momentum_frames([-0.1])


def test_lr_frames_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one"):
        lr_frames(())
    with pytest.raises(ValueError, match="lrs"):
        lr_frames((0.1, 0.0))


def test_momentum_explorer_frame_count() -> None:
    anim, _, frames = momentum_explorer(nsteps=400)
    assert len(frames) == len(momentum_betas())
    assert anim.to_jshtml().count("data:image/png") == len(frames)


PLAYER = (
    '<div class="animation">\n  <img id="_anim_imgabc" alt="x">\n'
    '  <input id="_anim_sliderabc" type="range" class="anim-slider">'
)


def test_label_player_adds_label_valuetext_and_live_text() -> None:
    out = label_player(
        PLAYER, label="Rate <α>", values=["α = 1", "α = 2"], descriptions=["a", "b"]
    )
    assert '<label for="_anim_sliderabc" class="explorer-label">Rate &lt;α&gt;' in out
    assert 'aria-valuetext="α = 1"' in out
    assert (
        '<p id="_explorer_textabc" class="explorer-text" aria-live="polite">a</p>'
        in out
    )
    assert '"texts": ["a", "b"]' in out


def test_label_player_keeps_scripts_closed() -> None:
    out = label_player(PLAYER, label="x", values=["</script>"], descriptions=["d"])
    script = out.partition("<script>")[2]
    assert script.count("</script>") == 1


@pytest.mark.parametrize(
    "html",
    [
        "<p>no player</p>",
        '<img id="_anim_imgabc"><input id="_anim_sliderxyz" type="range">',
        PLAYER + PLAYER,
        '<img id="_anim_imgabc">',
    ],
)
def test_label_player_raises_when_the_template_changed(html: str) -> None:
    with pytest.raises(ValueError, match="to_jshtml template changed"):
        label_player(html, label="x", values=["1"], descriptions=["1"])


def test_label_player_needs_one_text_per_frame() -> None:
    with pytest.raises(ValueError, match="one entry per frame"):
        label_player(PLAYER, label="x", values=["1", "2"], descriptions=["1"])


def test_explorer_html_refuses_an_unknown_format() -> None:
    anim, _ = lr_explorer((0.5,))
    with pytest.raises(ValueError, match="frame_format"):
        explorer_html(
            anim, label="α", values=["1"], descriptions=["1"], frame_format="gif"
        )


def test_explorer_html_is_offline_labelled_and_stops_at_the_end() -> None:
    html = lr_page()
    assert "font-awesome" not in html
    assert "https://" not in html
    assert html.count("data:image/svg+xml") == 21
    assert re.search(r'value="once"[^>]*checked', html)
    assert 'aria-valuetext="α = 0.05"' in html
    assert 'aria-label="Frame"' not in html  # the visible label names the slider
    assert 'aria-label="Repetition mode of Learning rate α"' in html
    assert "1.05: divergence" in html
    assert "SOURCE_DATE_EPOCH" not in os.environ  # put back as it was


def test_explorer_html_is_the_same_every_time() -> None:
    anim, frames = lr_explorer((0.3, 0.9))
    texts = [lr_description(frame) for frame in frames]
    first = explorer_html(anim, label="α", values=texts, descriptions=texts)
    anim, frames = lr_explorer((0.3, 0.9))
    assert first == explorer_html(anim, label="α", values=texts, descriptions=texts)


@pytest.mark.parametrize("kind", ["lr", "momentum"])
def test_explorer_stays_within_its_byte_budget(kind: str) -> None:
    html = lr_page() if kind == "lr" else momentum_page()
    raw = len(html.encode())
    zipped = len(gzip.compress(html.encode()))
    assert raw <= RAW_BUDGET[kind], raw
    assert zipped <= GZIP_BUDGET[kind], zipped
