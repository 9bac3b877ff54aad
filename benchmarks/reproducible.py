"""Build the site twice from scratch and check that the outputs are identical.

Two clean builds of the same commit must give byte-identical HTML, images and
notebooks, and the package's wheel and sdist in ``dist/``. The only files allowed to differ are listed in ``ALLOWED`` with the
reason; any other difference is printed and fails the run.

Usage: ``python benchmarks/reproducible.py [--jobs N]``.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Files that may differ between two builds, and why.
ALLOWED: dict[str, str] = {}


def build(source: Path, out: Path, jobs: str) -> None:
    """Build the site from a snapshot `source` (its docs/ and src/) into `out`."""
    env = os.environ | {
        "DESCENT_OFFLINE": "1",
        "SOURCE_DATE_EPOCH": "1767225600",
        "PYTHONPATH": str(source / "src"),
    }
    command = [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q"]
    # Doctrees are pickles of the build's internal state, not part of the site.
    command += ["-d", str(out.parent / "doctrees"), "-j", jobs, "-b", "html"]
    command += [str(source / "docs"), str(out)]
    subprocess.run(command, env=env, check=True)


#: Sphinx's pickled state, which must never be published with the site.
BUILD_STATE = (".doctrees", "environment.pickle")


def build_state_in_site(html: Path) -> list[str]:
    """Files or folders of Sphinx's build state inside the HTML folder `html`."""
    return sorted(
        path.relative_to(html).as_posix()
        for name in BUILD_STATE
        for path in html.rglob(name)
    )


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name} (only in one build)" for name in cmp.left_only)
        found.extend(f"{prefix}{name} (only in one build)" for name in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(
            cmp.left, cmp.right, cmp.common_files, shallow=False
        )
        found.extend(f"{prefix}{name}" for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


def show_difference(left: Path, right: Path, lines: int = 12) -> None:
    """Print the start of a text file's differences, to see what varies."""
    if not (left.is_file() and right.is_file()) or left.suffix not in TEXT:
        return
    diff = difflib.unified_diff(
        left.read_text(encoding="utf8").splitlines(),
        right.read_text(encoding="utf8").splitlines(),
        lineterm="",
        n=1,
    )
    for line in list(diff)[:lines]:
        print(f"    {line[:160]}")


TEXT = {".html", ".ipynb", ".js", ".css", ".svg", ".txt", ".json"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Both builds read one snapshot, so edits made meanwhile cannot leak in.
        source = Path(tmp, "source")
        ignore = shutil.ignore_patterns("_build", "__pycache__")
        shutil.copytree(ROOT / "docs", source / "docs", ignore=ignore)
        shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
        # conf.py reads pyproject.toml, and the site ships the package's wheel
        # and sdist (docs/_ext/package_dist.py), built from these files.
        for name in ("pyproject.toml", "README.md", "LICENSE", ".gitignore"):
            shutil.copy2(ROOT / name, source / name)
        first, second = Path(tmp, "first", "html"), Path(tmp, "second", "html")
        build(source, first, args.jobs)
        build(source, second, args.jobs)
        files = sum(1 for path in first.rglob("*") if path.is_file())
        found = differences(first, second)
        for name in found:
            show_difference(first / name, second / name)
        leaked = build_state_in_site(first)
    for name in leaked:
        print(f"  build state in the site: {name} (pass -d to sphinx-build)")
    unexpected = [name for name in found if name not in ALLOWED]
    for name in found:
        reason = ALLOWED.get(name, "UNEXPECTED")
        print(f"  differs: {name}: {reason}")
    print(
        f"compared {files} files of two clean builds: {len(found)} differ, "
        f"{len(unexpected)} unexpectedly"
    )
    return 1 if unexpected or leaked else 0


if __name__ == "__main__":
    sys.exit(main())
