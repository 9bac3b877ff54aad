"""Re-read a chapter when any module of the package it imports changes.

Sphinx re-reads a page only when its own source changes, but a chapter's
outputs also depend on the code it imports and executes. This declares every
``.py`` file of the package, in subpackages too, a dependency of every page
under the configured folders.

Configuration
-------------
package_dependency_module
    The importable name of the package, such as ``"descent"``.
package_dependency_docs
    Docname prefixes of the pages that import it, such as ``["chapters/"]``.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def package_sources(module: str) -> list[Path]:
    """Every ``.py`` file of the installed package `module`, subpackages included.

    Raises
    ------
    sphinx.errors.ConfigError
        If the package cannot be found or has no Python files.
    """
    spec = find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        msg = f"package_dependency: cannot find the package {module!r}; install it"
        raise ConfigError(msg)
    # rglob: a chapter can import from any subpackage (descent.plotting).
    sources = sorted(
        path
        for folder in spec.submodule_search_locations
        for path in Path(folder).rglob("*.py")
    )
    if not sources:
        msg = f"package_dependency: the package {module!r} has no .py files"
        raise ConfigError(msg)
    return sources


def _check(app: Sphinx) -> None:
    # Fail at the start of the build, not in the middle of reading.
    package_sources(app.config.package_dependency_module)


def _depend_on_package(app: Sphinx, docname: str, source: list[str]) -> None:
    del source  # the dependency is on the package, whatever the page says
    if docname.startswith(tuple(app.config.package_dependency_docs)):
        for path in package_sources(app.config.package_dependency_module):
            app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("package_dependency_module", "", "env", types=(str,))
    app.add_config_value("package_dependency_docs", [], "env", types=(list, tuple))
    app.connect("builder-inited", _check)
    app.connect("source-read", _depend_on_package)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
