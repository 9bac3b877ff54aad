"""The site ships the package: the wheel and sdist built into its output."""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import package_dist

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Built

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_and_sdist_land_in_the_site(chapter: Built) -> None:
    dist = Path(chapter.app.outdir, "dist")
    names = sorted(path.name for path in dist.iterdir())
    assert names == [
        "descent_tutorial-0.1.0-py3-none-any.whl",
        "descent_tutorial-0.1.0.tar.gz",
    ]
    with zipfile.ZipFile(dist / names[0]) as wheel:
        files = wheel.namelist()
        # Every entry has the fixed date: the file is the same build to build.
        dates = {info.date_time for info in wheel.infolist()}
    assert "descent/__init__.py" in files
    assert "descent/plotting/themes.py" in files
    assert len(dates) == 1


def test_two_builds_give_identical_files(tmp_path: Path) -> None:
    first = package_dist.build_dists(ROOT, tmp_path / "a", 1767225600)
    second = package_dist.build_dists(ROOT, tmp_path / "b", 1767225600)
    assert first == second
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (
            tmp_path / "b" / name
        ).read_bytes()


def test_a_wrong_wheel_name_warns(site: Callable[..., Built]) -> None:
    def rename(source: Path) -> None:
        conf = source / "conf.py"
        text = conf.read_text(encoding="utf8")
        conf.write_text(
            text.replace(
                'package_dist_wheel = "descent_tutorial-0.1.0',
                'package_dist_wheel = "old-9',
            ),
            encoding="utf8",
        )

    built = site("chapter", rename)
    assert "the install line names old-9" in built.warnings


def test_wheel_name_follows_the_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))
    assert package_dist.wheel_name(project["project"]["name"], "2.0") == (
        "descent_tutorial-2.0-py3-none-any.whl"
    )


def test_readme_urls_match_pyproject() -> None:
    """Every address of the repository in the README is one pyproject.toml names."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))
    known = set(urls["project"]["urls"].values())
    source = urls["project"]["urls"]["Source"]
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    owner = source.rsplit("/", 2)[-2]
    found = set(re.findall(r"https?://[^\s)\"'>`]+", readme))
    ours = {url for url in found if owner in url}
    assert ours, "the README names no address of the project"
    assert ours <= known, f"README addresses not in [project.urls]: {ours - known}"
