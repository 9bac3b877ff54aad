"""Every page of the built site, checked with axe-core in both furo themes.

axe-core runs inside the page, with every collapsed block opened first so
that hidden cells are checked too. Any violation fails the test; the message
lists each one with its rule, impact, elements, page and theme.

The rules are axe's default set, as the ``audit`` session runs them, plus
``target-size`` (WCAG 2.2 AA, 2.5.8), which axe leaves off by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .conftest import open_collapsed, set_theme, site_pages

if TYPE_CHECKING:
    from pathlib import Path

PAGES = site_pages() or ["index.html"]
THEMES = ("light", "dark")
#: Options for ``axe.run``: the default rules and more, and only the
#: violations' details (the passes' would only cost time).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"target-size": {"enabled": True}},
}
#: At most this many elements are named per rule, page and theme.
MAX_TARGETS = 10


def axe_violations(page: Any, axe_js: Path, theme: str) -> list[dict[str, Any]]:
    """Show the open page in ``theme``, open its collapsed blocks, run axe."""
    set_theme(page, theme)
    page.emulate_media(color_scheme=theme)
    assert page.evaluate("document.body.dataset.theme") == theme
    open_collapsed(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
    )


def _selector(target: Any) -> str:
    # A target is a list of selectors, one per frame; a selector inside a
    # shadow root is itself a list, from the host inwards.
    parts = [part if isinstance(part, str) else " >>> ".join(part) for part in target]
    return " | ".join(parts)


def describe(violations: list[dict[str, Any]], page_path: str, theme: str) -> list[str]:
    """One line per violated rule: page, theme, rule, impact, help, elements."""
    lines = []
    for violation in violations:
        targets = [_selector(node["target"]) for node in violation["nodes"]]
        shown = "; ".join(targets[:MAX_TARGETS])
        if len(targets) > MAX_TARGETS:
            shown += f"; and {len(targets) - MAX_TARGETS} more"
        lines.append(
            f"{page_path} [{theme}] {violation['id']} ({violation['impact']}): "
            f"{violation['help']} ({violation['helpUrl']})\n    at {shown}"
        )
    return lines


@pytest.mark.parametrize("page_path", PAGES)
def test_page_has_no_axe_violations(axe_js: Path, context: Any, page_path: str) -> None:
    page = context.new_page()
    page.goto(page_path, wait_until="networkidle")
    problems = [
        line
        for theme in THEMES
        for line in describe(axe_violations(page, axe_js, theme), page_path, theme)
    ]
    if problems:
        pytest.fail(
            f"axe-core found {len(problems)} violated rule(s):\n" + "\n".join(problems),
            pytrace=False,
        )


def test_axe_reports_what_it_should(axe_js: Path, context: Any) -> None:
    """The negative control: a page spoilt on purpose must fail the check.

    An image without alt text inside a collapsed block is reported (so the
    block was opened), and dark grey text is fine on the light theme but
    reported on the dark one (so the dark theme is the one checked).
    """
    page = context.new_page()
    page.goto("index.html", wait_until="networkidle")
    page.evaluate(
        """() => {
            const main = document.querySelector('article') || document.body;
            main.insertAdjacentHTML('beforeend',
                '<details id="control-details"><summary>More</summary>'
                + '<img id="control-img" src="_static/file.png"></details>'
                + '<p id="control-text" style="color: #333">Dark grey text</p>');
        }"""
    )
    found = {
        theme: describe(axe_violations(page, axe_js, theme), "index.html", theme)
        for theme in THEMES
    }
    for theme in THEMES:
        assert any(
            "image-alt (critical)" in line and "#control-img" in line
            for line in found[theme]
        ), found[theme]
    assert not any("#control-text" in line for line in found["light"]), found
    assert any(
        "color-contrast (serious)" in line and "#control-text" in line
        for line in found["dark"]
    ), found["dark"]
