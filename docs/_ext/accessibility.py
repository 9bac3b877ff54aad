"""Fix what accessibility checkers find in the theme's and extensions' HTML.

After the build, every page is patched in a few precise places (each rule is
a fixed string, so a theme update that changes the markup makes the rule a
no-op rather than corrupting the page; the ``audit`` session then reports it):

- the two sidebars are both ``<aside>`` landmarks; give them distinct names;
- the "view" and "edit this page" icons sit outside every landmark; make their
  container a named navigation landmark;
- MyST-NB's collapsed cells have a summary whose ``aria-label`` ("Toggle
  hidden content") differs from its visible text; the visible text is the
  better name, so the label goes;
- code and output blocks that scroll sideways must be reachable by keyboard,
  so every ``<pre>`` becomes focusable;
- the search page asks search engines not to index it; the empty search form
  is a fine page to list.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

RULES = (
    (
        '<aside class="sidebar-drawer">',
        '<aside class="sidebar-drawer" aria-label="Chapters">',
    ),
    ('<aside class="toc-drawer', '<aside aria-label="On this page" class="toc-drawer'),
    (
        '<div class="content-icon-container">',
        '<div class="content-icon-container" role="navigation" aria-label="Page source">',
    ),
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ("<pre>", '<pre tabindex="0">'),
    ('<pre id="', '<pre tabindex="0" id="'),
    ('<meta name="robots" content="noindex" />', ""),
)


def patch(html: str) -> str:
    """Apply every rule to one page."""
    for old, new in RULES:
        html = html.replace(old, new)
    return html


def _patch_site(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf8")
        patched = patch(text)
        if patched != text:
            page.write_text(patched, encoding="utf8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _patch_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
