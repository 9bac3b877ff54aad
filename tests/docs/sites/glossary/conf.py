"""A tiny site with a glossary and one chapter that uses its terms."""

project = "glossary"
extensions = ["myst_nb", "glossary_links"]
myst_enable_extensions = ["dollarmath"]
# The pages have no code cells to run.
nb_execution_mode = "off"
exclude_patterns = ["_build"]
