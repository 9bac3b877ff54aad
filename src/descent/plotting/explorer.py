# The frames and labels show the Greek letters alpha and beta, on purpose.
# ruff: noqa: RUF001, RUF002
r"""Explorers: a slider over a parameter, each position a frame drawn at build time.

An explorer is a Matplotlib :class:`~matplotlib.animation.FuncAnimation` whose
frames are indexed by a parameter (a learning rate :math:`\alpha`, a momentum
:math:`\beta`) instead of by time, shown with Matplotlib's own JavaScript
player. Every frame is computed when the page is built and embedded in it, so
moving the slider needs no kernel and no network.

- :func:`lr_explorer`: the path of descent on :math:`x^2` and the signed
  iterates :math:`x_k` against :math:`k`, one frame per learning rate.
- :func:`momentum_explorer`: heavy-ball paths on the loss contours of the toy
  linear model, next to plain descent, one frame per momentum.
- :func:`label_player`: names the player's slider and frame for every reader.

The frames are drawn on a mid-light neutral grey (:data:`BACKGROUND`) that is
the same in both of the site's themes; its dark text keeps a contrast above
4.5:1 (:func:`descent.plotting.themes.text_contrasts` measures it).
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from descent._checks import integer, real
from descent.conditioning import (
    curvatures,
    distances,
    heavy_ball_tuning,
    steps_to_tolerance,
)
from descent.learning_rate import regime
from descent.linear_model import exact_weights, hessian, mse, mse_gradient
from descent.numpy_descent import gradient_descent
from descent.plotting.animation import TRAIL_COLOR, animation_html
from descent.plotting.contours import plot_contours
from descent.plotting.curves import CURVE_COLOR, POINT_COLOR
from descent.sgd import sgd_run

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.animation import Animation
    from matplotlib.artist import Artist
    from matplotlib.text import Text

    from descent._typing import FloatArray

__all__ = [
    "BACKGROUND",
    "FRAME_TEXT_PT",
    "LR_VALUES",
    "TOLERANCE",
    "LrFrame",
    "MomentumFrame",
    "explorer_html",
    "label_player",
    "lr_description",
    "lr_explorer",
    "lr_frames",
    "momentum_betas",
    "momentum_description",
    "momentum_explorer",
    "momentum_frames",
]

#: The background of every frame, a light neutral grey, the same in both themes,
#: so that the frame reads on a white page and on a dark one.
BACKGROUND = "#d4d4d4"
#: The size of every text in a frame, in points. The frames are 8 inches wide
#: and shown as SVG across the page's column (furo's 736 CSS px, 96 px an
#: inch), so a point is about 1.28 px there: 11 pt reads as 14 px, above
#: :data:`~descent.plotting.animation.MIN_TEXT_PIXELS`.
FRAME_TEXT_PT = 11.0
#: The learning rates of the chapter 7 explorer, 0.05, 0.10, ..., 1.05.
LR_VALUES = tuple(round(0.05 * i, 2) for i in range(1, 22))
#: The momenta of the chapter 11 explorer, before the tuned one is added.
BETA_STEPS = tuple(round(0.1 * i, 1) for i in range(10))
#: The heavy-ball path's colour, and plain descent's dark grey.
MOMENTUM_COLOR = "#b5000c"
PLAIN_COLOR = "#505050"
#: The distance panel draws one step in this many.
EVERY = 10
#: Distance to the minimum that counts as arrived, as in chapter 11's race.
TOLERANCE = 1e-6


class LrFrame(NamedTuple):
    """One learning rate of :func:`lr_frames`."""

    #: The learning rate :math:`\alpha`.
    lr: float
    #: Its behaviour on :math:`x^2`, one of :data:`descent.learning_rate.REGIMES`.
    regime: str
    #: The signed iterates :math:`x_0, x_1, \ldots` that descent visited.
    path: FloatArray


def lr_frames(
    lrs: Sequence[float] = LR_VALUES, *, x0: float = 4.0, nsteps: int = 10
) -> list[LrFrame]:
    r"""Run gradient descent on :math:`x^2` once per learning rate.

    Each run is :func:`~descent.gradient_descent`, whose iterates follow
    :math:`x_k = (1 - 2\alpha)^k x_0`; the sign is kept, so an oscillation
    shows as a change of sign from step to step.

    Parameters
    ----------
    lrs : sequence of float, default LR_VALUES
        The learning rates, each finite and greater than 0.
    x0 : float, default 4.0
        The start of every run.
    nsteps : int, default 10
        Steps per run, from 1 to 60.

    Returns
    -------
    list of LrFrame
        One ``(lr, regime, path)`` per learning rate, in the order given.

    Raises
    ------
    TypeError
        If a learning rate, `x0` or `nsteps` has the wrong type.
    ValueError
        If `lrs` is empty, a learning rate is not greater than 0, or `nsteps`
        is out of range.

    Examples
    --------
    >>> frames = lr_frames((0.25, 0.75))
    >>> [(frame.lr, frame.regime) for frame in frames]
    [(0.25, 'monotone convergence'), (0.75, 'oscillating convergence')]
    >>> frames[1].path[:3]
    array([ 4., -2.,  1.])
    """
    start = real(x0, "x0")
    steps = integer(nsteps, "nsteps", low=1, high=60)
    rates = [real(lr, f"lrs[{i}]", positive=True) for i, lr in enumerate(lrs)]
    if not rates:
        msg = "lrs must hold at least one learning rate, got an empty sequence"
        raise ValueError(msg)
    frames = []
    for rate in rates:
        _, path = gradient_descent(start, nsteps=steps, lr=rate)
        frames.append(LrFrame(rate, regime(rate), np.asarray(path, dtype=np.float64)))
    return frames


def lr_description(frame: LrFrame) -> str:
    """One line on a frame of :func:`lr_explorer`, for its alt text.

    Examples
    --------
    >>> (frame,) = lr_frames((0.75,))
    >>> lr_description(frame)
    'α = 0.75: oscillating convergence; x_k changes sign every step, x_10 = 0.00391'
    """
    path = frame.path
    signs = np.sign(path[1:]) * np.sign(path[:-1])
    if frame.regime == "one-step convergence":
        motion = "x_k is 0 from step 1 on"
    elif signs.size and (signs < 0).all():
        motion = "x_k changes sign every step"
    else:
        motion = "x_k keeps its sign"
    return f"α = {frame.lr:.2f}: {frame.regime}; {motion}, x_{path.size - 1} = {path[-1]:.3g}"


def _figure(width: float, height: float, dpi: float) -> Figure:
    """A figure made without pyplot, on the neutral background of every frame."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    fig.set_facecolor(BACKGROUND)
    return fig


def _legible(fig: Figure) -> Text:
    """Set every text of the explorer `fig` to :data:`FRAME_TEXT_PT`; return its
    heading (an empty suptitle, which each frame fills in)."""
    for ax in fig.axes:
        # tick_params, not the labels themselves: ticks made at draw time follow it.
        ax.tick_params(labelsize=FRAME_TEXT_PT)
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label]
        legend = ax.get_legend()
        texts += legend.get_texts() if legend is not None else []
        for text in texts:
            text.set_fontsize(FRAME_TEXT_PT)
    return fig.suptitle("", fontsize=FRAME_TEXT_PT + 1)


def lr_explorer(
    lrs: Sequence[float] = LR_VALUES,
    *,
    x0: float = 4.0,
    nsteps: int = 10,
    dpi: float = 50.0,
) -> tuple[FuncAnimation, list[LrFrame]]:
    r"""One frame per learning rate: the path on :math:`x^2` and :math:`x_k`.

    The left panel draws the iterates as points on the parabola, joined in
    the order visited; the right one draws the signed :math:`x_k` against
    :math:`k`. The title of each frame names :math:`\alpha` and the regime.

    Parameters
    ----------
    lrs, x0, nsteps
        As for :func:`lr_frames`.
    dpi : float, default 50
        Dots per inch of each frame; lower makes a lighter page.

    Returns
    -------
    tuple
        The animation, one frame per learning rate, and the frames' data.

    Raises
    ------
    TypeError, ValueError
        As :func:`lr_frames`, or if `dpi` is not greater than 0.

    Examples
    --------
    >>> anim, frames = lr_explorer((0.1, 0.9, 1.0))
    >>> [frame.regime for frame in frames][1:]
    ['oscillating convergence', 'two-point swing']
    >>> anim.to_jshtml().count("data:image/png")  # one frame per rate
    3
    """
    resolution = real(dpi, "dpi", positive=True)
    frames = lr_frames(lrs, x0=x0, nsteps=nsteps)
    reach = 1.1 * max(float(np.abs(frame.path).max()) for frame in frames)
    fig = _figure(8.0, 3.2, resolution)
    curve_ax, steps_ax = fig.subplots(1, 2)
    grid = np.linspace(-reach, reach, 200)
    curve_ax.plot(grid, grid**2, color=CURVE_COLOR)
    curve_ax.set(xlim=(-reach, reach), xlabel="x", ylabel="f(x) = x²")
    curve_ax.set_title("Path on the parabola")
    steps_ax.axhline(0.0, color=TRAIL_COLOR, linewidth=1)
    steps_ax.set(
        xlim=(-0.5, nsteps + 0.5), ylim=(-reach, reach), xlabel="step k", ylabel="x_k"
    )
    steps_ax.set_title("Signed iterate against step")
    (trail,) = curve_ax.plot([], [], "o-", color=POINT_COLOR, markersize=5, lw=1)
    (signed,) = steps_ax.plot([], [], "o-", color=POINT_COLOR, markersize=5, lw=1)
    heading = _legible(fig)

    def draw(i: int) -> list[Artist]:
        frame = frames[i]
        trail.set_data(frame.path, frame.path**2)
        signed.set_data(np.arange(frame.path.size), frame.path)
        heading.set_text(f"α = {frame.lr:.2f}: {frame.regime}")
        return [trail, signed, heading]

    anim = FuncAnimation(fig, draw, frames=len(frames), interval=800, repeat=False)
    return anim, frames


class MomentumFrame(NamedTuple):
    """One momentum of :func:`momentum_frames`."""

    #: The momentum :math:`\beta`.
    momentum: float
    #: The heavy-ball iterates, shape ``(nsteps + 1, 2)``.
    path: FloatArray
    #: Their distances to the exact weights.
    distances: FloatArray
    #: The first step within :data:`TOLERANCE` of the minimum, or None.
    steps: int | None


def momentum_betas() -> tuple[float, ...]:
    r"""The momenta of the chapter 11 explorer: 0, 0.1, ..., 0.9 and the tuned one.

    The tuned :math:`\beta = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2`
    is :func:`~descent.conditioning.heavy_ball_tuning`'s for the toy model.

    Returns
    -------
    tuple of float
        Eleven or more momenta in increasing order.

    Examples
    --------
    >>> betas = momentum_betas()
    >>> len(betas), betas[0], round(betas[8], 3)
    (11, 0.0, 0.765)
    """
    largest, smallest = (float(value) for value in curvatures(hessian()))
    _, tuned = heavy_ball_tuning(largest, smallest)
    return tuple(sorted({*BETA_STEPS, tuned}))


def _arrival(gaps: FloatArray) -> int | None:
    return steps_to_tolerance(gaps, TOLERANCE) if gaps.min() < TOLERANCE else None


def momentum_frames(
    betas: Sequence[float] | None = None, *, nsteps: int = 4000
) -> tuple[float, list[MomentumFrame]]:
    r"""Heavy ball on the toy linear model from :math:`(1, 2)`, once per momentum.

    Each run is :func:`~descent.sgd.sgd_run` with ``momentum=β`` and one learning
    rate for all, :math:`\alpha = 1/\lambda_{\max}`, a safe step for plain
    descent; :math:`\beta = 0` is plain descent. The rule is

    .. math::

        w_{k+1} = w_k - \alpha \nabla L(w_k) + \beta (w_k - w_{k-1}).

    Parameters
    ----------
    betas : sequence of float, optional
        The momenta, each in :math:`[0, 1)`; by default :func:`momentum_betas`.
    nsteps : int, default 4000
        Steps per run, at least 1.

    Returns
    -------
    tuple
        The learning rate, and one :class:`MomentumFrame` per momentum.

    Raises
    ------
    TypeError
        If a momentum or `nsteps` has the wrong type.
    ValueError
        If a momentum is outside :math:`[0, 1)` or `betas` is empty.

    Examples
    --------
    >>> lr, frames = momentum_frames([0.0, 0.9], nsteps=500)
    >>> round(lr, 4), frames[0].steps, frames[1].steps
    (0.0335, None, 287)
    """
    steps = integer(nsteps, "nsteps", low=1)
    chosen = momentum_betas() if betas is None else tuple(betas)
    momenta = [real(b, f"betas[{i}]", at_least=0.0) for i, b in enumerate(chosen)]
    if not momenta:
        msg = "betas must hold at least one momentum, got an empty sequence"
        raise ValueError(msg)
    if max(momenta) >= 1.0:
        msg = f"betas must be below 1 (heavy ball diverges at 1), got {max(momenta)!r}"
        raise ValueError(msg)
    largest, _ = (float(value) for value in curvatures(hessian()))
    lr = 1.0 / largest
    target = exact_weights()
    frames = []
    for beta in momenta:
        _, path = sgd_run(
            np.array([1.0, 2.0]), nsteps=steps, grad=mse_gradient, lr=lr, momentum=beta
        )
        gaps = distances(path, target)
        frames.append(MomentumFrame(beta, np.asarray(path), gaps, _arrival(gaps)))
    return lr, frames


def momentum_explorer(
    betas: Sequence[float] | None = None,
    *,
    nsteps: int = 4000,
    shown: int = 300,
    dpi: float = 50.0,
) -> tuple[FuncAnimation, float, list[MomentumFrame]]:
    """One frame per momentum: heavy ball on the contours, next to plain descent.

    The left panel is :func:`~descent.plotting.plot_contours` of the toy
    model's loss, with the paths of the first `shown` iterates of plain
    descent (grey) and of heavy ball (red); the right panel draws both
    distances to the minimum on a log scale. The title names :math:`\\beta`
    and the steps to :data:`TOLERANCE`.

    Parameters
    ----------
    betas, nsteps
        As for :func:`momentum_frames`; plain descent is always run too.
    shown : int, default 300
        How many iterates the contour panel draws, at least 2.
    dpi : float, default 50
        Dots per inch of each frame.

    Returns
    -------
    tuple
        The animation, the learning rate, and the frames' data.

    Raises
    ------
    TypeError, ValueError
        As :func:`momentum_frames`, or if `shown` or `dpi` is out of range.

    Examples
    --------
    >>> anim, lr, frames = momentum_explorer([0.5, 0.9], nsteps=400)
    >>> round(lr, 4), [frame.steps for frame in frames]
    (0.0335, [None, 287])
    >>> anim.to_jshtml().count("data:image/png")  # one frame per momentum
    2
    """
    resolution = real(dpi, "dpi", positive=True)
    first = integer(shown, "shown", low=2)
    lr, frames = momentum_frames(betas, nsteps=nsteps)
    _, (plain,) = momentum_frames([0.0], nsteps=nsteps)
    fig = _figure(8.0, 3.6, resolution)
    map_ax, gap_ax = fig.subplots(1, 2)
    plot_contours(
        mse,
        ax=map_ax,
        xlim=(0.0, 25.0),
        ylim=(0.0, 36.0),
        minimum=exact_weights(),
        resolution=60,
        levels=10,
        equal=True,
        title=f"First {first} iterates, α = {lr:.4f}",
    )
    # Paths as lines, not one marker per iterate: the frames are SVG, and 600
    # markers a frame made the page several times heavier. Plain descent is
    # drawn over heavy ball, which swings across it.
    map_ax.plot(
        *plain.path[: first + 1].T, color=PLAIN_COLOR, lw=1.5, zorder=3, label="plain"
    )
    (ball,) = map_ax.plot([], [], color=MOMENTUM_COLOR, lw=1, label="heavy ball")
    map_ax.legend(loc="lower right")
    # Every EVERY-th distance is enough for a smooth curve, and keeps SVG small.
    steps = np.arange(0, plain.distances.size, EVERY)
    gap_ax.semilogy(steps, plain.distances[steps], color=PLAIN_COLOR, label="plain")
    (curve,) = gap_ax.semilogy([], [], color=MOMENTUM_COLOR, label="heavy ball")
    gap_ax.axhline(TOLERANCE, color=TRAIL_COLOR, linewidth=1, linestyle="--")
    low = min(float(frame.distances.min()) for frame in frames)
    gap_ax.set(xlim=(0, steps[-1]), ylim=(max(low, 1e-16) / 3, 100.0))
    gap_ax.set(xlabel="step k", ylabel="distance to minimum")
    gap_ax.set_title("Distance to the minimum")
    gap_ax.legend(loc="upper right")
    heading = _legible(fig)

    def draw(i: int) -> list[Artist]:
        frame = frames[i]
        ball.set_data(*frame.path[: first + 1].T)
        curve.set_data(steps, frame.distances[steps])
        heading.set_text(momentum_description(frame, plain.steps))
        return [ball, curve, heading]

    anim = FuncAnimation(fig, draw, frames=len(frames), interval=800, repeat=False)
    return anim, lr, frames


def _steps_text(steps: int | None) -> str:
    return "not within reach" if steps is None else f"{steps} steps"


def momentum_description(frame: MomentumFrame, plain_steps: int | None) -> str:
    """One line on a frame of :func:`momentum_explorer`, for its title and alt text.

    Examples
    --------
    >>> _, (frame,) = momentum_frames([0.9])
    >>> momentum_description(frame, 3320)
    'β = 0.9: within 1e-06 in 287 steps (plain descent: 3320 steps)'
    """
    return (
        f"β = {frame.momentum:.3g}: within {TOLERANCE:.0e} in "
        f"{_steps_text(frame.steps)} (plain descent: {_steps_text(plain_steps)})"
    )


_SLIDER = re.compile(r'<input id="_anim_slider(\w+)" type="range"')
_IMAGE = re.compile(r'<img id="_anim_img(\w+)"[^>]*>')


def label_player(
    html: str,
    *,
    label: str,
    values: Sequence[str],
    descriptions: Sequence[str],
) -> str:
    """Name the slider of Matplotlib's player, and say what each frame shows.

    Adds a visible ``<label>`` for the range input (which also names the
    player's form of repetition modes), an ``aria-valuetext`` that
    names the parameter instead of the frame number, and a live text below the
    frame; a few lines of script keep the text, the image's alt text and
    ``aria-valuetext`` in step with the shown frame (they watch the image's
    ``src``, which the player changes for every frame, by any control).

    Parameters
    ----------
    html : str
        The player, from :func:`~descent.plotting.animation.animation_html`.
    label : str
        The slider's label, for example ``"Learning rate α"``.
    values : sequence of str
        The parameter's value at each frame, as read out (``"α = 0.35"``).
    descriptions : sequence of str
        What each frame shows, in words; one per frame.

    Returns
    -------
    str
        The player's HTML with the labels and the script.

    Raises
    ------
    ValueError
        If `html` does not hold exactly one player slider and one frame image
        of the same player (Matplotlib's template changed), or `values` and
        `descriptions` do not have one entry per frame.

    Examples
    --------
    >>> html = '<img id="_anim_img1a"><input id="_anim_slider1a" type="range">'
    >>> out = label_player(html, label="α", values=["α = 1"], descriptions=["one"])
    >>> 'aria-valuetext="α = 1"' in out, '<label for="_anim_slider1a"' in out
    (True, True)
    >>> label_player("<p>no player</p>", label="α", values=[], descriptions=[])
    Traceback (most recent call last):
    ...
    ValueError: label_player expects one Matplotlib player ...
    """
    sliders, images = _SLIDER.findall(html), _IMAGE.findall(html)
    if len(sliders) != 1 or sliders != images:
        msg = (
            f"label_player expects one Matplotlib player (one "
            f'<input id="_anim_slider..." type="range"> and one <img id="_anim_img...">'
            f" with the same id), found {len(sliders)} sliders and {len(images)} "
            f"images: has Matplotlib's to_jshtml template changed?"
        )
        raise ValueError(msg)
    if len(values) != len(descriptions) or not values:
        msg = (
            f"values and descriptions need one entry per frame each, got "
            f"{len(values)} and {len(descriptions)}"
        )
        raise ValueError(msg)
    (uid,) = sliders
    slider, text = f"_anim_slider{uid}", f"_explorer_text{uid}"
    # The visible label names the slider; animation_html's generic "Frame"
    # would override it for screen readers.
    html = html.replace('class="anim-slider" aria-label="Frame"', 'class="anim-slider"')
    # The player's form of repetition modes is a landmark; a second player on
    # the page needs a name of its own for it.
    mode = f"Repetition mode of {escape(label, quote=True)}"
    html = html.replace('aria-label="Repetition mode"', f'aria-label="{mode}"', 1)
    html = html.replace(
        f'<input id="{slider}" type="range"',
        f'<label for="{slider}" class="explorer-label">{escape(label)}</label>\n'
        f'<input id="{slider}" type="range" '
        f'aria-valuetext="{escape(values[0], quote=True)}"',
        1,
    )
    image = _IMAGE.search(html)
    assert image is not None  # found above; the slider edit leaves it alone
    live = (
        f'<p id="{text}" class="explorer-text" aria-live="polite">'
        f"{escape(descriptions[0])}</p>"
    )
    html = html[: image.end()] + live + html[image.end() :]
    # "</" would end the script early; JSON may write it as "<\/".
    data = json.dumps({"values": list(values), "texts": list(descriptions)})
    data = data.replace("</", "<\\/")
    script = f"""
<script>
(function () {{
  var data = {data};
  var img = document.getElementById("_anim_img{uid}");
  var slider = document.getElementById("{slider}");
  var text = document.getElementById("{text}");
  new MutationObserver(function () {{
    var i = parseInt(slider.value, 10);
    text.textContent = data.texts[i];
    img.alt = data.texts[i];
    slider.setAttribute("aria-valuetext", data.values[i]);
  }}).observe(img, {{attributes: true, attributeFilter: ["src"]}});
}})();
</script>
"""
    return html + script


def explorer_html(
    anim: Animation,
    *,
    label: str,
    values: Sequence[str],
    descriptions: Sequence[str],
    frame_format: str = "svg",
) -> str:
    """The offline player of an explorer, labelled for every reader.

    :func:`~descent.plotting.animation.animation_html` (Matplotlib's player,
    without the icon font, stopping at the last frame) and then
    :func:`label_player`.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        From :func:`lr_explorer` or :func:`momentum_explorer`.
    label, values, descriptions
        As for :func:`label_player`.
    frame_format : {"svg", "png"}, default "svg"
        How each frame is embedded.

    Returns
    -------
    str
        HTML for ``IPython.display.HTML``.

    Examples
    --------
    >>> anim, frames = lr_explorer((0.5,))
    >>> html = explorer_html(
    ...     anim, label="α", values=["α = 0.5"], descriptions=["one step"]
    ... )
    >>> "one step" in html, html.count("data:image/svg+xml")
    (True, 1)
    """
    html = animation_html(
        anim, default_mode="once", alt=descriptions[0], frame_format=frame_format
    )
    return label_player(html, label=label, values=values, descriptions=descriptions)
