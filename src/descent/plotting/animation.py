"""Animated gradient descent: the point moving along the curve, step by step.

The animation is a Matplotlib :class:`~matplotlib.animation.FuncAnimation`. In a
notebook, show it with Matplotlib's own JavaScript player, through
:func:`animation_html`, which keeps the player working offline::

    from IPython.display import HTML
    HTML(animation_html(animate_descent(f, {"lr = 0.1": history})))

The figure is made without :mod:`matplotlib.pyplot`, so a notebook does not
also print a still copy of it, and nothing here ever calls ``plt.show()``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib import rc_context
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.figure import Figure

from descent._checks import array, callable_, choice, integer, limits, real
from descent.plotting.curves import CURVE_COLOR, POINT_COLOR

if TYPE_CHECKING:
    from collections.abc import Iterator

    from matplotlib.artist import Artist

    from descent._typing import FloatArray

__all__ = [
    "FRAME_FORMATS",
    "MAX_FRAMES",
    "MIN_TEXT_PIXELS",
    "animate_descent",
    "animation_html",
]

#: The most frames an animation may have. Each frame is embedded as an image
#: in the page, so long runs make heavy pages; subsample them first.
MAX_FRAMES = 60

#: The smallest height, in pixels of the rendered frame, of any text in an
#: animation: font sizes are set from the `dpi`, so a coarse frame still reads.
MIN_TEXT_PIXELS = 13

#: The colour of the trail of earlier points.
TRAIL_COLOR = "#999999"

#: Plain characters for the player's buttons, in place of the icon font that
#: Matplotlib's player loads from a CDN. They come from Latin-1 and the Geometric
#: Shapes block, which common fonts cover; U+FE0E asks for text, not emoji.
_BUTTON_GLYPHS = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u00ab",
    "fa fa-step-backward": "\u2039",
    "fa fa-play fa-flip-horizontal": "\u25c0\ufe0e",
    "fa fa-pause": "\u25ae\u25ae",
    "fa fa-play": "\u25b6\ufe0e",
    "fa fa-step-forward": "\u203a",
    "fa fa-fast-forward": "\u00bb",
    "fa fa-plus": "+",
}
_ICON = re.compile(r'<i class="(fa [^"]*)"></i>')
_ICON_FONT = re.compile(r"<link[^>]*font-awesome[^>]*>")
_PLAYER_MODES = ("once", "loop", "reflect")
#: The ways a frame may be embedded, SVG (sharp at any zoom, smallest once
#: gzipped) or PNG.
FRAME_FORMATS = ("svg", "png")
#: Matplotlib's player loads every frame as an image when the page opens. For
#: SVG frames each load is a document to parse and lay out on the main thread,
#: which held up the explorer pages; the player only needs each frame's data
#: URL, and the browser loads the one it shows.
_PRELOAD = re.compile(
    r"this\.frames\[i\] = new Image\(\);\s*this\.frames\[i\]\.src = frames\[i\];"
)
_LAZY = "this.frames[i] = {src: frames[i]};"
#: What a history of x is, and must hold, as the messages say.
_X = ", one x per step"
_DRAWABLE = "hold finite numbers only (a diverged run has nothing to animate)"


def _check_histories(
    histories: object,
) -> list[tuple[str, FloatArray]]:
    if not isinstance(histories, Mapping):
        msg = (
            f"histories must be a mapping from a panel title to a history, got "
            f"{type(histories).__name__}"
        )
        raise TypeError(msg)
    if not histories:
        msg = "histories must hold at least one history, got an empty mapping"
        raise ValueError(msg)
    checked = []
    for label, history in histories.items():
        if not isinstance(label, str):
            msg = f"histories must have str keys (panel titles), got {label!r}"
            raise TypeError(msg)
        name = f"histories[{label!r}]"
        points = array(
            history,
            name,
            ndim=1,
            nonempty=True,
            dtype=np.float64,
            note=_X,
            finite=_DRAWABLE,
        )
        if points.size > MAX_FRAMES:
            msg = (
                f"histories[{label!r}] has {points.size} points; an animation may "
                f"have at most {MAX_FRAMES} frames. Pass fewer steps."
            )
            raise ValueError(msg)
        checked.append((label, points))
    return checked


def animate_descent(
    f: Callable[[Any], Any],
    histories: Mapping[str, object],
    *,
    xlim: tuple[float, float] | None = None,
    interval: int = 600,
    figsize: tuple[float, float] | None = None,
    dpi: float = 60.0,
) -> FuncAnimation:
    """Animate gradient descent runs side by side, one panel per run.

    Frame :math:`k` shows, in every panel, the curve of `f`, the iterate
    :math:`x_k` as a red point, the earlier iterates as a grey trail joined in
    order, and the step number with the current value. A run shorter than the
    others stays on its last point. Every text is at least
    :data:`MIN_TEXT_PIXELS` high in the rendered frame, whatever the `dpi`:
    the font size in points is ``MIN_TEXT_PIXELS * 72 / dpi`` or more.

    Parameters
    ----------
    f : callable
        The function the runs minimise; called with NumPy arrays.
    histories : dict of str to numpy.ndarray
        Panel title to history: the iterates ``x_0, x_1, ...`` of one run, as
        returned by :func:`~descent.gradient_descent`. Any mapping will do, and
        a history may also be a list or a tensor. Each is 1-D, finite, and has
        at most :data:`MAX_FRAMES` points.
    xlim : tuple of float, optional
        The x-range of every panel. By default it is symmetric around 0 and
        holds every iterate with a 10 % margin.
    interval : int, default 600
        Milliseconds between frames; at least 1.
    figsize : tuple of float, optional
        The figure size in inches; by default 4 wide per panel by 3 high.
    dpi : float, default 60
        Dots per inch of every frame. Lower is smaller in the page, and makes
        the fonts larger in points so that they keep their height in pixels.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        One frame per step of the longest run.

    Raises
    ------
    TypeError
        If `f` is not callable, `histories` is not a mapping with str keys and
        real-valued histories, `interval` is not an integer, or `xlim` is not
        a pair of real numbers.
    ValueError
        If a history is empty, not 1-D, not finite or longer than
        :data:`MAX_FRAMES`, `xlim` is empty, not finite or wider than the
        largest float, or `interval` or `dpi` is not greater than 0.

    Examples
    --------
    >>> from descent import f, gradient_descent
    >>> _, slow = gradient_descent(4.0, nsteps=5, lr=0.1)
    >>> _, swing = gradient_descent(4.0, nsteps=5, lr=0.9)
    >>> anim = animate_descent(f, {"lr = 0.1": slow, "lr = 0.9": swing})
    >>> html = anim.to_jshtml(default_mode="once")
    >>> html.count("data:image/png")  # one frame per step, start included
    6
    """
    callable_(f, "f")
    runs = _check_histories(histories)
    interval = integer(interval, "interval", low=1, unit="millisecond")
    resolution = real(dpi, "dpi", positive=True)
    if xlim is None:
        farthest = max(float(np.abs(points).max()) for _, points in runs)
        reach = 1.1 * farthest or 1.0
        if not np.isfinite(2 * reach):
            msg = (
                f"the histories reach {farthest:.3g}, too far out for an x-range "
                f"around 0 that fits in the floats; give xlim"
            )
            raise ValueError(msg)
        lo, hi = -reach, reach
    else:
        lo, hi = limits(xlim, "xlim")
    size = figsize if figsize is not None else (4.0 * len(runs), 3.0)
    # Font sizes are in points, 1/72 inch; a frame has `dpi` pixels per inch.
    text_pt = max(10.0, MIN_TEXT_PIXELS * 72.0 / resolution)

    fig = Figure(figsize=size, dpi=resolution, layout="constrained")
    fig.set_facecolor("white")
    axes = fig.subplots(1, len(runs), squeeze=False)[0]
    grid = np.linspace(lo, hi, 200)
    curve = np.asarray(f(grid), dtype=np.float64)
    artists = []
    for ax, (label, _) in zip(axes, runs, strict=True):
        ax.plot(grid, curve, color=CURVE_COLOR)
        (trail,) = ax.plot([], [], "o-", color=TRAIL_COLOR, markersize=4, linewidth=1)
        (point,) = ax.plot([], [], "o", color=POINT_COLOR, markersize=9, zorder=3)
        caption = ax.text(
            0.5, 0.88, "", transform=ax.transAxes, ha="center", fontsize=text_pt
        )
        ax.set(xlim=(lo, hi))
        ax.set_xlabel("x", fontsize=text_pt)
        ax.set_ylabel("f(x)", fontsize=text_pt)
        ax.set_title(label, fontsize=1.15 * text_pt)
        ax.tick_params(labelsize=text_pt)
        artists.append((trail, point, caption))
    nframes = max(len(points) for _, points in runs)

    def draw(k: int) -> list[Artist]:
        changed: list[Artist] = []
        for (_, points), (trail, point, caption) in zip(runs, artists, strict=True):
            shown = points[: k + 1]
            current = shown[-1]
            trail.set_data(shown, np.asarray(f(shown), dtype=np.float64))
            point.set_data([current], [float(np.asarray(f(current)))])
            caption.set_text(f"k = {len(shown) - 1}, x = {current:.3g}")
            changed += [trail, point, caption]
        return changed

    return FuncAnimation(
        fig, draw, frames=nframes, interval=interval, blit=False, repeat=True
    )


@contextmanager
def _frames_as(frame_format: str) -> Iterator[None]:
    """Render the player's frames in `frame_format`, the same on every build.

    SVG frames keep text as text (small, and sharp at any zoom); the fixed
    salt and ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention that
    Matplotlib follows) keep random ids and today's date out of them.
    """
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        with rc_context(
            {
                "animation.frame_format": frame_format,
                # Each frame paints its figure's own face colour: the player
                # saves frames with savefig, which would otherwise paint
                # rcParams["savefig.facecolor"] (white, in the notebooks).
                "savefig.facecolor": "auto",
                "svg.fonttype": "none",
                "svg.hashsalt": "descent",
            }
        ):
            yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


_PLAYER_ID = re.compile(r'<img id="_anim_img([0-9a-f]{32})"')


def animation_html(
    anim: Animation,
    *,
    default_mode: str = "once",
    alt: str = "One frame of the animation",
    frame_format: str = "svg",
) -> str:
    """Matplotlib's JavaScript player for `anim`, as HTML that works offline.

    This is :meth:`~matplotlib.animation.Animation.to_jshtml`, with every frame
    embedded in the page, changed in two ways. Matplotlib's player draws its
    buttons with an icon font fetched from a CDN, which fails without a
    network and sends every reader's browser to a third party: here the link
    to the font is removed and each icon becomes a plain character, and the
    buttons keep their titles and ARIA labels. And the player no longer loads
    every frame as an image when the page opens, only the frame it shows.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        The animation, for example from :func:`animate_descent`.
    default_mode : {"once", "loop", "reflect"}, default "once"
        What the player does at the last frame: stop, start over, or play
        backwards.
    alt : str, optional
        The text alternative of the frame, for readers who cannot see it.
    frame_format : {"svg", "png"}, default "svg"
        How each frame is embedded. SVG keeps text as text, sharp at any zoom,
        and the page shows it at 96 CSS pixels an inch (less where the column
        is narrower than the figure); a PNG frame shows one pixel a dot.

    Returns
    -------
    str
        The HTML, ready for ``IPython.display.HTML``.

    Raises
    ------
    TypeError
        If `anim` is not a Matplotlib animation.
    ValueError
        If `default_mode` is not one of the three modes, `frame_format` is
        not "svg" or "png", or Matplotlib's player template has changed so
        that its frame loading can no longer be found.

    Examples
    --------
    >>> from descent import f
    >>> html = animation_html(animate_descent(f, {"run": [2.0, 1.0, 0.5]}))
    >>> "font-awesome" in html, "fa fa-" in html, html.count("data:image/svg+xml")
    (False, False, 3)
    >>> 'title="Play"' in html
    True

    The same animation always gives the same HTML:

    >>> html == animation_html(animate_descent(f, {"run": [2.0, 1.0, 0.5]}))
    True
    """
    given: object = anim  # checked as it comes, whatever the annotation says
    if not isinstance(given, Animation):
        msg = f"anim must be a matplotlib animation, got {type(given).__name__}"
        raise TypeError(msg)
    choice(default_mode, "default_mode", _PLAYER_MODES)
    choice(frame_format, "frame_format", FRAME_FORMATS)
    with _frames_as(frame_format):
        html = anim.to_jshtml(default_mode=default_mode)
    html, preloads = _PRELOAD.subn(_LAZY, html)
    if preloads != 1:
        msg = (
            f"Matplotlib's to_jshtml template changed: expected its frame preload "
            f"once, found it {preloads} times; update _PRELOAD in {__name__}"
        )
        raise ValueError(msg)
    html = _ICON_FONT.sub("", html)
    # An icon this version does not map still gets a visible, neutral mark.
    html = _ICON.sub(lambda icon: _BUTTON_GLYPHS.get(icon[1], "\u2022"), html)
    # The frame and the slider need names for screen readers.
    html = re.sub(
        r'<img id="(_anim_img\w+)">',
        rf'<img id="\1" alt="{escape(alt, quote=True)}">',
        html,
        count=1,
    )
    html = html.replace(
        'class="anim-slider"', 'class="anim-slider" aria-label="Frame"', 1
    )
    # Matplotlib names the player's elements with a random id; derive it from the
    # content instead, so that the same animation always gives the same HTML.
    found = _PLAYER_ID.search(html)
    if found is not None:
        stable = hashlib.sha256(html.replace(found[1], "").encode()).hexdigest()[:32]
        html = html.replace(found[1], stable)
    return html
