"""A tiny furo site with every kind of markup the HTML rewrites fix."""

project = "pages"
extensions = [
    "myst_nb",
    "sphinx.ext.intersphinx",
    "mathml",
    "themed_figures",
    "intersphinx_offline",
    "meta_description",
    "accessibility",
    "page_polish",
]
html_theme = "furo"
html_theme_options = {
    "source_repository": "https://github.com/example/pages/",
    "source_branch": "main",
    "source_directory": "",
}
html_math_renderer = "mathml"
myst_enable_extensions = ["dollarmath"]
# The pages have code cells only for their markup: nothing runs.
nb_execution_mode = "off"
nitpicky = True
intersphinx_mapping = {"numpy": ("https://numpy.org/doc/stable/", None)}
intersphinx_offline_modules = {"numpy": "numpy"}
meta_description_default = "A site for the tests."
exclude_patterns = ["_build"]
