"""Light and dark renderings of a figure, for a site with a theme toggle.

A figure drawn for a white page is hard to read on a dark one: black text and
axes vanish into the background. Under Jupyter, :func:`show_light_and_dark`
sends every figure twice, once as drawn and once recoloured for a dark page.
Each SVG starts with a marker comment (``descent-theme: light`` or ``dark``),
which the site's build reads to show the variant that matches the reader's
theme.

Only neutral colours change (text, axes, grid, and lines drawn in black or
grey); the colours that carry meaning, such as red points, stay as they are.
"""

from __future__ import annotations

import io
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.colors as mcolors
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["DARK", "figure_svg", "show_light_and_dark"]

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
        legend = ax.get_legend()
        if legend is not None:
            frame = legend.get_frame()
            change(frame.get_facecolor, frame.set_facecolor, DARK["axes"])
            change(frame.get_edgecolor, frame.set_edgecolor, DARK["edge"])
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
    if not isinstance(fig, Figure):
        msg = f"fig must be a matplotlib Figure, got {type(fig).__name__}"
        raise TypeError(msg)
    if theme not in ("light", "dark"):
        msg = f"theme must be 'light' or 'dark', got {theme!r}"
        raise ValueError(msg)
    buffer = io.StringIO()
    # A fixed salt makes the SVG's internal ids depend on the content alone.
    with (
        rc_context({"svg.hashsalt": "descent"}),
        _dark(fig) if theme == "dark" else nullcontext(),
    ):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
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
    """
    from IPython.display import display  # noqa: PLC0415

    for theme in ("light", "dark"):
        bundle = {"image/svg+xml": figure_svg(fig, theme), "text/plain": repr(fig)}
        display(bundle, raw=True)  # type: ignore[no-untyped-call]
