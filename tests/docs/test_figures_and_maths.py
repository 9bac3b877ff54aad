"""Themed figures get furo's theme classes; maths becomes MathML."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Built


def test_themed_figures_get_their_classes(pages: Built) -> None:
    images = dict(
        re.findall(
            r'<img [^>]*class="([^"]*)" src="_images/(\w+)\.svg"', pages.page("index")
        )
    )
    assert images == {"only-light": "light", "only-dark": "dark"}


def test_a_figure_without_its_pair_warns(site: Callable[..., Built]) -> None:
    def drop_dark(source: Path) -> None:
        index = source / "index.md"
        text = index.read_text(encoding="utf8")
        index.write_text(
            text.replace("![The same plot for dark pages](dark.svg)", ""),
            encoding="utf8",
        )

    built = site("pages", edit=drop_dark)
    assert "1 light and 0 dark figures on this page" in built.warnings


def test_maths_becomes_mathml(pages: Built) -> None:
    html = pages.page("maths")
    inline = re.findall(r'<span class="math notranslate[^"]*">(<math [^>]*>)', html)
    assert len(inline) == 2
    assert all('display="inline"' in tag for tag in inline)
    assert '<math alttext="x^2" ' in html
    block = re.search(
        r'<div class="math notranslate" tabindex="0">\s*(<math [^>]*>)', html
    )
    assert block is not None
    assert 'alttext="f(x) = x^2"' in block.group(1)
    assert 'display="block"' in block.group(1)
    assert "<msup>" in html
    # Nothing for the browser to typeset: no MathJax, no KaTeX.
    assert re.search(r"<script[^>]*(mathjax|katex)", html, re.IGNORECASE) is None
