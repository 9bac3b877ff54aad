"""Audit every page of the built site with Lighthouse and axe-core.

Serves the site on 127.0.0.1, with gzip for text as the hosts we deploy to
(GitHub Pages, Read the Docs) do, and for each page prints:

- the Lighthouse scores: performance, accessibility, best practices, SEO;
- the bytes transferred and the largest image;
- the number of axe-core violations, in the light and the dark theme.

It exits non-zero when a page misses a budget: performance >= 0.95,
accessibility = 1, best practices = 1, SEO >= 0.9, at most 1 MB transferred,
no image over 250 KB, and no axe violation.

Usage::

    python benchmarks/site_audit.py SITE --node-modules DIR [--chromium PATH]

``DIR`` holds the npm packages ``lighthouse`` and ``axe-core`` (the ``audit``
nox session installs them).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BUDGET = {
    "performance": 0.95,
    "accessibility": 1.0,
    "best-practices": 1.0,
    "seo": 0.9,
}
MAX_PAGE_BYTES = 1_000_000
MAX_IMAGE_BYTES = 250_000
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".txt", ".ipynb")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync "
    "--disable-background-networking --disable-component-update"
)


class GzipHandler(SimpleHTTPRequestHandler):
    """A static file server that compresses text, like a real host."""

    def log_message(self, format: str, *args: Any) -> None:
        del format, args

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pages(site: Path) -> list[str]:
    return sorted(
        str(path.relative_to(site))
        for path in site.rglob("*.html")
        if "_static" not in path.parts
    )


def lighthouse(url: str, node_modules: Path, chromium: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(node_modules / ".bin" / "lighthouse"),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ]
        env = os.environ | {"CHROME_PATH": chromium}
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        return json.loads(report.read_text(encoding="utf8"))


def weights(report: dict[str, Any]) -> tuple[int, int]:
    """Total bytes transferred, and the largest image's size."""
    audits = report["audits"]
    total = int(audits["total-byte-weight"]["numericValue"])
    items = audits["network-requests"]["details"]["items"]
    images = [
        max(item.get("transferSize", 0), item.get("resourceSize", 0))
        for item in items
        if item.get("resourceType") == "Image"
    ]
    return total, max(images, default=0)


def failing(report: dict[str, Any]) -> list[str]:
    """The audits that cost points, for the report."""
    found = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if (
                ref.get("weight", 0)
                and audit["score"] is not None
                and audit["score"] < 1
            ):
                found.append(f"{name}:{ref['id']}={audit['score']}")
    return found


def axe(url: str, axe_js: Path, chromium: str) -> dict[str, int]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    counts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for theme in ("light", "dark"):
            page = browser.new_page(color_scheme=theme)
            page.goto(url, wait_until="networkidle")
            page.add_script_tag(path=str(axe_js))
            result = page.evaluate("axe.run()")
            counts[theme] = len(result["violations"])
            for violation in result["violations"]:
                print(f"    axe ({theme}): {violation['id']}: {violation['help']}")
            page.close()
        browser.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--node-modules", type=Path, required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="*", help="audit only these pages")
    args = parser.parse_args()

    server, base = serve(args.site)
    axe_js = args.node_modules / "axe-core" / "axe.min.js"
    header = f"{'page':<32} perf  a11y  best  seo    KB  img KB  axe"
    print(header)
    print("-" * len(header))
    misses = []
    try:
        for page in args.only or pages(args.site):
            report = lighthouse(base + page, args.node_modules, args.chromium)
            scores = {k: v["score"] for k, v in report["categories"].items()}
            total, image = weights(report)
            violations = axe(base + page, axe_js, args.chromium)
            print(
                f"{page:<32} {scores['performance']:.2f}  {scores['accessibility']:.2f}"
                f"  {scores['best-practices']:.2f}  {scores['seo']:.2f}"
                f"  {total / 1000:5.0f}  {image / 1000:6.0f}"
                f"  {violations['light']}/{violations['dark']}"
            )
            problems = [
                f"{name} {scores[name]:.2f} < {low}"
                for name, low in BUDGET.items()
                if scores[name] < low
            ]
            if total > MAX_PAGE_BYTES:
                problems.append(f"{total} bytes > {MAX_PAGE_BYTES}")
            if image > MAX_IMAGE_BYTES:
                problems.append(f"an image of {image} bytes > {MAX_IMAGE_BYTES}")
            if sum(violations.values()):
                problems.append(f"axe violations {violations}")
            if problems:
                misses.append(
                    f"{page}: {'; '.join(problems)} ({', '.join(failing(report))})"
                )
    finally:
        server.shutdown()
    print()
    for miss in misses:
        print("MISS", miss)
    print(f"{len(misses)} page(s) miss a budget")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
