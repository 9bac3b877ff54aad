"""Tests of the shared argument checks in ``descent._checks``.

The public functions' messages are pinned by ``test_bad_input.py``; these
tests cover what the checks can do that no public function asks of them yet.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch

from descent._checks import (
    array,
    callable_,
    choice,
    describe,
    flag,
    integer,
    limits,
    operand,
    real,
    step_count,
)

# --- real ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "value", "message"),
    [
        ({"positive": True}, 0, r"^v must be greater than 0, got 0$"),
        ({"at_least": 0}, -1.5, r"^v must be >= 0, got -1\.5$"),
        ({"at_most": 1}, 2, r"^v must be <= 1, got 2$"),
        ({"positive": True, "at_most": 1}, 0.0, r"^v must be in \(0, 1\], got 0\.0$"),
        ({"at_least": 1, "at_most": 5}, 6, r"^v must be in \[1, 5\], got 6$"),
        (
            {"at_least": 1, "what": "a condition number"},
            0.5,
            r"a condition number >= 1",
        ),
    ],
)
def test_real_says_which_range_is_allowed(
    kwargs: dict[str, object], value: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        real(value, "v", **kwargs)  # type: ignore[arg-type]


def test_real_accepts_the_bounds_and_returns_a_float() -> None:
    assert real(1, "v", at_least=1, at_most=1) == 1.0
    assert isinstance(real(np.float32(0.5), "v", positive=True), float)
    assert real(Fraction(1, 4), "v") == 0.25


@pytest.mark.parametrize("huge", [10**400, Fraction(10**400, 3)])
def test_real_refuses_a_number_beyond_float64(huge: object) -> None:
    with pytest.raises(ValueError, match=r"^v is out of range: .* beyond the largest"):
        real(huge, "v")


def test_describe_shortens_and_survives_ints_too_long_to_print() -> None:
    assert describe("a" * 100).endswith("... (str)")
    assert describe(10**100_000) == "an int of about 100001 digits (int)"


# --- integer, flag, choice, callable_ ------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "value", "error", "message"),
    [
        ({}, 2.0, TypeError, r"^n must be an integer, got 2\.0 \(float\)$"),
        ({"low": 0}, True, TypeError, r"^n must be a non-negative integer, got True"),
        ({"low": 0}, -1, ValueError, r"^n must be a non-negative integer, got -1$"),
        ({"low": 2}, 1, ValueError, r"^n must be at least 2, got 1$"),
        ({"high": 9}, 10, ValueError, r"^n must be at most 9, got 10$"),
        ({"high": 9}, "9", TypeError, r"^n must be an integer of at most 9, got '9'"),
        ({"low": 0, "high": 9}, 10, ValueError, r"^n must be from 0 to 9, got 10$"),
        ({"low": 1, "unit": "second"}, 0, ValueError, r"at least 1 second, got 0$"),
        ({"low": 1, "note": "why"}, 0, ValueError, r"got 0; why$"),
    ],
)
def test_integer_says_which_range_is_allowed(
    kwargs: dict[str, object], value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        integer(value, "n", **kwargs)  # type: ignore[arg-type]


def test_integer_accepts_numpy_integers() -> None:
    assert integer(np.int64(3), "n", low=0, high=3) == 3


def test_flag_takes_python_and_numpy_bools_only() -> None:
    assert flag(np.True_, "b") is True
    assert flag(False, "b") is False
    with pytest.raises(TypeError, match=r"^b must be True or False, got 1 \(int\)$"):
        flag(1, "b")


def test_choice_and_callable() -> None:
    assert choice("a", "c", ("a", "b")) == "a"
    with pytest.raises(TypeError, match=r"^c must be a str, one of 'a', 'b'; got 1"):
        choice(1, "c", ("a", "b"))
    with pytest.raises(ValueError, match=r"^c must be one of 'a', 'b'; got 'z'$"):
        choice("z", "c", ("a", "b"))
    assert callable_(len, "f") is len
    with pytest.raises(TypeError, match=r"^f must be callable, got 1 \(int\)$"):
        callable_(1, "f")


# --- array ---------------------------------------------------------------------


def test_array_keeps_floats_and_makes_integers_float64() -> None:
    assert array(np.float32(1.0), "a").dtype == np.float32
    assert array([1, 2], "a").dtype == np.float64
    assert array([1, 2], "a", dtype=np.float32).dtype == np.float32
    assert array([1, 2], "a", kinds="iu", dtype=np.int64).dtype == np.int64
    assert array([], "a", kinds="iu", dtype=np.int64).dtype == np.int64


def test_array_detaches_a_tensor_or_refuses_it() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(array(w, "w"), [1.0, 2.0])
    with pytest.raises(TypeError, match=r"^w is a torch tensor; this is the NumPy"):
        array(w, "w", accept_tensor=False)


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        ("ab", {}, TypeError, r"^a must hold real numbers, got 'ab' \(str\)$"),
        (None, {"expected": "a list"}, TypeError, r"^a must be a list, got None"),
        ([1.5], {"kinds": "iu"}, TypeError, r"^a must hold integers, got an array of"),
        ([1], {"kinds": "f"}, TypeError, r"^a must hold floating-point numbers"),
        ([1], {"kinds": "fc"}, TypeError, r"^a must hold numbers of the NumPy kinds"),
        ([[1.0], [1.0, 2.0]], {}, ValueError, r"^a must be a regular array"),
        ([], {"nonempty": True}, ValueError, r"^a must hold at least one number"),
        ([[1.0]], {"ndim": 1}, ValueError, r"^a must be a 1-D sequence, got shape"),
        (
            [1.0],
            {"ndim": 2, "note": ", x"},
            ValueError,
            r"^a must be a 2-D array, x, got",
        ),
        (np.ones((0, 2)), {"ndim": 2, "nonempty": True}, ValueError, r"non-empty 2-D"),
        (
            [1.0],
            {"shape": (2,)},
            ValueError,
            r"^a must have shape \(2,\), got shape \(1,\)$",
        ),
        (np.ones((1, 3)), {"shape": ("n", 2)}, ValueError, r"shape \(n, 2\), got"),
        (
            np.ones((0, 2)),
            {"shape": ("n", 2), "nonempty": True},
            ValueError,
            r"\(n, 2\)",
        ),
        ([np.nan], {}, ValueError, r"^a must be finite, got \[nan\] \(list\)$"),
        (
            [np.inf],
            {"finite": "hold finite numbers only"},
            ValueError,
            r"^a must hold fin",
        ),
    ],
)
def test_array_refuses_with_a_clear_message(
    value: object, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        array(value, "a", **kwargs)  # type: ignore[arg-type]


def test_array_accepts_what_the_options_allow() -> None:
    assert array(np.ones((0, 2)), "a", shape=("n", 2)).shape == (0, 2)
    assert array([np.nan], "a", finite=False).shape == (1,)
    assert array([[1, 2]], "a", shape=("n", 2), nonempty=True).shape == (1, 2)


# --- limits, step_count, operand -----------------------------------------------


def test_limits_take_a_pair_of_numbers_or_a_1d_array() -> None:
    assert limits(np.array([0, 1]), "xlim") == (0.0, 1.0)
    with pytest.raises(TypeError, match=r"^xlim must be a pair \(low, high\)"):
        limits(np.zeros((2, 1)), "xlim")
    with pytest.raises(ValueError, match="xlim must span a finite width"):
        limits((-1e308, 1e308), "xlim")


def test_step_count_caps_the_recorded_steps_without_tol() -> None:
    assert step_count(10**9, tol=1e-6) == 10**9
    with pytest.raises(ValueError, match=r"^nsteps=1000000000 would record"):
        step_count(10**9, tol=None)


def test_operand_passes_values_through_and_turns_sequences_into_arrays() -> None:
    x = np.float32(2.0)
    assert operand(x, "x") is x
    assert operand(7, "x") == 7
    assert operand((1, 2), "x").tolist() == [1, 2]  # type: ignore[attr-defined]
    t = torch.tensor([1.0], requires_grad=True)
    assert operand(t, "x") is t
    with pytest.raises(ValueError, match=r"^x must be finite"):
        operand(torch.tensor([np.inf]), "x")
    with pytest.raises(ValueError, match=r"^x is out of range"):
        operand(Fraction(10**400), "x")


def test_array_reads_a_bfloat16_tensor_through_float32() -> None:
    # NumPy has no bfloat16; float32 holds every bfloat16 exactly.
    checked = array(torch.tensor([1.5, 2.0], dtype=torch.bfloat16), "a")
    assert checked.dtype == np.float32
    assert checked.tolist() == [1.5, 2.0]
    assert (
        operand(torch.tensor([3.0], dtype=torch.bfloat16), "x").dtype == torch.bfloat16
    )
