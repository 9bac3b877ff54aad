"""Fix what accessibility checkers find in the theme's and extensions' HTML.

After the build, every page it wrote is patched in a few precise places (see
``page_rewrite``: each rule warns, so the strict build fails, when it no
longer matches a page it must fix; the ``audit`` session checks the result):

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

from typing import TYPE_CHECKING, Any

from page_rewrite import Rule, add_rules

if TYPE_CHECKING:
    from sphinx.application import Sphinx

RULES = (
    Rule(
        "chapters sidebar name",
        r'<aside class="sidebar-drawer">',
        '<aside class="sidebar-drawer" aria-label="Chapters">',
    ),
    Rule(
        "contents sidebar name",
        r'<aside class="toc-drawer',
        '<aside aria-label="On this page" class="toc-drawer',
    ),
    # Furo writes the icons' container on every page, even without a source.
    Rule(
        "page source landmark",
        r'<div class="content-icon-container">',
        '<div class="content-icon-container" role="navigation" '
        'aria-label="Page source">',
    ),
    Rule(
        "collapsed cell summary",
        r'<summary aria-label="Toggle hidden content">',
        "<summary>",
        needed=r'<details class="hide\b',
    ),
    Rule(
        "focusable pre",
        r"<pre(?=[ >])(?![^>]*\btabindex=)",
        '<pre tabindex="0"',
        needed=r"<pre\b(?![^>]*\btabindex=)",
    ),
    Rule(
        "indexable search page",
        r'<meta name="robots" content="noindex" />\n?',
        "",
        only=frozenset({"search"}),
    ),
)


def setup(app: Sphinx) -> dict[str, Any]:
    add_rules(app, "accessibility", RULES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
