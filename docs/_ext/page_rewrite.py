"""Rewrite the HTML pages a build wrote, by counted rules that warn when they miss.

Some fixes can only be made to the rendered HTML: the markup comes from the
theme's templates or from Sphinx itself. A rule here is a regular expression
and its replacement, plus where it *must* match. After the build, every page
Sphinx wrote since the last rewrite gets each rule applied, and a rule that
matched nothing on a page where it must apply produces a warning, so the
strict build fails instead of quietly shipping the unfixed markup after a
theme or Sphinx update.

Pages already rewritten are left alone, so a rebuild with nothing changed
stays quiet: the modification time of every page after its rewrite is kept
in the doctrees folder, and a page counts as written when its time differs.
That holds for pages written by parallel workers too, which cannot report
back, and for pages a failed build wrote but never rewrote.

Other extensions register their rules with :func:`add_rules`, in their
``setup()``; one pass after the build applies them all.
"""

from __future__ import annotations

import json
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


#: Every application's rules, by group (``"accessibility"``), in order.
_RULES: weakref.WeakKeyDictionary[Sphinx, dict[str, Sequence[Rule]]] = (
    weakref.WeakKeyDictionary()
)
#: The pages' modification times when each application's build started.
_BEFORE: weakref.WeakKeyDictionary[Sphinx, dict[str, int]] = weakref.WeakKeyDictionary()
#: Where the pages' modification times after their rewrite are kept.
RECORD = "page_rewrite.json"


def add_rules(app: Sphinx, group: str, rules: Sequence[Rule]) -> None:
    """Have `rules` applied after every HTML build of `app`.

    Parameters
    ----------
    app : Sphinx
        The application, in an extension's ``setup()``.
    group : str
        The rules' family, such as ``"accessibility"``, for the warnings.
    rules : sequence of Rule
        Applied in order, after the rules of the groups added before.
    """
    app.setup_extension("page_rewrite")
    _RULES.setdefault(app, {})[group] = rules


def _html_files(app: Sphinx) -> dict[str, int]:
    """The pages in the output folder, by path, with their modification times.

    Folders whose names start with ``_`` (``_static``, ``_images``,
    ``_downloads``) hold files copied as they are, not pages Sphinx rendered.
    """
    outdir = Path(app.outdir)
    return {
        path.relative_to(outdir).as_posix(): path.stat().st_mtime_ns
        for path in sorted(outdir.rglob("*.html"))
        if not any(part.startswith("_") for part in path.relative_to(outdir).parts[:-1])
    }


def _record(app: Sphinx) -> Path:
    return Path(app.doctreedir) / RECORD


def _remember_start(app: Sphinx) -> None:
    _BEFORE[app] = _html_files(app)


def written_pages(app: Sphinx) -> dict[str, Path]:
    """The HTML pages written since they were last rewritten, by page name.

    Without a record of the last rewrite (a first build), the pages whose
    files changed during this build.
    """
    try:
        rewritten = json.loads(_record(app).read_text(encoding="utf8"))
    except (OSError, ValueError):
        rewritten = _BEFORE.get(app, {})
    outdir = Path(app.outdir)
    return {
        name.removesuffix(".html"): outdir / name
        for name, mtime in _html_files(app).items()
        if rewritten.get(name) != mtime
    }


def rewrite_pages(app: Sphinx, rules: dict[str, Sequence[Rule]]) -> dict[str, int]:
    """Apply `rules` to every page written since its last rewrite; warn on misses.

    Parameters
    ----------
    app : Sphinx
        The application, after the build.
    rules : dict
        Sequences of rules, by group.

    Returns
    -------
    dict
        For each ``(group, rule name)``, the number of pages it missed on.
    """
    missed: dict[tuple[str, str], list[str]] = {
        (group, rule.name): [] for group, family in rules.items() for rule in family
    }
    for pagename, path in written_pages(app).items():
        text = path.read_text(encoding="utf8")
        html = text
        for group, family in rules.items():
            for rule in family:
                html, miss = rule.apply(pagename, html)
                if miss:
                    missed[group, rule.name].append(pagename)
        if html != text:
            path.write_text(html, encoding="utf8")
    for (group, name), pages in missed.items():
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
    _record(app).write_text(json.dumps(_html_files(app), indent=0), encoding="utf8")
    return {key: len(pages) for key, pages in missed.items()}


def _rewrite(app: Sphinx, exc: Exception | None) -> None:
    # After a failed build nothing is recorded, so the next one rewrites the
    # pages this one wrote.
    if exc is None and app.builder.format == "html":
        rewrite_pages(app, _RULES.get(app, {}))


def setup(app: Sphinx) -> dict[str, Any]:
    # Early, before any page can be written.
    app.connect("builder-inited", _remember_start, priority=100)
    app.connect("build-finished", _rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
