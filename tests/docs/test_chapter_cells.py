"""A downloaded chapter runs on its own: no visible cell needs a hidden one.

Cells tagged ``remove-cell`` (the build's checks and glue) are left out of
the notebook a reader downloads, so a name that only such a cell defines is
undefined there. This reads every chapter's cells, in order, and fails on a
visible cell that uses such a name; the reader test (``nox -s reader``) then
runs the notebooks themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from myst_nb.core.read import read_myst_markdown_notebook

CHAPTERS = sorted((Path(__file__).parents[2] / "docs" / "chapters").glob("*.md"))


def _defined(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def hidden_names_used(text: str) -> list[tuple[int, list[str]]]:
    """(cell index, names) for each visible cell that uses a hidden-only name."""
    notebook = read_myst_markdown_notebook(text)
    visible: set[str] = set()
    hidden: set[str] = set()
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.split("\n")
        source = "\n".join(
            line for line in lines if not line.lstrip().startswith(("%", "!"))
        )
        tree = ast.parse(source)
        defined = _defined(tree)
        if "remove-cell" in cell.metadata.get("tags", []):
            hidden |= defined - visible
            continue
        loaded = {
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        missing = sorted((loaded & hidden) - visible - defined)
        if missing:
            found.append((index, missing))
        visible |= defined
    return found


def test_the_check_finds_a_name_only_a_hidden_cell_defines() -> None:
    text = (
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nsecret = 1\n```\n\n"
        "```{code-cell} ipython3\nsecret + 1\n```\n"
    )
    assert hidden_names_used(text) == [(1, ["secret"])]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_visible_cells_need_no_hidden_cell(chapter: Path) -> None:
    assert hidden_names_used(chapter.read_text(encoding="utf8")) == []
