"""A one-chapter site, executed, for the notebook download."""

project = "chapter"
extensions = ["myst_nb", "notebook_download"]
myst_enable_extensions = ["substitution"]
myst_substitutions = {"install_line": "pip install descent-tutorial"}
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_merge_streams = True
exclude_patterns = ["_build"]
