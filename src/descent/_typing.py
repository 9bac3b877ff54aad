"""The array types of the package, each defined once and imported everywhere else.

Two meanings of "a float array" occur, and they have two names:

- :data:`FloatArray` is float64 only: what a function returns after converting
  its input, such as a history of distances or the weights of the linear model.
- :data:`AnyFloatArray` is any floating-point dtype (float16, float32 or
  float64): what the descent loops return, since they keep the precision of
  the start so that the chapters can study it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["AnyArray", "AnyFloatArray", "FloatArray", "IntArray"]

#: A float64 array.
FloatArray = np.ndarray[Any, np.dtype[np.float64]]
#: An array of any floating-point dtype: float16, float32 or float64.
AnyFloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]
#: An int64 array, such as step numbers.
IntArray = np.ndarray[Any, np.dtype[np.int64]]
#: An array whose dtype is known only when the code runs.
AnyArray = np.ndarray[Any, np.dtype[Any]]
