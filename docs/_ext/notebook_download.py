"""Offer every chapter as a Jupyter notebook that runs on its own.

At the top of each chapter page this inserts a box with a download link and the
one line that installs the package. When the build finishes, it writes the
notebooks next to the pages: the executed notebook MyST-NB saved, minus the
build-only cells (tagged ``remove-cell``: setup, glue and checks), with the
MyST-only markup in the text turned into plain Markdown a notebook can show,
and with the glued numbers written in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from docutils import nodes
from myst_nb.core.variables import format_plain_text
from sphinx.directives.code import LiteralIncludeReader

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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


def _add_download_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not _is_chapter(docname):
        return
    name = docname.rsplit("/", 1)[-1] + ".ipynb"
    install = app.config.myst_substitutions["install_line"]
    box = nodes.container(classes=["notebook-download"])
    para = nodes.paragraph()
    para += nodes.Text("Run this chapter yourself: download it as a notebook, ")
    para += nodes.raw(
        "",
        f'<a class="reference download" href="{name}" download="{name}">'
        f"<code>{name}</code></a>",
        format="html",
    )
    para += nodes.Text(", and install the package it imports with one line:")
    box += para
    box += nodes.literal_block(install, install, language="bash")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title_index = section.first_child_matching_class(nodes.title)
    section.insert(0 if title_index is None else title_index + 1, box)


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


def _plain_markdown(text: str, glue: dict[str, Any], titles: dict[str, str]) -> str:
    def glued(match: re.Match[str]) -> str:
        key, spec = match.group(2), ""
        if match.group(1) and ":" in key:  # {glue:text}`key:format`
            key, spec = key.split(":", 1)
        text = glue[key]["data"]["text/plain"]
        try:
            return format_plain_text(text, spec)
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
    return _LABEL.sub("", text)


def _chapter_notebook(
    app: Sphinx, docname: str, executed: Path
) -> nbformat.NotebookNode:
    notebook = nbformat.read(executed, as_version=4)
    glue_file = executed.with_suffix(".glue.json")
    glue = json.loads(glue_file.read_text("utf8")) if glue_file.exists() else {}
    folder = docname.rsplit("/", 1)[0]
    titles = {
        name.rsplit("/", 1)[-1]: nodes_title.astext()
        for name, nodes_title in app.env.titles.items()
        if name.startswith(folder + "/")
    }
    chapter_folder = Path(app.srcdir, docname).parent
    install = app.config.myst_substitutions["install_line"]
    cells = [
        nbformat.v4.new_markdown_cell(
            f"This notebook is a chapter of the *descent* tutorial. It needs the "
            f"`descent` package:\n\n```bash\n{install}\n```"
        )
    ]
    for cell in notebook.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        # Timings differ from run to run; they would make every build differ.
        cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            source = _inline_includes(cell.source, chapter_folder, app.config)
            cell.source = _plain_markdown(source, glue, titles)
        else:
            # Each figure was displayed twice, for light and dark pages; a
            # notebook needs it once.
            outputs = [out for out in cell.outputs if not _is_dark_figure(out)]
            merged = app.config.nb_merge_streams
            cell.outputs = _as_on_the_page(outputs) if merged else outputs
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
    executed_root = Path(app.outdir).parent / "jupyter_execute"
    for docname in sorted(app.env.found_docs):
        if not _is_chapter(docname):
            continue
        executed = executed_root / f"{docname}.ipynb"
        notebook = _chapter_notebook(app, docname, executed)
        target = Path(app.outdir) / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", _add_download_box)
    app.connect("build-finished", _write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
