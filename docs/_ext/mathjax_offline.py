"""Serve MathJax from the site itself, so maths renders with no network.

The MathJax files come from the ``sphinx-mathjax-offline`` package. This thin
wrapper only adds what that package leaves out: it declares itself safe for
parallel builds (so ``-j`` does not warn), and it copies only the parts of
MathJax that the CHTML renderer can load, not every alternative build.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.fileutil import copy_asset

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The entry point, its fonts, and the components it may load on demand (TeX
#: extensions through autoload, the menu, and the accessibility tools).
_NEEDED = (
    "tex-chtml.js",
    "output/chtml",
    "input/tex/extensions",
    "a11y",
    "ui",
    "sre",
    "adaptors",
)


def _mathjax_dir() -> Path:
    package = importlib.import_module("sphinx-mathjax-offline")
    return Path(package.__file__).parent / "static" / "mathjax"


def _copy_mathjax(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    source = _mathjax_dir()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in _NEEDED:
        src = source / part
        dst = target / part
        if src.is_dir():
            copy_asset(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            copy_asset(src, dst.parent)


def setup(app: Sphinx) -> dict[str, Any]:
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
