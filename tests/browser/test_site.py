"""The built site, checked page by page in a real browser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import open_collapsed, set_theme, site_pages

if TYPE_CHECKING:
    from pathlib import Path

PAGES = site_pages() or ["index.html"]
CHAPTERS = [page for page in PAGES if page.startswith("chapters/")]


def visit(context: Any, page_path: str) -> tuple[Any, list[str], list[str]]:
    """Open a page; return it with its console errors and every URL it requested."""
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path, wait_until="networkidle")
    return page, errors, requests


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_cleanly(context: Any, base_url: str, page_path: str) -> None:
    page, errors, requests = visit(context, page_path)
    assert errors == [], f"console errors on {page_path}"
    outside = [
        url for url in requests if not url.startswith((base_url, "data:", "blob:"))
    ]
    # Images load lazily and each plot has a light and a dark variant: look at
    # the whole page in both themes, then every image must have loaded.
    for theme in ("light", "dark"):
        set_theme(page, theme)
        scroll_through(page)
    assert errors == [], f"console errors on {page_path} while scrolling"
    outside = [
        url for url in requests if not url.startswith((base_url, "data:", "blob:"))
    ]
    assert outside == [], f"{page_path} requested other hosts"
    broken = page.eval_on_selector_all(
        "img",
        "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)",
    )
    assert broken == [], f"images that did not load on {page_path}"


@pytest.mark.parametrize("page_path", [page for page in PAGES if page != "404.html"])
def test_links_are_relative(site: Path, page_path: str) -> None:
    html = (site / page_path).read_text(encoding="utf8")
    rooted = re.findall(r'(?:href|src)="(/[^/"][^"]*)"', html)
    assert rooted == [], (
        f"{page_path} has root-relative links, which break under a base URL"
    )


def test_404_page_links_from_the_site_root(site: Path) -> None:
    # The host shows 404.html at any missing address, so its links cannot be
    # relative; they start at the site's root instead (DESCENT_BASE_URL).
    html = (site / "404.html").read_text(encoding="utf8")
    assert "Page not found" in html
    root = "/"
    links = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert local, "the 404 page has no links"
    assert all(link.startswith(root) for link in local), local


def test_search_finds_the_learning_rate_chapter(context: Any) -> None:
    page, errors, _ = visit(context, "search.html?q=learning+rate")
    page.wait_for_selector("#search-results li", timeout=15_000)
    hits = page.eval_on_selector_all(
        "#search-results li a", "links => links.map(a => a.href)"
    )
    assert any("07-learning-rate" in href for href in hits), hits
    assert errors == []


def scroll_through(page: Any) -> None:
    """Open every collapsed block, then scroll to the bottom a screen at a time,
    so that every lazy image comes into view and loads."""
    open_collapsed(page)
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height + 900, 600):
        page.evaluate("top => window.scrollTo(0, top)", top)
        page.wait_for_timeout(30)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete || getComputedStyle(i).display === 'none')"
    )


def _theme(page: Any) -> str:
    return page.evaluate("document.body.dataset.theme")


def _visible(page: Any, selector: str) -> int:
    """How many of the matching images are displayed, once scrolled to, and loaded."""
    scroll_through(page)
    return page.eval_on_selector_all(
        selector,
        "els => els.filter(e => getComputedStyle(e).display !== 'none'"
        " && e.complete && e.naturalWidth > 0).length",
    )


@pytest.mark.parametrize("page_path", CHAPTERS[:1] or ["chapters/04-numpy.html"])
def test_theme_toggle_switches_the_plots(context: Any, page_path: str) -> None:
    page, _, _ = visit(context, page_path)
    assert page.locator("img.only-light").count() > 0, "no themed plots on the page"
    seen = {}
    for _ in range(3):  # furo cycles auto -> light/dark -> dark/light
        page.locator(".theme-toggle >> visible=true").first.click()
        seen[_theme(page)] = (
            _visible(page, "img.only-light"),
            _visible(page, "img.only-dark"),
        )
    light, dark = seen["light"], seen["dark"]
    assert light[0] > 0, f"light mode hides the light plots: {light}"
    assert light[1] == 0, f"light mode shows dark plots: {light}"
    assert dark[1] > 0, f"dark mode hides the dark plots: {dark}"
    assert dark[0] == 0, f"dark mode shows light plots: {dark}"


def test_error_outputs_wrap_instead_of_running_off_the_page(context: Any) -> None:
    """A deliberate error's long message wraps inside the column."""
    page, _, _ = visit(context, "chapters/13-pitfalls.html")
    open_collapsed(page)
    blocks = page.locator("div.cell_output .output.traceback pre")
    assert blocks.count() > 0, "no error outputs on the pitfalls page"
    for i in range(blocks.count()):
        block = blocks.nth(i)
        style = block.evaluate("e => getComputedStyle(e).whiteSpace")
        widths = block.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert style == "pre-wrap", f"error output {i} does not wrap: {style}"
        assert widths[0] <= widths[1], f"error output {i} overflows: {widths}"


def test_copy_button_leaves_out_prompts_and_output(context: Any) -> None:
    page, _, _ = visit(context, "api/descent.html")
    block = page.locator("div.highlight-pycon, div.doctest").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    source = block.inner_text()
    assert ">>>" in source, "expected a doctest example with prompts"
    assert copied.strip(), "nothing was copied"
    assert ">>>" not in copied
    assert "..." not in copied.split("\n")[0]
    # Exactly the input lines are copied, without their prompts.
    inputs = [
        line[4:] for line in source.splitlines() if line.startswith((">>> ", "... "))
    ]
    assert [line for line in copied.splitlines() if line.strip()] == inputs


@pytest.mark.parametrize("page_path", CHAPTERS or ["chapters/04-numpy.html"])
def test_download_link_returns_a_valid_notebook(context: Any, page_path: str) -> None:
    nbformat = pytest.importorskip("nbformat")
    page, _, _ = visit(context, page_path)
    link = page.locator("a.download").first
    href = link.get_attribute("href")
    assert href
    assert href.endswith(".ipynb")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert not any("remove-cell" in c.metadata.get("tags", []) for c in notebook.cells)
    assert not any("myst_nb" in cell.source for cell in code), "build-only code leaked"
    for cell in code:  # printed text comes as one block per stream, as on the page
        streams = [out.name for out in cell.outputs if out.output_type == "stream"]
        assert len(streams) == len(set(streams)), cell.source
    json.dumps(notebook)  # plain JSON, nothing exotic


class _Images(HTMLParser):
    """The ``<img>`` tags of a page's article: each one's classes and alt text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # how deep inside <article> the parser is; 0 is outside
        self.images: list[tuple[set[str], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += tag != "img"  # <img> has no end tag
        if tag == "img" and self.depth:
            found = dict(attrs)
            classes = set((found.get("class") or "").split())
            self.images.append((classes, (found.get("alt") or "").strip()))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag != "img":
            self.depth -= 1


@pytest.mark.parametrize("page_path", CHAPTERS or ["chapters/04-numpy.html"])
def test_every_chapter_has_a_figure_in_each_theme(site: Path, page_path: str) -> None:
    """Each chapter shows at least one plot, in its light and its dark variant,
    and every image in it says in words what it shows."""
    parser = _Images()
    parser.feed((site / page_path).read_text(encoding="utf8"))
    light = [alt for classes, alt in parser.images if "only-light" in classes]
    dark = [alt for classes, alt in parser.images if "only-dark" in classes]
    assert light, f"{page_path} has no figure"
    assert len(light) == len(dark), f"{page_path}: {len(light)} light, {len(dark)} dark"
    short = [alt for _, alt in parser.images if len(alt.split()) < 5]
    assert short == [], f"{page_path}: images without a real alt text"
