r"""Synchronous data-parallel gradient descent with :mod:`torch.distributed`.

Several worker processes each hold one equal shard of the samples and the same
weights. At every step each worker computes the gradient of the mean squared
error on its own shard; an all-reduce sums these gradients across the workers,
each worker divides the sum by the number of workers, and all of them take the
same step. With equal shards the average of the shard gradients is the
gradient on the whole batch, so the run retraces single-process, full-batch
gradient descent.

The workers are separate processes, started with the ``spawn`` method and
talking over the gloo backend on the loopback address 127.0.0.1 only. They run
under a deadline: a run that does not finish in time is terminated, never left
behind.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from descent._checks import array, describe, integer, real, step_count
from descent._typing import FloatArray
from descent.errors import DivergenceError
from descent.linear_model import _check_inputs, _check_targets

if TYPE_CHECKING:
    from collections.abc import Sequence
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

    import torch

__all__ = [
    "HOST",
    "PortInUseError",
    "WorkerFailedError",
    "data_parallel_descent",
    "ddp_descend_on_shard",
    "descend_in_group",
    "descend_on_shard",
    "launch",
    "main",
    "torchrun_command",
]

#: What a worker reports: its rank, then its history or the traceback of its error.
Report = tuple[int, list[FloatArray] | None, str | None]

#: What the message says of w0 of the wrong shape.
_ONE_EACH = ", one weight per feature"
#: The only address the workers listen on and talk to: this machine's loopback.
HOST = "127.0.0.1"
#: How long to wait for a worker to exit once it has been asked to stop.
_GRACE_SECONDS = 5.0
#: How often the parent looks up from the result queue to check on the workers.
_POLL_SECONDS = 0.1


class PortInUseError(OSError):
    """The port asked for on 127.0.0.1 is already taken by another socket.

    Examples
    --------
    >>> err = PortInUseError("port 29500 on 127.0.0.1 is already in use")
    >>> isinstance(err, OSError)
    True
    """


def _claim_port(port: int) -> int:
    """Check that `port` is free on 127.0.0.1 and return it (0: a free port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name == "posix":
            # As the rendezvous server does: a port left in TIME_WAIT by an
            # earlier run is free, a port with a live listener is not.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as err:
            msg = (
                f"port {port} on {HOST} is not free ({err.strerror}); pass another "
                f"port, or port=0 to let the system pick a free one"
            )
            raise PortInUseError(msg) from err
        chosen: int = probe.getsockname()[1]
    return chosen


def _check_world_size(world_size: object, n_samples: int) -> int:
    """Return `world_size` if it splits the samples into equal shards."""
    count = integer(world_size, "world_size", low=1)
    if n_samples % count != 0:
        msg = (
            f"world_size={count} does not divide the {n_samples} samples into "
            f"equal shards; averaging the gradients of unequal shards is not the "
            f"full-batch gradient. Use a world_size that divides {n_samples}"
        )
        raise ValueError(msg)
    return count


def _check_shard(w: object, inputs: object, targets: object) -> None:
    """Check the tensors of :func:`descend_on_shard` before any step."""
    import torch  # noqa: PLC0415

    if not isinstance(w, torch.Tensor) or not w.is_floating_point():
        msg = (
            f"w must be a floating-point torch tensor that requires grad, got "
            f"{describe(w)}"
        )
        raise TypeError(msg)
    if not w.requires_grad:
        msg = "w must require grad: write torch.tensor(..., requires_grad=True)"
        raise ValueError(msg)
    for name, value in (("inputs", inputs), ("targets", targets)):
        if not isinstance(value, torch.Tensor):
            msg = f"{name} must be a torch tensor, got {describe(value)}"
            raise TypeError(msg)
    weights = array(w, "w", shape=("features",), note=", one weight per feature")
    columns = ", one row per sample and one column per weight"
    x = array(inputs, "inputs", shape=("samples", weights.size), note=columns)
    array(targets, "targets", shape=x.shape[:1], note=", one per sample of the shard")


def descend_on_shard(
    w: torch.Tensor,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    *,
    nsteps: int,
    lr: float,
) -> list[FloatArray]:
    r"""Run this worker's part of synchronous data-parallel gradient descent.

    Call it inside an initialised process group: every worker calls it at
    the same time, with the same starting weights and its own shard. Each
    step is

    .. math::

        g_j = \nabla L_j(w), \qquad
        \bar g = \frac{1}{R} \sum_{j=0}^{R-1} g_j, \qquad
        w \leftarrow w - \alpha \, \bar g,

    where :math:`L_j` is the mean squared error on shard :math:`j` and
    :math:`R` the number of workers. The sum is one all-reduce, so every
    worker ends each step holding the same weights.

    Parameters
    ----------
    w : torch.Tensor
        The starting weights, a leaf tensor that requires grad. It is updated
        in place.
    inputs, targets : torch.Tensor
        This worker's shard of the samples and their targets.
    nsteps : int
        How many steps to take.
    lr : float
        The learning rate :math:`\alpha`.

    Returns
    -------
    list of numpy.ndarray
        The weights before the first step and after every step. The list is
        shorter than ``nsteps + 1`` if the weights stopped being finite; the
        workers all see the same weights, so they all stop at the same step.

    Raises
    ------
    TypeError
        If `nsteps` is not an integer, `lr` is not a real number, `w` is not a
        floating-point tensor, or `inputs` or `targets` is not a tensor.
    ValueError
        If `nsteps` is negative, `lr` is not finite and greater than 0, `w`
        does not require grad or is not finite, the shapes do not match, or
        no process group has been initialised.

    Examples
    --------
    A group of one process is enough to try it:

    >>> import torch
    >>> import torch.distributed as dist
    >>> dist.init_process_group(
    ...     "gloo", init_method="tcp://127.0.0.1:0", rank=0, world_size=1
    ... )
    >>> w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    >>> x = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    >>> y = torch.tensor([2.0, 4.0], dtype=torch.float64)
    >>> descend_on_shard(w, x, y, nsteps=2, lr=0.1)
    [array([0.]), array([1.]), array([1.5])]
    >>> dist.destroy_process_group()
    """
    import torch  # noqa: PLC0415  (the parent process never needs torch here)
    import torch.distributed as dist  # noqa: PLC0415

    nsteps = step_count(nsteps, tol=None)
    lr = real(lr, "lr", positive=True)
    _check_shard(w, inputs, targets)
    world_size = dist.get_world_size()
    history = [w.detach().numpy().copy()]
    for _ in range(nsteps):
        loss = torch.mean((inputs @ w - targets) ** 2)  # this shard's loss
        (grad,) = torch.autograd.grad(loss, w)  # and its gradient
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)  # every worker gets the sum
        with torch.no_grad():
            w -= lr * (grad / world_size)  # divided by R, the sum is the mean
        history.append(w.detach().numpy().copy())
        if not torch.isfinite(w).all():
            break
    return history


def _shard(
    x: FloatArray, y: FloatArray, rank: int, world_size: int
) -> tuple[FloatArray, FloatArray]:
    """Rows ``rank * m`` to ``(rank + 1) * m - 1``: this rank's equal shard."""
    m = len(y) // world_size
    return x[rank * m : (rank + 1) * m], y[rank * m : (rank + 1) * m]


def descend_in_group(
    shard: tuple[FloatArray, FloatArray],
    w0: FloatArray,
    *,
    nsteps: int,
    lr: float,
    ddp: bool = False,
) -> list[FloatArray]:
    r"""Run one rank's part of data-parallel descent in the current process group.

    This is the per-rank body shared by :func:`data_parallel_descent` (whose
    workers join a group on 127.0.0.1) and by ``python -m descent.parallel``
    (which ``torchrun`` launches, and which joins with ``env://``). The
    process group must already be initialised. With ``ddp=False`` it calls
    :func:`descend_on_shard`, the hand-written all-reduce; with ``ddp=True``
    it calls :func:`ddp_descend_on_shard`.

    Parameters
    ----------
    shard : tuple of numpy.ndarray
        This rank's inputs, shape ``(m, d)``, and targets, shape ``(m,)``.
    w0 : numpy.ndarray
        The starting weights, shape ``(d,)``.
    nsteps : int
        How many steps to take.
    lr : float
        The learning rate :math:`\alpha`.
    ddp : bool, default False
        Use ``DistributedDataParallel`` instead of the hand-written all-reduce.

    Returns
    -------
    list of numpy.ndarray
        This rank's weights before the first step and after every step.

    Examples
    --------
    >>> import torch.distributed as dist
    >>> dist.init_process_group(
    ...     "gloo", init_method="tcp://127.0.0.1:0", rank=0, world_size=1
    ... )
    >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    >>> descend_in_group((x, y), np.zeros(1), nsteps=2, lr=0.1, ddp=True)
    [array([0.]), array([1.]), array([1.5])]
    >>> dist.destroy_process_group()
    """
    import torch  # noqa: PLC0415

    inputs, targets = (torch.from_numpy(np.ascontiguousarray(a)) for a in shard)
    if ddp:
        return ddp_descend_on_shard(w0, inputs, targets, nsteps=nsteps, lr=lr)
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    return descend_on_shard(w, inputs, targets, nsteps=nsteps, lr=lr)


def ddp_descend_on_shard(
    w0: FloatArray,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    *,
    nsteps: int,
    lr: float,
    rank_offset: float = 0.0,
) -> list[FloatArray]:
    r"""The same descent as :func:`descend_on_shard`, by ``DistributedDataParallel``.

    The linear model is a ``torch.nn.Linear`` layer without bias, in float64,
    wrapped in ``DistributedDataParallel``; the step is ``torch.optim.SGD``.
    DDP averages the gradients inside ``backward()``: it divides each rank's
    gradient by :math:`R` and all-reduces the sum, so each step is

    .. math::

        w \leftarrow w - \alpha \sum_{j=0}^{R-1} \frac{\nabla L_j(w)}{R} .

    Parameters
    ----------
    w0 : numpy.ndarray
        The starting weights, shape ``(d,)``.
    inputs, targets : torch.Tensor
        This rank's shard, float64.
    nsteps : int
        How many steps to take.
    lr : float
        The learning rate :math:`\alpha`.
    rank_offset : float, default 0
        Rank :math:`j` starts from ``w0 + j * rank_offset`` before wrapping, to
        show that DDP's constructor broadcasts rank 0's weights to every rank.

    Returns
    -------
    list of numpy.ndarray
        The weights right after wrapping (rank 0's ``w0`` on every rank) and
        after every step.

    Examples
    --------
    >>> import torch
    >>> import torch.distributed as dist
    >>> dist.init_process_group(
    ...     "gloo", init_method="tcp://127.0.0.1:0", rank=0, world_size=1
    ... )
    >>> x = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    >>> y = torch.tensor([2.0, 4.0], dtype=torch.float64)
    >>> ddp_descend_on_shard(np.zeros(1), x, y, nsteps=1, lr=0.1)
    [array([0.]), array([1.])]
    >>> dist.destroy_process_group()
    """
    import torch  # noqa: PLC0415
    import torch.distributed as dist  # noqa: PLC0415
    from torch.nn.parallel import DistributedDataParallel  # noqa: PLC0415

    nsteps = step_count(nsteps, tol=None)
    lr = real(lr, "lr", positive=True)
    start = np.asarray(w0, dtype=np.float64) + dist.get_rank() * rank_offset
    layer = torch.nn.Linear(start.size, 1, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(start).reshape(1, -1))
    model = DistributedDataParallel(layer)  # broadcasts rank 0's weights
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    weight = layer.weight
    history = [weight.detach().numpy()[0].copy()]
    for _ in range(nsteps):
        optimizer.zero_grad()
        loss = torch.mean((model(inputs)[:, 0] - targets) ** 2)
        # The all-reduce of the gradient happens inside backward().
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        history.append(weight.detach().numpy()[0].copy())
        if not torch.isfinite(weight).all():
            break
    return history


def _worker(
    rank: int,
    world_size: int,
    port: int,
    timeout: float,
    shard: tuple[FloatArray, FloatArray],
    w0: FloatArray,
    nsteps: int,
    lr: float,
    results: Queue[Report],
) -> None:
    """Join the process group, descend on this shard, and report to the parent."""
    try:
        import torch  # noqa: PLC0415
        import torch.distributed as dist  # noqa: PLC0415

        torch.set_num_threads(1)  # the workers share the machine's cores
        dist.init_process_group(
            "gloo",
            init_method=f"tcp://{HOST}:{port}",
            rank=rank,
            world_size=world_size,
            timeout=timedelta(seconds=timeout),
        )
        try:
            history = descend_in_group(shard, w0, nsteps=nsteps, lr=lr)
        finally:
            dist.destroy_process_group()
        results.put((rank, history, None))
    except Exception:  # noqa: BLE001  (reported to the parent, which raises it)
        results.put((rank, None, traceback.format_exc()))


def _stop(processes: list[BaseProcess]) -> None:
    """Make sure every started worker has exited, terminating it if need be."""
    for process in processes:
        if process.pid is not None and process.is_alive():
            process.terminate()
    for process in processes:
        if process.pid is None:
            continue
        process.join(_GRACE_SECONDS)
        if process.is_alive():  # pragma: no cover - ignored SIGTERM
            process.kill()
            process.join()


def _collect(
    processes: list[BaseProcess],
    results: Queue[Report],
    deadline: float,
    timeout: float,
) -> dict[int, list[FloatArray]]:
    """Wait for every worker's history, or raise as soon as the run cannot finish."""
    histories: dict[int, list[FloatArray]] = {}
    while len(histories) < len(processes):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = (
                f"the data-parallel run did not finish within timeout={timeout!r} "
                f"seconds; its {len(processes)} workers were terminated"
            )
            raise TimeoutError(msg)
        try:
            rank, history, error = results.get(timeout=min(remaining, _POLL_SECONDS))
        except queue.Empty:
            for rank, process in enumerate(processes):
                if process.exitcode not in (None, 0):
                    msg = (
                        f"worker {rank} exited with code {process.exitcode} before "
                        f"reporting a result; its error is on standard error. The "
                        f"workers are spawned, and each one imports the main module "
                        f"again: in a script, start the run under "
                        f"'if __name__ == \"__main__\":'"
                    )
                    raise RuntimeError(msg) from None
            continue
        if error is not None:
            msg = f"worker {rank} failed:\n{error}"
            raise RuntimeError(msg)
        assert history is not None
        histories[rank] = history
    return histories


def data_parallel_descent(
    inputs: FloatArray,
    targets: FloatArray,
    w0: FloatArray,
    *,
    nsteps: int,
    lr: float,
    world_size: int = 2,
    port: int = 0,
    timeout: float = 120.0,
) -> FloatArray:
    r"""Fit a linear model by synchronous data-parallel gradient descent.

    The samples are cut into `world_size` equal, contiguous shards, one per
    worker process; shard :math:`j` holds rows :math:`jm` to
    :math:`(j + 1)m - 1`, with :math:`m = n / R` (the same as
    ``numpy.split(inputs, world_size)[j]``). Each worker runs
    :func:`descend_on_shard`: per step, the gradient of the mean squared
    error on its shard, an all-reduce, and the averaged step

    .. math::

        w_{k+1} = w_k - \frac{\alpha}{R} \sum_{j=0}^{R-1} \nabla L_j(w_k)
                = w_k - \alpha \, \nabla L(w_k),

    where the second equality holds because the shards have equal size:
    the mean of equal-sized shard means is the mean over all samples.

    Parameters
    ----------
    inputs : numpy.ndarray
        The samples, shape ``(n, d)``.
    targets : numpy.ndarray
        The targets, shape ``(n,)``.
    w0 : numpy.ndarray
        The starting weights, shape ``(d,)``; every worker starts from them.
    nsteps : int
        How many steps to take; at least 0.
    lr : float
        The learning rate :math:`\alpha`; finite and greater than 0.
    world_size : int, default 2
        The number of worker processes, :math:`R`. It must divide `n`.
    port : int, default 0
        The port on 127.0.0.1 where the workers meet. 0 picks a free port.
    timeout : float, default 120
        Seconds the whole run may take, process start-up included. Past it
        the workers are terminated and ``TimeoutError`` is raised.

    Returns
    -------
    numpy.ndarray
        The weights of every worker at every step, float64, with shape
        ``(world_size, nsteps + 1, d)``; index ``[j, k]`` holds worker
        :math:`j`'s weights after :math:`k` steps.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a value is out of range, the shapes do not match, or `world_size`
        does not divide the number of samples.
    PortInUseError
        If `port` is already taken on 127.0.0.1 (an ``OSError``).
    TimeoutError
        If the run does not finish within `timeout` seconds.
    DivergenceError
        If the weights overflow to ``inf`` or ``nan``.
    RuntimeError
        If a worker fails; the message holds the worker's traceback.

    See Also
    --------
    descent.gradient_descent : Single-process descent, which this run retraces.

    Notes
    -----
    The workers are started with the ``spawn`` method, so each is a fresh
    Python that imports ``descent.parallel`` and the caller's main module.
    In a script, call this function under ``if __name__ == "__main__":``;
    in a notebook nothing is needed.

    Examples
    --------
    Two workers fit :math:`y = 2x` from four samples, two samples each:

    >>> x = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> y = 2 * x[:, 0]
    >>> trajectories = data_parallel_descent(x, y, np.zeros(1), nsteps=30, lr=0.05)
    >>> trajectories.shape
    (2, 31, 1)
    >>> bool(np.array_equal(trajectories[0], trajectories[1]))
    True
    >>> trajectories[0, -1].round(6)
    array([2.])
    """
    x = _check_inputs(inputs)
    y = _check_targets(targets, x)
    w = array(w0, "w0", shape=x.shape[1:], dtype=np.float64, note=_ONE_EACH)
    nsteps = step_count(nsteps, tol=None)
    lr = real(lr, "lr", positive=True)
    world_size = _check_world_size(world_size, len(y))
    timeout = real(timeout, "timeout", positive=True)
    port = integer(port, "port", low=0, high=65535, note="0 picks a free port")
    port = _claim_port(port)

    deadline = time.monotonic() + timeout
    context = multiprocessing.get_context("spawn")
    results: Queue[Report]
    results = context.Queue()
    shards = [_shard(x, y, rank, world_size) for rank in range(world_size)]
    processes: list[BaseProcess] = [
        context.Process(
            target=_worker,
            args=(rank, world_size, port, timeout, shard, w, nsteps, lr, results),
            name=f"descent-worker-{rank}",
            daemon=True,
        )
        for rank, shard in enumerate(shards)
    ]
    try:
        for process in processes:
            process.start()
        histories = _collect(processes, results, deadline, timeout)
        for process in processes:
            process.join(max(deadline - time.monotonic(), 0.0))
    finally:
        _stop(processes)
        results.close()
    return _stack(histories, world_size, lr)


def _stack(
    histories: dict[int, list[FloatArray]], world_size: int, lr: float
) -> FloatArray:
    trajectories = np.stack([np.stack(histories[rank]) for rank in range(world_size)])
    if not np.isfinite(trajectories).all():
        steps = np.isfinite(trajectories[0]).all(axis=1)
        first_bad = int(np.argmin(steps))
        last = float(np.max(np.abs(trajectories[0, first_bad - 1])))
        raise DivergenceError(step=first_bad, lr=lr, last_finite=last)
    return trajectories


# --- The worker that torchrun launches ------------------------------------------


class WorkerFailedError(RuntimeError):
    """A worker launched by ``torchrun`` failed, so the whole run failed.

    Parameters
    ----------
    message : str
        What happened, with the rank and exit code ``torchrun`` reported.
    rank : int or None
        The first rank that failed, if ``torchrun`` named one.
    exitcode : int or None
        That rank's exit code, if ``torchrun`` named one.

    Examples
    --------
    >>> err = WorkerFailedError("rank 1 exited with code 3", rank=1, exitcode=3)
    >>> err.rank, err.exitcode
    (1, 3)
    """

    def __init__(
        self, message: str, *, rank: int | None = None, exitcode: int | None = None
    ) -> None:
        super().__init__(message)
        self.rank = rank
        self.exitcode = exitcode


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m descent.parallel",
        description=(
            "One rank of synchronous data-parallel gradient descent on a linear "
            "model. Launch it with torchrun, which sets RANK, WORLD_SIZE, "
            "MASTER_ADDR and MASTER_PORT for every rank."
        ),
    )
    parser.add_argument(
        "--data",
        required=True,
        help="an .npz file with arrays 'inputs' (n, d), 'targets' (n,), 'w0' (d,)",
    )
    parser.add_argument("--nsteps", type=int, required=True, help="steps to take")
    parser.add_argument("--lr", type=float, required=True, help="learning rate")
    parser.add_argument(
        "--output", help="where rank 0 writes the trajectories, an .npy file"
    )
    parser.add_argument(
        "--ddp",
        action="store_true",
        help="use DistributedDataParallel instead of the hand-written all-reduce",
    )
    parser.add_argument(
        "--rank-offset",
        type=float,
        default=0.0,
        help="with --ddp: rank j starts from w0 + j * OFFSET before wrapping",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds a collective may wait for the other ranks (default 60)",
    )
    parser.add_argument(
        "--exit-early",
        type=int,
        metavar="STEP",
        help="for tests: the last rank exits with code 3 after STEP steps",
    )
    return parser


def _load(path: str, parser: argparse.ArgumentParser) -> dict[str, FloatArray]:
    try:
        with np.load(path) as data:
            arrays = {key: np.asarray(data[key], dtype=np.float64) for key in data}
    except (OSError, ValueError) as err:
        parser.error(f"--data {path!r} could not be read as an .npz file: {err}")
    missing = {"inputs", "targets", "w0"} - set(arrays)
    if missing:
        parser.error(f"--data {path!r} lacks the arrays {sorted(missing)}")
    return arrays


def main(argv: Sequence[str] | None = None) -> None:
    """Run one rank under ``torchrun``: ``python -m descent.parallel --help``.

    The rank and the world size come from the environment that ``torchrun``
    sets (``init_method="env://"``). Every rank loads the same ``--data``,
    takes its equal shard, runs :func:`descend_in_group`, and rank 0 prints a
    summary and writes all ranks' trajectories to ``--output``, an array of
    shape ``(R, nsteps + 1, d)``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; by default ``sys.argv[1:]``.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.nsteps < 0:
        parser.error(f"--nsteps must be at least 0, got {args.nsteps}")
    if not (np.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be finite and greater than 0, got {args.lr}")
    if not (np.isfinite(args.timeout) and args.timeout > 0):
        parser.error(f"--timeout must be finite and greater than 0, got {args.timeout}")
    data = _load(args.data, parser)
    x = _check_inputs(data["inputs"])
    y = _check_targets(data["targets"], x)
    w0 = array(data["w0"], "w0", shape=x.shape[1:], dtype=np.float64, note=_ONE_EACH)
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        parser.error(
            "RANK and WORLD_SIZE are not set: launch this module with torchrun, "
            "e.g. torchrun --standalone --nproc-per-node 2 -m descent.parallel ..."
        )

    import torch  # noqa: PLC0415
    import torch.distributed as dist  # noqa: PLC0415

    torch.set_num_threads(1)  # the ranks share the machine's cores
    dist.init_process_group(
        "gloo", init_method="env://", timeout=timedelta(seconds=args.timeout)
    )
    try:
        rank, world_size = dist.get_rank(), dist.get_world_size()
        _check_world_size(world_size, len(y))
        shard = _shard(x, y, rank, world_size)
        nsteps = args.nsteps
        dying = args.exit_early is not None and rank == world_size - 1
        if dying:
            nsteps = min(args.exit_early, nsteps)
        inputs, targets = (torch.from_numpy(np.ascontiguousarray(a)) for a in shard)
        if args.ddp:
            history = ddp_descend_on_shard(
                w0,
                inputs,
                targets,
                nsteps=nsteps,
                lr=args.lr,
                rank_offset=args.rank_offset,
            )
        else:
            history = descend_in_group(shard, w0, nsteps=nsteps, lr=args.lr)
        if dying:
            os._exit(3)  # a crash, as far as the other ranks can tell
        gathered: list[object] = [None] * world_size
        dist.all_gather_object(gathered, np.stack(history))
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    if rank == 0:
        _report(gathered, args, len(y), w0)


def _report(
    gathered: list[object], args: argparse.Namespace, n: int, w0: FloatArray
) -> None:
    """Print rank 0's summary of the run, and write the trajectories."""
    trajectories = np.stack([np.asarray(t) for t in gathered])
    world_size, m = len(trajectories), n // len(trajectories)
    with np.printoptions(precision=6, suppress=True):
        for j in range(world_size):
            line = f"rank {j} of {world_size}: rows {j * m}-{(j + 1) * m - 1}"
            if args.ddp:
                line += f", set to {w0 + j * args.rank_offset}"
                line += f", after wrapping {trajectories[j, 0]}"
            print(line)  # noqa: T201
        same = all(np.array_equal(t, trajectories[0]) for t in trajectories)
        print(f"steps: {len(trajectories[0]) - 1}, ranks agree bit for bit: {same}")  # noqa: T201
        print(f"final weights: {trajectories[0, -1]}")  # noqa: T201
    if args.output:
        np.save(args.output, trajectories)
        print(f"rank 0 wrote {args.output}, shape {trajectories.shape}")  # noqa: T201


# --- Launching torchrun from Python ----------------------------------------------


def torchrun_command(
    args: Sequence[str],
    *,
    nproc_per_node: int = 2,
    master_port: int | None = None,
    executable: str = "torchrun",
) -> list[str]:
    """The command line that launches ``python -m descent.parallel`` by torchrun.

    Parameters
    ----------
    args : sequence of str
        The worker's arguments (see ``python -m descent.parallel --help``).
    nproc_per_node : int, default 2
        How many ranks to start on this machine.
    master_port : int, optional
        Without it, ``--standalone`` lets torchrun pick a free port. With it,
        rank 0 of the one node listens on that port of 127.0.0.1.
    executable : str, default "torchrun"
        The launcher; :func:`launch` passes ``python -m torch.distributed.run``.

    Returns
    -------
    list of str
        The command, one argument per item.

    Examples
    --------
    >>> " ".join(torchrun_command(["--data", "p.npz", "--nsteps", "3", "--lr", "0.1"]))
    'torchrun --standalone --nproc-per-node 2 -m descent.parallel --data p.npz --nsteps 3 --lr 0.1'
    """
    count = integer(nproc_per_node, "nproc_per_node", low=1)
    if master_port is None:
        where = ["--standalone"]
    else:
        port = integer(master_port, "master_port", low=1, high=65535)
        where = ["--nnodes", "1", "--node-rank", "0", "--master-addr", HOST]
        where += ["--master-port", str(port)]
    return [
        *executable.split(),
        *where,
        "--nproc-per-node",
        str(count),
        "-m",
        "descent.parallel",
        *args,
    ]


def _kill_group(pgid: int) -> None:
    """Kill every process left in the launcher's process group, if any."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


# torchrun's own log lines, e.g. "E1203 19:09:06.913000 20568 torch/...".
_LAUNCHER_LOG = re.compile(r"^[DIWE]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ ")


def _ranks_output(lines: list[str]) -> list[str]:
    """The ranks' own lines of standard error, before torchrun's report.

    The ranks inherit torchrun's standard error, so a crashing rank's message
    (a Python traceback, or C++'s ``terminate called ...``) comes first, then
    torchrun's own traceback, which ends in ``ChildFailedError``.
    """
    report = next(
        (i for i, line in enumerate(lines) if "ChildFailedError" in line), len(lines)
    )
    starts = [
        i
        for i, line in enumerate(lines[:report])
        if line.startswith("Traceback (most recent call last):")
    ]
    end = starts[-1] if starts and report < len(lines) else report
    own = [
        line for line in lines[:end] if line.strip() and not _LAUNCHER_LOG.match(line)
    ]
    return own[-20:]


def _failure(returncode: int, stderr: str) -> Exception:
    """The error that says why torchrun failed, read from its standard error."""
    lines = stderr.strip().splitlines()
    root = next((i for i, line in enumerate(lines) if "Root Cause" in line), None)
    tail = "\n".join(lines[-15:] if root is None else lines[root:])
    if "EADDRINUSE" in stderr or "address already in use" in stderr.lower():
        return PortInUseError(f"torchrun could not listen on its port:\n{tail}")
    own = _ranks_output(lines)
    printed = "".join(f"\n  {line}" for line in own)
    printed = f"\nThe ranks printed:{printed}" if own else ""
    ranks = re.findall(r"rank\s*:\s*(\d+)", stderr)
    codes = re.findall(r"exitcode\s*:\s*(-?\d+)", stderr)
    if ranks and codes:
        rank, code = int(ranks[0]), int(codes[0])
        signal_name = f" ({signal.Signals(-code).name})" if _is_signal(code) else ""
        msg = (
            f"torchrun exited with code {returncode}: rank {rank} exited with code "
            f"{code}{signal_name} first, and torchrun stopped the other ranks."
            f"{printed}\ntorchrun's report:\n{tail}"
        )
        return WorkerFailedError(msg, rank=rank, exitcode=code)
    msg = f"torchrun exited with code {returncode}.{printed}\n{tail}"
    return WorkerFailedError(msg)


def _is_signal(code: int) -> bool:
    """Whether a negative exit code names a signal, as ``subprocess`` reports it."""
    return code < 0 and -code in {s.value for s in signal.Signals}


def launch(
    args: Sequence[str],
    *,
    nproc_per_node: int = 2,
    master_port: int | None = None,
    timeout: float = 120.0,
    cwd: str | os.PathLike[str] | None = None,
) -> str:
    """Run ``torchrun ... -m descent.parallel ARGS`` and return its standard output.

    The launcher is ``sys.executable -m torch.distributed.run``, the module
    behind the ``torchrun`` command, so it runs with this interpreter. It
    runs in its own process group, and every process of that group is killed
    when it returns, fails or times out: nothing is left behind.

    Parameters
    ----------
    args : sequence of str
        The worker's arguments.
    nproc_per_node : int, default 2
        How many ranks to start.
    master_port : int, optional
        A port on 127.0.0.1 for rank 0; by default ``--standalone`` picks one.
    timeout : float, default 120
        Seconds the whole run may take.
    cwd : str, optional
        The directory to run in, for relative paths in `args`.

    Returns
    -------
    str
        What the ranks printed (only rank 0 prints).

    Raises
    ------
    PortInUseError
        If `master_port` is already taken on 127.0.0.1.
    TimeoutError
        If the run takes longer than `timeout` seconds.
    WorkerFailedError
        If a rank fails; the message names the rank and its exit code.
    """
    timeout = real(timeout, "timeout", positive=True)
    if master_port is not None:
        try:
            _claim_port(integer(master_port, "master_port", low=1, high=65535))
        except PortInUseError as err:
            msg = (
                f"master_port={master_port} on {HOST} is already in use; pass "
                f"another port, or leave master_port out to let torchrun pick one"
            )
            raise PortInUseError(msg) from err
    command = torchrun_command(
        args,
        nproc_per_node=nproc_per_node,
        master_port=master_port,
        executable=f"{sys.executable} -m torch.distributed.run",
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, to kill as a whole
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        msg = (
            f"torchrun did not finish within timeout={timeout!r} seconds; its "
            f"process group was killed"
        )
        raise TimeoutError(msg) from None
    finally:
        _kill_group(process.pid)
    if process.returncode != 0:
        raise _failure(process.returncode, stderr)
    return stdout


if __name__ == "__main__":
    main()
    # The rank's work is done and written: leave without finalising Python.
    # After a DistributedDataParallel run, a rank whose interpreter finalises
    # can abort with "terminate called without an active exception" while
    # gloo's state is torn down, so torchrun reports a failed run that had
    # finished. Launched 40 times on two loaded cores, 4 runs failed that way
    # without this exit and none with it.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
