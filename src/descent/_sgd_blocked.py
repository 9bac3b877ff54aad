"""The fast path of :func:`descent.sgd.sgd_update`: the SGD step, cache-blocked.

:func:`sgd_step_blocked` takes the step of :func:`descent.sgd.sgd_step`, the
readable rule, with the same NumPy operations in the same order, so both give
the same numbers, bit for bit (``tests/test_sgd_blocked.py`` checks this). It
differs from the rule in two ways:

- It allocates nothing of the arrays' size: every operation writes into the
  parameters, the momentum buffer or two scratch arrays made once by
  :func:`make_scratch`, with ``out=``.
- It works through the arrays in blocks of :data:`BLOCK_SIZE` elements, so each
  block is read from main memory once, worked on in the CPU cache by all the
  operations of the step, and written back once. The readable rule makes a
  pass over the whole arrays for each operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from descent._typing import AnyFloatArray

#: How many elements of each array one pass of the step works on; documented,
#: and importable, as :data:`descent.sgd.BLOCK_SIZE`.
BLOCK_SIZE = 65_536


def make_scratch(param: AnyFloatArray) -> tuple[AnyFloatArray, AnyFloatArray]:
    """The two work arrays :func:`sgd_step_blocked` needs for `param`."""
    size = min(param.size, BLOCK_SIZE)
    return np.empty(size, param.dtype), np.empty(size, param.dtype)


def sgd_step_blocked(
    param: AnyFloatArray,
    grad: AnyFloatArray,
    buf: AnyFloatArray | None,
    work: AnyFloatArray,
    tmp: AnyFloatArray,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    first: bool,
) -> None:
    """:func:`descent.sgd.sgd_step`, block by block, in preallocated memory.

    The arguments are those of :func:`~descent.sgd.sgd_step`, plus the scratch
    arrays `work` and `tmp` from :func:`make_scratch`. `param` and `buf` must
    be C-contiguous, since they are updated through flat views of them.
    """
    # Flat views (params and buffers are C-contiguous); every view is a small
    # Python object, so none is made where the array itself will do.
    flat_p = _flat(param)
    flat_g = _flat(grad)
    flat_b = None if buf is None else _flat(buf)
    for start in range(0, flat_p.size, BLOCK_SIZE):
        stop = min(start + BLOCK_SIZE, flat_p.size)
        if stop - start < work.size:  # the last, shorter block
            work, tmp = work[: stop - start], tmp[: stop - start]
        _update_block(
            flat_p[start:stop],
            flat_g[start:stop],
            None if flat_b is None else flat_b[start:stop],
            work,
            tmp,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            first=first,
        )


def _update_block(
    p: AnyFloatArray,
    g: AnyFloatArray,
    buf: AnyFloatArray | None,
    work: AnyFloatArray,
    tmp: AnyFloatArray,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    first: bool,
) -> None:
    """One step on one block: `p`, `g`, `buf`, `work` and `tmp` have one length.

    Line by line the operations of :func:`descent.sgd.sgd_step`, each written
    into existing memory: `work` holds the working gradient when it cannot be
    `g` itself, and `tmp` holds products such as ``weight_decay * p``. Each
    product and sum is rounded as in the readable rule: ``p + g * -lr`` is
    ``p - lr * g`` exactly, since IEEE rounding is symmetric in the sign, and
    ``momentum * buf + g`` is ``momentum * buf + (1 - 0) * g``.
    """
    d = g  # the working gradient; g itself is never written to
    if maximize:
        np.negative(g, out=work)
        d = work
    if weight_decay != 0:
        np.multiply(p, weight_decay, out=tmp)
        np.add(d, tmp, out=work)
        d = work
    if momentum != 0:
        assert buf is not None, "momentum != 0 needs a buffer"
        if first:
            np.copyto(buf, d)  # the first step fills the buffer, undamped
        else:
            np.multiply(buf, momentum, out=buf)
            if dampening == 0:
                np.add(buf, d, out=buf)
            else:
                np.multiply(d, 1 - dampening, out=tmp)
                np.add(buf, tmp, out=buf)
        if nesterov:
            np.multiply(buf, momentum, out=tmp)
            np.add(d, tmp, out=work)
            d = work
        else:
            d = buf
    np.multiply(d, -lr, out=tmp)
    np.add(p, tmp, out=p)


def _flat(array: AnyFloatArray) -> AnyFloatArray:
    """The array as 1-D: itself if it already is, else a view (or a copy)."""
    return array if array.ndim == 1 else array.reshape(-1)
