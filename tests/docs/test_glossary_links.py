"""glossary_links: a chapter must link each glossary term at its first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from conftest import Built


def test_only_the_unlinked_first_use_warns(site: Callable[..., Built]) -> None:
    built = site("glossary")
    warnings = [line for line in built.warnings.splitlines() if "glossary term" in line]
    # minibatch (as a plural) is the only term whose first use is plain text:
    # the heading, the code, the maths and the words of a longer term do not count.
    assert len(warnings) == 1, built.warnings
    assert "chapters/one" in warnings[0]
    assert "'minibatch'" in warnings[0]
    assert "Two minibatches make a point" in warnings[0]


def test_linking_the_first_use_silences_it(site: Callable[..., Built]) -> None:
    def link(source: Path) -> None:
        page = source / "chapters" / "one.md"
        text = page.read_text(encoding="utf8")
        page.write_text(
            text.replace("Two minibatches", "Two {term}`minibatches <minibatch>`"),
            encoding="utf8",
        )

    built = site("glossary", link)
    assert "glossary term" not in built.warnings, built.warnings


def test_pages_outside_the_checked_prefix_are_not_checked(
    site: Callable[..., Built],
) -> None:
    built = site("glossary", confoverrides={"glossary_link_docs": ("nowhere/",)})
    assert "glossary term" not in built.warnings, built.warnings
