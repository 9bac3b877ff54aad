"""Argument checks shared by the public functions.

Every check raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind outside the allowed range, with a
message that names the argument, shows the value and says what is allowed.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Mapping, Sequence
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
    try:
        number = float(value)
    except OverflowError:  # an int or fraction beyond the largest float64
        msg = (
            f"{name} is out of range: {_describe(value)} is beyond the largest float64"
        )
        raise ValueError(msg) from None
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


def _tensor_is_finite(x: Any) -> bool:
    """Tell whether every entry of the tensor `x` is finite.

    The check reads no gradient and records nothing for autograd. Under a
    transform that cannot look at values (``torch.func.vmap``, for one) it is
    skipped rather than allowed to fail.
    """
    torch: Any = sys.modules["torch"]
    try:
        return bool(torch.isfinite(x).all())
    except RuntimeError:  # pragma: no cover - a batched or traced tensor
        return True


def check_operand(x: T, name: str) -> T:
    """Check the argument of an elementwise function such as ``f`` or ``df``.

    Numbers, NumPy arrays and tensors pass through unchanged (tensors keep
    their autograd graph); lists and tuples become arrays. Every entry must
    be finite: ``nan`` or ``inf`` in gives ``nan`` or ``inf`` out, which is
    never an answer worth returning.
    """
    if is_tensor(x):
        if not _tensor_is_finite(x):
            msg = f"{name} must be finite, got {_describe(x)}"
            raise ValueError(msg)
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
        check_real(x, name)
        return x
    array = np.asarray(x)
    if array.dtype.kind not in "iuf":
        msg = f"{name} must hold real numbers, got dtype {array.dtype}"
        raise TypeError(msg)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        msg = f"{name} must be finite, got {_describe(x)}"
        raise ValueError(msg)
    return array if isinstance(x, list | tuple) else x  # type: ignore[return-value]


#: The options of ``torch.optim.SGD`` that hold a number.
SGD_NUMBER_OPTIONS = ("momentum", "dampening", "weight_decay")


def check_sgd_options(options: Mapping[str, object]) -> None:
    """Check that the numeric options for ``torch.optim.SGD`` are finite numbers.

    PyTorch checks their range (``momentum >= 0`` and so on) but not their
    type or finiteness: ``nan`` passes, and a string fails inside a comparison.
    """
    for name in SGD_NUMBER_OPTIONS:
        if name in options:
            check_real(options[name], name)


def as_real_array(value: object, name: str) -> np.ndarray[Any, np.dtype[Any]]:
    """Return `value` as a NumPy array of real numbers, or say why not.

    A tensor is detached and copied to the CPU first, so one that requires
    grad is fine. The array keeps its dtype; nothing is checked but the kind.
    """
    if is_tensor(value):
        value = value.detach().cpu().numpy()  # type: ignore[attr-defined]
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        msg = f"{name} must hold real numbers, got dtype {array.dtype}"
        raise TypeError(msg)
    return array


def check_learning_rate(lr: object) -> float:
    """Return `lr` if it is a finite learning rate greater than zero."""
    return check_positive(lr, "lr")


def check_limits(limits: object, name: str) -> tuple[float, float]:
    """Return `limits` as ``(low, high)`` if it is an increasing pair of numbers.

    Both numbers must be finite, and so must their difference: an interval
    wider than the largest float cannot be divided into grid points.
    """
    if isinstance(limits, np.ndarray) and limits.ndim == 1:
        items: Sequence[object] = limits.tolist()
    elif isinstance(limits, Sequence):
        items = limits
    else:
        items = ()
    if len(items) != 2:
        msg = f"{name} must be a pair (low, high), got {_describe(limits)}"
        raise TypeError(msg)
    low = check_real(items[0], f"{name}[0]")
    high = check_real(items[1], f"{name}[1]")
    if low >= high:
        msg = f"{name} must be an increasing pair (low, high), got {limits!r}"
        raise ValueError(msg)
    if not math.isfinite(high - low):
        msg = (
            f"{name} must span a finite width, got {limits!r}, whose width "
            f"high - low overflows; pick a narrower interval"
        )
        raise ValueError(msg)
    return low, high


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return `value` if it is one of the strings `choices`."""
    if not isinstance(value, str):
        allowed = ", ".join(map(repr, choices))
        msg = f"{name} must be a str, one of {allowed}; got {_describe(value)}"
        raise TypeError(msg)
    if value not in choices:
        msg = f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        raise ValueError(msg)
    return value
