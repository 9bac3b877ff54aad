"""Light and dark renderings of a figure, for a site with a theme toggle.

A figure drawn for a white page is hard to read on a dark one: black text and
axes vanish into the background. Under Jupyter, :func:`show_light_and_dark`
sends every figure twice, once as drawn and once recoloured for a dark page.
Each SVG starts with a marker comment (``descent-theme: light`` or ``dark``),
which the site's build reads to show the variant that matches the reader's
theme.

Only neutral colours change (text, axes, grid, and lines drawn in black or
grey); the colours that carry meaning, such as red points, stay as they are.

:func:`text_contrasts` measures what a reader gets: the WCAG contrast ratio of
every text against the background it is drawn on, in either rendering.
:func:`show_light_and_dark` refuses a figure with a text below
:data:`MIN_CONTRAST`, so an unreadable figure fails the build of its page.
"""

from __future__ import annotations

import io
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.colors as mcolors
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from matplotlib.legend import Legend

__all__ = [
    "DARK",
    "MIN_CONTRAST",
    "figure_svg",
    "show_light_and_dark",
    "text_contrasts",
]

Theme = Literal["light", "dark"]

#: Colours of the dark rendering; the background is furo's dark page colour.
DARK = {
    "background": "#131416",
    "axes": "#1a1c1e",
    "text": "#d8d8d8",
    "edge": "#8a8d91",
    "grid": "#34373b",
    "ink": "#e6e6e6",
}
MARKER = "<!-- descent-theme: {theme} -->\n"
#: The least contrast ratio a text may have against its background, WCAG's AA
#: level for normal text.
MIN_CONTRAST = 4.5


def _luminance(color: Any) -> float:
    red, green, blue, _ = mcolors.to_rgba(color)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _dark_grey(color: Any, below: float) -> bool:
    """Is `color` a black or dark grey, which would vanish on a dark page?

    Saturated colours, even dark ones like pure red or navy, carry meaning and
    are left alone.
    """
    red, green, blue, _ = mcolors.to_rgba(color)
    return (
        max(red, green, blue) - min(red, green, blue) < 0.1
        and _luminance(color) < below
    )


@contextmanager
def _dark(fig: Figure) -> Iterator[None]:
    """Recolour `fig` for a dark page, and put every colour back afterwards."""
    undo: list[Callable[[], None]] = []

    def change(
        getter: Callable[[], Any], setter: Callable[[Any], Any], new: Any
    ) -> None:
        old = getter()
        setter(new)
        undo.append(lambda: setter(old))

    change(fig.get_facecolor, fig.set_facecolor, DARK["background"])
    # A legend's frame is painted under its text: the axes' legends and the
    # figure's own (fig.legend) alike.
    for legend in _legends(fig):
        frame = legend.get_frame()
        change(frame.get_facecolor, frame.set_facecolor, DARK["axes"])
        change(frame.get_edgecolor, frame.set_edgecolor, DARK["edge"])
    for ax in fig.axes:
        change(ax.get_facecolor, ax.set_facecolor, DARK["axes"])
        for spine in ax.spines.values():
            change(spine.get_edgecolor, spine.set_edgecolor, DARK["edge"])
        gridlines = [*ax.get_xgridlines(), *ax.get_ygridlines()]
        for line in gridlines:
            change(line.get_color, line.set_color, DARK["grid"])
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_ticklines(minor=False) + axis.get_ticklines(
                minor=True
            ):
                change(tick.get_color, tick.set_color, DARK["edge"])
        skip = {id(line) for line in gridlines}
        for line in ax.findobj(Line2D):
            if id(line) not in skip and _dark_grey(line.get_color(), 0.3):
                change(line.get_color, line.set_color, DARK["ink"])
    for text in fig.findobj(Text):
        if _dark_grey(text.get_color(), 0.4):
            change(text.get_color, text.set_color, DARK["text"])
    try:
        yield
    finally:
        for restore in reversed(undo):
            restore()


def _check_figure(fig: object, theme: object) -> Figure:
    """Return `fig` if it is a figure and `theme` one of the two themes."""
    if not isinstance(fig, Figure):
        msg = f"fig must be a matplotlib Figure, got {type(fig).__name__}"
        raise TypeError(msg)
    if theme not in ("light", "dark"):
        msg = f"theme must be 'light' or 'dark', got {theme!r}"
        raise ValueError(msg)
    return fig


def figure_svg(fig: object, theme: Theme = "light") -> str:
    """Render `fig` as SVG text for a light or a dark page.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is left exactly as it was.
    theme : {"light", "dark"}
        ``"light"`` renders the figure as drawn; ``"dark"`` recolours its
        neutral parts for a dark background.

    Returns
    -------
    str
        The SVG document, starting with a ``descent-theme`` marker comment.
        It carries no date, so the same figure always gives the same text.

    Raises
    ------
    TypeError
        If `fig` is not a Matplotlib figure.
    ValueError
        If `theme` is neither ``"light"`` nor ``"dark"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1, 0], color="black")
    >>> svg = figure_svg(fig, "dark")
    >>> svg.splitlines()[1]
    '<!-- descent-theme: dark -->'
    >>> ax.lines[0].get_color()  # the figure itself is unchanged
    'black'
    """
    fig = _check_figure(fig, theme)
    buffer = io.StringIO()
    # A fixed salt makes the SVG's internal ids depend on the content alone.
    with (
        rc_context({"svg.hashsalt": "descent"}),
        _dark(fig) if theme == "dark" else nullcontext(),
    ):
        # The figure's own face colour, not rcParams["savefig.facecolor"]
        # (which notebook_setup sets to white): the dark rendering must be
        # saved on the dark background it was recoloured for.
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None},
            facecolor=fig.get_facecolor(),
        )
    header, _, body = buffer.getvalue().partition("\n")
    return f"{header}\n{MARKER.format(theme=theme)}{body}"


def show_light_and_dark(fig: Figure) -> None:
    """Display `fig` twice in Jupyter: as drawn, and recoloured for dark pages.

    Registered by :func:`descent.plotting.notebook_setup` as IPython's display
    hook for figures, so every figure a chapter shows comes in both variants.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to display.

    Raises
    ------
    ValueError
        If a text of either rendering has a contrast below
        :data:`MIN_CONTRAST` against its background (see
        :func:`text_contrasts`).
    """
    from IPython.display import display  # noqa: PLC0415

    themes: tuple[Theme, ...] = ("light", "dark")
    for theme in themes:
        low = [(s, r) for s, r in text_contrasts(fig, theme) if r < MIN_CONTRAST]
        if low:
            shown = ", ".join(f"{s!r} ({r:.2f}:1)" for s, r in low[:5])
            msg = (
                f"the {theme} rendering has text below {MIN_CONTRAST}:1 contrast "
                f"against its background: {shown}"
            )
            raise ValueError(msg)
    for theme in themes:
        bundle = {"image/svg+xml": figure_svg(fig, theme), "text/plain": repr(fig)}
        display(bundle, raw=True)  # type: ignore[no-untyped-call]


def _relative_luminance(color: Any) -> float:
    """WCAG 2's relative luminance of an sRGB colour (alpha ignored)."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    red, green, blue, _ = mcolors.to_rgba(color)
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(foreground: Any, background: Any) -> float:
    lighter, darker = sorted(
        (_relative_luminance(foreground), _relative_luminance(background)),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def _over(color: Any, backdrop: Any) -> tuple[float, float, float]:
    """`color` composited over an opaque `backdrop`, by its alpha."""
    *top, alpha = mcolors.to_rgba(color)
    *bottom, _ = mcolors.to_rgba(backdrop)
    red, green, blue = (
        alpha * t + (1 - alpha) * b for t, b in zip(top, bottom, strict=True)
    )
    return (red, green, blue)


def _legends(fig: Figure) -> list[Legend]:
    """Every legend of `fig`: those of its axes, then its own."""
    found = [ax.get_legend() for ax in fig.axes]
    return [legend for legend in found if legend is not None] + list(fig.legends)


def _background_of(text: Text, fig: Figure, renderer: Any) -> tuple[float, ...]:
    """The opaque colour behind `text`: its box, a legend, an axes or the figure."""
    page = _over(fig.get_facecolor(), "white")
    box = text.get_window_extent(renderer)
    middle = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    for own in fig.legends:
        if text in own.get_texts() or text is own.get_title():
            return _over(own.get_frame().get_facecolor(), page)
    for ax in fig.axes:
        legend = ax.get_legend()
        inside = ax.get_window_extent(renderer).contains(*middle)
        behind = _over(ax.get_facecolor(), page) if inside else page
        if legend is not None and (
            text in legend.get_texts() or text is legend.get_title()
        ):
            return _over(legend.get_frame().get_facecolor(), behind)
        if text.axes is ax and inside:
            patch = text.get_bbox_patch()
            if patch is not None:
                return _over(patch.get_facecolor(), behind)
            return behind
    patch = text.get_bbox_patch()
    return _over(patch.get_facecolor(), page) if patch is not None else page


def text_contrasts(fig: object, theme: Theme = "light") -> list[tuple[str, float]]:
    """The contrast ratio of every visible text in `fig` against its background.

    The ratio is WCAG 2's, :math:`(L_1 + 0.05) / (L_2 + 0.05)` for the relative
    luminances :math:`L_1 \\ge L_2` of the text and of what lies behind it:
    the text's own box, a legend's frame, the axes (for text inside them) or
    the figure. Semi-transparent colours are composited first.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; it is left exactly as it was.
    theme : {"light", "dark"}
        Measure the figure as drawn, or as recoloured for a dark page.

    Returns
    -------
    list of tuple
        Each non-empty visible text, as a ``(text, ratio)`` pair with the
        contrast ratio from 1 to 21.

    Raises
    ------
    TypeError
        If `fig` is not a Matplotlib figure.
    ValueError
        If `theme` is neither ``"light"`` nor ``"dark"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(facecolor="white")
    >>> _ = ax.set_title("black on white", color="black")
    >>> dict(text_contrasts(fig, "light"))["black on white"]
    21.0
    >>> round(dict(text_contrasts(fig, "dark"))["black on white"], 1)
    12.9
    """
    fig = _check_figure(fig, theme)
    with _dark(fig) if theme == "dark" else nullcontext():
        if not hasattr(fig.canvas, "get_renderer"):
            # A Figure made without pyplot has a bare canvas: measure on Agg's.
            FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        fig.draw_without_rendering()  # lay out, as saving would
        measured = []
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                behind = _background_of(text, fig, renderer)
                ink = _over(text.get_color(), behind)
                measured.append((text.get_text(), _contrast(ink, behind)))
        return measured
