"""Fixtures for the browser tests: the built site, served on 127.0.0.1.

The tests need a built site (``nox -s docs``), Playwright, and a Chromium.
Chromium comes from the system (Debian's ``chromium`` package) rather than
Playwright's own download; set ``DESCENT_CHROMIUM`` to use another binary.
The accessibility tests also need axe-core's ``axe.min.js``, named by
``DESCENT_AXE_JS`` (``nox -s browser`` installs it with npm). Whatever is
missing, the tests skip and say why; under CI (``CI`` set) a missing site,
Chromium or axe-core fails them instead, so no check can quietly drop out.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DESCENT_SITE", ROOT / "docs" / "_build" / "html"))
# Chromium must not phone home: this machine, and CI's, has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    """Whether we run under CI, which sets ``CI`` (to ``true``, usually)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def site_pages() -> list[str]:
    """Every HTML page of the built site, relative to its root."""
    if not (SITE / "index.html").is_file():
        return []
    return sorted(
        str(path.relative_to(SITE))
        for path in SITE.rglob("*.html")
        if "_static" not in path.parts and "_sources" not in path.parts
    )


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        _skip_or_fail(f"no built site at {SITE}: run `nox -s docs` first")
    return SITE


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's browser bundle, to inject into pages."""
    name = os.environ.get("DESCENT_AXE_JS")
    if not name:
        reason = (
            "DESCENT_AXE_JS is not set, so axe-core cannot run: "
            "run `nox -s browser`, which installs axe-core with npm"
        )
        _skip_or_fail(reason)
    if not Path(name).is_file():
        _skip_or_fail(f"DESCENT_AXE_JS names {name}, which does not exist")
    return Path(name)


def _skip_or_fail(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail under CI, where everything must run."""
    if in_ci():
        pytest.fail(
            f"{reason} (CI is set, so this fails rather than skips)", pytrace=False
        )
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright is not installed: run `nox -s browser`",
    )
    executable = os.environ.get("DESCENT_CHROMIUM") or shutil.which("chromium")
    if not executable:
        _skip_or_fail(
            "no Chromium found: install Debian's `chromium` package "
            "or set DESCENT_CHROMIUM to a Chromium binary"
        )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any, base_url: str) -> Iterator[Any]:
    ctx = browser.new_context(
        base_url=base_url,
        permissions=["clipboard-read", "clipboard-write"],
        viewport={"width": 1280, "height": 900},
    )
    yield ctx
    ctx.close()


def set_theme(page: Any, theme: str) -> None:
    """Switch furo's theme the way its toggle does."""
    page.evaluate(
        "theme => { localStorage.setItem('theme', theme); document.body.dataset.theme = theme; }",
        theme,
    )


def open_collapsed(page: Any) -> None:
    """Open every collapsed block, and wait until their fade-in has ended.

    MyST-NB fades a hidden cell's content in over 0.3 s once it is opened:
    text looked at mid-fade is pale, so wait for every finite animation.
    """
    page.evaluate(
        """async () => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            await Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .map(a => a.finished.catch(() => null)));
        }"""
    )
