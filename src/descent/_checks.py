"""Argument checks shared by the public functions.

Every check raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind outside the allowed range, with a
message that names the argument, shows the value and says what is allowed.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

#: Without a tolerance every step is recorded, so the history needs memory in
#: proportion to ``nsteps``; past this many steps we ask for a tolerance.
MAX_RECORDED_STEPS = 10_000_000


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def is_tensor(value: object) -> bool:
    """Tell whether `value` is a torch tensor, without importing torch."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def check_real(value: object, name: str) -> float:
    """Return `value` as a float if it is a finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{name} must be a real number, got {_describe(value)}"
        raise TypeError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"{name} must be finite, got {value!r}"
        raise ValueError(msg)
    return number


def check_positive(value: object, name: str) -> float:
    """Return `value` as a float if it is a finite number greater than zero."""
    number = check_real(value, name)
    if number <= 0:
        msg = f"{name} must be greater than 0, got {value!r}"
        raise ValueError(msg)
    return number


def check_nsteps(nsteps: object, tol: float | None) -> int:
    """Return `nsteps` if it is a whole number of steps the loop can record."""
    if isinstance(nsteps, bool) or not isinstance(nsteps, numbers.Integral):
        msg = f"nsteps must be a non-negative integer, got {_describe(nsteps)}"
        raise TypeError(msg)
    count = int(nsteps)
    if count < 0:
        msg = f"nsteps must be a non-negative integer, got {count}"
        raise ValueError(msg)
    if tol is None and count > MAX_RECORDED_STEPS:
        msg = (
            f"nsteps={count} would record {count + 1} iterates; without tol at most "
            f"{MAX_RECORDED_STEPS} steps are allowed. Pass tol to stop early and keep "
            f"nsteps as an upper bound."
        )
        raise ValueError(msg)
    return count


def check_tol(tol: object) -> float | None:
    """Return `tol` if it is None or a finite number greater than zero."""
    if tol is None:
        return None
    return check_positive(tol, "tol")


def check_callable(value: T, name: str) -> T:
    """Return `value` if it can be called."""
    if not callable(value):
        msg = f"{name} must be callable, got {_describe(value)}"
        raise TypeError(msg)
    return value


def check_array(x: object, name: str) -> np.ndarray[Any, np.dtype[np.floating[Any]]]:
    """Return `x` as a finite, non-empty floating-point NumPy array.

    Integers become float64; float16, float32 and float64 keep their precision.
    """
    if is_tensor(x):
        msg = (
            f"{name} is a torch tensor; this is the NumPy version. Pass a NumPy array "
            f"or a float, or use gradient_descent_torch for tensors"
        )
        raise TypeError(msg)
    if isinstance(x, bool | str | bytes) or x is None:
        msg = f"{name} must be a real number or an array of them, got {_describe(x)}"
        raise TypeError(msg)
    array = np.asarray(x)
    kind = array.dtype.kind
    if kind in "iu":
        array = array.astype(np.float64)
    elif kind != "f":
        msg = (
            f"{name} must hold real numbers, got an array of dtype {array.dtype} "
            f"from {_describe(x)}"
        )
        raise TypeError(msg)
    if array.size == 0:
        msg = f"{name} must hold at least one number, got an empty array"
        raise ValueError(msg)
    if not np.isfinite(array).all():
        msg = f"{name} must be finite, got {_describe(x)}"
        raise ValueError(msg)
    return array


def check_operand(x: T, name: str) -> T:
    """Check the argument of an elementwise function such as ``f`` or ``df``.

    Numbers, NumPy arrays and tensors pass through unchanged (tensors keep
    their autograd graph); lists and tuples become arrays.
    """
    if is_tensor(x):
        return x
    if isinstance(x, bool) or not isinstance(
        x, numbers.Real | np.ndarray | np.generic | list | tuple
    ):
        msg = (
            f"{name} must be a real number, a NumPy array or a torch tensor, "
            f"got {_describe(x)}"
        )
        raise TypeError(msg)
    if isinstance(x, numbers.Real):
        return x
    array = np.asarray(x)
    if array.dtype.kind not in "iuf":
        msg = f"{name} must hold real numbers, got dtype {array.dtype}"
        raise TypeError(msg)
    return array if isinstance(x, list | tuple) else x  # type: ignore[return-value]


def check_learning_rate(lr: object) -> float:
    """Return `lr` if it is a finite learning rate greater than zero."""
    return check_positive(lr, "lr")
