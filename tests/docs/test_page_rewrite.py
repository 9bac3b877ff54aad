"""The counted HTML rewrites: accessibility, page polish and their checks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import accessibility
import page_polish
import pytest
from page_rewrite import Rule
from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Built

#: For each accessibility rule, a page of the test site and what it must show.
FIXED = {
    "chapters sidebar name": (
        "index",
        '<aside class="sidebar-drawer" aria-label="Chapters">',
    ),
    "contents sidebar name": (
        "index",
        '<aside aria-label="On this page" class="toc-drawer',
    ),
    "page source landmark": (
        "maths",
        (
            '<div class="content-icon-container" role="navigation" '
            'aria-label="Page source">'
        ),
    ),
    "collapsed cell summary": (
        "maths",
        '<details class="admonition hide above-input">\n<summary>',
    ),
    "focusable pre": ("maths", '<pre tabindex="0">'),
}


def test_every_accessibility_rule_is_tested() -> None:
    names = {rule.name for rule in accessibility.RULES}
    assert names == {*FIXED, "indexable search page"}


def test_the_build_warns_about_nothing(pages: Built) -> None:
    assert pages.warnings == ""


def test_each_accessibility_rule_matches(pages: Built) -> None:
    for name, (page, fixed) in FIXED.items():
        assert fixed in pages.page(page), name
    assert "Toggle hidden content" not in pages.page("maths")
    assert 'name="robots"' not in pages.page("search")


def test_every_pre_is_focusable(pages: Built) -> None:
    html = pages.page("maths")
    assert html.count("<pre") == html.count('<pre tabindex="0"') == 2


def test_page_polish(pages: Built) -> None:
    html = pages.page("index")
    assert 'role="heading" aria-level="2">' in html
    assert 'role="heading">' not in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2
    assert all('loading="lazy"' in image for image in images)
    scripts = re.findall(r"<script [^>]*src=[^>]*>", html)
    assert scripts
    assert all('defer="defer"' in script for script in scripts)


def test_search_page_scripts_stay_in_order(pages: Built) -> None:
    # Its inline script needs doctools.js loaded before it runs.
    assert "defer" not in pages.page("search")


def test_rule_that_stops_matching_warns(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed = Rule("renamed sidebar", r'<aside class="sidebar-renamed">', "<aside>")
    monkeypatch.setattr(accessibility, "RULES", (renamed,))
    built = site("pages")
    assert (
        "accessibility rule 'renamed sidebar' matched nothing on 4 page(s) where "
        "it must apply (genindex, index, maths, search)"
    ) in built.warnings


def test_rule_needed_only_where_its_markup_is(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only maths.html has a collapsed cell, so only it may miss the rule.
    broken = Rule("summary", r"<summary aria-label=\"renamed\">", "", needed="<details")
    monkeypatch.setattr(page_polish, "RULES", (broken,))
    built = site("pages")
    assert "'summary' matched nothing on 1 page(s) where it must apply (maths)" in (
        built.warnings
    )


def test_a_rebuild_checks_only_the_pages_it_wrote(site: Callable[..., Built]) -> None:
    first = site("pages")
    assert first.warnings == ""
    # Nothing changed: no page is written again, so no rule can miss on one
    # that was already rewritten (it would, had it been rewritten twice).
    second = site("pages")
    assert second.warnings == ""
    assert 'aria-label="Chapters"' in second.page("index")


def test_pages_of_a_failed_build_are_rewritten_by_the_next(
    site: Callable[..., Built], tmp_path: Path
) -> None:
    def fail_after_writing(source: Path) -> None:
        with (source / "conf.py").open("a", encoding="utf8") as conf:
            conf.write(FAILING_SETUP)

    with pytest.raises(ExtensionError, match="the build failed"):
        site("pages", edit=fail_after_writing)
    assert 'aria-label="Chapters"' not in (
        (tmp_path / "pages" / "_build" / "html" / "index.html").read_text("utf8")
    )

    def heal(source: Path) -> None:
        conf = source / "conf.py"
        conf.write_text(conf.read_text("utf8").replace(FAILING_SETUP, ""), "utf8")

    second = site("pages", edit=heal)
    assert second.warnings == ""
    assert 'aria-label="Chapters"' in second.page("index")


#: A conf.py ending that makes the build fail after the pages are written.
FAILING_SETUP = """

def setup(app):
    def fail(app, exc):
        raise RuntimeError("the build failed")

    app.connect("build-finished", fail, priority=100)
"""


def test_rule_apply_says_when_it_missed() -> None:
    rule = Rule("lazy", r"<img ", '<img loading="lazy" ', needed="<img")
    assert rule.apply("page", "<p><img src=a></p>") == (
        '<p><img loading="lazy" src=a></p>',
        False,
    )
    assert rule.apply("page", "<p>no image</p>") == ("<p>no image</p>", False)
    assert rule.apply("page", "<p><img\nsrc=a></p>") == ("<p><img\nsrc=a></p>", True)


def test_rule_skip_and_only() -> None:
    rule = Rule("x", "a", "b", skip=frozenset({"search"}))
    assert rule.apply("search", "a") == ("a", False)
    only = Rule("x", "a", "b", only=frozenset({"search"}))
    assert only.apply("index", "a") == ("a", False)
    assert only.apply("search", "a") == ("b", False)
    assert only.apply("search", "c") == ("c", True)
