"""The package dependency, the 404 page's root and the meta description."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import notfound_root
import package_dependency
import parallel_chunks
import pytest
import sphinx
import sphinx.builders
import sphinx.util.parallel
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from meta_description import describe
from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Built


def test_package_sources_include_subpackages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "toypackage"
    (package / "plotting").mkdir(parents=True)
    for name in (
        "__init__.py",
        "core.py",
        "plotting/__init__.py",
        "plotting/figures.py",
    ):
        (package / name).write_text("", encoding="utf8")
    (package / "data.json").write_text("{}", encoding="utf8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "toypackage", raising=False)
    found = package_dependency.package_sources("toypackage")
    assert [path.relative_to(package).as_posix() for path in found] == [
        "__init__.py",
        "core.py",
        "plotting/__init__.py",
        "plotting/figures.py",
    ]


def test_package_sources_of_a_missing_package_fail() -> None:
    with pytest.raises(ConfigError, match="cannot find the package"):
        package_dependency.package_sources("no_such_package_here")


@pytest.mark.parametrize(
    ("root", "expected"),
    [("/descent/", '<a href="/descent/index.html">'), (None, '<a href="/index.html">')],
)
def test_fill_root(root: str | None, expected: str) -> None:
    body = '<p><a href="{root}index.html">contents</a>, {root}</p>'
    filled = notfound_root.fill_root(body, root)
    assert expected in filled
    assert "{root}" not in filled


def _document(text: str) -> object:
    document = new_document("test", get_default_settings(Parser))
    Parser().parse(text, document)
    return document


def test_description_is_the_first_paragraph_outside_the_box() -> None:
    document = _document(
        ".. container:: notebook-download\n\n   Download me.\n\n"
        "The real   first\nparagraph.\n\nThe second.\n"
    )
    assert describe(document, "default") == "The real first paragraph."  # type: ignore[arg-type]


def test_description_is_cut_at_a_word() -> None:
    words = " ".join(["gradient"] * 40)
    description = describe(_document(words), "default")  # type: ignore[arg-type]
    assert len(description) <= 155
    assert description.endswith("gradient...")


def test_description_defaults_without_a_paragraph(pages: Built) -> None:
    assert describe(None, "The site.") == "The site."
    assert '<meta name="description" content="A site for the tests.">' in (
        pages.page("search")
    )
    assert (
        '<meta name="description" content="The first paragraph describes the page.">'
        in pages.page("index")
    )


def test_one_document_per_chunk_largest_first() -> None:
    sizes = {"index": 10, "chapters/01": 300, "chapters/02": 200}
    make_chunks = parallel_chunks.one_document_per_chunk(sizes.__getitem__)
    assert make_chunks(list(sizes), 2) == [["chapters/01"], ["chapters/02"], ["index"]]


def _with_parallel_chunks(source: Path) -> None:
    with (source / "conf.py").open("a", encoding="utf8") as conf:
        conf.write('\nextensions.append("parallel_chunks")\n')


def test_parallel_chunks_warns_on_another_sphinx(
    site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_chunks, "WRITTEN_FOR", ((1, 0),))
    built = site("pages", edit=_with_parallel_chunks)
    assert (
        f"parallel_chunks was written for Sphinx 1.0, not {sphinx.__display_version__}"
    ) in built.warnings
    assert sphinx.builders.make_chunks is sphinx.util.parallel.make_chunks


def test_parallel_chunks_replaces_and_restores(
    pages: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_chunks, "WRITTEN_FOR", (sphinx.version_info[:2],))
    # Put Sphinx's function back after the test, whatever happens in it.
    monkeypatch.setattr(sphinx.builders, "make_chunks", sphinx.builders.make_chunks)
    parallel_chunks._install(pages.app)
    assert sphinx.builders.make_chunks is not sphinx.util.parallel.make_chunks
    sizes = {
        name: Path(pages.app.srcdir, f"{name}.md").stat().st_size
        for name in ("index", "maths")
    }
    largest_first = sorted(sizes, key=sizes.__getitem__, reverse=True)
    assert sphinx.builders.make_chunks(["index", "maths"], 2) == [
        [name] for name in largest_first
    ]
    parallel_chunks._restore(pages.app, None)
    assert sphinx.builders.make_chunks is sphinx.util.parallel.make_chunks
