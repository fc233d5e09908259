"""@njit for scalar functions: callable from Python and from other kernels (where it is
inlined). Arrays in @njit functions come with array support; this dispatcher compiles one
loop per combination of argument types, exactly like a lazy @vectorize with 0-d inputs."""

import functools

import numpy as np

from .compiler import Kernel, parse_signature, signature_text
from .vectorize import vectorize

__all__ = ["njit", "jit"]


class Dispatcher:
    """A compiled scalar function. Calling it compiles for the argument types on first use."""

    def __init__(self, func, signatures, fastmath):
        functools.update_wrapper(self, func)
        self.__loopjit_function__ = func
        self.py_func = func
        self._kernel = Kernel(func, fastmath=fastmath)
        self._ufunc = vectorize(fastmath=fastmath)(func)
        for sig in signatures:  # compile eagerly, as Numba does when signatures are given
            args, _ret, _outs = parse_signature(signature_text(sig))
            self._kernel.compile_loop(signature_text(sig))

    def __call__(self, *args):
        for name, a in zip(self.__wrapped__.__code__.co_varnames, args):
            if np.ndim(a) != 0:
                raise TypeError(
                    f"{self.__name__}(): argument '{name}' is an array; @njit functions take "
                    "scalars here (use @vectorize or @guvectorize for arrays)"
                )
        result = self._ufunc(*args)
        if isinstance(result, tuple):
            return tuple(r.item() if isinstance(r, np.generic) else r for r in result)
        return result.item() if isinstance(result, np.generic) else result


def njit(func=None, /, *signatures, fastmath=False, cache=False, nogil=True, **options):
    """Compile a scalar function (``@njit`` or ``@njit(fastmath=True)`` or ``@njit("f8(f8)")``)."""
    if options:
        raise TypeError(f"njit: unknown option(s) {', '.join(sorted(options))}")
    if func is None or isinstance(func, (str, list, tuple)):
        sigs = [] if func is None else ([func] if isinstance(func, str) else list(func))
        sigs += list(signatures)
        return lambda f: Dispatcher(f, sigs, fastmath)
    return Dispatcher(func, [], fastmath)


jit = njit
