"""Sphinx configuration for the descent tutorial.

The build is strict (``sphinx-build -n -W --keep-going``) and must pass with no
network: intersphinx is only used for the projects that can be reached, and
maths is turned into MathML at build time, so pages load no maths library.
"""

from __future__ import annotations

import builtins
import os
import platform
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from html import escape
from importlib.metadata import version as _version
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sphinx.builders
from docutils import nodes

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ------------------------------------------------------------------

project = "descent"
author = "The descent developers"
copyright = "2026, The descent developers"
# Read versions from the installed metadata: importing torch or pyplot here
# would slow down every build, even one with nothing to do.
release = version = _version("descent-tutorial")

REPO_URL = "https://github.com/descent-tutorial/descent"
#: The one line a reader runs before a downloaded notebook.
INSTALL_LINE = f'pip install "descent-tutorial @ git+{REPO_URL}"'

# -- Extensions ---------------------------------------------------------------

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "mathml",
    "notebook_download",
    "themed_figures",
    "accessibility",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx_codeautolink",
    "notfound.extension",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
nitpicky = True
# Maths becomes MathML at build time (see _ext/mathml.py): nothing to load.
html_math_renderer = "mathml"

# -- MyST and MyST-NB -----------------------------------------------------------

myst_enable_extensions = [
    "amsmath",
    "colon_fence",
    "deflist",
    "dollarmath",
    "substitution",
]
myst_substitutions = {
    "install_line": INSTALL_LINE,
    # Substitutions are not applied inside code blocks; this one is the block.
    "install_block": f"```bash\n{INSTALL_LINE}\n```",
}
myst_heading_anchors = 3

# Every chapter runs at build time; an error in any cell fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 180
nb_execution_show_tb = True
nb_merge_streams = True
# Only pages with widgets would load these, and they come from a CDN: none here.
nb_ipywidgets_js: dict[str, dict[str, str]] = {}

# -- Autodoc ------------------------------------------------------------------

autodoc_typehints = "none"
autodoc_member_order = "bysource"
autosummary_generate = False
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_preprocess_types = True
napoleon_use_rtype = False
napoleon_type_aliases = {
    "callable": ":term:`python:callable`",
    "array_like": ":term:`numpy:array_like`",
    "mapping": ":class:`~collections.abc.Mapping`",
    "sequence": ":class:`~collections.abc.Sequence`",
}

# -- Intersphinx, online and offline -------------------------------------------

_INVENTORIES = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
    "matplotlib": "https://matplotlib.org/stable/",
}
#: Which top-level names in a reference belong to which inventory.
_MODULE_TO_INVENTORY = {"numpy": "numpy", "torch": "torch", "matplotlib": "matplotlib"}


def _reachable(url: str, timeout: float = 3.0) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
    except OSError:
        return False
    return True


def _online_inventories() -> dict[str, tuple[str, None]]:
    # DESCENT_OFFLINE=1 skips the network (reproducible builds); =0 insists on it.
    forced = os.environ.get("DESCENT_OFFLINE")
    if forced == "1":
        return {}
    names = list(_INVENTORIES)
    if forced == "0":
        return {name: (_INVENTORIES[name], None) for name in names}
    with ThreadPoolExecutor(len(names)) as pool:
        alive = list(pool.map(_reachable, _INVENTORIES.values()))
    return {
        n: (_INVENTORIES[n], None) for n, ok in zip(names, alive, strict=True) if ok
    }


intersphinx_mapping = _online_inventories()


def _inventory_for(target: str) -> str | None:
    project, _, name = target.rpartition(":")
    if project in _INVENTORIES:  # an explicit reference, such as numpy:array_like
        return project
    root = name.split(".", 1)[0]
    if root in _MODULE_TO_INVENTORY:
        return _MODULE_TO_INVENTORY[root]
    if root in dir(builtins) or root in {"collections", "typing", "callable"}:
        return "python"
    return None


def _missing_external_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Render a reference to an unreachable inventory as plain text.

    Offline, references such as ``numpy.ndarray`` cannot be resolved; they are
    shown as text instead of failing the nitpicky build. References into this
    project, or into an inventory that did load, are left to Sphinx, so a real
    broken reference still fails.
    """
    del app
    target = node.get("reftarget", "")
    inventory = _inventory_for(target)
    loaded = getattr(env, "intersphinx_named_inventory", {})
    if inventory is not None and inventory not in loaded:
        return contnode
    return None


# -- HTML -----------------------------------------------------------------------

html_theme = "furo"
html_title = "descent: gradient descent, executed"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
# The module index lists one package; the API page is the better entry point.
html_domain_indices = False
html_css_files = ["descent.css"]
html_last_updated_fmt = None
html_copy_source = False
templates_path = ["_templates"]
html_context = {
    # Shown in every page's footer: the versions that ran the chapters.
    "build_versions": {
        "Python": platform.python_version(),
        "NumPy": _version("numpy"),
        "PyTorch": _version("torch"),
        "Matplotlib": _version("matplotlib"),
        "Sphinx": _version("sphinx"),
    }
}
html_theme_options: dict[str, Any] = {
    "source_repository": REPO_URL,
    "source_branch": "main",
    "source_directory": "docs/",
    "navigation_with_keys": True,
}

# -- Links from code to the API reference ------------------------------------------

# Names in code cells link to the API page, and to the NumPy, PyTorch and
# Matplotlib docs when their inventories could be loaded.
codeautolink_concat_default = True
codeautolink_warn_on_missing_inventory = False
codeautolink_warn_on_failed_resolve = False

# -- The 404 page -----------------------------------------------------------------

# A host shows 404.html at whatever address was missing, so unlike every other
# page its links must start from the site's root. Read the Docs tells the
# extension where that is; elsewhere set DESCENT_BASE_URL (the Pages workflow
# sets it to "/<repository>/").
if "READTHEDOCS" not in os.environ:
    notfound_urls_prefix = os.environ.get("DESCENT_BASE_URL", "/")
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>\n"
        "<p>There is no page at this address. It may have moved when the "
        "chapters were renumbered.</p>\n"
        '<p>Start from the <a href="{root}index.html">contents</a>, or use the '
        "search box.</p>\n"
    ),
}

# -- Copy buttons -----------------------------------------------------------------

copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True


# -- Parallel execution ------------------------------------------------------------

_SOURCE = Path(__file__).parent


def _one_document_per_chunk(
    arguments: list[str], nproc: int, maxbatch: int = 10
) -> list[list[str]]:
    """Hand documents to the parallel workers one at a time, longest first.

    Chapters are executed while they are read, and take from 1 s to 8 s.
    Sphinx's default splits the documents into one large chunk per process, so
    one core sits idle while the other works through a run of slow chapters.
    One document per chunk, largest source first, keeps both cores busy.
    """
    del nproc, maxbatch

    def size(docname: str) -> int:
        path = _SOURCE / f"{docname}.md"
        return path.stat().st_size if path.exists() else 0

    return [[name] for name in sorted(arguments, key=size, reverse=True)]


sphinx.builders.make_chunks = _one_document_per_chunk  # type: ignore[assignment]

# -- Chapters depend on the package ----------------------------------------------

_SPEC = find_spec("descent")
assert _SPEC is not None, "install the package first: pip install -e ."
_PACKAGE_SOURCES = sorted(Path(_SPEC.origin or "").parent.glob("*.py"))


def _depend_on_package(app: Sphinx, docname: str, source: list[str]) -> None:
    """Re-execute a chapter when any module of the package changes.

    Sphinx only re-reads a page when its own source changes; the chapters'
    outputs also depend on the code they import, so we declare that.
    """
    del source
    if docname.startswith("chapters/"):
        for path in _PACKAGE_SOURCES:
            app.env.note_dependency(str(path))


# -- Accessibility ----------------------------------------------------------------


def _polish_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Small fixes to every page for accessibility and loading speed.

    - Sphinx writes toctree captions as ``<p role="heading">`` with no
      ``aria-level``, which accessibility checkers rightly flag.
    - Scripts are deferred, so they never block the first paint; deferred
      scripts still run in order.
    - Images load lazily: a plot far down the page, or the dark variant of a
      plot on a light page, is only fetched when it is about to be seen.
    """
    del app, templatename, doctree
    for key in ("body", "furo_navigation_tree"):
        if context.get(key):
            context[key] = context[key].replace(
                'role="heading">', 'role="heading" aria-level="2">'
            )
    if context.get("body"):
        context["body"] = context["body"].replace("<img ", '<img loading="lazy" ')
    if pagename == "search":  # its inline script needs doctools.js loaded first
        return
    # The script objects are shared by every page: give this page its own copies.
    context["script_files"] = [
        type(script)(
            script.filename,
            priority=script.priority,
            **{"defer": "defer", **script.attributes},
        )
        if hasattr(script, "attributes") and "async" not in script.attributes
        else script
        for script in context.get("script_files", [])
    ]


SITE_DESCRIPTION = (
    "An executable tutorial on gradient descent with NumPy and PyTorch: every "
    "number and plot is computed by the code on the page."
)


def _describe_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add a meta description: the page's first paragraph, or the site's."""
    del app, pagename, templatename
    description = SITE_DESCRIPTION
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            boxed = any(
                "notebook-download" in p.get("classes", []) for p in _parents(paragraph)
            )
            if not boxed:
                description = " ".join(paragraph.astext().split())
                break
    if len(description) > 155:
        description = description[:152].rsplit(" ", 1)[0] + "..."
    meta = f'<meta name="description" content="{escape(description, quote=True)}">\n'
    context["metatags"] = context.get("metatags", "") + meta


def _parents(node: nodes.Node) -> list[nodes.Element]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def _fill_404_root(app: Sphinx) -> None:
    root = app.config.notfound_urls_prefix or "/"
    app.config.notfound_context["body"] = notfound_context["body"].format(root=root)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _fill_404_root)
    app.connect("html-page-context", _describe_page)
    app.connect("html-page-context", _polish_page, priority=900)
    app.connect("missing-reference", _missing_external_reference, priority=900)
    app.connect("source-read", _depend_on_package)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
