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

import multiprocessing
import os
import queue
import socket
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
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

    import torch

__all__ = [
    "HOST",
    "PortInUseError",
    "data_parallel_descent",
    "descend_on_shard",
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

        g_r = \nabla L_r(w), \qquad
        \bar g = \frac{1}{R} \sum_{r=0}^{R-1} g_r, \qquad
        w \leftarrow w - \alpha \, \bar g,

    where :math:`L_r` is the mean squared error on shard :math:`r` and
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
            w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
            inputs, targets = (torch.from_numpy(part) for part in shard)
            history = descend_on_shard(w, inputs, targets, nsteps=nsteps, lr=lr)
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
    worker process; shard :math:`r` holds rows :math:`rm` to
    :math:`(r + 1)m - 1`, with :math:`m = n / R` (the same as
    ``numpy.split(inputs, world_size)[r]``). Each worker runs
    :func:`descend_on_shard`: per step, the gradient of the mean squared
    error on its shard, an all-reduce, and the averaged step

    .. math::

        w_{k+1} = w_k - \frac{\alpha}{R} \sum_{r=0}^{R-1} \nabla L_r(w_k)
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
        ``(world_size, nsteps + 1, d)``; index ``[r, k]`` holds worker
        :math:`r`'s weights after :math:`k` steps.

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
    shards = zip(np.split(x, world_size), np.split(y, world_size), strict=True)
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
