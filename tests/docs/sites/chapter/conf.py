"""A one-chapter site, executed, for the notebook download."""

from pathlib import Path

import descent

project = "chapter"
extensions = ["myst_nb", "notebook_download"]
myst_enable_extensions = ["substitution"]
myst_substitutions = {
    "install_line": "pip install descent_tutorial-0.1.0-py3-none-any.whl"
}
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_merge_streams = True
exclude_patterns = ["_build"]

# The package's wheel and sdist, built from the repository into the site.
extensions.append("package_dist")
# The repository: the package is imported from its src/ folder.
package_dist_root = str(Path(descent.__file__).resolve().parents[2])
package_dist_wheel = "descent_tutorial-0.1.0-py3-none-any.whl"
notebook_download_wheel = "dist/descent_tutorial-0.1.0-py3-none-any.whl"
notebook_download_torch = "pip install torch==2.13.0"
