"""Hand documents to the parallel workers one at a time, longest first.

Chapters are executed while they are read, and take from 1 s to 8 s.
Sphinx's default (``sphinx.util.parallel.make_chunks``) splits the documents
into a few large chunks, so one core can sit idle while the other works
through a run of slow chapters. One document per chunk, largest source
first, keeps every core busy until the end.

Sphinx has no setting for this, so the extension replaces the function that
``sphinx.builders`` calls. That is only safe for the Sphinx it was written
and measured for: with any other version, or if ``sphinx.builders`` no longer
calls ``make_chunks``, it changes nothing and warns, so the strict build
fails and someone measures again (see ``benchmarks/docs_build.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
import sphinx.builders
import sphinx.util.parallel
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The Sphinx releases (major, minor) this was written for and measured with.
WRITTEN_FOR = ((9, 0),)


def one_document_per_chunk(
    size: Callable[[str], int],
) -> Callable[[Sequence[str], int, int], list[list[str]]]:
    """Make a replacement for ``make_chunks`` that sorts by `size`, largest first.

    Parameters
    ----------
    size : callable
        The cost of a document, from its name; its source's size will do.

    Returns
    -------
    callable
        With ``make_chunks``'s signature: ``(arguments, nproc, maxbatch)``.
    """

    def make_chunks(
        arguments: Sequence[str], nproc: int, maxbatch: int = 10
    ) -> list[list[str]]:
        del nproc, maxbatch  # one document per chunk, whatever the number of cores
        return [[name] for name in sorted(arguments, key=size, reverse=True)]

    return make_chunks


def _install(app: Sphinx) -> None:
    if sphinx.version_info[:2] not in WRITTEN_FOR:
        logger.warning(
            "parallel_chunks was written for Sphinx %s, not %s: measure a cold "
            "'-j auto' build with and without it, then update WRITTEN_FOR or "
            "drop the extension",
            " or ".join(".".join(map(str, v)) for v in WRITTEN_FOR),
            sphinx.__display_version__,
            type="descent",
            subtype="chunks",
        )
        return
    if sphinx.builders.make_chunks is not sphinx.util.parallel.make_chunks:
        logger.warning(
            "parallel_chunks: sphinx.builders.make_chunks is not Sphinx's own "
            "function any more; not replacing it",
            type="descent",
            subtype="chunks",
        )
        return

    def size(docname: str) -> int:
        path = Path(app.env.doc2path(docname))
        return path.stat().st_size if path.is_file() else 0

    sphinx.builders.make_chunks = one_document_per_chunk(size)  # type: ignore[assignment]


def _restore(app: Sphinx, exc: Exception | None) -> None:
    del app, exc  # the next application in this process starts from Sphinx's own
    sphinx.builders.make_chunks = sphinx.util.parallel.make_chunks


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _install)
    app.connect("build-finished", _restore)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
