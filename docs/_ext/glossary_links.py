"""Check that every chapter links each glossary term at its first use.

A chapter "uses" a term when the term (or its plural) appears in its prose:
text outside code, maths, outputs, headings and captions. At the first such
place the text must be a ``{term}`` reference (the text of other links, such
as a chapter's title in a cross-reference, is not a use); if it is not, the build warns
(and so fails, being strict), naming the chapter, the term and the words
around it. Where a longer term contains a shorter one ("gradient descent",
"gradient"), the longer one is read first, so its words do not count as a
use of the shorter.

Configuration: ``glossary_link_docs``, a tuple of docname prefixes to check
(default ``("chapters/",)``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Nodes whose text is not prose a reader meets as words.
SKIPPED = (
    nodes.literal,
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.title,
    nodes.subtitle,
    nodes.caption,
    nodes.raw,
    nodes.comment,
    nodes.image,
    nodes.rubric,
    nodes.field_name,
)
#: Classes of containers that hold code or its outputs (MyST-NB cells).
SKIPPED_CLASSES = {"cell_output", "cell_input", "output", "highlight"}


def _skipped(node: nodes.Node) -> bool:
    if isinstance(node, SKIPPED):
        return True
    # The text of a link to another page or section is its title, not a use.
    if isinstance(node, nodes.reference):
        target = str(node.get("refuri", "")) + "#" + str(node.get("refid", ""))
        return "#term-" not in target
    if (
        isinstance(node, nodes.Element)
        and "reftype" in node
        and node["reftype"] != "term"
    ):
        return True  # a pending_xref, before resolution
    classes = set(node.get("classes", [])) if isinstance(node, nodes.Element) else set()
    return bool(classes & SKIPPED_CLASSES)


def prose_text(node: nodes.Node) -> Iterator[nodes.Text]:
    """The Text nodes of `node` that are prose, in reading order."""
    if _skipped(node):
        return
    if isinstance(node, nodes.Text):
        yield node
        return
    for child in node.children:
        yield from prose_text(child)


def _linked_term(text: nodes.Text) -> bool:
    """Is `text` inside a reference to a glossary term?"""
    parent = text.parent
    while parent is not None:
        if isinstance(parent, nodes.inline) and "std-term" in parent.get("classes", []):
            return True
        if isinstance(parent, nodes.reference) and "#term-" in parent.get("refuri", ""):
            return True
        if parent.get("reftype") == "term":  # a pending_xref, before resolution
            return True
        parent = parent.parent
    return False


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One pattern for all terms, longest first, each with an optional plural."""
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(
        re.escape(term).replace(r"\ ", r"[\s-]+") for term in ordered
    )
    return re.compile(rf"(?<![\w-])({alternatives})(?:e?s)?(?![\w-])", re.IGNORECASE)


def unlinked_first_uses(doctree: nodes.Node, terms: list[str]) -> list[tuple[str, str]]:
    """``(term, context)`` for each term whose first use in `doctree` is not a link."""
    if not terms:
        return []
    pattern = term_pattern(terms)
    canonical = {re.sub(r"[\s-]+", " ", term.lower()): term for term in terms}
    seen: set[str] = set()
    missing = []
    for text in prose_text(doctree):
        value = str(text)
        linked = _linked_term(text)
        for match in pattern.finditer(value):
            term = canonical[re.sub(r"[\s-]+", " ", match.group(1).lower())]
            if term in seen:
                continue
            seen.add(term)
            if not linked:
                start = max(0, match.start() - 30)
                context = " ".join(value[start : match.end() + 30].split())
                missing.append((term, context))
    return missing


def check_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not docname.startswith(tuple(app.config.glossary_link_docs)):
        return
    std: Any = app.env.domains.standard_domain
    terms = sorted({name for (kind, name) in std.objects if kind == "term"})
    for term, context in unlinked_first_uses(doctree, terms):
        logger.warning(
            "first use of glossary term %r is not a {term} link: ...%s...",
            term,
            context,
            location=docname,
            type="glossary",
            subtype="first-use",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("glossary_link_docs", ("chapters/",), "env", types=[tuple])
    app.connect("doctree-resolved", check_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
