"""Bad input, as tables: every public function, given what it must refuse.

The bad values are written once per *kind* of argument (a real number, an
``nsteps``, a callable, a start...), each with the exception it must raise and
a pattern its message must match, in which ``{}`` stands for the name of the
argument and ``{value}`` for the value as ``repr`` shows it: a failure deep
inside NumPy or PyTorch ("only integers ... are valid indices") does not count
as a clear error. :data:`KINDS` gives the usual kind of an argument by its
name. :func:`uses` gives a function a valid call and names its arguments (with
their kinds, where they are not the usual ones); :data:`ERRORS` crosses the
two, one bad argument at a time in the otherwise valid call
("gradient_descent-lr-nan"), and adds :data:`RULES`, the rows for the rules of
one function ("gradient_descent-grad-wrong-shape").

Input that looks bad but has an answer, and runs that diverge, are in
``test_edge_cases.py``; the machinery of both tables is ``tests/cases.py``.

Every call runs under a ``SIGALRM`` deadline, so a case that hangs fails with
"hung" instead of stalling the suite; a refused call may not start a process
or leave a figure open. Cases marked ``BUG`` are known defects of ``src/``:
they are strict xfails, to be unmarked when the source is fixed.
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing.process
import pkgutil
import re
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

import descent
import descent.plotting
from descent import (
    DescentError,
    DivergenceError,
    StallError,
    df,
    f,
    gradient_descent,
    gradient_descent_sgd,
    gradient_descent_torch,
    visualize,
)
from descent.conditioning import (
    condition_number,
    curvatures,
    distances,
    gd_rate,
    gd_tuning,
    heavy_ball_rate,
    heavy_ball_tuning,
    measured_rate,
    nesterov_rate,
    nesterov_tuning,
    stability_limit,
    steps_to_tolerance,
)
from descent.data import Regression, make_regression
from descent.functions import dtwo_valleys, two_valleys
from descent.learning_rate import SweepRun, closed_form, lr_sweep, regime
from descent.linear_model import (
    INPUTS,
    TARGETS,
    exact_weights,
    hessian,
    mse,
    mse_gradient,
    mse_torch,
    predict,
)
from descent.parallel import (
    PortInUseError,
    WorkerFailedError,
    data_parallel_descent,
    ddp_descend_on_shard,
    descend_in_group,
    descend_on_shard,
    launch,
    main,
    torchrun_command,
)
from descent.plotting import (
    notebook_setup,
    plot_contours,
    plot_convergence,
    plot_losses,
    plot_lr_sweep,
    plot_magnitudes,
    plot_parallel_run,
    plot_tangents,
    plot_update,
)
from descent.plotting.animation import MAX_FRAMES, animate_descent, animation_html
from descent.plotting.explorer import (
    LrFrame,
    MomentumFrame,
    explorer_html,
    label_player,
    lr_description,
    lr_explorer,
    lr_frames,
    momentum_betas,
    momentum_description,
    momentum_explorer,
    momentum_frames,
)
from descent.plotting.themes import figure_svg, show_light_and_dark, text_contrasts
from descent.precision import stall_step
from descent.sgd import SGDState, sgd_init, sgd_run, sgd_run_torch, sgd_step, sgd_update
from tests.cases import (
    HUGE,
    A,
    Arg,
    CrossTable,
    ErrorType,
    at_least,
    bad,
    deadline,
    in_group_of_one,
    item,
    name_of,
    named,
    no_hang,
    quick,
    required,
    rules,
    shard,
    square,
    twice,
    unplayed_html,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


# An animation made only to be refused is never played; Matplotlib warns then.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Animation was deleted without rendering anything:UserWarning"
)

NAN = float("nan")
INF = float("inf")


# --- Helpers ------------------------------------------------------------------------


def _read_only() -> np.ndarray:
    array = np.ones(2)
    array.flags.writeable = False
    return array


def _path(*rows: list[float]) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def _nan_run(value: float = NAN, lr: float = 0.1) -> list[SweepRun]:
    steps = np.arange(2)
    return [SweepRun(lr, "x", steps, np.array([1.0, value]), np.array([1.0, 0.8]))]


def _bowl(w: np.ndarray) -> float:
    return float(w @ w)


def _too_long(x: np.ndarray) -> np.ndarray:
    """A gradient with two entries too many."""
    return np.ones(np.size(x) + 2)


def _strings(x: np.ndarray) -> np.ndarray:
    """A gradient of the right shape that holds strings."""
    return np.full(np.shape(x), "a")


def _detached(x: torch.Tensor) -> torch.Tensor:
    """A loss that does not depend on x for autograd."""
    return torch.tensor(float(x.numel()))


_STATE = sgd_init(np.ones(2))  # only used by cases refused before any update
_STATE3 = sgd_init(np.zeros(3))
_FIG = Figure()
_PAIR = {"a": _path([1.0, 1.0], [0.5, 0.5])}  # a (steps, 2) path for contours
_TRAJ = _path([0.0, 0.0], [1.0, 2.0])  # weights of INPUTS' model, per step
_SWEEP = lr_sweep(4.0, lrs=[0.1], nsteps=2)
_LONG = [float(k) for k in range(MAX_FRAMES + 1)]
_DATA = (INPUTS, TARGETS, np.zeros(2))  # for data_parallel_descent


# Tables read best one row to a line: the formatter leaves them at 100 columns.
# fmt: off
# --- Kinds of argument: each bad value once -----------------------------------------


_REAL = "^{} must be a real number, got {value}"
_FINITE = "^{} must be finite"
_HOLD = "^{} must hold real numbers"
REAL = [*bad(TypeError, _REAL, {"str": "a", "str-number": "0.1", "bool": True}),
        *bad(TypeError, _REAL, {"complex": 1j, "list": [0.1], "array": np.array([0.1])}),
        *bad(TypeError, _REAL, {"tensor": torch.tensor(1.0)}),
        *bad(ValueError, _FINITE + ", got {value}", {"nan": NAN, "inf": INF})]
_POSITIVE = "^{} must be greater than 0, got {value}"
POSITIVE = [*REAL, *bad(ValueError, _POSITIVE, {"0": 0, "0.0": 0.0, "negative": -0.1})]
POSITIVE += bad(ValueError, _POSITIVE, {"-1": -1})
_AT_LEAST_0 = "^{} must be >= 0.*, got {value}"
AT_LEAST_0 = [*REAL, *bad(ValueError, _AT_LEAST_0, {"negative": -0.1, "-1": -1})]
_NSTEPS = "^{} must be a non-negative integer, got {value}"
NSTEPS = [*bad(TypeError, _NSTEPS, {"float": 2.5, "float-whole": 2.0, "str": "3"}),
          *bad(TypeError, _NSTEPS, {"bool": True, "None": None}),
          *bad(ValueError, _NSTEPS, {"negative": -1}),
          *bad(ValueError, "^{}={value} would record .* Pass tol", {"huge": HUGE}),
          *bad(ValueError, "^{}={value} would record", {"one-too-many": 10_000_001})]
_INTEGER = "^{} must be an integer"
INTEGER = bad(TypeError, _INTEGER, {"float": 2.5, "float-whole": 2.0, "bool": True})
INTEGER += bad(TypeError, _INTEGER, {"str": "3"})
CALLABLE = bad(TypeError, "^{} must be callable, got {value}", {"str": "f", "int": 5})
_FLAG = "^{} must be True or False, got {value}"
FLAG = bad(TypeError, _FLAG, {"str": "yes", "int": 1})
_REAL_ARRAY = "^{} must be a real number or an array of them, got {value}"
_DTYPE = "^{} must hold real numbers, got an array of dtype"
_EMPTY = "^{} must hold at least one number"
ARRAY = [  # the start of a NumPy loop, or its data
    *bad(TypeError, _REAL_ARRAY, {"str": "abc", "bytes": b"1.0", "None": None}),
    *bad(TypeError, _REAL_ARRAY, {"bool": True}),
    *bad(TypeError, _DTYPE + " complex", {"complex": 1j, "complex-array": [1j]}),
    *bad(TypeError, _DTYPE + " object", {"object": object(), "list-None": [1, None]}),
    *bad(TypeError, _DTYPE, {"list-str": ["a", "b"]}),
    *bad(TypeError, "^{} is a torch tensor", {"tensor": torch.tensor(1.0)}),
    *bad(TypeError, "^{} is a torch tensor", {"tensor-1d": torch.tensor([1.0])}),
    *bad(ValueError, _EMPTY, {"empty": [], "empty-2d": np.empty((2, 0))}),
    *bad(ValueError, _FINITE, {"nan": NAN, "inf": INF, "list-nan": [NAN]}),
    *bad(ValueError, _FINITE, {"list-inf": [1.0, INF]}),
    *bad(ValueError, _FINITE, {"float32-inf": np.array([INF], np.float32)}),
]
_OPERAND = "^{} must be a real number, a NumPy array or a torch tensor, got {value}"
OPERAND = [  # the x of f and df
    *bad(TypeError, _OPERAND, {"str": "abc", "bytes": b"1.0", "None": None}),
    *bad(TypeError, _OPERAND, {"bool": True, "False": False, "complex": 1j}),
    *bad(TypeError, _OPERAND, {"set": {1.0}, "object": object()}),
    *bad(TypeError, _HOLD, {"list-str": ["a", "b"], "list-complex": [1j]}),
    *bad(TypeError, _HOLD, {"object-array": np.array([1, "a"], object)}),
    *bad(TypeError, _HOLD, {"str-array": np.array(["a", "b"])}),
    *bad(TypeError, _HOLD, {"bool-array": np.array([True, False])}),
    *bad(TypeError, _HOLD, {"complex-array": np.array([1j])}),
    *bad(ValueError, _FINITE, {"nan": NAN, "inf-tensor": torch.tensor(INF)}),
    *bad(ValueError, _FINITE, {"inf-array": np.array([1.0, INF])}),
]
_FLOAT_OR_TENSOR = "^{} must be a float or a floating-point torch tensor, got"
_FLOAT_TENSOR = "^{} must be a floating-point tensor"
TORCH_X = [  # the start of a PyTorch loop
    *bad(TypeError, _FLOAT_OR_TENSOR, {"str": "abc", "None": None, "bool": True}),
    *bad(TypeError, _FLOAT_OR_TENSOR, {"complex": 1j, "list": [1.0]}),
    *bad(TypeError, _FLOAT_OR_TENSOR + " ndarray", {"ndarray": np.array([1.0])}),
    *bad(TypeError, _FLOAT_TENSOR, {"int-tensor": torch.tensor([1, 2])}),
    *bad(TypeError, _FLOAT_TENSOR, {"int-0d": torch.tensor(3)}),
    *bad(TypeError, _FLOAT_TENSOR, {"bool-tensor": torch.tensor(True)}),
    *bad(TypeError, _FLOAT_TENSOR, {"complex-tensor": torch.tensor(1 + 1j)}),
    *bad(ValueError, _EMPTY, {"empty": torch.tensor([])}),
    *bad(ValueError, _FINITE, {"nan": NAN, "inf": INF}),
    *bad(ValueError, _FINITE, {"tensor-nan": torch.tensor([1.0, NAN])}),
    *bad(ValueError, _FINITE, {"tensor-0d-nan": torch.tensor(NAN)}),
    *bad(ValueError, _FINITE, {"float64-inf": torch.tensor(-INF).double()}),
]
_INCREASING = "^{} must be an increasing pair"
_END = r"^{}\[0\] must be a real number"
LIMITS = [  # an increasing pair (low, high)
    *bad(ValueError, _INCREASING, {"decreasing": (1, 0), "empty": (1, 1)}),
    *bad(TypeError, "^{} must be a pair", {"int": 5, "one-number": (1,)}),
    *bad(TypeError, "^{} must be a pair", {"triple": (0, 1, 2)}),
    *bad(TypeError, _END, {"str": "ab", "str-low": ("a", 1)}),
    *bad(ValueError, r"^{}\[0\] must be finite", {"nan-low": (NAN, 1)}),
    *bad(ValueError, r"^{}\[1\] must be finite", {"nan-high": (0, NAN)}),
    *bad(ValueError, r"^{}\[1\] must be finite", {"inf-high": (0.0, INF)}),
    *bad(ValueError, "^{} must span a finite width", {"overflow": (-1e308, 1e308)}),
]
_MAPPING = "^{} must be a (non-empty )?mapping"
MAPPING = bad(TypeError, _MAPPING, {"list": [[1.0, 0.5]], "empty-list": []})
MAPPING += bad(TypeError, _MAPPING, {"str": "ab"})
LEGEND = [*bad(ValueError, "^{} must be one of", {"bogus": "bogus"}),
          *bad(TypeError, "^{} must be a str", {"int": 5})]
_SQUARE = "^{} must be a non-empty square"
HESSIAN = [*bad(TypeError, _HOLD, {"str": "abc", "None": None, "complex": [[1j]]}),
           *bad(TypeError, _HOLD, {"str-entry": [["a"]]}),
           *bad(ValueError, _SQUARE, {"not-square": [[1.0, 2.0]], "1d": [1.0, 2.0]}),
           *bad(ValueError, _SQUARE, {"empty": []}),
           *bad(ValueError, _FINITE, {"nan": [[NAN]], "inf": [[INF]]}),
           *bad(ValueError, _FINITE, {"nan-2x2": [[1.0, NAN], [NAN, 1.0]]}),
           *bad(ValueError, "^{} must be symmetric", {"not-symmetric": [[1, 2], [3, 4]]}),
           *bad(ValueError, "^{} must be symmetric", {"triangular": [[1, 2], [0, 1]]})]
_KAPPA = "^{} must be a condition number >= 1, got {value}"
KAPPA = [*required(REAL), *bad(ValueError, _KAPPA, {"below-1": 0.5, "0": 0, "-1": -1.0})]
CURVATURE = [  # the largest and the smallest curvature
    *required(REAL),
    *bad(ValueError, "need 0 < smallest <= largest", {"0": 0.0, "negative": -1.0}),
]
_SHAPE_2 = r"^{} must have shape \(2,\)"
WEIGHTS = [  # the w of the linear model
    *bad(TypeError, _HOLD, {"str": "ab", "None": None, "bool": True}),
    *bad(TypeError, _HOLD, {"complex": [1j, 2j], "list-str": ["a", "b"]}),
    *bad(ValueError, _SHAPE_2 + r".*\(3,\)", {"wrong-length": [1, 2, 3]}),
    *bad(ValueError, _SHAPE_2 + r".*\(1, 2\)", {"2d": [[1, 2]]}),
    *bad(ValueError, _SHAPE_2, {"empty": [], "2x2": np.ones((2, 2))}),
    *bad(ValueError, _FINITE, {"nan": [NAN, 1.0], "inf": [INF, 0.0]}),
]
_W_TENSOR = "^{} must be a floating-point torch tensor"
W_TENSOR = [  # the w of mse_torch
    *bad(TypeError, _W_TENSOR, {"ndarray": np.ones(2), "list": [1.0, 2.0]}),
    *bad(TypeError, _W_TENSOR, {"None": None, "int-tensor": torch.tensor([1, 2])}),
    *bad(ValueError, _SHAPE_2 + r".*\(3,\)", {"wrong-length": torch.ones(3)}),
    *bad(ValueError, _SHAPE_2 + r".*\(3,\)", {"zeros-3": torch.zeros(3)}),
    *bad(ValueError, _FINITE, {"nan": torch.tensor([NAN, 1.0])}),
]
_2D = "^{} must be a non-empty 2-D"
DATA = [  # the inputs of the linear model
    *bad(TypeError, _HOLD, {"str": "abc", "None": None}),
    *bad(ValueError, _2D, {"1d": np.ones(3), "empty": np.empty((0, 2))}),
    *bad(ValueError, _FINITE, {"nan": [[NAN]], "nan-2x2": _path([NAN, 1.0], [1.0, 2.0])}),
]
TARGETS_KIND = [  # the targets of the linear model, two of them
    *bad(TypeError, _HOLD, {"str": "ab", "list-str": ["a", "b"]}),
    *bad(ValueError, _SHAPE_2, {"too-short": np.array([50.0]), "too-long": np.ones(3)}),
    *bad(ValueError, _FINITE, {"nan": [NAN, 1.0]}),
]
_ITERATES = "^{} must be an array of iterates, got {value}"
_FINITE_ONLY = "^{} must hold finite numbers only"
HISTORY = [  # the iterates of a run, for the precision module
    *bad(TypeError, _ITERATES, {"str": "abc", "None": None, "bool": True}),
    *bad(TypeError, _DTYPE, {"complex": [1j, 2j], "object": [object()]}),
    *bad(TypeError, _DTYPE, {"list-str": ["a", "b"]}),
    *bad(ValueError, "^{} must have one entry per step.*{value}", {"scalar": 2.5}),
    *bad(ValueError, "^{} must hold at least one iterate, got an empty", {"empty": []}),
    *bad(ValueError, _FINITE_ONLY, {"nan": [1.0, NAN], "inf": [INF, INF]}),
    *bad(ValueError, _FINITE_ONLY, {"inf-first": [INF, 1.0]}),
]
_NUMBERS = "^{} must be a sequence of numbers, got {value}"
SERIES = [  # a 1-D sequence of numbers to plot
    *bad(TypeError, _NUMBERS, {"str": "abc", "bool": True}),
    *bad(TypeError, _HOLD, {"list-str": ["a"]}),
    *bad(ValueError, "^{} must be a non-empty 1-D", {"empty": [], "2d": [[1.0, 2.0]]}),
    *bad(ValueError, "^{} must be a non-empty 1-D", {"2d-1x1": [[1.0]]}),
    *bad(ValueError, "^{} must hold finite", {"nan": [1.0, NAN], "inf": [1.0, INF]}),
]
_POINTS = "^{} must be a number, a list, an array or a tensor of points"
POINTS = [  # points to mark on a curve
    *bad(TypeError, _POINTS, {"str": "abc", "bool": True, "bytes": b"1"}),
    *bad(TypeError, _HOLD, {"complex": 1j, "object": object(), "list-None": [None]}),
    *bad(TypeError, _HOLD, {"list-mixed": [1, "a"], "list-str": ["a", "b"]}),
    *bad(TypeError, _HOLD, {"complex-array": np.array([1 + 1j])}),
    *bad(ValueError, _FINITE_ONLY, {"nan": [NAN], "inf": [INF], "list-nan": [1, NAN]}),
    *bad(ValueError, _FINITE_ONLY, {"array-inf": np.array([INF])}),
    *bad(ValueError, _FINITE_ONLY, {"tensor-inf": torch.tensor([0.0, -INF])}),
]
_FIGURE = "^{} must be a matplotlib Figure"
FIGURE = [*bad(TypeError, _FIGURE + ", got str", {"str": "fig"}),
          *bad(TypeError, _FIGURE, {"None": None, "ndarray": np.ones(2), "int": 3}),
          *bad(TypeError, _FIGURE, {"module": plt})]
_ARRAYS = "^{} must be a NumPy array"
PARAMS = [  # the arrays that SGD updates in place
    *bad(TypeError, _ARRAYS, {"str": "abc", "None": None, "tensor": torch.ones(2)}),
    *bad(TypeError, _ARRAYS + " or a list", {"list-floats": [1.0, 2.0]}),
    *bad(TypeError, _ARRAYS, {"np-scalar": np.float64(3.0)}),
    *bad(TypeError, r"^{}\[0\] must be a floating-point", {"int": np.array([1, 2])}),
    *bad(ValueError, r"^{}\[0\] must be C-contiguous", {"strided": np.ones(4)[::2]}),
    *bad(ValueError, r"^{}\[0\] must be C-contiguous", {"2d": np.zeros((3, 4))[:, ::2]}),
    *bad(ValueError, r"^{}\[0\] must be writeable", {"read-only": _read_only()}),
]
_K = "^{} must be a non-negative integer"
STEPS_K = [  # the steps k of closed_form
    *bad(TypeError, _K, {"float": 2.5, "None": None, "bool": True, "str": "3"}),
    *bad(TypeError, _K, {"float-1.5": 1.5}),
    *bad(TypeError, "^{} must hold integers, got an array of dtype float64", {"list-float": [0.5]}),
    *bad(ValueError, _K + ", got -1", {"negative": -1}),
    *bad(ValueError, "^{} must hold non-negative", {"list-negative": [0, -1]}),
    *bad(ValueError, "^{} must hold non-negative", {"list-minus-2": [1, -2]}),
]
_ITERABLE = "^{} must be an iterable of learning rates"
LRS = [*bad(TypeError, _ITERABLE, {"str": "abc", "str-number": "0.1", "number": 0.1}),
       *bad(TypeError, _ITERABLE, {"None": None}),
       *bad(ValueError, "^{} must hold at least one learning rate", {"empty": []})]
_RATE = r"^{} must be in \(0, 1\]"
RATE = [*required(REAL), *bad(ValueError, _RATE, {"2": 2.0, "1.5": 1.5, "0": 0})]
WINDOW = [  # (start, stop) in a history of three
    *bad(ValueError, "^{} must satisfy", {"backwards": (2, 1), "too-long": (0, 99)}),
    # A float inside the pair is named by its place in it.
    *bad(TypeError, r"^{}\[1\] must be an integer, got 1\.5", {"float": (0, 1.5)}),
    *bad(TypeError, "^{} must be a pair of integers", {"str": "ab", "triple": (0, 1, 2)}),
]
_PORT = "^{} must be from 0 to 65535.*got {value}"
PORT = [*INTEGER, *bad(ValueError, _PORT, {"negative": -1, "too-big": 65536})]
_THEME = "^{} must be 'light' or 'dark'"
THEME = bad(ValueError, _THEME, {"blue": "blue", "None": None, "Dark": "Dark"})
THEME += bad(ValueError, _THEME, {"empty": "", "sepia": "sepia"})
_FRAMES = rf"^{{}} has {MAX_FRAMES + 1} points; an animation may have at most"
_1D = r"^{} must be a non-empty 1-D"
FRAMES = [  # the history of one panel of an animation
    *bad(TypeError, _HOLD, {"str": "abc", "list-str": ["x"]}),
    *bad(ValueError, _1D, {"empty": []}),
    *bad(ValueError, _1D + r".*shape \(1, 2\)", {"2d": [[1.0, 2.0]]}),
    *bad(ValueError, _FINITE_ONLY, {"nan": [1.0, NAN]}),
    *bad(ValueError, _FRAMES, {"too-long": _LONG, "too-long-array": np.ones(61)}),
]
_COUNT = [*INTEGER, *at_least(1)]
SEED = [*bad(TypeError, _NSTEPS, {"float": 2.5, "bool": True, "None": None}),
        *bad(ValueError, _NSTEPS, {"negative": -1})]


#: The usual kind of an argument, by its name.
KINDS = {
    **named("nsteps", NSTEPS),
    **named("lr curvature floor dpi timeout half_width", required(POSITIVE)),
    **named("tol", POSITIVE),
    **named("x0 momentum dampening weight_decay", required(REAL)),
    **named("threshold", REAL),
    **named("grad f df", required(CALLABLE)),
    **named("loss", CALLABLE),
    **named("nesterov maximize", FLAG),
    **named("ncols interval world_size n_samples n_features", _COUNT),
    **named("noise", required(AT_LEAST_0)),
    **named("bias", required(REAL)),
    "seed": SEED,
    **named("first_step", INTEGER),
    **named("paths histories runs", required(MAPPING)),
    **named("rates", MAPPING),
    **named("xlim", required(LIMITS)),
    **named("ylim", LIMITS),
    **named("losses", required(SERIES)),
    **named("reference", SERIES),
    **named("largest smallest", CURVATURE),
    "hessian": HESSIAN,
    "kappa": KAPPA,
    "history": HISTORY,
    "window": WINDOW,
    "w": WEIGHTS,
    "inputs": DATA,
    "targets": TARGETS_KIND,
    "legend": LEGEND,
    "fig": FIGURE,
    "theme": THEME,
    "port": PORT,
    "k": STEPS_K,
    "params": PARAMS,
}
#: The bad values crossed with the functions; no row is a known defect today.
TABLE = CrossTable(KINDS, bugs={})
uses = TABLE.uses


# --- The cross product: each function, the kinds of its arguments -------------------

_SGD = "lr momentum weight_decay"  # >= 0, as torch.optim.SGD wants them
_SAME_SHAPE = "^grad must return an array of the same shape"
_NOT_REAL = "^grad must return real numbers"
_SCALAR = r"^loss must return a scalar tensor \(0-d\), got "
_REAL_SCALAR = "^loss must return a real scalar"
_DEPEND = "^loss must depend on x"
_XY = {"xlim": (0, 1), "ylim": (0, 1)}
_START2 = np.array([1.0, 2.0])  # a start of shape (2,)
_T2 = torch.tensor([1.0, 2.0])
_F32 = np.ones(2, np.float32)
_TOO_BIG = (ValueError, ArithmeticError)
_NOT_ANIMATION = "^anim must be a matplotlib animation"
_POSITIVE_DEFINITE = "^hessian must be positive definite"
_RUNS = r"^runs\[0\] must be a SweepRun, got "
_ON_LOG = "^{} must be greater than 0 on a log axis"
_PATH_SHAPE = r"^path must hold iterates of the shape of minimum \(3,\)"

_GRAD = [*required(CALLABLE),
         *bad(ValueError, _SAME_SHAPE + r" as x \(\)", {"wrong-shape": _too_long}),
         *bad(ValueError, _SAME_SHAPE, {"pair": lambda x: np.array([2 * x, 2 * x])}),
         *bad(TypeError, _NOT_REAL, {"returns-str": _strings, "None": lambda _x: None}),
         *bad(TypeError, _NOT_REAL, {"complex": lambda x: x * 1j})]
_GRAD_OF_TWO = [  # grad of a start of shape (2,)
    *bad(ValueError, _SAME_SHAPE, {"short": lambda x: 2 * x[:1]}),
    *bad(ValueError, _SAME_SHAPE, {"float": lambda x: float(2 * x[0])}),
]
_LOSS_OF_TWO = bad(ValueError, _REAL_SCALAR, {"not-scalar": lambda x: x})
_LOSS_OF_TWO += bad(ValueError, _REAL_SCALAR, {"square": lambda x: x**2})
_TORCH_LOSS = [*CALLABLE, *bad(ValueError, _DEPEND, {"constant": _detached})]
_TORCH_LOSS_OF_TWO = [
    *bad(ValueError, _SCALAR + r"\(2,\)", {"double": lambda x: 2 * x}),
    *bad(ValueError, _SCALAR + r"\(2,\)", {"vector": lambda t: t**2}),
    *bad(ValueError, _SCALAR + r"\(1, 2\)", {"matrix": lambda t: (t**2).reshape(1, 2)}),
    *bad(ValueError, _SCALAR + "float", {"float": lambda t: (t.detach() ** 2).sum().item()}),
    *bad(ValueError, _DEPEND, {"tensor-1": lambda _x: torch.tensor(1.0)}),
]
_TORCH_SGD = {  # what torch.optim.SGD refuses itself
    "momentum": [*required(REAL), *bad(ValueError, "momentum value: -1", {"-1": -1})],
    "weight_decay": [*required(REAL), *bad(ValueError, "weight_decay", {"-1": -1})],
    "nesterov": bad(ValueError, "Nesterov momentum requires a momentum", {"True": True}),
    "bogus": bad(TypeError, "'bogus'", {"1": 1}),
}
_SGD_PARAMS = [*bad(TypeError, "^options must not contain 'params'", {"empty": []}),
               *bad(TypeError, "params", {"tensors": [torch.zeros(1)]})]
_NESTEROV = bad(ValueError, "^nesterov=True requires momentum > 0", {"alone": True})
_STATE_KIND = bad(TypeError, "^state must be an SGDState", {"str": "s", "dict": {}})
_GRADS = [*bad(ValueError, r"^grads\[0\] must have the shape \(2,\)", {"long": np.ones(3)}),
          *bad(ValueError, r"^grads\[0\] must .* dtype float64", {"float32": _F32}),
          *bad(TypeError, _ARRAYS, {"list-str": ["a", "b"], "tensor": torch.ones(2)}),
          *bad(TypeError, _ARRAYS, {"list-floats": [0.0, 0.0]})]
_LOOP_GRAD = [*required(CALLABLE), *bad(ValueError, _SAME_SHAPE, {"wrong-shape": _too_long}),
              *bad(ValueError, _SAME_SHAPE, {"zeros-3": lambda _w: np.zeros(3)})]
_NEEDS_LOSS = bad(ValueError, "^{}={value} needs a loss", {"no-loss": 1e-6})
_NEEDS_LOSS += bad(ValueError, "needs a loss", {"no-loss-1e-3": 1e-3})
_SINGULAR = {"singular": np.array([[1.0, 2.0], [2.0, 4.0]])}
_TWO_ITERATES = "^history must hold at least two iterates"
_VALUES = [*bad(ValueError, r"no value is below tol=1\.0 in 2 values", {"never": [9.0, 4.0]}),
           *bad(ValueError, "below tol=1.0 in 0 values", {"empty": []}),
           *bad(TypeError, "^values must", {"list-str": ["a"], "None": None})]
_PATHS = [  # plot_convergence: label -> distances
    *required(MAPPING),
    *bad(TypeError, "^paths must be a non-empty mapping", {"empty": {}}),
    *bad(TypeError, "^path must hold real numbers", {"str": {"a": "abc"}}),
    *bad(TypeError, r"^paths must map labels \(str\) to paths, got 1", {"int": {1: [1]}}),
    *bad(ValueError, r"^paths\['a'\] starts below floor", {"zero": {"a": [0.0, 0.0]}}),
    *bad(ValueError, "starts below floor", {"tiny": {"run": [1e-20]}}),
    *bad(ValueError, "^path must be finite", {"nan": {"a": [1.0, NAN, 0.5]}}),
]
_SHAPE_STEPS_2 = r"^paths\['{}'\] must have shape \(steps, 2\)"
_PLANE_PATHS = [  # plot_contours: label -> (steps, 2)
    *MAPPING,
    *bad(ValueError, "^give xlim and ylim", {"empty": {}, "None": None}),
    *bad(ValueError, _SHAPE_STEPS_2.format("a"), {"3x3": {"a": np.ones((3, 3))}}),
    *bad(ValueError, _SHAPE_STEPS_2.format("x"), {"1d": {"x": np.zeros(3)}}),
    *bad(ValueError, _SHAPE_STEPS_2.format("a"), {"no-steps": {"a": np.empty((0, 2))}}),
    *bad(ValueError, r"^paths\['a'\] must be finite", {"nan": {"a": _path([1.0, NAN])}}),
    *bad(ValueError, r"^paths\['x'\] must be finite", {"nan-x": {"x": [[NAN, 0.0]]}}),
    *bad(TypeError, r"^paths\['a'\] must hold real numbers", {"str": {"a": [["x"]]}}),
    *bad(TypeError, r"^paths must map labels \(str\)", {"int": {1: [[0.0, 0.0]]}}),
]
_ONE_POINT = r"^minimum must be one point \(w1, w2\)"
_MINIMUM = [*bad(ValueError, _ONE_POINT, {"three": [1.0, 2.0, 3.0], "one": [0.0]}),
            *bad(ValueError, "^minimum must be finite", {"nan": [NAN, 0.0]}),
            *bad(TypeError, "^minimum", {"str": "ab"})]
_SWEEP_RUNS = [
    *bad(ValueError, "^runs must hold at least one SweepRun", {"empty": []}),
    *bad(TypeError, "^runs must be a sequence of SweepRun, got NoneType", {"None": None}),
    *bad(TypeError, "^runs must be a sequence of SweepRun", {"one-run": _SWEEP[0]}),
    *bad(TypeError, _RUNS + "str", {"str": "abc"}),
    *bad(TypeError, _RUNS + "int", {"list-int": [1]}),
    *bad(TypeError, _RUNS + "float", {"list-float": [1.0]}),
    *bad(ValueError, r"^runs\[0\] \(lr=0\.1\) holds inf or nan", {"nan": _nan_run()}),
    *bad(ValueError, r"^runs\[0\] \(lr=1.5\) holds inf or nan", {"inf": _nan_run(INF, 1.5)}),
]
_TRAJECTORIES = [
    *required(MAPPING),
    *bad(ValueError, "^runs must hold at least one", {"empty": {}}),
    *bad((TypeError, ValueError), r"^runs\['a'\]", {"str": {"a": "abc"}}),
    *bad(ValueError, r"^runs\['a'\]", {"3x3": {"a": np.ones((3, 3))}}),
    *bad(ValueError, r"^runs\['a'\] must be finite", {"nan": {"a": _path([NAN, 1.0], [0.0, 0.0])}}),
]

SIGNATURES = [
    # data: the seeded regression set.
    *uses(make_regression, A(10), "n_samples n_features noise bias seed"),
    # f and df: numbers, arrays and tensors only.
    *uses(f, A(1.0), x=OPERAND),
    *uses(df, A(1.0), x=OPERAND),
    *uses(two_valleys, A(1.0), x=OPERAND),
    *uses(dtwo_valleys, A(1.0), x=OPERAND),
    # The loops: NumPy, autograd, torch.optim.SGD; SGD from scratch.
    *uses(gradient_descent, A(1.0), "nsteps lr tol loss", x=ARRAY, grad=_GRAD),
    *uses(gradient_descent, A(_START2, 100, tol=1e-6), grad=_GRAD_OF_TWO, loss=_LOSS_OF_TWO),
    *uses(gradient_descent_torch, A(1.0), "nsteps lr tol", x=TORCH_X, loss=_TORCH_LOSS),
    *uses(gradient_descent_torch, A(_T2), loss=_TORCH_LOSS_OF_TWO),
    *uses(gradient_descent_sgd, A(1.0), "nsteps lr tol dampening", x=TORCH_X, loss=_TORCH_LOSS,
          params=_SGD_PARAMS, **_TORCH_SGD),
    *uses(gradient_descent_sgd, A(_T2), loss=_TORCH_LOSS_OF_TWO),
    *uses(sgd_init, A(np.ones(2)), "params dampening maximize", nesterov=[*FLAG, *_NESTEROV],
          **named(_SGD, required(AT_LEAST_0))),
    *uses(sgd_update, A(np.ones(2), np.ones(2), _STATE), grads=_GRADS, state=_STATE_KIND),
    *uses(sgd_run, A(1.0, grad=twice), "nsteps loss dampening nesterov maximize", x=ARRAY,
          grad=_LOOP_GRAD, tol=[*POSITIVE, *_NEEDS_LOSS], **named(_SGD, required(AT_LEAST_0))),
    *uses(sgd_run_torch, A(1.0, grad=twice), "nsteps momentum dampening weight_decay", x=ARRAY,
          grad=_LOOP_GRAD,
          lr=[*required(REAL), *bad(ValueError, "learning rate: -1", {"negative": -1})],
          bogus=bad(TypeError, "'bogus'", {"1": 1})),
    # linear_model: the toy model.
    *uses(predict, A([1.0, 2.0]), "w inputs"),
    *uses(mse, A([1.0, 2.0]), "w inputs targets"),
    *uses(mse_gradient, A([1.0, 2.0]), "w inputs targets"),
    *uses(mse_torch, A(torch.ones(2)), "inputs targets", w=W_TENSOR),
    *uses(hessian, A(), "inputs"),
    *uses(exact_weights, A(), "targets", weight_decay=required(AT_LEAST_0),
          inputs=[*DATA, *bad(np.linalg.LinAlgError, "Singular matrix", _SINGULAR)]),
    # learning_rate: the closed form, the regimes and the sweep.
    *uses(closed_form, A(4.0, 0.1, 2), "x0 k curvature",
          lr=[*required(POSITIVE), *bad(ArithmeticError, "lr", {"huge": 1e300})]),
    *uses(regime, A(0.1), "lr curvature"),
    *uses(lr_sweep, A(4.0, [0.1], 2), "x0 nsteps",
          lrs=[*LRS, *bad(ValueError, "^lr must be greater than 0, got 0", {"0": [0.1, 0]})],
          **{"lrs[0]": Arg("lrs", required(POSITIVE), "lr", lambda v: [v])}),
    # conditioning: eigenvalues, rates and tunings.
    *uses(curvatures, A(np.eye(2)), "hessian"),
    *uses(
        condition_number,
        A(np.eye(2)),
        hessian=[*HESSIAN, *bad(ValueError, _POSITIVE_DEFINITE, {"indefinite": [[1, 0], [0, -1]]}),
                 *bad(ValueError, _POSITIVE_DEFINITE, {"zero": [[0.0]]}),
                 *bad(ValueError, _POSITIVE_DEFINITE, {"singular": [[1.0, 0], [0, 0]]})],
    ),
    *uses(stability_limit, A(np.eye(2)),
          hessian=[*HESSIAN, *bad(ValueError, "^{} must have a positive", {"-1": [[-1]]})]),
    *uses(gd_rate, A(9.0), "kappa"),
    *uses(heavy_ball_rate, A(9.0), "kappa"),
    *uses(nesterov_rate, A(9.0), "kappa"),
    *uses(gd_tuning, A(9.0, 1.0), "largest smallest"),
    *uses(heavy_ball_tuning, A(9.0, 1.0), "largest smallest"),
    *uses(nesterov_tuning, A(9.0, 1.0), "largest smallest"),
    *uses(
        measured_rate,
        A([4.0, 2.0, 1.0], 0.0),
        "window",
        history=[*bad(ValueError, _TWO_ITERATES, {"one-iterate": [1.0], "scalar": 5.0}),
                 *bad(ValueError, "already at the minimum", {"at-minimum": [0.0, 0.0, 0.0]}),
                 *bad(TypeError, "^history", {"str": "abc"}),
                 *bad(ValueError, "^history must be finite", {"nan": [4.0, NAN, 1.0]})],
        minimum=bad(ValueError, "^minimum must be finite", {"nan": NAN}),
    ),
    *uses(steps_to_tolerance, A([0.5, 2.0], 1.0), tol=required(POSITIVE), values=_VALUES),
    *uses(
        distances,
        A([1.0, 2.0], 0.0),
        path=[*bad(TypeError, "^path must hold real numbers", {"str": "abc", "None": None}),
              *bad(ValueError, "^path must hold iterates", {"empty": []}),
              *bad(ValueError, "^path must be finite", {"nan": [1.0, NAN]})],
        minimum=[*bad(TypeError, "^minimum must hold real numbers", {"str": "x"}),
                 *bad(ValueError, _PATH_SHAPE, {"3": [0.0] * 3})],
    ),
    # precision: stalls and magnitudes.
    *uses(
        stall_step,
        A([1.0, 0.5]),
        history=[*HISTORY, *bad(ValueError, _TWO_ITERATES + ".*1", {"one-iterate": [1.0]}),
                 *bad(ValueError, _TWO_ITERATES + ".*1", {"one-row": np.zeros((1, 3))})],
    ),
    *uses(
        plot_magnitudes,
        A({"a": [1.0]}),
        histories=[*required(MAPPING),
                   *bad(ValueError, "^histories must hold at least one history", {"empty": {}}),
                   *bad(TypeError, "^every label in histories must be a str", {"int": {3: [1]}})],
        levels=[*MAPPING, *bad(TypeError, "^levels must be a mapping", {"float": 1e-6})],
        **{
            "histories[a]": item("histories", HISTORY, "a"),
            "levels[l]": item("levels", required(POSITIVE), "l"),
        },
    ),
    # plotting: the chapter figures.
    *uses(plot_convergence, A({"a": [1.0, 0.5]}, 0.0), "floor legend", paths=_PATHS,
          rates=[*MAPPING, *bad(ValueError, "^rates names 'b'", {"unknown": {"b": 0.5}})],
          **{"rates[a]": item("rates", RATE, "a")}),
    *uses(
        plot_contours,
        A(_bowl, _PAIR, resolution=3),
        "ylim legend",
        loss=required(CALLABLE),
        paths=_PLANE_PATHS,
        xlim=LIMITS,
        minimum=_MINIMUM,
        **named("levels max_points", [*INTEGER, *at_least(2)]),
        resolution=[
            *INTEGER,
            *bad(ValueError, "^{} must be from 2 to 2000, got {value}", {"1": 1, "-1": -1}),
        ],
    ),
    *uses(visualize, A(f), "f xlim", x=POINTS),
    *uses(
        plot_tangents, A(f, df, [1.0]), "f df xlim half_width", points=Arg("points", POINTS, "points")
    ),
    *uses(plot_update, A(f, df, [1.0], 0.1), "f df xlim lr", points=Arg("points", POINTS, "points")),
    *uses(plot_losses, A([1.0, 2.0]), "losses reference threshold first_step"),
    *uses(
        plot_losses,
        A([1.0], logy=True),
        losses=bad(ValueError, _ON_LOG, {"zero": [1.0, 0.0]}),
        reference=[*bad(ValueError, r"^{} must have one value per loss \(1\)", {"2": [1.0, 2.0]}),
                   *bad(ValueError, _ON_LOG, {"negative": [-1.0]})],
        threshold=bad(ValueError, _ON_LOG, {"-1": -1.0, "0": 0.0}),
    ),
    *uses(plot_lr_sweep, A(_SWEEP), "ncols", runs=_SWEEP_RUNS),
    *uses(
        animate_descent,
        A(f, {"a": [1.0]}),
        "f interval dpi",
        xlim=LIMITS,
        histories=[*required(MAPPING),
                   *bad(ValueError, "^histories must hold at least one history", {"empty": {}}),
                   *bad(TypeError, "^histories must have str keys", {"int": {1: [1.0]}})],
        **{"histories[a]": item("histories", FRAMES, "a")},
    ),
    *uses(figure_svg, A(_FIG), "fig theme"),
    *uses(show_light_and_dark, A(_FIG), "fig"),
    *uses(text_contrasts, A(_FIG), "fig theme"),
    # parallel: every case is refused before a process is spawned.
    *uses(
        data_parallel_descent,
        A(*_DATA, nsteps=2, lr=0.1),
        "nsteps lr port timeout",
        # The data go through descent.linear_model's checks, as for mse; the
        # valid call is mse's problem, two samples split over two workers.
        inputs=[*DATA,
                *bad(ValueError, r"^inputs must be a non-empty 2-D.*\(2,\)", {"1d": np.ones(2)})],
        targets=TARGETS_KIND,
        w0=WEIGHTS,
        world_size=[*_COUNT, *bad(ValueError, "^world_size=3 does not divide the 2", {"3": 3})],
    ),
    *uses(in_group_of_one(descend_on_shard), A(*shard(), nsteps=1, lr=0.1), "nsteps lr",
          w=bad(TypeError, "^w must", {"ndarray": np.zeros(1)})),
    *uses(
        plot_parallel_run, A({"a": _TRAJ}, INPUTS, TARGETS), "inputs targets", runs=_TRAJECTORIES
    ),
]


# --- The rules of one function: the rows that need more than one bad argument -------


_DIV = (DivergenceError, r"lr=1e\+300")
_HUGE = (StallError, "swings .*tol=1e-06", A(4.0, HUGE, lr=1.0, tol=1e-6))
_W = (np.array([[1.0, 2.0]]), 1)  # a start of shape (1, 2), one step

RULES = [
    *rules(
        gradient_descent,
        ("lr-huge", *_DIV, A(-10.0, 5, lr=1e300)),
        ("grad-flat", ValueError, _SAME_SHAPE, A(*_W, grad=lambda x: (2 * x).ravel())),
        ("nsteps-huge-tol-swing", *_HUGE),
        ("nsteps-huge-tol-frozen", StallError, "stopped moving.*tol=1e-06",
         A(4.0, HUGE, lr=1e-300, tol=1e-6)),
        ("nsteps-huge-tol-diverges", DivergenceError, r"lr=1\.5", A(4.0, HUGE, lr=1.5, tol=1e-6)),
    ),
    *[
        row
        for loop in (gradient_descent_torch, gradient_descent_sgd)
        for row in rules(
            loop,
            ("nsteps-huge-tol-swing", *_HUGE),
            ("loss-vector-tol", ValueError, _SCALAR, A(_T2, 1, loss=lambda t: t**2, tol=1e-6)),
        )
    ],
    *rules(
        sgd_init,
        ("nesterov-dampening", ValueError, "and dampening == 0",
         A(np.zeros(2), nesterov=True, momentum=0.9, dampening=0.1)),
    ),
    *rules(
        sgd_update,
        ("params-wrong-length", ValueError, r"^params\[0\] has shape \(3,\)",
         A(np.ones(3), np.ones(3), _STATE)),
        ("params-wrong-shape", ValueError, "state was made for shape",
         A(np.zeros(5), np.zeros(5), _STATE3)),
        ("grads-long", ValueError, r"^grads\[0\] must have the shape \(3,\)",
         A(np.zeros(3), np.zeros(4), _STATE3)),
        ("params-too-many", ValueError, "made for 1 parameter arrays, got 2 params",
         A([np.ones(2)] * 2, [np.ones(2)] * 2, _STATE)),
    ),
    *rules(
        sgd_run,
        ("grad-missing", TypeError, "'grad'", A(1.0)),
        ("lr-huge", *_DIV, A(-10.0, 5, grad=twice, lr=1e300)),
        ("nsteps-huge-tol-swing", *_HUGE[:2],
         A(4.0, HUGE, grad=twice, loss=square, lr=1.0, tol=1e-6)),
    ),
    *rules(sgd_run_torch, ("lr-huge", *_DIV, A(-10.0, 5, grad=twice, lr=1e300))),
    *rules(closed_form, ("overflow", ArithmeticError, "lr", A(1e308, 1.1, 5))),
    *rules(
        measured_rate,
        # (3,) does not even broadcast to the (2,) of an iterate.
        ("minimum-wrong-shape", ValueError, "^minimum", A(np.ones((5, 2)), np.ones(3))),
    ),
    *rules(lr_sweep, ("lrs-huge", *_DIV, A(4.0, [1e300], 5))),
    *rules(curvatures, ("overflow", _TOO_BIG, "hessian", A(np.full((2, 2), 1e308)))),
    *rules(condition_number, ("overflow", _TOO_BIG, "hessian", A(np.diag([1e200, 1e-200])))),
    *rules(stability_limit, ("overflow", _TOO_BIG, "hessian", A([[1e-320]]))),
    *rules(
        gd_tuning,
        ("swapped", ValueError, "need 0 < smallest <= largest", A(1.0, 2.0)),
        # 2 / (1e308 + 1e308) has no float64 answer: refused, not rounded to 0.
        ("curvatures-huge", ValueError, "largest|smallest", A(1e308, 1e308)),
    ),
    *[
        row
        for tuning in (heavy_ball_tuning, nesterov_tuning)
        for row in rules(
            tuning, ("ratio-overflow", ValueError, "largest|smallest", A(1e308, 1e-308))
        )
    ],
    *rules(quick(plot_contours, seconds=3),
           ("resolution-huge", ValueError, "^resolution", A(_bowl, **_XY, resolution=10**5))),
    *rules(plot_update, ("lr-huge", _TOO_BIG, "lr", A(f, df, [-10.0], 1e300))),
    *rules(notebook_setup, ("argument", TypeError, "notebook_setup", A("x"))),
    *rules(animation_html, ("anim-str", TypeError, _NOT_ANIMATION, A("anim")),
           ("anim-None", TypeError, _NOT_ANIMATION, A(None)),
           ("anim-figure", TypeError, _NOT_ANIMATION, A(_FIG))),
    *rules(
        unplayed_html,
        ("default_mode-bogus", ValueError, "^default_mode must be one of", A(default_mode="bogus")),
        ("frame_format-gif", ValueError, "^frame_format must be one of", A(frame_format="gif")),
    ),
    *rules(
        data_parallel_descent,
        ("w0-wrong-length", ValueError, r"^w0 must have shape \(2,\)",
         A(INPUTS, TARGETS, np.zeros(3), nsteps=2, lr=0.1)),
    ),
    *rules(descend_on_shard,
           ("no-process-group", ValueError, "process group", A(*shard(), nsteps=1, lr=0.1))),
]
ERRORS = [*SIGNATURES, *RULES]


# fmt: on


# --- The tests ----------------------------------------------------------------------


def _no_start(process: object) -> None:
    pytest.fail(f"{process} was started before the arguments were checked")


@pytest.mark.parametrize(("func", "error", "match", "call"), ERRORS)
def test_bad_input_raises_a_clear_error(
    func: Callable[..., Any],
    error: ErrorType,
    match: str,
    call: A,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", _no_start)
    with no_hang(deadline(func)), pytest.raises(error, match=match):
        call(func)
    assert plt.get_fignums() == [], "a refused call left a figure open"
    # Nothing is left running, not even the workers of a parallel run.
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(("func", "call"), TABLE.valid)
def test_the_valid_calls_are_valid(func: Callable[..., Any], call: A) -> None:
    """Each case of the cross product is refused for its bad argument alone."""
    with no_hang(deadline(func)):
        call(func)


#: Public callables that take no user input worth a row, and why.
EXEMPT = {
    DescentError: "an exception: the package raises it, nobody calls it with input",
    DivergenceError: "an exception, raised by the loops (see DIVERGENCES)",
    StallError: "an exception, raised by the loops",
    PortInUseError: "an exception, raised by data_parallel_descent",
    SweepRun: "a NamedTuple that lr_sweep returns; plot_lr_sweep checks it",
    Regression: "a NamedTuple that make_regression returns",
    WorkerFailedError: "an exception, raised by launch",
    LrFrame: "a NamedTuple that lr_frames returns",
    MomentumFrame: "a NamedTuple that momentum_frames returns",
    momentum_betas: "takes no arguments",
    main: "the torchrun worker's argparse entry; tests/test_torchrun.py gives it bad flags",
    # Not crossed yet (a known gap, each tested for its own refusals elsewhere):
    launch: "starts processes; tests/test_torchrun.py: taken port, dead rank, timeout",
    torchrun_command: "builds the argv that launch runs; tested with launch",
    descend_in_group: "needs a process group, like descend_on_shard; run by launch",
    ddp_descend_on_shard: "needs a process group; run under torchrun in test_torchrun",
    lr_frames: "tests/test_explorer.py: empty and bad lrs",
    momentum_frames: "tests/test_explorer.py: betas out of range, empty, wrong type",
    lr_explorer: "draws lr_frames, which checks the values",
    momentum_explorer: "draws momentum_frames, which checks the values",
    lr_description: "formats an LrFrame that lr_frames made",
    momentum_description: "formats a MomentumFrame that momentum_frames made",
    label_player: "tests/test_explorer.py: a changed template and miscounted frames raise",
    explorer_html: "tests/test_explorer.py: an unknown frame format raises",
    SGDState: "the state that sgd_init makes; sgd_update refuses anything else",
    sgd_step: "the bare rule on arrays sgd_update has checked; it checks nothing",
}
#: Rows whose pattern names no argument of the function, and why.
ANONYMOUS = {
    "exact_weights-inputs-singular": "NumPy's LinAlgError names no argument",
    "descend_on_shard-no-process-group": "torch.distributed's message names no argument",
    "sgd_run_torch-lr-negative": "torch.optim.SGD says 'Invalid learning rate'",
}


def _public() -> dict[str, object]:
    """Every callable in the __all__ of descent and of its public modules."""
    modules = [descent, descent.plotting] + [
        importlib.import_module(info.name)
        for package in (descent, descent.plotting)
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
        if not info.name.rpartition(".")[2].startswith("_")
    ]
    return {
        f"{module.__name__}.{name}": getattr(module, name)
        for module in modules
        for name in module.__all__
        if callable(getattr(module, name))
    }


def _tested(func: object) -> object:
    """The public function under a _quick or _in_group_of_one wrapper."""
    func = getattr(func, "func", func)
    return getattr(func, "__wrapped__", func)


def test_every_public_function_is_in_the_table() -> None:
    tested = {_tested(param.values[0]) for param in ERRORS}
    public = _public()
    assert len(public) > 50  # the modules were found
    missing = [
        name for name, obj in public.items() if obj not in tested | EXEMPT.keys()
    ]
    assert missing == [], "give these a row in SIGNATURES or RULES, or an EXEMPT reason"


def test_every_pattern_names_what_is_wrong() -> None:
    """A pattern names an argument, an item of one (lr of lrs) or the function."""
    unnamed = []
    for param in ERRORS:
        values: Sequence[Any] = param.values
        func, _, match, call = values
        case_id = str(param.id)
        params = [*inspect.signature(func).parameters, *call.kwargs]
        items = [name[:-1] for name in params if name.endswith("s")]
        names = {
            name_of(func),
            *params,
            *items,
            TABLE.called.get(case_id, name_of(func)),
        }
        if not any(re.search(rf"(?i)\b{re.escape(name)}\b", match) for name in names):
            unnamed.append(case_id)
    assert sorted(unnamed) == sorted(ANONYMOUS)
