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

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
PYPROJECT = nox.project.load_toml("pyproject.toml")
#: The PyTorch release the site and tests are built and checked with.
TORCH = "torch==2.13.0"


def install(session: nox.Session, *groups: str) -> None:
    """Install PyTorch first (pinned), then the package and dependency groups."""
    session.install(TORCH)
    requirements = [
        req
        for group in groups
        for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    session.install("-e", ".", *requirements)


@nox.session(default=True)
def tests(session: nox.Session) -> None:
    """Run the unit and property tests, with branch coverage of src/."""
    install(session, "test")
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
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    # The Scientific Python development guide's checks of the repository layout.
    session.run("sp-repo-review", "--show", "errskip", ".")


def build_site(session: nox.Session, *options: str) -> None:
    """Build the HTML site, strict: any warning or failing cell fails the build."""
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
        str(DOCS),
        str(HTML),
        *options,
        env={"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    )


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
    """Test the built site in Chromium: console, images, requests, search, themes.

    Builds the site first (incrementally, so after ``nox -s docs`` this is
    quick). Needs a system Chromium (Debian: ``apt-get install chromium``);
    without one the tests skip and say why.
    """
    install(session, "docs", "test", "browser")
    build_site(session)
    session.run("pytest", "tests/browser", *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Build the site and rebuild it on every change, served on 127.0.0.1:8000."""
    install(session, "docs")
    session.install("sphinx-autobuild>=2024.10.3")
    session.run(
        "sphinx-autobuild",
        "-n",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        "src/descent",
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
        str(DOCS),
        str(BUILD / "linkcheck"),
        *session.posargs,
        env={"DESCENT_OFFLINE": "0"},
    )


#: The npm packages the audit runs, pinned.
AUDIT_NPM = ("lighthouse@13.5.0", "axe-core@4.14.1")


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


if __name__ == "__main__":
    nox.main()
