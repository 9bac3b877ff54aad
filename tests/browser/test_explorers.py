"""The two explorers, played in a real browser: slider, frames, labels, axe."""

# ruff: noqa: RUF001
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .test_accessibility import axe_violations, describe

if TYPE_CHECKING:
    from pathlib import Path

#: Each explorer: its page, its slider's label, and the text at two stops.
EXPLORERS = {
    "learning rate": (
        "chapters/07-learning-rate.html",
        "Learning rate α",
        ("α = 0.05", "α = 0.10", "α = 1.05"),
        ("α = 0.05: monotone convergence", "α = 0.10: monotone", "divergence"),
    ),
    "momentum": (
        "chapters/11-momentum.html",
        "Momentum β",
        ("β = 0", "β = 0.1", "β = 0.9"),
        ("β = 0: within", "β = 0.1: within", "β = 0.9: within"),
    ),
}


def _player(page: Any, label: str) -> Any:
    """The explorer's slider, found by its visible label, as a reader would."""
    slider = page.get_by_label(label, exact=True)
    slider.scroll_into_view_if_needed()
    return slider


def _state(page: Any, slider: Any) -> dict[str, str]:
    uid = slider.get_attribute("id").removeprefix("_anim_slider")
    return page.evaluate(
        """uid => ({
            value: document.getElementById('_anim_slider' + uid).value,
            valuetext: document.getElementById('_anim_slider' + uid)
                .getAttribute('aria-valuetext'),
            src: document.getElementById('_anim_img' + uid).src,
            alt: document.getElementById('_anim_img' + uid).alt,
            text: document.getElementById('_explorer_text' + uid).textContent,
        })""",
        uid,
    )


@pytest.mark.parametrize("name", EXPLORERS)
def test_slider_moves_the_frame_and_the_text(context: Any, name: str) -> None:
    page_path, label, values, texts = EXPLORERS[name]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_path, wait_until="networkidle")
    slider = _player(page, label)
    page.wait_for_function(
        "id => document.getElementById(id).src.startsWith('data:image/')",
        arg=slider.get_attribute("id").replace("_anim_slider", "_anim_img"),
    )
    first = _state(page, slider)
    # tests/test_explorer.py sizes the frames' text for a frame that spans the
    # column (736 px at this width): it must be shown that wide.
    img = "#" + slider.get_attribute("id").replace("_anim_slider", "_anim_img")
    width = page.eval_on_selector(img, "e => e.getBoundingClientRect().width")
    assert width >= 700, f"the frames are shown {width} px wide"
    assert first["value"] == "0"
    assert first["valuetext"] == values[0]
    assert first["text"].startswith(texts[0]), first["text"]
    assert first["alt"] == first["text"]

    # The keyboard: focus the slider (by Tab order, as a reader would reach
    # it, here by focusing it) and press the right arrow.
    slider.focus()
    page.keyboard.press("ArrowRight")
    second = _state(page, slider)
    assert second["value"] == "1"
    assert second["src"] != first["src"]
    assert second["valuetext"] == values[1]
    assert texts[1] in second["text"], second["text"]
    assert second["alt"] == second["text"]

    # Setting the value, as a pointer drag does, fires the same input event.
    last = page.evaluate(
        """id => { const s = document.getElementById(id);
                   s.value = s.max; s.dispatchEvent(new Event('input'));
                   return s.max; }""",
        slider.get_attribute("id"),
    )
    third = _state(page, slider)
    assert third["value"] == last
    assert third["src"] not in (first["src"], second["src"])
    assert third["valuetext"] == values[2]
    assert texts[2] in third["text"], third["text"]

    # The buttons are keyboard-operable too: "First frame" by Enter.
    first_button = page.locator(
        f"#{slider.get_attribute('id')} ~ .anim-buttons button[title='First frame']"
    )
    first_button.focus()
    page.keyboard.press("Enter")
    assert _state(page, slider)["valuetext"] == values[0]
    assert errors == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_pages_pass_axe(
    context: Any, axe_js: Path, name: str, theme: str
) -> None:
    page_path, label, _, _ = EXPLORERS[name]
    page = context.new_page()
    page.goto(page_path, wait_until="networkidle")
    _player(page, label)
    violations = axe_violations(page, axe_js, theme)
    assert violations == [], "\n".join(describe(violations, page_path, theme))
