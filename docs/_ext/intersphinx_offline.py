"""Intersphinx that builds with or without a network.

Before intersphinx loads its inventories, this probes each site in
``intersphinx_mapping`` and drops the ones that cannot be reached, so an
offline build neither waits for downloads that will fail nor warns about them.
A reference that would have gone to a dropped inventory, such as
``numpy.ndarray``, is then shown as plain text instead of failing the
nitpicky build; references into this project, or into an inventory that did
load, are left to Sphinx, so a real broken reference still fails.

The environment variable ``DESCENT_OFFLINE`` overrides the probe: ``1`` drops
every inventory without touching the network (reproducible builds), ``0``
keeps them all, so that an unreachable site fails the build.

Configuration
-------------
intersphinx_offline_modules
    Which top-level module names in a reference belong to which inventory,
    for example ``{"numpy": "numpy"}``. Built-in names (``int``,
    ``ValueError``) always belong to ``python``.
intersphinx_probe_timeout
    Seconds the whole probe may take, name resolution included; a site whose
    probe has not finished by then counts as unreachable.
"""

from __future__ import annotations

import builtins
import os
import socket
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx.ext.intersphinx import inventory_exists
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.nodes import Element, TextElement
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The environment variable that skips (``1``) or insists on (``0``) the network.
OFFLINE_VARIABLE = "DESCENT_OFFLINE"


def _probe(url: str, timeout: float) -> bool:
    """Whether a TCP connection to the site's HTTPS port can be opened."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (80 if parts.scheme == "http" else 443)
    try:
        # The timeout bounds the connection only; getaddrinfo, called first,
        # has none of its own, which is why reachable() runs this in a thread.
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError:
        return False
    return True


def reachable(urls: Iterable[str], deadline: float = 3.0) -> set[str]:
    """Return the URLs whose sites accept a connection within `deadline` seconds.

    Each site is probed in its own daemon thread and the caller waits at most
    `deadline` seconds for all of them together. A probe still running then,
    for example stuck in name resolution, counts as unreachable; being a
    daemon thread it cannot delay the end of the build either.

    Parameters
    ----------
    urls : iterable of str
        Base URLs of the sites, such as ``https://numpy.org/doc/stable/``.
    deadline : float
        Seconds to wait for all the probes together.

    Returns
    -------
    set of str
        The URLs that could be reached.
    """
    found: set[str] = set()
    lock = threading.Lock()

    def run(url: str) -> None:
        if _probe(url, deadline):
            with lock:
                found.add(url)

    threads = [
        threading.Thread(target=run, args=(url,), daemon=True, name=f"probe {url}")
        for url in dict.fromkeys(urls)
    ]
    for thread in threads:
        thread.start()
    # Each join waits for what is left of the one shared deadline.
    end = time.monotonic() + deadline
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    with lock:
        return set(found)


def _keep_reachable(app: Sphinx, config: Config) -> None:
    """Drop the inventories whose sites cannot be reached (see module docs)."""
    del app  # all it needs is in the configuration
    mapping: dict[str, Any] = config.intersphinx_mapping
    # Remembered for the missing-reference handler, which must know every
    # project the site links to, loaded or not.
    config.intersphinx_offline_projects = sorted(mapping)
    forced = os.environ.get(OFFLINE_VARIABLE)
    if forced == "0" or not mapping:
        return
    if forced == "1":
        dropped = set(mapping)
    else:
        urls = {name: _base_url(value) for name, value in mapping.items()}
        alive = reachable(urls.values(), deadline=config.intersphinx_probe_timeout)
        dropped = {name for name, url in urls.items() if url not in alive}
    for name in sorted(dropped):
        del mapping[name]
    if dropped:
        why = (
            f"{OFFLINE_VARIABLE}=1"
            if forced == "1"
            else f"no answer within {config.intersphinx_probe_timeout} s"
        )
        logger.info("intersphinx: offline for %s (%s)", ", ".join(sorted(dropped)), why)


def _base_url(value: Any) -> str:
    """The site's URL from an ``intersphinx_mapping`` value, ``(url, inventory)``."""
    return str(value[0] if isinstance(value, tuple | list) else value)


def inventory_for(target: str, modules: dict[str, str]) -> str | None:
    """Name the inventory a reference target belongs to, or None for this project.

    Parameters
    ----------
    target : str
        The reference target, such as ``numpy.ndarray`` or ``python:callable``.
    modules : dict
        Top-level module name to inventory name.

    Returns
    -------
    str or None
        The inventory's name in ``intersphinx_mapping``.
    """
    project, _, name = target.rpartition(":")
    if project:  # an explicit reference, such as numpy:array_like
        return project
    root = name.split(".", 1)[0]
    if root in modules:
        return modules[root]
    if root in dir(builtins):
        return "python"
    return None


def _missing_external_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> Element | None:
    """Render a reference into an inventory that did not load as its text."""
    inventory = inventory_for(
        node.get("reftarget", ""), app.config.intersphinx_offline_modules
    )
    known = app.config.intersphinx_offline_projects
    if inventory in known and not inventory_exists(env, inventory):
        return contnode
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.intersphinx")
    app.add_config_value("intersphinx_offline_modules", {}, "env", types=(dict,))
    app.add_config_value("intersphinx_probe_timeout", 3.0, "", types=(float, int))
    # Filled in from intersphinx_mapping; not meant to be set in conf.py.
    app.add_config_value("intersphinx_offline_projects", [], "", types=(list,))
    # Before intersphinx checks the mapping and loads it (priority 800).
    app.connect("config-inited", _keep_reachable, priority=400)
    # After intersphinx's own handler has had its chance to resolve the name.
    app.connect("missing-reference", _missing_external_reference, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
