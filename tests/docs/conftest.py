"""Fixtures for the tests of the site's Sphinx extensions (docs/_ext).

Each test builds a tiny site from ``sites/`` with Sphinx's own test
application, as pydata-sphinx-theme's tests do. The network is never used:
``DESCENT_OFFLINE=1`` drops the sites' intersphinx inventories.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# Sphinx's fixtures. ``pytest_plugins = ("sphinx.testing.fixtures",)`` is only
# allowed in the top-level conftest (tests/conftest.py); in a conftest below
# it pytest stops with an error. Importing the fixtures used here registers
# them for these tests alone.
from sphinx.testing.fixtures import (  # noqa: F401
    make_app,
    sphinx_test_tempdir,
    test_params,
)
from sphinx.testing.util import SphinxTestApp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SITES = Path(__file__).parent / "sites"
EXTENSIONS = Path(__file__).parents[2] / "docs" / "_ext"
# The sites' conf.py name our extensions as the real one does: by module name.
if str(EXTENSIONS) not in sys.path:
    sys.path.insert(0, str(EXTENSIONS))


@dataclass
class Built:
    """A site after its build: the application, its warnings, its pages."""

    app: SphinxTestApp

    def __post_init__(self) -> None:
        self.warnings = self.app.warning.getvalue()
        """Everything the build warned, one warning a line."""

    def warnings_since_build(self) -> str:
        """What was warned after the build, by calls a test made."""
        return self.app.warning.getvalue()[len(self.warnings) :]

    def page(self, name: str) -> str:
        """The HTML of the page `name` (``"index"``, ``"chapters/tiny"``)."""
        return Path(self.app.outdir, f"{name}.html").read_text(encoding="utf8")


@pytest.fixture
def site(
    make_app: Callable[..., SphinxTestApp],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Built]:
    """Return a function that copies a site to a fresh folder and builds it.

    It takes the site's name in ``sites/``, an optional function that edits
    the copy before the build, and keyword arguments for ``make_app``. Called
    again in the same test, it builds the same copy again (incrementally).
    The copy is in ``tmp_path``.
    """
    monkeypatch.setenv("DESCENT_OFFLINE", "1")
    apps: list[SphinxTestApp] = []

    def build(
        name: str, edit: Callable[[Path], None] | None = None, **kwargs: object
    ) -> Built:
        source = tmp_path / name
        if not source.exists():
            shutil.copytree(SITES / name, source)
        if edit is not None:
            edit(source)
        # One application at a time registers Sphinx's nodes with docutils:
        # a second one in the same test rebuilds the same site, as a rerun of
        # sphinx-build would.
        for previous in apps:
            previous.cleanup()
        apps.append(make_app("html", srcdir=source, **kwargs))
        apps[-1].build()
        return Built(apps[-1])

    return build


def _built_once(name: str, tempdir: Path) -> Iterator[Built]:
    source = tempdir / name
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(SITES / name, source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESCENT_OFFLINE", "1")
        app = SphinxTestApp(
            "html", srcdir=source, freshenv=True, status=StringIO(), warning=StringIO()
        )
        try:
            app.build()
            yield Built(app)
        finally:
            app.cleanup()


@pytest.fixture(scope="session")
def pages(sphinx_test_tempdir: Path) -> Iterator[Built]:  # noqa: F811
    """The ``pages`` site, built once for all the tests that only read it."""
    yield from _built_once("pages", sphinx_test_tempdir)


@pytest.fixture(scope="session")
def chapter(sphinx_test_tempdir: Path) -> Iterator[Built]:  # noqa: F811
    """The ``chapter`` site, executed once: a chapter with glue and a removed cell."""
    yield from _built_once("chapter", sphinx_test_tempdir)
