"""A tiny site with a glossary and one chapter that uses its terms."""

project = "glossary"
extensions = ["myst_parser", "glossary_links"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["dollarmath"]
