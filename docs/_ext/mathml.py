"""Render maths as MathML when the site is built: no JavaScript, no web fonts.

Browsers display MathML natively, so a page with equations loads nothing more
than a page without. The conversion from LaTeX is done by ``latex2mathml``;
this module only plugs it into Sphinx as an HTML maths renderer (select it with
``html_math_renderer = "mathml"``). Each formula keeps its LaTeX source as
``alttext``, for assistive technology and for copying.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)


def to_mathml(latex: str, *, display: bool, node: nodes.Node | None = None) -> str:
    """Convert one LaTeX formula to a ``<math>`` element with its ``alttext``.

    Parameters
    ----------
    latex : str
        The formula.
    display : bool
        True for a displayed equation, False for maths in the text.
    node : docutils node, optional
        Where the formula is, for the warning below.

    Returns
    -------
    str
        The MathML. If ``latex2mathml``'s output no longer starts with
        ``<math `` (where the LaTeX source is added for assistive technology),
        a warning says so and the formula is left without it.
    """
    mathml = convert(latex.strip(), display="block" if display else "inline")
    alt = escape(latex.strip(), quote=True)
    if not mathml.startswith("<math "):
        logger.warning(
            "mathml: latex2mathml's output does not start with '<math ', so "
            "the formula gets no alttext: %s",
            mathml[:60],
            location=node,
            type="descent",
            subtype="mathml",
        )
        return mathml
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(to_mathml(node.astext(), display=False, node=node))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    # A wide equation scrolls sideways; tabindex lets keyboard users scroll it.
    self.body.append(self.starttag(node, "div", CLASS="math notranslate", tabindex="0"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    # Sphinx allows several equations in one block, separated by blank lines.
    for part in node.astext().split("\n\n"):
        if part.strip():
            self.body.append(to_mathml(part, display=True, node=node))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
