"""Count the prose words of each chapter on the built site, part by part.

Prose is what a reader reads as text: the page's article with every code
block, cell output, maths element, figure, table of options and the notebook
download box taken out. The parts and their order come from the landing page's
toctrees, as built, so a chapter moved in ``index.md`` is counted where it now
stands.

Prints a table and the two budgets of the main path:

- at most ``--before-budget`` words before the first chapter that trains a
  real model on minibatches (``--minibatch-page``);
- at most ``--main-budget`` words for Parts I and II in all.

Exits non-zero when either budget is exceeded.

Usage::

    python benchmarks/prose_stats.py docs/_build/html
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup, Tag

#: What is not prose: code, cell outputs, maths, figures and the download box.
NOT_PROSE = (
    "div.highlight",
    "pre",
    "div.cell_output",
    "math",
    "span.math",
    "div.math",
    "figure",
    "div.notebook-download",
    "a.headerlink",
    "nav",
    "script",
    "style",
)
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019.,\-]*")


def prose_words(html: str) -> int:
    """The number of prose words in one built page's article."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.body
    if not isinstance(article, Tag):
        msg = "page has no <article> and no <body>"
        raise TypeError(msg)
    for selector in NOT_PROSE:
        for node in article.select(selector):
            node.decompose()
    # Inline code is a name, not a sentence, but it is read as a word: keep it.
    return len(WORD.findall(article.get_text(" ")))


def parts(site: Path) -> list[tuple[str, list[str]]]:
    """The landing page's toctree captions and the chapters under each, in order."""
    soup = BeautifulSoup(
        (site / "index.html").read_text(encoding="utf8"), "html.parser"
    )
    found: list[tuple[str, list[str]]] = []
    for wrapper in soup.select("div.toctree-wrapper"):
        caption = wrapper.select_one("p.caption")
        name = caption.get_text(" ", strip=True) if caption else "(no caption)"
        links = [str(a["href"]) for a in wrapper.select("li.toctree-l1 > a")]
        found.append((name, [link.split("#")[0] for link in links]))
    if not found:
        msg = f"{site / 'index.html'} has no toctree: is this the built site?"
        raise SystemExit(msg)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built HTML folder")
    parser.add_argument("--minibatch-page", default="chapters/09-minibatch-sgd.html")
    parser.add_argument("--before-budget", type=int, default=7000)
    parser.add_argument("--main-budget", type=int, default=9000)
    args = parser.parse_args(argv)

    main_path = 0
    before = 0
    seen_minibatch = False
    print(f"{'words':>6}  page")
    for index, (caption, pages) in enumerate(parts(args.site)):
        part_total = 0
        print(f"\n{caption}")
        for page in pages:
            words = prose_words((args.site / page).read_text(encoding="utf8"))
            part_total += words
            print(f"{words:>6}  {page}")
            if index < 2:
                main_path += words
                if page == args.minibatch_page:
                    seen_minibatch = True
                if not seen_minibatch:
                    before += words
        print(f"{part_total:>6}  in all")

    print()
    failed = False
    if not seen_minibatch:
        print(f"the minibatch chapter {args.minibatch_page} is not in Parts I-II")
        failed = True
    print(f"before the minibatch chapter: {before} words (budget {args.before_budget})")
    print(
        f"Parts I and II in all:        {main_path} words (budget {args.main_budget})"
    )
    failed |= before > args.before_budget or main_path > args.main_budget
    print("FAILED: over budget" if failed else "within budget")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
