"""Tests for ``descent.plotting.animation.animate_descent``."""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")  # conftest.py does this too; keep the module safe on its own

import gc
import re
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from descent import f, gradient_descent
from descent.plotting.animation import animate_descent, animation_html

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
    assert ax.texts[0].get_text() == f"step 2: x = {history[2]:.3g}"


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
    assert len(html) < 250_000


# --- animation_html ---------------------------------------------------------------


def test_html_needs_no_network() -> None:
    _, history = gradient_descent(4.0, nsteps=4, lr=0.9)
    html = animation_html(animate_descent(f, {"a": history}))
    assert "font-awesome" not in html
    assert "<i class=" not in html
    assert "https://" not in html
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert html.count("data:image/png") == 5


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
