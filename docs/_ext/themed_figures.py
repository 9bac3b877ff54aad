"""Show each figure in the variant that matches the reader's theme.

``descent.plotting.notebook_setup`` makes every figure display twice, as drawn
and recoloured for a dark page, and marks each SVG with a
``descent-theme`` comment. This reads the marker and gives the image furo's
``only-light`` or ``only-dark`` class, so the theme toggle switches plots too.

It warns, so the strict build fails, when a page's figures stop pairing up:
an SVG output of a notebook with no marker (both variants would show), or
unequal numbers of light and dark figures (one theme would miss a figure).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_MARKER = re.compile(rb"<!-- descent-theme: (light|dark) -->")
#: How far into the file the marker must be; descent writes it first.
HEAD_BYTES = 512


def theme_of(path: Path) -> str | None:
    """Return ``"light"`` or ``"dark"`` for a marked SVG file, else None."""
    if path.suffix != ".svg" or not path.is_file():
        return None
    with path.open("rb") as handle:
        found = _MARKER.search(handle.read(HEAD_BYTES))
    return found.group(1).decode() if found else None


def _notebook_outputs(app: Sphinx) -> Path | None:
    """The folder MyST-NB writes notebook outputs to, if MyST-NB is loaded."""
    folder = getattr(getattr(app.env, "mystnb_config", None), "output_folder", "")
    return Path(folder).resolve() if folder else None


def _classify_images(app: Sphinx, doctree: nodes.document) -> None:
    outputs = _notebook_outputs(app)
    counts = {"light": 0, "dark": 0}
    for image in doctree.findall(nodes.image):
        path = Path(app.srcdir, image.get("uri", "")).resolve()
        theme = theme_of(path)
        if theme is not None:
            image["classes"].append(f"only-{theme}")
            counts[theme] += 1
        elif path.suffix == ".svg" and outputs is not None and outputs in path.parents:
            logger.warning(
                "themed figures: the notebook output %s has no descent-theme "
                "marker in its first %d bytes, so it shows in both themes",
                path.name,
                HEAD_BYTES,
                location=image,
                type="descent",
                subtype="figures",
            )
    if counts["light"] != counts["dark"]:
        logger.warning(
            "themed figures: %d light and %d dark figures on this page; every "
            "figure needs both, or one theme misses it",
            counts["light"],
            counts["dark"],
            location=(app.env.docname, None),
            type="descent",
            subtype="figures",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _classify_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
