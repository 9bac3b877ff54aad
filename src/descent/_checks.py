"""Argument checks shared by the public functions: one place, a handful of checks.

Each check takes the value and the name of the argument, and returns the value
in the form the function computes with, so that a function starts with one
line per argument::

    lr = real(lr, "lr", positive=True)
    nsteps = step_count(nsteps, tol)
    start = array(x, "x", nonempty=True)

Every check raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind outside the allowed range, with a
message that names the argument, shows the value and says what is allowed.

- :func:`real`, :func:`integer`, :func:`flag`, :func:`choice` and
  :func:`callable_` check one value.
- :func:`array` turns numbers, lists, NumPy arrays and tensors into a NumPy
  array, checking its kind, shape and finiteness on the way.
- :func:`limits`, :func:`step_count`, :func:`start_point`, :func:`operand`
  and :func:`sgd_options` are built from those for arguments that several
  modules share.

A number that float64 cannot hold (an int or a fraction beyond about 1.8e308)
is refused with a ``ValueError``: nothing here computes around the limits of
float64.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard, TypeVar

import numpy as np

if TYPE_CHECKING:
    import torch

    from descent._typing import AnyArray, AnyFloatArray

T = TypeVar("T")

#: Without a tolerance every step is recorded, so the history needs memory in
#: proportion to ``nsteps``; past this many steps we ask for a tolerance.
MAX_RECORDED_STEPS = 10_000_000

#: The options of ``torch.optim.SGD`` that hold a number.
SGD_NUMBER_OPTIONS = ("momentum", "dampening", "weight_decay")

#: How :func:`array` names the dtype kinds it accepts, in its messages.
_KINDS = {"iuf": "real numbers", "iu": "integers", "f": "floating-point numbers"}


def describe(value: object) -> str:
    """Show `value` in a message: its repr, shortened to 60 characters, and its type."""
    try:
        text = repr(value)
    except ValueError:  # an int of more digits than Python converts to text
        text = f"an int of about {len(format(value, 'x')) * math.log10(16):.0f} digits"
    text = " ".join(text.split())  # an array's repr spans lines
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def is_tensor(value: object) -> TypeGuard[torch.Tensor]:
    """Tell whether `value` is a torch tensor, without importing torch."""
    module = sys.modules.get("torch")
    return module is not None and isinstance(value, module.Tensor)


def real(
    value: object,
    name: str,
    *,
    positive: bool = False,
    at_least: float | None = None,
    at_most: float | None = None,
    what: str = "",
    note: str = "",
) -> float:
    """Return `value` as a float if it is a finite real number (not a bool) in range.

    `positive` asks for a number greater than 0, `at_least` and `at_most` for
    bounds that are allowed themselves. `what` names the kind of number in
    the message, as in "kappa must be a condition number >= 1"; `note` says
    where the rule comes from, after it.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{name} must be a real number, got {describe(value)}"
        raise TypeError(msg)
    try:
        number = float(value)
    except OverflowError:  # an int or a fraction beyond the largest float64
        msg = f"{name} is out of range: {describe(value)} is beyond the largest float64"
        raise ValueError(msg) from None
    if not math.isfinite(number):
        msg = f"{name} must be finite, got {value!r}"
        raise ValueError(msg)
    below = number <= 0 if positive else at_least is not None and number < at_least
    above = at_most is not None and number > at_most
    if below or above:
        low = "(0" if positive else None if at_least is None else f"[{at_least:g}"
        if low and at_most is not None:
            rule = f"in {low}, {at_most:g}]"
        elif positive:
            rule = "greater than 0"
        elif at_least is not None:
            rule = f">= {at_least:g}"
        else:
            rule = f"<= {at_most:g}"
        if note:
            rule = f"{rule} ({note})"
        msg = f"{name} must be {what + ' ' if what else ''}{rule}, got {value!r}"
        raise ValueError(msg)
    return number


def integer(
    value: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    unit: str = "",
    note: str = "",
) -> int:
    """Return `value` as an int if it is a whole number (not a bool) in range.

    `low` and `high` are allowed themselves. `unit` follows a bound in the
    message ("at least 1 millisecond"); `note` follows the value, to say why
    the range is what it is.
    """
    units = f" {unit}" if unit else ""
    if low == 0 and high is None:
        rule = kind = "a non-negative integer"
    elif low is not None and high is not None:
        rule = f"from {low} to {high}{units}"
        kind = f"an integer {rule}"
    elif low is not None:
        rule = f"at least {low}{units}"
        kind = f"an integer of {rule}"
    elif high is not None:
        rule = f"at most {high}{units}"
        kind = f"an integer of {rule}"
    else:
        rule = kind = "an integer"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        msg = f"{name} must be {kind}, got {describe(value)}"
        raise TypeError(msg)
    count = int(value)
    if (low is not None and count < low) or (high is not None and count > high):
        msg = f"{name} must be {rule}, got {count}{'; ' + note if note else ''}"
        raise ValueError(msg)
    return count


def flag(value: object, name: str) -> bool:
    """Return `value` if it is True or False (a NumPy bool will do)."""
    if not isinstance(value, bool | np.bool_):
        msg = f"{name} must be True or False, got {describe(value)}"
        raise TypeError(msg)
    return bool(value)


def choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return `value` if it is one of the strings `choices`."""
    allowed = ", ".join(map(repr, choices))
    if not isinstance(value, str):
        msg = f"{name} must be a str, one of {allowed}; got {describe(value)}"
        raise TypeError(msg)
    if value not in choices:
        msg = f"{name} must be one of {allowed}; got {value!r}"
        raise ValueError(msg)
    return value


def callable_(value: T, name: str) -> T:
    """Return `value` if it can be called."""
    if not callable(value):
        msg = f"{name} must be callable, got {describe(value)}"
        raise TypeError(msg)
    return value


def array(
    value: object,
    name: str,
    *,
    ndim: int | None = None,
    shape: tuple[int | str, ...] | None = None,
    kinds: str = "iuf",
    finite: bool | str = True,
    dtype: type[np.generic] | None = None,
    accept_tensor: bool = True,
    nonempty: bool = False,
    expected: str | None = None,
    note: str = "",
) -> AnyArray:
    """Return `value` as a NumPy array, or say why it cannot be one.

    The checks run in this order, and the first that fails raises:

    1. A torch tensor is detached and moved to the CPU (so one that requires
       grad is fine; bfloat16, which NumPy lacks, becomes float32), or refused
       if not `accept_tensor`.
    2. A str, bytes, bool or None is refused: a ``TypeError`` saying that
       `name` must be `expected` (by default, that it must hold real numbers).
    3. The dtype must be of one of the NumPy `kinds` ("i" signed and "u"
       unsigned integers, "f" floating point): ``TypeError``. An empty list
       has no dtype of its own and passes.
    4. The array becomes `dtype`. By default integers become float64 and
       floating-point arrays keep their precision.
    5. The shape: exactly `shape`, whose str entries name axes of any length
       (at least 1 with `nonempty`), or else `ndim` dimensions, or else any;
       with `nonempty`, at least one number. `note` follows the expected
       shape in the message, such as ", one sample per row". ``ValueError``.
    6. With `finite`, every entry must be finite: ``ValueError``. A str in
       place of True says what is required in the caller's words, such as
       "hold finite numbers only (a diverged run has nothing to plot)".
    """
    given = value
    if is_tensor(value):
        if not accept_tensor:
            msg = (
                f"{name} is a torch tensor; this is the NumPy version. Pass a NumPy "
                f"array or a number, or use the PyTorch version (such as "
                f"gradient_descent_torch) for tensors"
            )
            raise TypeError(msg)
        tensor = value.detach().cpu()
        if tensor.dtype == sys.modules["torch"].bfloat16:  # not a NumPy dtype
            tensor = tensor.float()  # which holds every bfloat16 exactly
        value = tensor.numpy()
    holds = _KINDS.get(kinds, f"numbers of the NumPy kinds {kinds!r}")
    if isinstance(value, str | bytes | bool) or value is None:
        wanted = f"be {expected}" if expected else f"hold {holds}"
        msg = f"{name} must {wanted}, got {describe(given)}"
        raise TypeError(msg)
    try:
        result = np.asarray(value)
    except ValueError as err:  # rows of different lengths
        msg = f"{name} must be a regular array (rows of one length), got {describe(given)}"
        raise ValueError(msg) from err
    if result.size == 0 and not isinstance(value, np.ndarray):
        result = result.astype(dtype or np.float64)  # NumPy makes [] float64
    if result.dtype.kind not in kinds:
        msg = (
            f"{name} must hold {holds}, got an array of dtype {result.dtype} from "
            f"{describe(given)}"
        )
        raise TypeError(msg)
    if dtype is not None:
        result = result.astype(dtype, copy=False)
    elif result.dtype.kind in "iu" and "f" in kinds:
        result = result.astype(np.float64)
    _check_shape(result, name, ndim=ndim, shape=shape, nonempty=nonempty, note=note)
    if finite and result.dtype.kind == "f" and not np.isfinite(result).all():
        wanted = finite if isinstance(finite, str) else "be finite"
        msg = f"{name} must {wanted}, got {describe(given)}"
        raise ValueError(msg)
    return result


def _check_shape(
    result: AnyArray,
    name: str,
    *,
    ndim: int | None,
    shape: tuple[int | str, ...] | None,
    nonempty: bool,
    note: str,
) -> None:
    """The shape step of :func:`array`."""
    if shape is not None:
        least = 1 if nonempty else 0
        fits = result.ndim == len(shape) and all(
            size >= least if isinstance(want, str) else size == want
            for size, want in zip(result.shape, shape, strict=True)
        )
        if not fits:
            text = ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "")
            msg = f"{name} must have shape ({text}){note}, got shape {result.shape}"
            raise ValueError(msg)
    elif ndim is not None:
        if result.ndim != ndim or (nonempty and result.size == 0):
            kind = "sequence" if ndim == 1 else "array"
            size = "non-empty " if nonempty else ""
            msg = f"{name} must be a {size}{ndim}-D {kind}{note}, got shape {result.shape}"
            raise ValueError(msg)
    elif nonempty and result.size == 0:
        msg = f"{name} must hold at least one number, got an empty array"
        raise ValueError(msg)


def limits(value: object, name: str) -> tuple[float, float]:
    """Return `value` as ``(low, high)`` if it is an increasing pair of numbers.

    Both numbers must be finite, and so must their difference: an interval
    wider than the largest float cannot be divided into grid points.
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        items: Sequence[object] = value.tolist()
    elif isinstance(value, Sequence):
        items = value
    else:
        items = ()
    if len(items) != 2:
        msg = f"{name} must be a pair (low, high), got {describe(value)}"
        raise TypeError(msg)
    low = real(items[0], f"{name}[0]")
    high = real(items[1], f"{name}[1]")
    if low >= high:
        msg = f"{name} must be an increasing pair (low, high), got {value!r}"
        raise ValueError(msg)
    if not math.isfinite(high - low):
        msg = (
            f"{name} must span a finite width, got {value!r}, whose width "
            f"high - low overflows; pick a narrower interval"
        )
        raise ValueError(msg)
    return low, high


def step_count(nsteps: object, tol: float | None) -> int:
    """Return `nsteps` if it is a whole number of steps the loop can record."""
    count = integer(nsteps, "nsteps", low=0)
    if tol is None and count > MAX_RECORDED_STEPS:
        msg = (
            f"nsteps={count} would record {count + 1} iterates; without tol at most "
            f"{MAX_RECORDED_STEPS} steps are allowed. Pass tol to stop early and keep "
            f"nsteps as an upper bound."
        )
        raise ValueError(msg)
    return count


def start_point(x: object, name: str) -> AnyFloatArray:
    """Return the start of a NumPy descent as a finite, non-empty float array.

    Integers become float64; float16, float32 and float64 keep their
    precision. A tensor is refused: it belongs to the PyTorch versions.
    """
    expected = "a real number or an array of them"
    return array(x, name, accept_tensor=False, nonempty=True, expected=expected)


def operand(x: T, name: str) -> T:
    """Check the argument of an elementwise function such as ``f`` or ``df``.

    Numbers, NumPy arrays and tensors pass through unchanged (tensors keep
    their autograd graph); lists and tuples become arrays. Every entry must
    be finite: ``nan`` or ``inf`` in gives ``nan`` or ``inf`` out, which is
    never an answer worth returning.
    """
    if not isinstance(x, bool) and isinstance(x, numbers.Real):
        real(x, name)
        return x
    if not (is_tensor(x) or isinstance(x, np.ndarray | np.generic | list | tuple)):
        msg = (
            f"{name} must be a real number, a NumPy array or a torch tensor, "
            f"got {describe(x)}"
        )
        raise TypeError(msg)
    array(x, name)
    return np.asarray(x) if isinstance(x, list | tuple) else x  # type: ignore[return-value]


def sgd_options(options: Mapping[str, object]) -> None:
    """Check that the numeric options for ``torch.optim.SGD`` are finite numbers.

    PyTorch checks their range (``momentum >= 0`` and so on) but not their
    type or finiteness: ``nan`` passes, and a string fails inside a comparison.
    """
    for name in SGD_NUMBER_OPTIONS:
        if name in options:
            real(options[name], name)
