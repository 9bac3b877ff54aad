"""Sphinx configuration for the descent tutorial.

The build is strict (``sphinx-build -n -W --keep-going``) and must pass with no
network: intersphinx is only used for the projects that can be reached, and
maths is turned into MathML at build time, so pages load no maths library.

This file is configuration only. Everything that runs code during the build
is a small extension in ``_ext/``, one idea each, listed below.
"""

from __future__ import annotations

import os
import platform
import sys
import tomllib
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from package_dist import wheel_name  # in _ext/, on the path above

# -- Project ------------------------------------------------------------------

project = "descent"
author = "The descent developers"
copyright = "2026, The descent developers"
# Read versions from the installed metadata: importing torch or pyplot here
# would slow down every build, even one with nothing to do.
release = version = _version("descent-tutorial")

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))["project"]
#: The repository's address, in one place: pyproject.toml's [project.urls].
REPO_URL = PROJECT["urls"]["Source"]

# -- Installing the package -------------------------------------------------------

#: THE setting: False installs the wheel published inside this site (built by
#: _ext/package_dist.py); True, once release.yml has published this version
#: to PyPI, installs it from there.
INSTALL_FROM_PYPI = False
#: Where the site is hosted, when the build knows it: Read the Docs says so,
#: the Pages workflow sets DESCENT_SITE_URL. Empty for a local build.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL") or os.environ.get(
    "DESCENT_SITE_URL", ""
)
package_dist_root = str(ROOT)
package_dist_folder = "dist"
package_dist_wheel = wheel_name(PROJECT["name"], release)
if INSTALL_FROM_PYPI:
    INSTALL_TARGET = f"{PROJECT['name']}=={release}"
elif html_baseurl:  # an absolute URL works from anywhere
    INSTALL_TARGET = (
        f"{html_baseurl.rstrip('/')}/{package_dist_folder}/{package_dist_wheel}"
    )
else:  # a local build: the box links to the wheel, pip installs the file
    INSTALL_TARGET = package_dist_wheel
    notebook_download_wheel = f"{package_dist_folder}/{package_dist_wheel}"
#: The one line a reader runs before a downloaded notebook.
INSTALL_LINE = f"pip install {INSTALL_TARGET}"
notebook_download_torch = (
    "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu"
)

# -- Extensions ---------------------------------------------------------------

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx_codeautolink",
    "notfound.extension",
    # Ours, in _ext/:
    "intersphinx_offline",  # drop unreachable inventories; plain text for them
    "package_dependency",  # re-run the chapters when the package changes
    "mathml",  # maths as MathML, rendered at build time
    "notebook_download",  # each chapter as a notebook that runs on its own
    "package_dist",  # the wheel and sdist, built and published with the site
    "themed_figures",  # light and dark variants of every plot
    "meta_description",  # <meta name="description"> from the first paragraph
    "notfound_root",  # the 404 page's links start at the site's root
    "accessibility",  # landmarks, names and focus the theme leaves out
    "page_polish",  # toctree caption levels, lazy images, deferred scripts
    "parallel_chunks",  # -j auto: one chapter per worker task, longest first
    "glossary_links",  # each chapter links a glossary term at its first use
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

# The chapters execute the package: edit it, and they are read again.
package_dependency_module = "descent"
package_dependency_docs = ["chapters/"]

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

# Only the sites that answer are used (see _ext/intersphinx_offline.py);
# DESCENT_OFFLINE=1 uses none, DESCENT_OFFLINE=0 insists on all of them.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
    "torch": ("https://docs.pytorch.org/docs/stable/", None),
    "matplotlib": ("https://matplotlib.org/stable/", None),
}
#: Which top-level names in a reference belong to which inventory, for the
#: references shown as plain text when that inventory is not loaded.
intersphinx_offline_modules = {
    "numpy": "numpy",
    "torch": "torch",
    "matplotlib": "matplotlib",
    "collections": "python",
    "typing": "python",
    "callable": "python",
}
intersphinx_probe_timeout = 3.0

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
# For pages whose first paragraph cannot say it (see _ext/meta_description.py).
meta_description_default = (
    "An executable tutorial on gradient descent with NumPy and PyTorch: every "
    "number and plot is computed by the code on the page."
)

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
# sets it to "/<repository>/"). _ext/notfound_root.py writes it for {root}.
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
