"""Tests for the worker that torchrun launches, and for launch()'s clean failures.

Each launch starts torchrun and two ranks that import torch (several seconds on
a loaded machine), so the tests launch as few times as they can.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import numpy as np
import psutil  # type: ignore[import-untyped]
import pytest

from descent import gradient_descent, parallel
from descent.linear_model import mse_gradient
from descent.parallel import (
    PortInUseError,
    WorkerFailedError,
    launch,
    main,
    torchrun_command,
)

if TYPE_CHECKING:
    from pathlib import Path

NSTEPS = 20
LR = 0.1


def _leftovers(marker: str) -> list[psutil.Process]:
    """Every live process whose command line mentions `marker`."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if any(marker in part for part in cmdline):
            found.append(process)
    return found


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    inputs = rng.normal(size=(8, 3))
    targets = inputs @ np.array([1.0, -2.0, 0.5])
    path = tmp_path / "problem.npz"
    np.savez(path, inputs=inputs, targets=targets, w0=np.zeros(3))
    return path


def _args(data: Path, *extra: str) -> list[str]:
    return ["--data", str(data), "--nsteps", str(NSTEPS), "--lr", str(LR), *extra]


def test_command_line_shown() -> None:
    command = torchrun_command(["--nsteps", "1"], master_port=29400)
    assert command[:1] == ["torchrun"]
    assert "--master-port" in command
    assert command[-3:] == ["descent.parallel", "--nsteps", "1"]


def test_torchrun_and_ddp_match_single_process(data: Path, tmp_path: Path) -> None:
    hand, ddp = tmp_path / "hand.npy", tmp_path / "ddp.npy"
    out = launch(_args(data, "--output", str(hand)), timeout=60)
    assert "ranks agree bit for bit: True" in out
    out = launch(
        _args(data, "--output", str(ddp), "--ddp", "--rank-offset", "1"), timeout=60
    )
    assert "rank 1 of 2: rows 4-7, set to [1. 1. 1.], after wrapping [0. 0. 0.]" in out
    loaded = np.load(data)
    x, y = loaded["inputs"], loaded["targets"]
    _, single = gradient_descent(
        np.zeros(3), nsteps=NSTEPS, lr=LR, grad=lambda w: mse_gradient(w, x, y)
    )
    by_hand, by_ddp = np.load(hand), np.load(ddp)
    assert by_hand.shape == (2, NSTEPS + 1, 3)
    assert np.abs(by_hand - single).max() < 1e-12
    assert np.abs(by_ddp - by_hand).max() < 1e-12
    assert _leftovers(str(data)) == []


def test_dead_worker_is_named(data: Path) -> None:
    with pytest.raises(WorkerFailedError, match="rank 1 exited with code 3") as info:
        launch(_args(data, "--exit-early", "2"), timeout=60)
    assert (info.value.rank, info.value.exitcode) == (1, 3)
    assert _leftovers(str(data)) == []


def test_taken_port_is_refused(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"master_port={port}"):
            launch(_args(data), master_port=port)
        # Without the check up front, torchrun's own failure is recognised too.
        monkeypatch.setattr(parallel, "_claim_port", lambda port: port)
        with pytest.raises(PortInUseError, match="EADDRINUSE"):
            launch(_args(data), master_port=port, timeout=60)
    assert _leftovers(str(data)) == []


def test_timeout_kills_the_process_group(data: Path) -> None:
    with pytest.raises(TimeoutError, match="process group was killed"):
        launch(_args(data), timeout=1.0)
    assert _leftovers(str(data)) == []


def test_worker_outside_torchrun_says_so(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RANK", raising=False)
    with pytest.raises(SystemExit):
        main(_args(data))
    assert "launch this module with torchrun" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--nsteps", "-1"], "--nsteps must be at least 0"),
        (["--lr", "0"], "--lr must be finite and greater than 0"),
        (["--timeout", "nan"], "--timeout must be finite"),
    ],
)
def test_bad_arguments_are_named(
    data: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([*_args(data), *extra])
    assert message in capsys.readouterr().err


def test_unreadable_data_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.npz"
    with pytest.raises(SystemExit):
        main(["--data", str(missing), "--nsteps", "1", "--lr", "0.1"])
    assert "could not be read" in capsys.readouterr().err


# What torchrun 2.13 writes to standard error when rank 1 dies in C++ code: the
# rank's own message first, then the launcher's log, traceback and report.
_ABORTED = """\
terminate called after throwing an instance of 'gloo::IoException'
  what():  [pair.cc:589] Read error [127.0.0.1]:3977: Connection reset by peer
W1203 18:56:35.518000 17930 torch/distributed/elastic/multiprocessing/api.py:1028] \
Sending process 17934 closing signal SIGTERM
E1203 18:56:35.600000 17930 torch/distributed/elastic/multiprocessing/api.py:1002] \
failed (exitcode: -6) local_rank: 1 (pid: 17935) of binary: python
Traceback (most recent call last):
  File "torch/distributed/launcher/api.py", line 383, in launch_agent
    raise ChildFailedError(
torch.distributed.elastic.multiprocessing.errors.ChildFailedError:
============================================================
descent.parallel FAILED
------------------------------------------------------------
Failures:
[1]:
  rank      : 0 (local_rank: 0)
  exitcode  : -15 (pid: 17934)  (SIGTERM)
------------------------------------------------------------
Root Cause (first observed failure):
[0]:
  rank      : 1 (local_rank: 1)
  exitcode  : -6 (pid: 17935)  (SIGABRT)
============================================================
"""


def test_a_crash_in_cpp_is_named_with_its_message() -> None:
    err = parallel._failure(1, _ABORTED)
    assert isinstance(err, WorkerFailedError)
    assert (err.rank, err.exitcode) == (1, -6)
    message = str(err)
    assert "rank 1 exited with code -6 (SIGABRT) first" in message
    assert (
        "terminate called after throwing an instance of 'gloo::IoException'" in message
    )
    assert "Connection reset by peer" in message
    assert "Root Cause" in message
    # The launcher's own log lines and traceback are not the ranks' output.
    assert "Sending process" not in message
    assert "launch_agent" not in message


def test_a_rank_that_refuses_its_arguments_is_quoted(data: Path) -> None:
    missing = data.with_name("missing.npz")
    with pytest.raises(WorkerFailedError, match="exited with code 2 first") as info:
        launch(_args(missing), timeout=60)
    assert "could not be read as an .npz file" in str(info.value)
    assert _leftovers(str(missing)) == []
