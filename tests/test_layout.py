"""The package's layout: the numerics never pull in plotting or torch."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

import descent

HEAVY = ("matplotlib", "seaborn", "pandas", "torch")


def _loaded_after(code: str) -> list[str]:
    """Run `code` in a fresh interpreter; return which heavy modules it loaded."""
    probe = (
        f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return list(ast.literal_eval(out))


def test_numpy_descent_loads_no_plotting_and_no_torch() -> None:
    assert _loaded_after("import descent; descent.gradient_descent(-10.0)") == []


@pytest.mark.parametrize(
    "module",
    [
        "descent.sgd",
        "descent.linear_model",
        "descent.conditioning",
        "descent.learning_rate",
        "descent.precision",
        "descent.parallel",
        "descent.torch_descent",
    ],
)
def test_numerics_modules_import_neither_plotting_nor_torch(module: str) -> None:
    assert _loaded_after(f"import {module}") == []


def test_torch_is_loaded_by_the_torch_functions_only() -> None:
    code = "import descent; descent.gradient_descent_torch(-10.0, nsteps=1)"
    assert _loaded_after(code) == ["torch"]


def test_visualize_is_loaded_from_plotting_on_first_use() -> None:
    assert "visualize" in dir(descent)
    loaded = _loaded_after("import descent; descent.visualize")
    assert "matplotlib" in loaded
    assert "torch" not in loaded
    from descent.plotting import visualize  # noqa: PLC0415

    assert descent.visualize is visualize


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = descent.nothing_here
