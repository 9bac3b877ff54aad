"""Publish the package's wheel and sdist inside the site, built with it.

When the HTML build finishes, this builds the package the site documents,
from the same working tree, with hatchling's PEP 517 hooks (no network, no
isolated environment: hatchling must be installed, as the docs group does),
and writes both files to ``<outdir>/<package_dist_folder>/``. A reader then
installs the wheel straight from the site. ``SOURCE_DATE_EPOCH`` is set (from
the environment, else ``package_dist_epoch``), so two builds of one commit
give byte-identical files.

Configuration
-------------
package_dist_root
    The folder holding ``pyproject.toml``.
package_dist_folder
    The site's folder for the files, ``"dist"`` by default.
package_dist_epoch
    The timestamp of the files when ``SOURCE_DATE_EPOCH`` is not set.
package_dist_wheel
    The wheel's expected file name (what the install line names); the build
    warns if hatchling names it otherwise. Empty: no check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: 2026-01-01T00:00:00Z; a zip file cannot hold a date before 1980.
DEFAULT_EPOCH = 1767225600

_HOOKS = (
    "import sys, hatchling.build as b; "
    "print(b.build_wheel(sys.argv[1])); print(b.build_sdist(sys.argv[1]))"
)


def wheel_name(project: str, version: str) -> str:
    """The file name of a pure-Python wheel (PEP 427, names normalised).

    >>> wheel_name("descent-tutorial", "0.1.0")
    'descent_tutorial-0.1.0-py3-none-any.whl'
    """
    return f"{project.replace('-', '_').replace('.', '_')}-{version}-py3-none-any.whl"


def build_dists(root: Path, target: Path, epoch: int | str) -> list[str]:
    """Build the wheel and sdist of the project in `root` into `target`.

    Returns the two file names. Raises ``subprocess.CalledProcessError`` (with
    hatchling's output) if the build fails.
    """
    env = os.environ | {
        "SOURCE_DATE_EPOCH": str(os.environ.get("SOURCE_DATE_EPOCH", epoch))
    }
    done = subprocess.run(
        [sys.executable, "-c", _HOOKS, str(target)],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.split()


def _publish(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    root = Path(app.config.package_dist_root or app.srcdir)
    folder = Path(app.outdir, app.config.package_dist_folder)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            names = build_dists(root, Path(tmp), app.config.package_dist_epoch)
        except (subprocess.CalledProcessError, OSError) as error:
            output = getattr(error, "stderr", "") or ""
            logger.warning(
                "package dist: building %s failed: %s\n%s",
                root,
                error,
                output[-2000:],
                type="descent",
                subtype="dist",
            )
            return
        shutil.rmtree(folder, ignore_errors=True)  # no file of an older version
        folder.mkdir(parents=True)
        for name in names:
            shutil.copyfile(Path(tmp, name), folder / name)
    expected = app.config.package_dist_wheel
    if expected and expected not in names:
        logger.warning(
            "package dist: the install line names %s, but the build made %s",
            expected,
            names,
            type="descent",
            subtype="dist",
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("package_dist_root", "", "html", types=(str,))
    app.add_config_value("package_dist_folder", "dist", "html", types=(str,))
    app.add_config_value("package_dist_epoch", DEFAULT_EPOCH, "html", types=(int,))
    app.add_config_value("package_dist_wheel", "", "html", types=(str,))
    app.connect("build-finished", _publish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
