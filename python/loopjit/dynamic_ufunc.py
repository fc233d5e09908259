"""Lazy ufuncs on NumPy < 2.5, where a promoter cannot add a loop during dispatch.

A LazyUfunc is not a numpy.ufunc itself: it works out the input dtypes of each call as NumPy
would (NEP 50: Python scalars are weak), compiles the missing loop, rebuilds a real ufunc over
all loops compiled so far, and forwards the call — and reduce, accumulate, reduceat, outer and
at — to it. ``.ufunc`` is that real ufunc. On NumPy >= 2.5 vectorize returns a real ufunc
instead and this class is not used.
"""

import numpy as np

from . import _core

__all__ = ["LazyUfunc"]


def _input_dtypes(args, nin):
    """The dtypes NumPy would pick for the inputs: arrays keep theirs, Python scalars adopt the
    common dtype of all inputs (NEP 50 weak scalars)."""
    ins = list(args[:nin])
    common = np.result_type(*ins)
    out = []
    for x in ins:
        if isinstance(x, (bool, int, float, complex)) and not isinstance(x, np.generic):
            out.append(common)
        else:
            out.append(np.asarray(x).dtype)
    return [np.dtype(d).name for d in out]


class LazyUfunc:
    def __init__(self, kernel, nin, nout, compile_for, identity, identity_value, target):
        self._kernel = kernel
        self.__loopjit_function__ = kernel.func
        self.__wrapped__ = kernel.func
        self.__name__ = kernel.name
        self.__doc__ = kernel.func.__doc__
        self.nin, self.nout, self.nargs = nin, nout, nin + nout
        self._compile_for = compile_for
        self._identity = (identity, identity_value)
        self._target = target
        self._loops = {}
        self.ufunc = None

    def _ensure(self, dtype_names):
        key = tuple(dtype_names)
        if key not in self._loops:
            self._loops[key] = self._compile_for(list(key))
            self.ufunc = _core.make_ufunc(
                self.__name__, self.__doc__ or "", self.nin, self.nout,
                list(self._loops.values()), *self._identity, self._target,
            )
        return self.ufunc

    def __call__(self, *args, **kwargs):
        return self._ensure(_input_dtypes(args, self.nin))(*args, **kwargs)

    def _binary_method(name):
        def method(self, array, *args, **kwargs):
            dt = np.asarray(array).dtype.name
            return getattr(self._ensure([dt] * self.nin), name)(array, *args, **kwargs)

        method.__name__ = name
        return method

    reduce = _binary_method("reduce")
    accumulate = _binary_method("accumulate")
    reduceat = _binary_method("reduceat")

    def outer(self, a, b, **kwargs):
        return self._ensure(_input_dtypes((a, b), 2)).outer(a, b, **kwargs)

    def at(self, a, indices, b=None):
        args = (a,) if b is None else (a, b)
        ufunc = self._ensure(_input_dtypes(args, self.nin))
        return ufunc.at(a, indices) if b is None else ufunc.at(a, indices, b)

    @property
    def types(self):
        return [] if self.ufunc is None else self.ufunc.types

    @property
    def identity(self):
        return None if self.ufunc is None else self.ufunc.identity

    def __repr__(self):
        return f"<loopjit lazy ufunc {self.__name__!r}>"
