"""Drop-in parallel versions of NumPy's numeric ufuncs.

    import loopjit.ufuncs as lnp
    lnp.exp(x, out=y)        # like np.exp(x, out=y), on every core

Each is a real numpy.ufunc with NumPy's name, nin/nout and identity, and a loop for every
dtype NumPy's ufunc has one for (less the dtypes loopjit does not compile: longdouble, object,
datetime, strings), with NumPy's output dtypes, so dtypes resolve as for the NumPy ufunc. Ufuncs are created when first used (``import loopjit.ufuncs`` is
instant) and each of their loops is compiled the first time it runs, or loaded from the disk
cache (loopjit.cache) when an earlier process compiled it.
"""

import numpy as np

from . import _core
from .compiler import Kernel

try:
    from .kernels.ufuncs import KERNELS, numpy_type_table
except ImportError:  # running from a source checkout, where kernels/ is not inside the package
    from kernels.ufuncs import KERNELS, numpy_type_table

__all__ = sorted(KERNELS)

_IDENTITIES = {None: (_core.IDENTITY_NONE, None), 0: (_core.IDENTITY_ZERO, None),
               1: (_core.IDENTITY_ONE, None)}

def _signature(ins, outs):
    ret = outs[0] if len(outs) == 1 else f"Tuple({', '.join(outs)})"
    return f"{ret}({', '.join(ins)})"


def _reorderable(np_ufunc):
    # NumPy does not expose the flag; a reduction over two axes is allowed exactly when it is set.
    try:
        np_ufunc.reduce(np.ones((1, 1)), axis=(0, 1))
        return True
    except (ValueError, TypeError):
        return False


def _identity(np_ufunc):
    ident = np_ufunc.identity
    if ident is None:
        if np_ufunc.nin == 2 and _reorderable(np_ufunc):
            return _core.IDENTITY_REORDERABLE_NONE, None  # maximum, minimum, fmax, fmin
        return _IDENTITIES[None]
    if ident in _IDENTITIES and not isinstance(ident, float):
        return _IDENTITIES[ident]
    return _core.IDENTITY_VALUE, ident


def _make(name):
    np_ufunc = getattr(np, name)
    kernel = Kernel(KERNELS[name])
    sigs = [_signature(ins, outs) for ins, outs in numpy_type_table(name)]
    code, value = _identity(np_ufunc)
    ufunc = _core.make_deferred_ufunc(
        name, np_ufunc.__doc__ or "", np_ufunc.nin, np_ufunc.nout, kernel.translated.ir, sigs,
        code, value, "parallel", like=np_ufunc, cache=True,
    )
    ufunc._loopjit_kernel = kernel
    ufunc._loopjit_signatures = sigs
    ufunc.__module__ = __name__  # pickle finds it here by name, without searching sys.modules
    return ufunc


def __getattr__(name):
    if name not in KERNELS:
        raise AttributeError(f"module 'loopjit.ufuncs' has no attribute {name!r}")
    ufunc = _make(name)
    globals()[name] = ufunc  # created once; pickling finds it here by name
    return ufunc


def __dir__():
    return __all__
