"""A tiny chapter survives the conversion to a downloadable notebook."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import notebook_download

if TYPE_CHECKING:
    from collections.abc import Callable

    import pytest
    from conftest import Built


def test_the_chapter_builds_without_warnings(chapter: Built) -> None:
    assert chapter.warnings == ""


def test_the_page_links_to_its_notebook(chapter: Built) -> None:
    html = chapter.page("chapters/tiny")
    box = html[html.index('<div class="notebook-download') :]
    assert 'href="tiny.ipynb" download="tiny.ipynb"' in box
    box = box[: box.index("The answer is")]
    # The wheel, linked from the page's folder, and the line that installs it.
    wheel = "descent_tutorial-0.1.0-py3-none-any.whl"
    assert f'href="../dist/{wheel}" download="{wheel}"' in box
    assert f"{wheel}\n</pre>" in box  # the install line, as Pygments shows it


def test_the_notebook_is_valid_and_plain(chapter: Built) -> None:
    path = Path(chapter.app.outdir, "chapters", "tiny.ipynb")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert [cell.cell_type for cell in notebook.cells] == [
        "code",  # the install cell, added
        "markdown",  # the title
        "markdown",  # the glued sentence (the glue cell itself is removed)
        "code",
        "markdown",  # the note
    ]
    install, title, glued, code, note = notebook.cells
    assert install.source.splitlines()[-1] == (
        "%pip install descent_tutorial-0.1.0-py3-none-any.whl"
    )
    assert "#     pip install torch==2.13.0\n" in install.source  # torch first
    assert not install.outputs
    assert title.source == "# A tiny chapter"  # the (ch-tiny)= label is gone
    assert glued.source == "The answer is 42, and two thirds is 0.67."
    # After a code cell, so glue is written in there too.
    assert note.source.strip() == (
        "The fence of a note goes; its text stays, and so does 42."
    )
    assert code.source == 'print("hello")\n1 + 1'
    assert [output.output_type for output in code.outputs] == [
        "stream",
        "execute_result",
    ]
    assert code.outputs[1].data["text/plain"] == "2"
    assert [cell.id for cell in notebook.cells] == [f"cell-{n:03d}" for n in range(5)]
    # No build-only cell, no MyST markup, no execution timings.
    text = json.dumps(notebook)
    assert "remove-cell" not in text
    assert "glue" not in text
    assert '"execution"' not in text


def test_leftover_myst_markup_warns(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the rule for colon fences, the note's fence is left behind.
    monkeypatch.setattr(
        notebook_download, "_CLOSE", notebook_download.re.compile("^$x")
    )
    built = site("chapter")
    assert "MyST markup left in a Markdown cell" in built.warnings
    assert "chapters/tiny" in built.warnings


# These two call the extension after a build, so that the build itself has
# gone well; each builds its own site, as Sphinx logs to the newest one.


def test_a_moved_output_folder_warns(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter = site("chapter")
    # As if MyST-NB saved its executed notebooks somewhere else.
    config = chapter.app.env.mystnb_config  # type: ignore[attr-defined]
    monkeypatch.setattr(config, "output_folder", str(Path(chapter.app.outdir, "gone")))
    assert notebook_download.myst_nb_outputs(chapter.app, "chapters/tiny") is None
    assert "MyST-NB saved no executed notebook" in chapter.warnings_since_build()


def test_a_changed_glue_cache_warns(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter = site("chapter")
    from myst_nb.ext.glue import crossref  # noqa: PLC0415

    # As if MyST-NB kept its glue cache in another form: nothing found in it.
    empty = functools.lru_cache(lambda *_: {})
    monkeypatch.setattr(crossref, "read_glue_cache", empty)
    assert notebook_download.myst_nb_outputs(chapter.app, "chapters/tiny") is None
    warned = chapter.warnings_since_build()
    assert "MyST-NB's glue cache lacks ['answer', 'ratio']" in warned
