"""Benchmark the docs build: how close is it to the cost of running the code?

Prints, in one run, the medians of several repetitions of:

floor
    Every chapter's code run as a plain Python script, one process per
    chapter, summed: the least any build that executes the chapters can cost.
cold
    A full build with an empty build directory.
no-change
    A rebuild with nothing changed.
one-chapter
    A rebuild after one chapter's text is edited.
src-change
    A rebuild after a function in ``src/descent`` that the chapters import is
    edited.

It works on a copy of the repository, so edits never touch the work tree, and
puts the copy's ``src`` first on ``PYTHONPATH`` so that the kernels import the
edited package. It also checks what each rebuild re-executed: the edited
chapter alone, or every chapter after a change to the package, and fails if a
rebuild could show stale output.

Usage: ``python benchmarks/docs_build.py [--repeat N] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from myst_nb.core.read import read_myst_markdown_notebook

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = re.compile(r"(\S+\.md): Executing notebook")


def sphinx_command(docs: Path, out: Path, jobs: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-n",
        "-W",
        "--keep-going",
        "-j",
        jobs,
        "-b",
        "html",
        # Doctrees are the build's pickled state, kept out of the site.
        "-d",
        str(out / "doctrees"),
        str(docs),
        str(out / "html"),
    ]


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        msg = f"command failed ({result.returncode}): {' '.join(command)}"
        raise SystemExit(msg)
    return elapsed, result.stdout + result.stderr


def executed(log: str) -> set[str]:
    """The chapters a build executed, from MyST-NB's log lines."""
    return {Path(path).stem for path in EXECUTED.findall(log)}


def as_script(chapter: Path) -> str:
    """A chapter's code cells as one script; cells meant to raise are wrapped."""
    # MyST-NB's own reader, so the cells are exactly the ones the build runs.
    notebook = read_myst_markdown_notebook(chapter.read_text("utf8"), path=chapter)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.startswith("%")
        )
        if "raises-exception" in cell.metadata.get("tags", []):
            body = textwrap.indent(source or "pass", "    ")
            source = f"try:\n{body}\nexcept Exception:\n    pass"
        parts.append(source)
    return "\n\n".join(parts) + "\n"


def floor(copy: Path, env: dict[str, str]) -> float:
    """Run each chapter as a script in its own process; return the summed time."""
    total = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for chapter in sorted((copy / "docs" / "chapters").glob("*.md")):
            script = Path(scratch) / f"{chapter.stem}.py"
            script.write_text(as_script(chapter), encoding="utf8")
            seconds, _ = timed(
                [sys.executable, str(script)],
                env | {"MPLBACKEND": "Agg"},
                chapter.parent,
            )
            total += seconds
    return total


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf8")
    if old not in text:
        msg = f"cannot find {old!r} in {path}"
        raise SystemExit(msg)
    path.write_text(text.replace(old, new, 1), encoding="utf8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure")
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j")
    args = parser.parse_args()

    results: dict[str, list[float]] = {
        name: [] for name in ("floor", "cold", "no-change", "one-chapter", "src-change")
    }
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT / "docs", copy / "docs", ignore=shutil.ignore_patterns("_build")
        )
        shutil.copytree(ROOT / "src", copy / "src")
        env = os.environ | {"PYTHONPATH": str(copy / "src"), "DESCENT_OFFLINE": "1"}
        chapters = {p.stem for p in (copy / "docs" / "chapters").glob("*.md")}
        build = Path(tmp) / "build"
        command = sphinx_command(copy / "docs", build, args.jobs)
        first_chapter = min(chapters)
        for run in range(args.repeat):
            results["floor"].append(floor(copy, env))

            shutil.rmtree(build, ignore_errors=True)
            seconds, log = timed(command, env, copy)
            results["cold"].append(seconds)
            assert executed(log) == chapters, f"cold build ran {executed(log)}"

            seconds, log = timed(command, env, copy)
            results["no-change"].append(seconds)
            assert not executed(log), f"no-change rebuild ran {executed(log)}"

            page = copy / "docs" / "chapters" / f"{first_chapter}.md"
            edit(page, "\n## ", f"\nAn edit for benchmark run {run}.\n\n## ")
            seconds, log = timed(command, env, copy)
            results["one-chapter"].append(seconds)
            assert executed(log) == {first_chapter}, f"one-chapter ran {executed(log)}"

            functions = copy / "src" / "descent" / "functions.py"
            edit(
                functions, "    return x**2", f"    return x**2  # edited in run {run}"
            )
            seconds, log = timed(command, env, copy)
            results["src-change"].append(seconds)
            # Every chapter imports descent, so every chapter could be affected.
            assert executed(log) == chapters, f"src-change ran {executed(log)}"
            print(
                f"run {run}: "
                + ", ".join(
                    f"{name} {times[-1]:.1f} s" for name, times in results.items()
                ),
                flush=True,
            )

    medians = {name: statistics.median(times) for name, times in results.items()}
    print(
        f"docs build benchmark: {len(chapters)} chapters, -j {args.jobs}, "
        f"median of {args.repeat} runs"
    )
    for name, times in results.items():
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"  {name:<12} {medians[name]:7.1f} s   (runs: {runs})")
    ratio = medians["cold"] / medians["floor"]
    print(f"  cold / floor {ratio:7.2f}     (target <= 1.3)")
    print(
        f"  no-change    {'ok' if medians['no-change'] <= 2 else 'over'}"
        f" (target <= 2 s)"
    )


if __name__ == "__main__":
    main()
