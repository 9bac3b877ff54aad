"""Rewrite the HTML pages a build wrote, by counted rules that warn when they miss.

Some fixes can only be made to the rendered HTML: the markup comes from the
theme's templates or from Sphinx itself. A rule here is a regular expression
and its replacement, plus where it *must* match. After the build, every page
written by this build (not the ones left from an earlier build, which are
already rewritten) gets each rule applied, and a rule that matched nothing on
a page where it must apply produces a warning, so the strict build fails
instead of quietly shipping the unfixed markup after a theme or Sphinx update.

Other extensions use it through :func:`rewrite_pages`, from their own
``build-finished`` handler.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """One rewrite of the rendered HTML, and the pages it must match on.

    Parameters
    ----------
    name : str
        Says what the rule is for, in warnings.
    pattern : str
        A regular expression for the markup to rewrite.
    replacement : str
        Its replacement, as for :func:`re.sub`.
    needed : str or None
        A regular expression: a page on which it matches (before the rewrite)
        needs the rule, so the rule must match there. None: every page.
    skip : frozenset of str
        Names of the pages the rule must leave alone, such as ``"search"``.
    only : frozenset of str or None
        If given, the only pages the rule is for.
    """

    name: str
    pattern: str
    replacement: str
    needed: str | None = None
    skip: frozenset[str] = field(default_factory=frozenset)
    only: frozenset[str] | None = None

    def apply(self, pagename: str, html: str) -> tuple[str, bool]:
        """Rewrite one page; also say whether the rule missed where it must match.

        Returns
        -------
        html : str
            The rewritten page.
        missed : bool
            True if the page needed the rule and it matched nothing.
        """
        if pagename in self.skip or (
            self.only is not None and pagename not in self.only
        ):
            return html, False
        needed = self.needed is None or re.search(self.needed, html) is not None
        html, count = re.subn(self.pattern, self.replacement, html)
        return html, needed and count == 0


#: The modification times of the HTML files before each build, by application.
_BEFORE: weakref.WeakKeyDictionary[Sphinx, dict[Path, int]] = (
    weakref.WeakKeyDictionary()
)


def _html_files(app: Sphinx) -> dict[Path, int]:
    """The pages in the output folder, with their modification times.

    Folders whose names start with ``_`` (``_static``, ``_images``,
    ``_downloads``) hold files copied as they are, not pages Sphinx rendered.
    """
    outdir = Path(app.outdir)
    return {
        path: path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
        if not any(part.startswith("_") for part in path.relative_to(outdir).parts[:-1])
    }


def _remember_pages(app: Sphinx) -> None:
    _BEFORE[app] = _html_files(app)


def written_pages(app: Sphinx) -> dict[str, Path]:
    """The HTML pages this build wrote, by page name (``chapters/01-why``).

    A page was written if its file is new or its modification time changed
    since the build started. This holds in parallel builds too, where pages
    are written by worker processes that cannot report back.
    """
    before = _BEFORE.get(app, {})
    outdir = Path(app.outdir)
    return {
        path.relative_to(outdir).with_suffix("").as_posix(): path
        for path, mtime in sorted(_html_files(app).items())
        if before.get(path) != mtime
    }


def rewrite_pages(app: Sphinx, group: str, rules: Sequence[Rule]) -> dict[str, int]:
    """Apply `rules` to every page this build wrote; warn about rules that missed.

    Parameters
    ----------
    app : Sphinx
        The application, after the build.
    group : str
        The rules' family, such as ``"accessibility"``, for the warnings.
    rules : sequence of Rule
        Applied in order.

    Returns
    -------
    dict
        For each rule's name, the number of pages it missed on.
    """
    missed: dict[str, list[str]] = {rule.name: [] for rule in rules}
    for pagename, path in written_pages(app).items():
        text = path.read_text(encoding="utf8")
        html = text
        for rule in rules:
            html, miss = rule.apply(pagename, html)
            if miss:
                missed[rule.name].append(pagename)
        if html != text:
            path.write_text(html, encoding="utf8")
    for name, pages in missed.items():
        if pages:
            shown = ", ".join(pages[:5]) + (", ..." if len(pages) > 5 else "")
            logger.warning(
                "%s rule %r matched nothing on %d page(s) where it must apply "
                "(%s); has the theme's or Sphinx's markup changed?",
                group,
                name,
                len(pages),
                shown,
                type="descent",
                subtype="rewrite",
            )
    return {name: len(pages) for name, pages in missed.items()}


def _remember_rewritten_pages(app: Sphinx, exc: Exception | None) -> None:
    del exc  # after a failed build too: the pages on disk are what they are
    # For a second build by the same application (sphinx-autobuild, tests):
    # the pages rewritten by this one must not count as written by the next.
    _remember_pages(app)


def setup(app: Sphinx) -> dict[str, Any]:
    # Early, so that the snapshot is taken before any page can be written.
    app.connect("builder-inited", _remember_pages, priority=100)
    # Late, after every build-finished handler that rewrites pages.
    app.connect("build-finished", _remember_rewritten_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
