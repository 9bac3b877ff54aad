"""requirements/docs.txt, the docs environment's pins, fits pyproject.toml.

The file is written by ``nox -s lock`` and bumped by Dependabot. These checks
fail early, with the fix in the message, when it no longer fits: a package or
a docs-group requirement changed without a new lock, or a bump moved torch off
the version every session installs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "docs.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))
NOXFILE = (ROOT / "noxfile.py").read_text(encoding="utf8")
RELOCK = "run `python3 -m nox -s lock` and commit requirements/docs.txt"


def pins() -> dict[str, str]:
    """The lock's pins: canonical name to version."""
    found = {}
    for line in LOCK.read_text(encoding="utf8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{line!r} in requirements/docs.txt is not name==version"
        found[str(canonicalize_name(name))] = version.strip()
    return found


def docs_requirements() -> list[str]:
    """What the docs sessions ask for: the package's dependencies and the group."""
    group = [
        entry
        for entry in PYPROJECT["dependency-groups"]["docs"]
        if isinstance(entry, str)
    ]
    return [*PYPROJECT["project"]["dependencies"], *group]


@pytest.mark.parametrize("entry", docs_requirements())
def test_lock_satisfies_requirement(entry: str) -> None:
    requirement = Requirement(entry)
    version = pins().get(canonicalize_name(requirement.name))
    assert version, f"requirements/docs.txt has no pin for {requirement.name}; {RELOCK}"
    assert requirement.specifier.contains(version, prereleases=True), (
        f"requirements/docs.txt pins {requirement.name}=={version}, "
        f"outside {entry!r}; {RELOCK}"
    )


def test_lock_pins_the_sessions_torch() -> None:
    match = re.search(r"^TORCH = \"torch==([^\"]+)\"", NOXFILE, re.MULTILINE)
    assert match, "noxfile.py defines no TORCH pin"
    assert pins().get("torch") == match.group(1), (
        f"requirements/docs.txt must pin torch=={match.group(1)}, as noxfile.py does"
    )


def test_lock_leaves_out_the_cuda_libraries() -> None:
    cuda = [name for name in pins() if re.match(r"nvidia-|cuda-|triton$", name)]
    assert not cuda, f"requirements/docs.txt pins CUDA-only packages: {cuda}"
