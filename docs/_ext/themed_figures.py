"""Show each figure in the variant that matches the reader's theme.

``descent.plotting.notebook_setup`` makes every figure display twice, as drawn
and recoloured for a dark page, and marks each SVG with a
``descent-theme`` comment. This reads the marker and gives the image furo's
``only-light`` or ``only-dark`` class, so the theme toggle switches plots too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_MARKER = re.compile(rb"<!-- descent-theme: (light|dark) -->")


def theme_of(path: Path) -> str | None:
    """Return ``"light"`` or ``"dark"`` for a marked SVG file, else None."""
    if path.suffix != ".svg" or not path.is_file():
        return None
    with path.open("rb") as handle:
        found = _MARKER.search(handle.read(512))
    return found.group(1).decode() if found else None


def _classify_images(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        theme = theme_of(Path(app.srcdir, uri))
        if theme is not None:
            image["classes"].append(f"only-{theme}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _classify_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
