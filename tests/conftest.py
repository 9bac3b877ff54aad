"""Shared test setup: a headless Matplotlib backend, and no figure left open."""

from __future__ import annotations

import matplotlib as mpl

# Select the non-interactive backend before anything imports pyplot (the tests
# of descent.plotting do), so the tests never try to open a window and run the same
# on a machine without a display.
mpl.use("Agg")

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every figure a test opened, so none leak into the next test."""
    yield
    plt.close("all")
