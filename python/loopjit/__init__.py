"""loopjit: plain Python functions compiled into fast NumPy ufuncs.

    import loopjit as lj

    @lj.vectorize(["float64(float64, float64)", "float32(float32, float32)"])
    def rel_diff(x, y):
        return 2 * (x - y) / (x + y)
"""

from . import _core, cache, config, errors, parallel, types
from .errors import LoopjitError, SignatureError, TypingError, UnsupportedError
from .inspection import inspect_asm, inspect_llvm, inspect_types
from .njit import jit, njit
from .parallel import get_num_threads, set_num_threads, threading_layer
from .types import *  # noqa: F401,F403  (float64, f8, UniTuple, ...)
from .guvectorize import guvectorize
from .stencil import stencil
from .vectorize import vectorize

__version__ = _core.__version__

__all__ = [
    "vectorize",
    "guvectorize",
    "stencil",
    "njit",
    "jit",
    "inspect_types",
    "inspect_llvm",
    "inspect_asm",
    "set_num_threads",
    "get_num_threads",
    "threading_layer",
    "config",
    "cache",
    "errors",
    "types",
    "LoopjitError",
    "TypingError",
    "UnsupportedError",
    "SignatureError",
] + types.__all__
