"""The kernels behind loopjit.ufuncs: NumPy's numeric ufuncs written as loopjit kernels.

Each entry names a NumPy ufunc and gives the Python kernel for one element. The type table,
nin/nout and identity are NumPy's own (read from the NumPy ufunc of the same name), restricted
to the dtypes loopjit compiles, so ``loopjit.ufuncs.exp`` resolves dtypes exactly as
``numpy.exp`` does and then runs a loop compiled for target='parallel'.
"""

import numpy as np


def _unary(f):
    return lambda x: f(x)


def _binary(f):
    return lambda x, y: f(x, y)


# NumPy name -> kernel. Operators are written as operators; the rest call the builtin of the
# same name, which follows NumPy's semantics per dtype (see docs/semantics.md).
KERNELS = {
    "add": lambda x, y: x + y,
    "subtract": lambda x, y: x - y,
    "multiply": lambda x, y: x * y,
    "true_divide": lambda x, y: x / y,
    "floor_divide": lambda x, y: x // y,
    "remainder": lambda x, y: x % y,
    "power": lambda x, y: x**y,
    "negative": lambda x: -x,
    "absolute": lambda x: abs(x),
    "sqrt": _unary(np.sqrt),
    "square": _unary(np.square),
    "reciprocal": _unary(np.reciprocal),
    "exp": _unary(np.exp),
    "exp2": _unary(np.exp2),
    "expm1": _unary(np.expm1),
    "log": _unary(np.log),
    "log2": _unary(np.log2),
    "log10": _unary(np.log10),
    "log1p": _unary(np.log1p),
    "sin": _unary(np.sin),
    "cos": _unary(np.cos),
    "tan": _unary(np.tan),
    "arcsin": _unary(np.arcsin),
    "arccos": _unary(np.arccos),
    "arctan": _unary(np.arctan),
    "arctan2": _binary(np.arctan2),
    "sinh": _unary(np.sinh),
    "cosh": _unary(np.cosh),
    "tanh": _unary(np.tanh),
    "hypot": _binary(np.hypot),
    "maximum": _binary(np.maximum),
    "minimum": _binary(np.minimum),
    "fmax": _binary(np.fmax),
    "fmin": _binary(np.fmin),
    "floor": _unary(np.floor),
    "ceil": _unary(np.ceil),
    "trunc": _unary(np.trunc),
    "rint": _unary(np.rint),
    "sign": _unary(np.sign),
    "copysign": _binary(np.copysign),
    "isnan": _unary(np.isnan),
    "isinf": _unary(np.isinf),
    "isfinite": _unary(np.isfinite),
    "logaddexp": _binary(np.logaddexp),
}

# The dtypes loopjit compiles (no longdouble, object, datetime, string).
SUPPORTED_DTYPES = ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
                    "uint64", "float16", "float32", "float64", "complex64", "complex128")


def numpy_type_table(name):
    """The loops of loopjit's `name`: each supported dtype for which NumPy's own ufunc has a
    loop taking exactly that dtype, with NumPy's output dtypes, as (ins, outs) names. Inputs
    of other dtypes are cast to one of these, as NumPy casts them (loopjit.ufuncs gives each
    ufunc NumPy's own type resolver)."""
    ufunc = getattr(np, name)
    table = []
    for dt in SUPPORTED_DTYPES:
        ins = (np.dtype(dt),) * ufunc.nin
        try:
            resolved = ufunc.resolve_dtypes(ins + (None,) * ufunc.nout)
        except (TypeError, ValueError):  # NumPy has no loop for this dtype
            continue
        outs = resolved[ufunc.nin:]
        exact = all(r == d for r, d in zip(resolved[: ufunc.nin], ins))
        if exact and all(o.name in SUPPORTED_DTYPES for o in outs):
            table.append(([d.name for d in ins], [o.name for o in outs]))
    return table
