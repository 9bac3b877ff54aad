"""Give every page a ``<meta name="description">``: its first paragraph.

Search engines show the description under the page's title, and audits flag
pages without one. A page's first paragraph of prose says best what it is
about; the download box that ``notebook_download`` puts at the top of each
chapter is skipped, being the same on every chapter. A page with no
paragraph (the search page, the index) gets ``meta_description_default``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from page_rewrite import Rule, add_rules

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Paragraphs inside containers with these classes are never the description.
SKIP_CLASSES = frozenset({"notebook-download"})
#: Longer descriptions are cut at a word, as search engines would cut them.
MAX_LENGTH = 155

#: Checks that the theme does show the tag: it is added through the template
#: context, and a theme that stopped rendering ``metatags`` would drop it.
RENDERED = Rule("description rendered", r'<meta name="description" ', r"\g<0>")


def describe(doctree: nodes.Node | None, default: str) -> str:
    """The description of a page: its first paragraph outside skipped boxes.

    Parameters
    ----------
    doctree : docutils node or None
        The page's document; None for pages generated without one.
    default : str
        The description for a page without such a paragraph.

    Returns
    -------
    str
        One line of at most ``MAX_LENGTH`` characters.
    """
    description = default
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if not _in_skipped_box(paragraph):
                description = " ".join(paragraph.astext().split())
                break
    if len(description) > MAX_LENGTH:
        description = description[: MAX_LENGTH - 3].rsplit(" ", 1)[0] + "..."
    return description


def _in_skipped_box(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if SKIP_CLASSES.intersection(parent.get("classes", [])):
            return True
        parent = parent.parent
    return False


def _add_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    del pagename, templatename  # the description depends on the content only
    text = describe(doctree, app.config.meta_description_default)
    meta = f'<meta name="description" content="{escape(text, quote=True)}">\n'
    context["metatags"] = context.get("metatags", "") + meta


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("meta_description_default", "", "html", types=(str,))
    app.connect("html-page-context", _add_description)
    add_rules(app, "meta description", [RENDERED])
    return {"parallel_read_safe": True, "parallel_write_safe": True}
