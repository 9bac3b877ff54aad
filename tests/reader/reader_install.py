"""Install the package as a reader would, from the served site, and run every notebook.

Serves the built site (``docs/_build/html``) on 127.0.0.1, makes a fresh
virtual environment with only ``torch==2.13.0`` (pip finds the CPU wheel
through the machine's pip configuration), runs the install line exactly as
the chapter pages show it (an absolute base URL replaced by the local
server's), then downloads every chapter notebook from the server and runs it
with nbclient, each in an empty folder, its ``%pip install`` cell included.
Prints the time each step takes.

Usage: ``python tests/reader/reader_install.py [docs/_build/html]``.
"""

from __future__ import annotations

import functools
import html
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
TORCH = "torch==2.13.0"
KERNEL = "descent-reader"
_BOX = re.compile(r'<div class="notebook-download.*?<pre[^>]*>(.*?)</pre>', re.DOTALL)
_WHEEL = re.compile(r'href="([^"]+\.whl)"')
#: A wheel's address on the hosted site: its base URL, then the dist/ folder.
_HOSTED = re.compile(r"https?://\S+?/(dist/\S+\.whl)")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        del format, args


def install_line(page: str) -> str:
    """The install line of a chapter page's download box, as the reader sees it."""
    match = _BOX.search(page)
    if match is None:
        msg = "the page has no download box with an install line"
        raise SystemExit(msg)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def run(command: list[str] | str, **kwargs: object) -> None:
    print(f"  $ {command if isinstance(command, str) else ' '.join(command)}")
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs/_build/html")
    notebooks = sorted(site.glob("**/*.ipynb"))
    if not notebooks:
        print(f"no notebooks under {site}: build the site first (nox -s docs)")
        return 1
    handler = functools.partial(Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    times: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env_dir = Path(tmp, "venv")
            start = time.perf_counter()
            run([sys.executable, "-m", "venv", str(env_dir)])
            python = env_dir / "bin" / "python"
            run([str(python), "-m", "pip", "install", "-q", TORCH])
            times["venv with torch"] = time.perf_counter() - start

            # The line every chapter shows, read from the served pages.
            pages = [nb.with_suffix(".html") for nb in notebooks]
            lines = set()
            for page in pages:
                with urllib.request.urlopen(
                    base + page.relative_to(site).as_posix()
                ) as answer:
                    text = answer.read().decode("utf8")
                lines.add(install_line(text))
            if len(lines) != 1:
                print(f"the chapters show different install lines: {sorted(lines)}")
                return 1
            line = lines.pop()
            folder = Path(tmp, "reader")
            folder.mkdir()
            wheel = _WHEEL.search(text[text.index("notebook-download") :])
            if "://" in line:  # an absolute URL: the hosted site is this server
                line = _HOSTED.sub(lambda m: base + m.group(1), line)
            elif wheel:  # a file name: download it from the box's link first
                page_url = base + pages[-1].relative_to(site).as_posix()
                url = urllib.parse.urljoin(page_url, wheel.group(1))
                urllib.request.urlretrieve(url, folder / url.rsplit("/", 1)[-1])
            start = time.perf_counter()
            bin_dir = env_dir / "bin"
            # As if activated: the venv's pip comes first; pip's own config stays.
            env = os.environ | {
                "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                "VIRTUAL_ENV": str(env_dir),
            }
            run(line, shell=True, cwd=folder, env=env)
            times["the install line"] = time.perf_counter() - start
            # The reader's Jupyter kernel, then the package out again: the first
            # notebook's %pip cell must install it by itself.
            run([str(python), "-m", "pip", "install", "-q", "ipykernel"])
            run(
                [
                    str(python),
                    "-m",
                    "ipykernel",
                    "install",
                    "--prefix",
                    str(env_dir),
                    "--name",
                    KERNEL,
                ]
            )
            run([str(python), "-m", "pip", "uninstall", "-q", "-y", "descent-tutorial"])
            versions = subprocess.run(
                [str(python), "-c", "import torch; print(torch.__version__)"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            if versions.partition("+")[0] != TORCH.removeprefix("torch=="):
                print(f"the install changed torch to {versions}")
                return 1
            os.environ["JUPYTER_PATH"] = str(env_dir / "share" / "jupyter")
            for notebook in notebooks:
                name = notebook.relative_to(site).as_posix()
                work = Path(tmp, "run", notebook.stem)
                work.mkdir(parents=True)
                for extra in folder.glob("*.whl"):
                    (work / extra.name).write_bytes(extra.read_bytes())
                with urllib.request.urlopen(base + name) as answer:
                    nb = nbformat.reads(answer.read().decode("utf8"), as_version=4)
                start = time.perf_counter()
                client = NotebookClient(
                    nb,
                    kernel_name=KERNEL,
                    timeout=600,
                    resources={"metadata": {"path": str(work)}},
                )
                client.execute()
                times[name] = time.perf_counter() - start
                print(f"  ran {name} in {times[name]:.1f} s")
            # The %pip cells put back the package the line installed.
            run([str(python), "-m", "pip", "show", "-q", "descent-tutorial"])
    finally:
        server.shutdown()
    for step, seconds in times.items():
        print(f"{seconds:8.1f} s  {step}")
    print(f"{sum(times.values()):8.1f} s  in all, {len(notebooks)} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
