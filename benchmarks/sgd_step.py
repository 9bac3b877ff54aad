"""Time one SGD step: the from-scratch NumPy optimizer against torch.optim.SGD.

Run it with ``python benchmarks/sgd_step.py``; it takes well under a minute.
All take Nesterov momentum 0.9 on 10 million float32 parameters: the fast path
that ``sgd_update`` runs (cache-blocked, allocation-free), the readable rule
``sgd_step`` that the tutorial shows (the same numbers, one whole-array pass
per operation, with temporaries), and ``torch.optim.SGD(foreach=True)``. They
take turns in the same run, so a busy machine slows all alike. Each time is
the median of several repeats, after a warm-up, measured with
``time.perf_counter``.

Memory traffic. A step must read the parameters, the gradient and the momentum
buffer, and write the parameters and the buffer: 5 arrays, 200 MB at 10
million float32. That is the count used for every "effective bandwidth" below,
for every step timed, so they are directly comparable. (PyTorch's foreach
step actually makes four passes over memory, 12 array reads and writes; the
readable rule makes one pass per operation and allocates its temporaries; the
fast path works in cache-sized blocks and moves close to the 5.) The extra
reads a CPU makes before writing a cache line (write-allocate) are not
counted. For scale, ``numpy.copyto`` of one array (1 read and 1 write) shows
what this machine's memory system delivers to a single thread.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import TYPE_CHECKING

import numpy as np
import torch

from descent.sgd import BLOCK_SIZE, sgd_init, sgd_step, sgd_update

if TYPE_CHECKING:
    from collections.abc import Callable

LR = 1e-3
MOMENTUM = 0.9
#: Arrays read or written by one step: params, grads, buffer read; params, buffer written.
ARRAYS_PER_STEP = 5
#: Arrays moved by numpy.copyto: one read, one write.
ARRAYS_PER_COPY = 2


def timed(action: Callable[[], object]) -> float:
    """Seconds taken by one call of `action`."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    n = args.size

    rng = np.random.default_rng(20260101)
    start = rng.standard_normal(n, dtype=np.float32)
    gradient = rng.standard_normal(n, dtype=np.float32)

    # The from-scratch optimizer: the state (buffer and scratch) is made once.
    params = start.copy()
    state = sgd_init(params, lr=LR, momentum=MOMENTUM, nesterov=True)

    # The readable rule, on its own copy of the parameters and its own buffer.
    readable = start.copy()
    readable_buffer = np.empty_like(readable)
    rule = {
        "lr": LR,
        "momentum": MOMENTUM,
        "dampening": 0.0,
        "weight_decay": 0.0,
        "nesterov": True,
        "maximize": False,
    }

    def readable_step(first: bool = False) -> None:
        sgd_step(readable, gradient, readable_buffer, **rule, first=first)

    # torch.optim.SGD, foreach implementation. With Nesterov, the foreach step
    # adds the buffer into p.grad in place, so the gradient is restored before
    # every step (outside the timed region) to keep both runs on equal terms.
    weights = torch.from_numpy(start.copy())
    weights.grad = torch.from_numpy(gradient.copy())
    pristine = torch.from_numpy(gradient.copy())
    optimizer = torch.optim.SGD(
        [weights], lr=LR, momentum=MOMENTUM, nesterov=True, foreach=True
    )

    def torch_step() -> None:
        optimizer.step()

    copy_source = start.copy()
    copy_target = np.empty_like(copy_source)

    # The first step of each fills its momentum buffer: check that they agree.
    sgd_update(params, gradient, state)
    readable_step(first=True)
    optimizer.step()
    first_gap = float(np.max(np.abs(params - weights.numpy())))
    if not np.array_equal(params, readable):
        msg = "the fast path and the readable rule disagree"
        raise AssertionError(msg)

    default_threads = torch.get_num_threads()
    torch_settings = [(f"torch ({default_threads} threads)", default_threads)]
    if default_threads != 1:  # NumPy's step runs on one thread: compare like with like
        torch_settings.append(("torch (1 thread)", 1))
    fast_key, readable_key = "numpy fast path (sgd_update)", "numpy rule (sgd_step)"
    times: dict[str, list[float]] = {fast_key: [], readable_key: []}
    times.update({key: [] for key, _ in torch_settings})
    times["copy"] = []
    for repeat in range(args.warmup + args.repeats):
        sample: dict[str, float] = {}
        sample[fast_key] = timed(lambda: sgd_update(params, gradient, state))
        sample[readable_key] = timed(readable_step)
        for key, threads in torch_settings:
            torch.set_num_threads(threads)
            weights.grad.copy_(pristine)
            sample[key] = timed(torch_step)
        torch.set_num_threads(default_threads)
        sample["copy"] = timed(lambda: np.copyto(copy_target, copy_source))
        if repeat >= args.warmup:
            for key, seconds in sample.items():
                times[key].append(seconds)

    medians = {key: statistics.median(values) for key, values in times.items()}
    item = start.itemsize
    step_bytes = ARRAYS_PER_STEP * n * item
    copy_bytes = ARRAYS_PER_COPY * n * item

    print(f"One SGD step (momentum {MOMENTUM}, Nesterov) on {n:,} float32 parameters")
    print(f"numpy {np.__version__}, torch {torch.__version__}, block {BLOCK_SIZE:,}")
    print(f"median of {args.repeats} repeats after {args.warmup} warm-up rounds")
    print(f"after one step NumPy and torch agree to {first_gap:.1e} (float32)")
    same = np.array_equal(params, readable)
    print(f"after all steps the fast path and the rule are equal: {same}")
    print()
    print(f"bytes counted per step: {ARRAYS_PER_STEP} arrays x {n:,} x {item} B")
    print(f"  = {step_bytes / 1e6:.0f} MB (read params, grads, buffer; write")
    print("  params, buffer); per copy: 2 arrays (read + write)")
    print()
    print(f"{'':32}{'time (ms)':>10}{'GB/s':>8}")
    for key, seconds in medians.items():
        moved = copy_bytes if key == "copy" else step_bytes
        name = "numpy.copyto (1 array)" if key == "copy" else key
        print(f"{name:32}{seconds * 1e3:10.2f}{moved / seconds / 1e9:8.1f}")
    print()
    fast_time = medians[fast_key]
    for key in times:
        if key.startswith("torch"):
            ratio = fast_time / medians[key]
            print(f"fast path / {key}: {ratio:.2f} (target: at most 1.5)")
    print(
        f"rule / fast path: {medians[readable_key] / fast_time:.2f} (what blocking buys)"
    )


if __name__ == "__main__":
    main()
