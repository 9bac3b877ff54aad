"""Small fixes to every page for accessibility and loading speed.

- Sphinx writes toctree captions as ``<p role="heading">`` with no
  ``aria-level``, which accessibility checkers rightly flag.
- Images load lazily: a plot far down the page, or the dark variant of a plot
  on a light page, is only fetched when it is about to be seen.
- Scripts are deferred, so they never block the first paint; deferred scripts
  still run in order. The search page is left alone: its inline script needs
  ``doctools.js`` loaded first.

The fixes are rewrites of the rendered HTML (see ``page_rewrite``), so they
need no access to Sphinx's script objects, and each one warns when it stops
matching.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from page_rewrite import Rule, add_rules

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_NO_ASYNC = r"(?![^>]*\b(?:async|defer)\b)"

RULES = (
    Rule(
        "toctree caption level",
        r'role="heading">',
        'role="heading" aria-level="2">',
        needed=r'role="heading"(?![^>]*aria-level)',
    ),
    Rule(
        "lazy images",
        r"<img (?![^>]*\bloading=)",
        '<img loading="lazy" ',
        needed=r"<img\b(?![^>]*\bloading=)",
    ),
    Rule(
        "deferred scripts",
        rf"<script {_NO_ASYNC}(?=[^>]*\bsrc=)",
        '<script defer="defer" ',
        needed=rf"<script\b{_NO_ASYNC}[^>]*\bsrc=",
        skip=frozenset({"search"}),
    ),
)


def setup(app: Sphinx) -> dict[str, Any]:
    add_rules(app, "page polish", RULES)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
