"""One source of tool versions: pre-commit and ``nox -s lint`` must agree.

ruff and mypy run twice, from pre-commit's hooks and from the ``lint``
dependency group. Dependabot or ``pre-commit autoupdate`` may bump one side;
these tests fail until the other side follows, so the two never drift apart
silently. They read the files as text (no YAML parser needed).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))

#: The tool, and the pre-commit repository whose hook runs it.
HOOKS = {
    "ruff": "https://github.com/astral-sh/ruff-pre-commit",
    "mypy": "https://github.com/pre-commit/mirrors-mypy",
}


def hook_rev(repo: str) -> str:
    """The ``rev`` of a repository in .pre-commit-config.yaml, without its ``v``."""
    match = re.search(
        rf"^\s*-\s*repo:\s*{re.escape(repo)}\s*\n\s*rev:\s*[\"']?v?([^\s\"']+)",
        PRE_COMMIT,
        re.MULTILINE,
    )
    assert match, f"{repo} has no rev in .pre-commit-config.yaml"
    return match.group(1)


def lint_pin(tool: str) -> str:
    """The exact version the ``lint`` dependency group pins ``tool`` to."""
    for entry in PYPROJECT["dependency-groups"]["lint"]:
        requirement = Requirement(entry)
        if requirement.name == tool:
            specs = list(requirement.specifier)
            assert [spec.operator for spec in specs] == ["=="], (
                f"the lint group must pin {tool} exactly (==), not {entry!r}"
            )
            return specs[0].version
    pytest.fail(f"{tool} is not in the lint dependency group")


@pytest.mark.parametrize("tool", sorted(HOOKS))
def test_lint_group_matches_pre_commit(tool: str) -> None:
    rev, pin = hook_rev(HOOKS[tool]), lint_pin(tool)
    assert pin == rev, (
        f"{tool}: pyproject.toml's lint group pins {pin}, "
        f".pre-commit-config.yaml's hook is at v{rev}; make them the same"
    )


def test_pre_commit_mypy_uses_the_sessions_torch() -> None:
    """mypy's hook type-checks against the same PyTorch as the nox sessions."""
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf8")
    match = re.search(r"^TORCH = \"([^\"]+)\"", noxfile, re.MULTILINE)
    assert match, "noxfile.py defines no TORCH pin"
    torch = match.group(1)
    hook = PRE_COMMIT.split(HOOKS["mypy"], 1)[1].split("- repo:", 1)[0]
    listed = rf"^\s*-\s*{re.escape(torch)}\s*$"
    assert re.search(listed, hook, re.MULTILINE), (
        f"the mypy hook's additional_dependencies must list {torch}"
    )
