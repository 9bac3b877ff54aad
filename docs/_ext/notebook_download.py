"""Offer every chapter as a Jupyter notebook that runs on its own.

At the top of each chapter page this inserts a box with a download link and the
one line that installs the package. When the build finishes, it writes the
notebooks next to the pages: the executed notebook MyST-NB saved, minus the
build-only cells (tagged ``remove-cell``: setup, glue and checks), with the
MyST-only markup in the text turned into plain Markdown a notebook can show,
and with the glued numbers written in. The notebook's first cell says to install
PyTorch first (``notebook_download_torch``) and installs the package with
``%pip install`` (``notebook_download_pip``, else what the install line names).
When the line names a wheel file, ``notebook_download_wheel`` (its path from
the site's root) makes the box link to it too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import nbformat
from docutils import nodes
from sphinx.directives.code import LiteralIncludeReader
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Only pages under this folder are chapters.
CHAPTERS = "chapters/"

_GLUE = re.compile(r"\{glue(:text)?\}`([^`]+)`")
_DOC = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<)?([^`>]+)>?`")
_MATH = re.compile(r"\{math\}`([^`]+)`")
_ROLE = re.compile(r"\{[a-z:]+\}`~?([^`]+)`")
_FENCE = re.compile(r"^(\s*)```\{code-block\}\s*(\w*)\s*$", re.MULTILINE)
_LABEL = re.compile(r"^\([\w-]+\)=\s*$\n?", re.MULTILINE)
# A colon-fenced directive (tab-set, tab-item, dropdown, note, ...) with its
# option lines; a notebook shows its title in bold and its body as is.
_DIRECTIVE = re.compile(
    r"^(\s*):{3,}\{[\w-]+\}[ \t]*(.*)\n(?:\s*:[\w-]+:.*\n)*", re.MULTILINE
)
_CLOSE = re.compile(r"^\s*:{3,}\s*$\n?", re.MULTILINE)
_INCLUDE = re.compile(
    r"^```\{literalinclude\}\s+(\S+)\n((?::[\w-]+:.*\n)*)```", re.MULTILINE
)
_OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$", re.MULTILINE)
# What is left of MyST markup that the rules above should have turned into
# plain Markdown: a role, a directive fence, a colon fence, a label or a
# substitution. A notebook would show it as is.
_LEFTOVER = re.compile(
    r"\{[\w:-]+\}`|^\s*(?:`{3,}|~{3,})\{|^\s*:{3,}|^\([\w-]+\)=\s*$|\{\{",
    re.MULTILINE,
)


def _warn(docname: str, message: str, *args: object) -> None:
    logger.warning(
        "notebook download: %s",
        message % args if args else message,
        location=docname,
        type="descent",
        subtype="notebook",
    )


# -- What this takes from MyST-NB -------------------------------------------------


class MystNbOutputs(NamedTuple):
    """What MyST-NB kept of one executed chapter.

    Attributes
    ----------
    notebook : Path
        The executed notebook MyST-NB saved.
    glue : dict
        The glued outputs, by key: ``{"data": {mime type: value}, ...}``.
    format_text : callable
        Formats a glued ``text/plain`` value as ``{glue:text}`key:spec``` does.
    """

    notebook: Path
    glue: dict[str, Any]
    format_text: Callable[[str, str], str]


def myst_nb_outputs(app: Sphinx, docname: str) -> MystNbOutputs | None:
    """Find what MyST-NB kept of the executed chapter `docname`; warn if it cannot.

    MyST-NB's documented API gives the folder it saves executed notebooks in
    (``NbParserConfig.output_folder``, on ``env.mystnb_config``). The glued
    values are not in that notebook any more (MyST-NB takes them out while
    reading) and have no documented accessor, so they come from MyST-NB's own
    reader of its glue cache, the one its cross-document glue uses, checked
    against the keys MyST-NB recorded for the page; the text formatting is
    the one its ``glue:text`` role uses. This function is the only place that
    touches those: if MyST-NB moves or changes them, it warns (so the strict
    build fails) and the chapter gets no notebook, rather than a wrong one.

    Parameters
    ----------
    app : Sphinx
        The application, after reading.
    docname : str
        The chapter.

    Returns
    -------
    MystNbOutputs or None
        None if something was not found; a warning says what.
    """
    config = getattr(app.env, "mystnb_config", None)
    folder = getattr(config, "output_folder", None)
    if not folder:
        _warn(docname, "MyST-NB's env.mystnb_config.output_folder is gone")
        return None
    *parents, name = docname.split("/")
    notebook = Path(folder, *parents, f"{name}.ipynb")
    if not notebook.is_file():
        _warn(docname, "MyST-NB saved no executed notebook at %s", notebook)
        return None
    try:
        from myst_nb.core.variables import format_plain_text  # noqa: PLC0415
        from myst_nb.ext.glue.crossref import read_glue_cache  # noqa: PLC0415
        from myst_nb.sphinx_ import NbMetadataCollector  # noqa: PLC0415
    except ImportError as error:
        _warn(docname, "MyST-NB's glue internals moved: %s", error)
        return None
    # The reader caches by (folder, docname); a rebuild in the same process
    # (sphinx-autobuild, the tests) must see this build's values.
    getattr(read_glue_cache, "cache_clear", lambda: None)()
    glue = read_glue_cache(str(folder), docname)
    keys = NbMetadataCollector.get_doc_data(app.env).get(docname, {}).get("glue", [])
    missing = [
        key for key in keys if "text/plain" not in glue.get(key, {}).get("data", {})
    ]
    if missing:
        _warn(
            docname, "MyST-NB's glue cache lacks %s; has its format changed?", missing
        )
        return None
    return MystNbOutputs(notebook, glue, format_plain_text)


# -- The conversion ---------------------------------------------------------------


def _is_dark_figure(output: dict[str, Any]) -> bool:
    svg = output.get("data", {}).get("image/svg+xml", "")
    return "<!-- descent-theme: dark -->" in svg[:512]


def _as_on_the_page(outputs: list[Any]) -> list[Any]:
    """The outputs as the page shows them: one text block per stream.

    With ``nb_merge_streams`` MyST-NB joins every piece of a stream into its
    first piece, in the notebook it saves, but leaves the later pieces in
    place. How the kernel split the text depends on timing, so keeping them
    would repeat lines, and differently from build to build.
    """
    seen: set[str] = set()
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream":
            if output.get("name") in seen:
                continue
            seen.add(output.get("name", ""))
        kept.append(output)
    return kept


def _is_chapter(docname: str) -> bool:
    return docname.startswith(CHAPTERS)


def _download_link(href: str, file: str) -> nodes.raw:
    """A link that downloads `href` under the name `file`, shown as code."""
    return nodes.raw(
        "",
        f'<a class="reference download" href="{href}" download="{file}">'
        f"<code>{file}</code></a>",
        format="html",
    )


def _add_download_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not _is_chapter(docname):
        return
    name = docname.rsplit("/", 1)[-1] + ".ipynb"
    install = app.config.myst_substitutions["install_line"]
    box = nodes.container(classes=["notebook-download"])
    para = nodes.paragraph()
    para += nodes.Text("Run this chapter yourself: download it as a notebook, ")
    para += _download_link(name, name)
    wheel = app.config.notebook_download_wheel
    if wheel:  # the install line names a file: offer it next to the notebook
        href = "../" * docname.count("/") + wheel
        file = wheel.rsplit("/", 1)[-1]
        para += nodes.Text(" and the package's wheel, ")
        para += _download_link(href, file)
        para += nodes.Text(", and install it, in the folder you saved it to:")
    else:
        para += nodes.Text(", and install the package it imports with one line:")
    box += para
    box += nodes.literal_block(install, install, language="bash")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        _warn(docname, "the chapter has no section to put the download box in")
        return
    title_index = section.first_child_matching_class(nodes.title)
    section.insert(0 if title_index is None else title_index + 1, box)


def install_cell(app: Sphinx) -> nbformat.NotebookNode:
    """The notebook's first cell: PyTorch first, then ``%pip install`` the package."""
    install = app.config.myst_substitutions["install_line"]
    target = app.config.notebook_download_pip or install.removeprefix("pip install ")
    lines = [
        "# This notebook is a chapter of the descent tutorial. Install PyTorch",
        "# first, in a terminal; its CPU build is all the chapters need:",
        f"#     {app.config.notebook_download_torch}",
        "# Then this cell installs the descent package the chapter imports.",
    ]
    if app.config.notebook_download_wheel:
        lines.append("# It needs the wheel, downloaded next to this notebook.")
    lines.append(f"%pip install {target}")
    return nbformat.v4.new_code_cell("\n".join(lines))


def _inline_includes(text: str, folder: Path, config: Any) -> str:
    """Replace each literalinclude with the code it shows on the page."""

    def included(match: re.Match[str]) -> str:
        options: dict[str, Any] = dict(_OPTION.findall(match.group(2)))
        if "dedent" in options:
            options["dedent"] = int(options["dedent"])
        reader = LiteralIncludeReader(str(folder / match.group(1)), options, config)
        code, _ = reader.read()
        language = options.get("language", "python")
        return f"```{language}\n{code.rstrip()}\n```"

    return _INCLUDE.sub(included, text)


def _plain_markdown(
    text: str, outputs: MystNbOutputs, titles: dict[str, str], docname: str
) -> str:
    """Turn a Markdown cell's MyST markup into Markdown a notebook can show."""

    def glued(match: re.Match[str]) -> str:
        key, spec = match.group(2), ""
        if match.group(1) and ":" in key:  # {glue:text}`key:format`
            key, spec = key.split(":", 1)
        if key not in outputs.glue:
            _warn(docname, "no glued value %r to write in", key)
            return match.group(0)
        text = outputs.glue[key]["data"]["text/plain"]
        try:
            return outputs.format_text(text, spec)
        except ValueError:  # the page build has already warned about it
            return text

    def doc_link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2).strip()
        return f"*{label or titles.get(target, target)}*"

    text = _GLUE.sub(glued, text)
    text = _DOC.sub(doc_link, text)
    text = _MATH.sub(r"$\1$", text)
    text = _ROLE.sub(r"`\1`", text)
    text = _FENCE.sub(r"\1```\2", text)
    text = _DIRECTIVE.sub(
        lambda m: f"{m.group(1)}**{m.group(2)}**\n" if m.group(2) else "", text
    )
    text = _CLOSE.sub("", text)
    text = _LABEL.sub("", text)
    for leftover in _LEFTOVER.finditer(text):
        line = text[: leftover.start()].count("\n") + 1
        _warn(
            docname,
            "MyST markup left in a Markdown cell, line %d: %r",
            line,
            text.splitlines()[line - 1][:80],
        )
    return text


def chapter_notebook(
    app: Sphinx, docname: str, outputs: MystNbOutputs
) -> nbformat.NotebookNode:
    """The notebook a reader downloads for the chapter `docname`."""
    notebook = nbformat.read(outputs.notebook, as_version=4)
    folder = docname.rsplit("/", 1)[0]
    titles = {
        name.rsplit("/", 1)[-1]: nodes_title.astext()
        for name, nodes_title in app.env.titles.items()
        if name.startswith(folder + "/")
    }
    chapter_folder = Path(app.srcdir, docname).parent
    cells = [install_cell(app)]
    for cell in notebook.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        # Timings differ from run to run; they would make every build differ.
        cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            source = _inline_includes(cell.source, chapter_folder, app.config)
            cell.source = _plain_markdown(source, outputs, titles, docname)
        else:
            # Each figure was displayed twice, for light and dark pages; a
            # notebook needs it once.
            shown = [out for out in cell.outputs if not _is_dark_figure(out)]
            merged = app.config.nb_merge_streams
            cell.outputs = _as_on_the_page(shown) if merged else shown
        cells.append(cell)
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number:03d}"  # stable ids: two builds, same file
    notebook.cells = cells
    notebook.metadata.pop("execution", None)
    notebook.metadata.pop("jupytext", None)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def _write_notebooks(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    for docname in sorted(app.env.found_docs):
        if not _is_chapter(docname):
            continue
        outputs = myst_nb_outputs(app, docname)
        if outputs is None:
            continue
        notebook = chapter_notebook(app, docname, outputs)
        target = Path(app.outdir) / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("notebook_download_pip", "", "html", types=(str,))
    app.add_config_value("notebook_download_wheel", "", "html", types=(str,))
    app.add_config_value(
        "notebook_download_torch", "pip install torch", "html", types=(str,)
    )
    app.connect("doctree-resolved", _add_download_box)
    app.connect("build-finished", _write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
