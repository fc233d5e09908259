"""Control of target='parallel': the threading layer and thread counts.

The layer is chosen by LOOPJIT_THREADING_LAYER (tbb, the default; omp; serial) and the pool
size by LOOPJIT_NUM_THREADS (default: the CPUs this process may run on). Thread counts are per
calling Python thread, as in Numba: ``set_num_threads(2)`` in one thread does not change what
another thread's parallel calls use.
"""

import numbers
import os
import warnings

from . import _core

__all__ = ["set_num_threads", "get_num_threads", "threading_layer", "threading_layers"]


def threading_layers():
    """The accepted threading layer names."""
    return list(_core.threading_layer_names())


def threading_layer():
    """The threading layer parallel loops run on: 'tbb', 'omp' or 'serial'."""
    return _core.threading_layer()


def set_num_threads(n):
    """Let the calling thread's parallel loops use ``n`` threads, 1 <= n <= the pool size."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(
            f"set_num_threads: n must be an integer from 1 to {_core.pool_size()}, not {n!r}"
        )
    _core.set_num_threads(int(n))


def get_num_threads():
    """The number of threads the calling thread's parallel loops may use."""
    return _core.get_num_threads()


def _warn_if_serial_after_fork():
    # GNU OpenMP cannot run in a child forked after it ran: the omp layer runs serially there.
    message = _core.take_fallback_warning()
    if message:
        warnings.warn(message, RuntimeWarning, stacklevel=2)


def warn_about_fork_fallback():
    """Emit the fork fallback warning once, if the omp layer fell back to serial in this child."""
    _warn_if_serial_after_fork()


# A bad LOOPJIT_THREADING_LAYER or LOOPJIT_NUM_THREADS is reported here, at import, as a
# ValueError naming the accepted values: it must never surface inside a NumPy inner loop.
_core.threading_layer()
_core.pool_size()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_warn_if_serial_after_fork)
