"""The machinery of the bad-input tables in ``test_bad_input.py``.

A table row is a function, a call of it (:class:`A`) and what must come out.
:class:`CrossTable` crosses the kinds of bad argument (lists of :class:`Bad`)
with the functions that take them; :func:`rules`, :func:`results` and
:func:`diverges` make the rows that need more than one bad argument.
"""

from __future__ import annotations

import functools
import inspect
import re
import signal
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pytest
import torch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from _pytest.mark.structures import ParameterSet

ErrorType = type[Exception] | tuple[type[Exception], ...]
#: Seconds after which a call counts as hung.
HANG_SECONDS = 20
#: An upper bound on steps that no case may really take.
HUGE = 10**9


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail with "hung" if the block runs longer than `seconds` (POSIX only)."""
    usable = (
        hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:  # pragma: no cover - Windows, or a worker thread
        yield
        return

    def hung(signum: int, frame: object) -> None:  # noqa: ARG001
        pytest.fail(f"hung: still running after {seconds} s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def quick(func: Callable[..., Any], seconds: int) -> Callable[..., Any]:
    """`func`, given up on as hung after `seconds` instead of HANG_SECONDS."""
    wrapped = functools.partial(func)
    wrapped.hang_seconds = seconds  # type: ignore[attr-defined]
    return wrapped


def deadline(func: Callable[..., Any]) -> int:
    return int(getattr(func, "hang_seconds", HANG_SECONDS))


def finite(value: object) -> bool:
    """Is every number in `value` (nested tuples, lists, arrays, tensors) finite?"""
    if isinstance(value, torch.Tensor):
        return bool(torch.isfinite(value.detach()).all())
    if isinstance(value, np.ndarray | np.generic | float | int):
        return bool(np.isfinite(np.asarray(value, dtype=np.float64)).all())
    if isinstance(value, tuple | list):
        return all(finite(item) for item in value)
    return True


def in_group_of_one(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, called inside a one-process gloo group on 127.0.0.1."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        import torch.distributed as dist  # noqa: PLC0415

        dist.init_process_group(
            "gloo", init_method="tcp://127.0.0.1:0", rank=0, world_size=1
        )
        try:
            return func(*args, **kwargs)
        finally:
            dist.destroy_process_group()

    return call


def name_of(func: Callable[..., Any]) -> str:
    inner = getattr(func, "func", func)  # a functools.partial from quick
    return str(inner.__name__)


class A:
    """The arguments of one call, ``A(*args, **kwargs)``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __call__(self, func: Callable[..., Any]) -> Any:
        return func(*self.args, **self.kwargs)

    def but(self, func: Callable[..., Any], name: str, value: object) -> A:
        """These arguments of `func`, with `name` set to `value`."""
        params = inspect.signature(func).parameters.values()
        positional = [p.name for p in params if p.kind <= p.POSITIONAL_OR_KEYWORD]
        if name in positional[: len(self.args)]:
            args = list(self.args)
            args[positional.index(name)] = value
            return A(*args, **self.kwargs)
        return A(*self.args, **{**self.kwargs, name: value})


class Bad(NamedTuple):
    """A bad value, the error it gives and a pattern: ``{}`` is the argument."""

    what: str
    value: object
    error: ErrorType
    match: str


def bad(error: ErrorType, match: str, cases: Mapping[str, object]) -> list[Bad]:
    return [Bad(what, value, error, match) for what, value in cases.items()]


def required(kind: list[Bad]) -> list[Bad]:
    """`kind`, and None refused as the kind's first TypeError says."""
    first = next(case for case in kind if case.error is TypeError)
    return [*kind, Bad("None", None, TypeError, first.match)]


def at_least(n: int) -> list[Bad]:
    """An integer count below `n`: 0 to n - 1, and -1."""
    cases = {str(k): k for k in range(n - 1, -2, -1)}
    return bad(ValueError, f"^{{}} must be at least {n}.*, got {{value}}", cases)


def named(names: str, kind: list[Bad]) -> dict[str, list[Bad]]:
    return dict.fromkeys(names.split(), kind)


class Arg(NamedTuple):
    """An argument of a kind: ``param=wrap(value)``, called `name` in messages."""

    param: str
    kind: list[Bad]
    name: str
    wrap: Callable[[Any], object] = lambda value: value


def item(param: str, kind: list[Bad], label: str, name: str = "") -> Arg:
    """The kind of the item `label` of the mapping `param`."""
    return Arg(param, kind, name or f"{param}[{label!r}]", lambda v: {label: v})


class CrossTable:
    """Bad values of each kind crossed with the functions that take that kind.

    `kinds` gives the usual kind of an argument by its name; `bugs` maps the id
    of a row that is a known defect of ``src/`` to its reason (a strict xfail).
    """

    def __init__(self, kinds: Mapping[str, list[Bad]], bugs: Mapping[str, str]) -> None:
        self.kinds = kinds
        self.bugs = bugs
        #: The valid call of each function in the table.
        self.valid: list[ParameterSet] = []
        #: The name that a row's message gives its argument (points: "x").
        self.called: dict[str, str] = {}

    def uses(
        self,
        func: Callable[..., Any],
        call: A,
        names: str = "",
        /,
        **kinds: list[Bad] | Arg,
    ) -> list[ParameterSet]:
        """The rows for `func`: each bad value of each argument, in `call`.

        `call` is a valid call of `func`; `names` are arguments of the usual
        kind, `kinds` the others. The id of a row is "func-argument-what".
        """
        params = []
        for key, spec in (
            {name: self.kinds[name] for name in names.split()} | kinds
        ).items():
            arg = spec if isinstance(spec, Arg) else Arg(key, spec, key)
            for case in arg.kind:
                match = case.match.replace("{}", re.escape(arg.name))
                match = match.replace("{value}", re.escape(repr(case.value)))
                case_id = f"{name_of(func)}-{key}-{case.what}"
                self.called[case_id] = arg.name
                reason = self.bugs.get(case_id)
                marks = (
                    [pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")]
                    if reason
                    else []
                )
                bad_call = call.but(func, arg.param, arg.wrap(case.value))
                values = (func, case.error, match, bad_call)
                params.append(pytest.param(*values, id=case_id, marks=marks))
        self.valid.append(pytest.param(func, call, id=name_of(func)))
        return params


def rules(func: Callable[..., Any], *rows: tuple[Any, ...]) -> list[ParameterSet]:
    """Rows ``(what, error, match, A(...))``: the call raises, its message matches."""
    return [
        pytest.param(func, *row[1:], id=f"{name_of(func)}-{row[0]}") for row in rows
    ]


def results(func: Callable[..., Any], *rows: tuple[Any, ...]) -> list[ParameterSet]:
    """Rows ``(what, A(...), check)``: the call must give a finite value that passes."""
    return [
        pytest.param(func, *row[1:], id=f"{name_of(func)}-{row[0]}") for row in rows
    ]


def diverges(
    func: Callable[..., Any], what: str, call: A, lr: float, step: int | None
) -> ParameterSet:
    """The call must raise DivergenceError for `lr`, at `step` (None: any step)."""
    return pytest.param(func, call, lr, step, id=f"{name_of(func)}-{what}")


# --- Arguments that several tables use ------------------------------------------------


def square(x: np.ndarray) -> np.ndarray:
    return x**2


def twice(x: np.ndarray) -> np.ndarray:
    """The gradient of `square`."""
    return 2 * x


def shard() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Fresh weights and a one-feature shard for descend_on_shard."""
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    return w, x, 2 * x[:, 0]


def unplayed_html(**kwargs: Any) -> str:
    """The HTML of a one-run animation that nobody plays."""
    from descent import f  # noqa: PLC0415
    from descent.plotting.animation import animate_descent, animation_html  # noqa: PLC0415

    return animation_html(animate_descent(f, {"run": [1.0, 0.5]}), **kwargs)
