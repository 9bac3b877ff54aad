"""Point the 404 page's links at the site's root.

A host shows ``404.html`` at whatever address was missing, so unlike every
other page its links must start from the site's root. ``sphinx-notfound-page``
knows that root (``notfound_urls_prefix``); this writes it into the page body
given in ``notfound_context``, wherever the body says ``{root}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

PLACEHOLDER = "{root}"


def fill_root(body: str, root: str | None) -> str:
    """Replace every ``{root}`` in `body` with `root` (``/`` if it is empty)."""
    return body.replace(PLACEHOLDER, root or "/")


def _fill(app: Sphinx) -> None:
    context = app.config.notfound_context
    body = context.get("body", "")
    if PLACEHOLDER not in body:
        logger.warning(
            "notfound_context['body'] has no %s: the 404 page's links would be "
            "relative to whatever address was missing",
            PLACEHOLDER,
            type="descent",
            subtype="notfound",
        )
        return
    context["body"] = fill_root(body, app.config.notfound_urls_prefix)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("notfound.extension")
    # notfound reads the context when it renders the page, after this.
    app.connect("builder-inited", _fill)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
