#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.2.9"]
# ///
"""Developer tasks: build the site, run the tests, lint, benchmark.

Every session installs what it needs into its own virtual environment, so a
machine with only Python and pip can run them all. PyTorch is pinned to
2.13.0: see the README for how to get its CPU-only build elsewhere.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
#: Sphinx's pickled state, kept out of the HTML folder that gets published.
DOCTREES = BUILD / "doctrees"
PYPROJECT = nox.project.load_toml("pyproject.toml")
#: The PyTorch release the site and tests are built and checked with.
TORCH = "torch==2.13.0"
#: The docs environment's exact versions, a pip constraints file written by
#: `nox -s lock`: every session that installs the docs group installs them.
DOCS_LOCK = ROOT / "requirements" / "docs.txt"
#: axe-core, pinned: the browser tests and the audit check with the same one.
AXE_CORE = "axe-core@4.14.1"


def install(session: nox.Session, *groups: str, locked: bool = True) -> None:
    """Install PyTorch first (pinned), then the package and dependency groups.

    With the docs group, DOCS_LOCK constrains every package to the version it
    names, so two builds months apart use the same Sphinx, MyST-NB, Matplotlib
    and the rest. ``locked=False`` (for ``nox -s lock``) takes the newest.
    """
    constraints = ["-c", str(DOCS_LOCK)] if locked and "docs" in groups else []
    session.install(TORCH, *constraints)
    requirements = [
        req
        for group in groups
        for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    session.install("-e", ".", *requirements, *constraints)


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """Run the unit and property tests, with branch coverage of src/.

    Also runs tests/docs, the tests of the site's Sphinx extensions, which
    build tiny sites and so need the docs dependencies; coverage is still
    measured on the package alone.
    """
    install(session, "test", "docs")
    session.run(
        "pytest",
        "--ignore=tests/browser",
        "--cov=descent",
        "--cov-report=term-missing",
        *session.posargs,
        env={"MPLBACKEND": "Agg"},
    )


@nox.session(default=True)
def doctest(session: nox.Session) -> None:
    """Run every example in the docstrings, the README and the docs' Markdown."""
    install(session, "test")
    session.run(
        "pytest",
        "--doctest-modules",
        "--doctest-glob=*.md",
        "src/descent",
        "README.md",
        "docs",
        "--ignore=docs/conf.py",
        "--ignore=docs/_ext",
        "--ignore=docs/_build",
        *session.posargs,
        env={"MPLBACKEND": "Agg"},
    )


@nox.session(default=True)
def lint(session: nox.Session) -> None:
    """Run ruff (lint and format check), strict mypy on src/ and tests/, sp-repo-review."""
    # mypy checks the tests too, so it needs what they import.
    install(session, "lint", "test", "browser")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # The Scientific Python development guide's checks of the repository layout.
    session.run("sp-repo-review", "--show", "errskip", ".")


def build_site(session: nox.Session, *options: str) -> None:
    """Build the HTML site, strict: any warning or failing cell fails the build.

    The doctrees (Sphinx's pickled state) go to their own folder, so that the
    HTML folder is the site and nothing else; it is what CI publishes.
    """
    stale = HTML / ".doctrees"  # left by builds from before "-d"; never read now
    shutil.rmtree(stale, ignore_errors=True)
    session.run(
        "sphinx-build",
        "-n",
        "-W",
        "--keep-going",
        # Read (and so execute) chapters in parallel, one per core.
        "-j",
        "auto",
        "-b",
        "html",
        "-d",
        str(DOCTREES),
        str(DOCS),
        str(HTML),
        *options,
        env={"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    )
    if stale.exists():
        session.error(f"{stale} must not exist: the published site would hold it")


@nox.session(default=True)
def docs(session: nox.Session) -> None:
    """Build the site, strict: any warning or failing cell fails the build.

    Pass ``-- --clean`` to start from an empty build folder, and other
    sphinx-build options after ``--``.
    """
    install(session, "docs")
    options = list(session.posargs)
    if "--clean" in options:
        options.remove("--clean")
        shutil.rmtree(BUILD, ignore_errors=True)
    build_site(session, *options)
    session.log(f"The site is in {HTML}; open {HTML / 'index.html'} in a browser.")


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Test the built site in Chromium: console, images, requests, search, themes,
    and axe-core's accessibility rules on every page in both themes.

    Builds the site first (incrementally, so after ``nox -s docs`` this is
    quick). Needs a system Chromium (Debian: ``apt-get install chromium``);
    without one the tests skip and say why. The accessibility tests also need
    npm, to install axe-core: without it they skip, or fail under CI.
    """
    install(session, "docs", "test", "browser")
    build_site(session)
    env = {}
    if shutil.which("npm"):
        axe_js = npm_install_axe(session)
        env["DESCENT_AXE_JS"] = str(axe_js)
    else:
        session.warn("npm not found: the axe-core tests skip (and fail under CI)")
    session.run("pytest", "tests/browser", *session.posargs, env=env)


def npm_install_axe(session: nox.Session) -> Path:
    """Install the pinned axe-core into the session's venv; return axe.min.js."""
    node = Path(session.virtualenv.location) / "node"
    package = node / "node_modules" / "axe-core"
    version = AXE_CORE.rpartition("@")[2]
    manifest = package / "package.json"
    installed = manifest.is_file() and (
        json.loads(manifest.read_text(encoding="utf8")).get("version") == version
    )
    if not installed:  # reinstall only when missing or another version
        session.run(
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(node),
            AXE_CORE,
            external=True,
        )
    return package / "axe.min.js"


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Build the site and rebuild it on every change, served on 127.0.0.1:8000."""
    install(session, "docs")
    # Under the lock too, so that it cannot upgrade what the docs group pinned.
    session.install("sphinx-autobuild>=2024.10.3", "-c", str(DOCS_LOCK))
    session.run(
        "sphinx-autobuild",
        "-n",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        "src/descent",
        "-d",
        str(DOCTREES),
        str(DOCS),
        str(HTML),
        *session.posargs,
    )


@nox.session(default=False)
def linkcheck(session: nox.Session) -> None:
    """Check the external links in the site (needs a network)."""
    install(session, "docs")
    session.run(
        "sphinx-build",
        "-b",
        "linkcheck",
        "-d",
        str(DOCTREES),
        str(DOCS),
        str(BUILD / "linkcheck"),
        *session.posargs,
        env={"DESCENT_OFFLINE": "0"},
    )


#: The npm packages the audit runs, pinned.
AUDIT_NPM = ("lighthouse@13.5.0", AXE_CORE)


@nox.session(default=False)
def audit(session: nox.Session) -> None:
    """Score every page with Lighthouse and axe-core, and check the budgets.

    Needs Node.js with npm, and a system Chromium (``--chromium PATH`` after
    ``--`` to choose another).
    """
    install(session, "docs", "browser")
    build_site(session)
    node = Path(session.virtualenv.location) / "node"
    session.run(
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(node),
        *AUDIT_NPM,
        external=True,
    )
    session.run(
        "python",
        "benchmarks/site_audit.py",
        str(HTML),
        "--node-modules",
        str(node / "node_modules"),
        *session.posargs,
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark the docs build: floor, cold, no-change, one-chapter, src-change."""
    install(session, "docs")
    session.run("python", "benchmarks/docs_build.py", *session.posargs)


@nox.session(default=False)
def stats(session: nox.Session) -> None:
    """Count the prose words of every chapter on the built site, and check the
    main path's budgets (see benchmarks/prose_stats.py)."""
    install(session, "docs")
    build_site(session)
    session.run("python", "benchmarks/prose_stats.py", str(HTML), *session.posargs)


@nox.session(default=False)
def bench_sgd(session: nox.Session) -> None:
    """Time one step of the from-scratch NumPy SGD against torch.optim.SGD."""
    install(session)
    session.run("python", "benchmarks/sgd_step.py", *session.posargs)


@nox.session(default=False)
def reproducible(session: nox.Session) -> None:
    """Build the site twice from scratch and check the outputs are identical."""
    install(session, "docs")
    session.run("python", "benchmarks/reproducible.py", *session.posargs)


@nox.session(default=False)
def build(session: nox.Session) -> None:
    """Build the sdist and wheel into dist/."""
    session.install("build")
    shutil.rmtree(ROOT / "dist", ignore_errors=True)
    session.run("python", "-m", "build")


@nox.session(default=False)
def reader(session: nox.Session) -> None:
    """Install the package from the served site as a reader would; run every notebook.

    Serves docs/_build/html (build it first with ``nox -s docs``) on 127.0.0.1,
    makes a fresh environment with only torch, runs the pages' install line and
    executes each downloadable notebook, its ``%pip`` cell included, with
    nbclient. Prints how long each step takes.
    """
    session.install("nbclient>=0.10", "nbformat>=5.10", "ipykernel>=6.29")
    session.run("python", "tests/reader/reader_install.py", str(HTML), *session.posargs)


#: The CUDA build's own libraries (canonical names): no part of the docs
#: environment, so the lock leaves them out and holds for the CPU build too.
CUDA_ONLY = re.compile(r"nvidia-.*|cuda-.*|triton")
#: A line of ``pip freeze``: name==version.
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


@nox.session(python="3.11", reuse_venv=False, default=False)
def lock(session: nox.Session) -> None:
    """Rewrite requirements/docs.txt: the docs environment, version by version.

    Installs the package and the docs group, unconstrained, into a fresh
    environment on Python 3.11 (the one CI and Read the Docs build with), and
    writes what ``pip freeze`` lists, less the package itself and the CUDA-only
    libraries, with torch as TORCH. Run it after changing the docs group, or to
    take newer releases; then build the site and commit the file.
    """
    install(session, "docs", locked=False)
    frozen = session.run(
        "python", "-m", "pip", "freeze", "--exclude-editable", silent=True, stderr=None
    )
    if not isinstance(frozen, str):  # --install-only: nothing ran
        return
    pins = []
    for line in filter(None, map(str.strip, frozen.splitlines())):
        pin = PIN.fullmatch(line)
        if not pin:
            session.error(f"pip freeze lists {line!r}, which is not a version pin")
        name = re.sub(r"[-_.]+", "-", pin[1]).lower()
        if name == "descent-tutorial" or CUDA_ONLY.fullmatch(name):
            continue
        if name != "torch":
            pins.append(line)
        # The release, not the build installed (2.13.0+cpu from the CPU
        # wheels), so that the lock holds for the CPU and the CUDA build alike.
        elif pin[2].partition("+")[0] == TORCH.removeprefix("torch=="):
            pins.append(TORCH)
        else:
            session.error(f"pip installed {line}, not {TORCH}")

    header = [
        "# The docs environment, pinned: every package that `.` and the `docs`",
        "# dependency group install, at the version the site is built with. The nox",
        "# sessions that install the docs group, and Read the Docs, use it as a",
        "# constraints file: `pip install -c requirements/docs.txt ...`.",
        "# Regenerate it with `python3 -m nox -s lock` (Python 3.11) rather than by",
        "# hand; Dependabot proposes single bumps weekly. torch is the noxfile's TORCH",
        "# (either build: +cpu or the default one); the CUDA build's own nvidia-*,",
        "# cuda-* and triton libraries are left out.",
    ]
    DOCS_LOCK.parent.mkdir(exist_ok=True)
    DOCS_LOCK.write_text("\n".join([*header, *pins]) + "\n", encoding="utf8")
    session.log(f"Wrote {len(pins)} pins to {DOCS_LOCK.relative_to(ROOT)}.")


if __name__ == "__main__":
    nox.main()
