"""The network probe for intersphinx, and plain text for unreachable inventories."""

from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import intersphinx_offline
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from conftest import Built

MAPPING = {
    "python": ("https://docs.python.org/3/", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
}


@pytest.fixture
def hanging_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make name resolution hang, as a broken DNS does; yield the hosts asked."""
    release = threading.Event()
    asked: list[str] = []

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        del args, kwargs
        asked.append(host)
        release.wait(60)  # "forever", as far as the test is concerned
        raise socket.gaierror(host)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield asked
    release.set()  # let the abandoned probe threads finish


def test_a_hanging_resolver_does_not_hang_the_probe(
    hanging_resolver: list[str],
) -> None:
    urls = [url for url, _ in MAPPING.values()]
    start = time.monotonic()
    assert intersphinx_offline.reachable(urls, deadline=0.3) == set()
    assert time.monotonic() - start < 2
    assert sorted(hanging_resolver) == ["docs.python.org", "numpy.org"]


def test_the_probe_finds_a_listening_server() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        listening = f"http://127.0.0.1:{port}/docs/"
        with socket.socket() as spare:
            spare.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{spare.getsockname()[1]}/"
        assert intersphinx_offline.reachable([listening, closed], 5.0) == {listening}


def _configure(monkeypatch: pytest.MonkeyPatch, offline: str | None) -> SimpleNamespace:
    """Run the config-inited handler on a copy of MAPPING; return the config."""
    if offline is None:
        monkeypatch.delenv("DESCENT_OFFLINE", raising=False)
    else:
        monkeypatch.setenv("DESCENT_OFFLINE", offline)
    config = SimpleNamespace(
        intersphinx_mapping=dict(MAPPING),
        intersphinx_probe_timeout=0.3,
        intersphinx_offline_projects=[],
    )
    app = SimpleNamespace(config=config)
    intersphinx_offline._keep_reachable(app, config)  # type: ignore[arg-type]
    return config


def test_offline_1_drops_every_inventory_without_probing(
    monkeypatch: pytest.MonkeyPatch, hanging_resolver: list[str]
) -> None:
    config = _configure(monkeypatch, "1")
    assert config.intersphinx_mapping == {}
    assert config.intersphinx_offline_projects == ["numpy", "python"]
    assert hanging_resolver == []


def test_offline_0_keeps_every_inventory_without_probing(
    monkeypatch: pytest.MonkeyPatch, hanging_resolver: list[str]
) -> None:
    config = _configure(monkeypatch, "0")
    assert config.intersphinx_mapping == MAPPING
    assert hanging_resolver == []


def test_unset_probes_and_drops_what_does_not_answer(
    monkeypatch: pytest.MonkeyPatch, hanging_resolver: list[str]
) -> None:
    config = _configure(monkeypatch, None)
    assert config.intersphinx_mapping == {}
    assert sorted(hanging_resolver) == ["docs.python.org", "numpy.org"]
    assert config.intersphinx_offline_projects == ["numpy", "python"]


@pytest.mark.parametrize(
    ("target", "inventory"),
    [
        ("numpy.ndarray", "numpy"),
        ("numpy:array_like", "numpy"),
        ("python:callable", "python"),
        ("ValueError", "python"),
        ("descent.gradient_descent", None),
    ],
)
def test_inventory_for(target: str, inventory: str | None) -> None:
    assert intersphinx_offline.inventory_for(target, {"numpy": "numpy"}) == inventory


def test_offline_reference_renders_as_plain_text(pages: Built) -> None:
    html = pages.page("index")
    assert pages.warnings == ""
    paragraph = html[html.index("A reference into an inventory") :]
    paragraph = paragraph[: paragraph.index("</p>")]
    assert "numpy.ndarray" in paragraph
    assert "<a " not in paragraph


def test_a_broken_reference_into_this_project_still_fails(
    site: Callable[..., Built],
) -> None:
    def refer_to_nothing(source: Path) -> None:
        with (source / "index.md").open("a", encoding="utf8") as index:
            index.write("\nA broken reference: {py:func}`descent.no_such_function`.\n")

    built = site("pages", edit=refer_to_nothing)
    assert "py:func reference target not found: descent.no_such_function" in (
        built.warnings
    )
