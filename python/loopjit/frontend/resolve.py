"""Compile-time meaning of the names a kernel reads from its globals and closure: numbers
become literals, math/cmath/NumPy functions canonical callee names, loopjit functions calls to
other IR functions; anything else is an error naming the value and its type."""

import builtins
import cmath
import math
import sys
import types

from .. import errors
from .irtext import INT64_MAX, INT64_MIN

__all__ = ["Reject", "Scope", "StaticRef", "callee", "literal", "BUILTIN_CALLEES"]

# Python builtins a kernel may call (typing/builtins.h); they keep their bare names.
BUILTIN_CALLEES = frozenset({
    "abs", "min", "max", "round", "int", "float", "bool", "complex", "pow", "divmod", "len",
    "range",
})

_DTYPES = frozenset({
    "bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
})


class Reject(Exception):
    """A name or value the kernel cannot use: the emitter reports it at ``node`` (set where
    the offending name is known) or at the expression it was resolving."""

    def __init__(self, error_class, message, node=None):
        super().__init__(message)
        self.error_class = error_class
        self.message = message
        self.node = node


def _typing(message):
    return Reject(errors.TypingError, message)


def _unsupported(message):
    return Reject(errors.UnsupportedError, message)


class StaticRef:
    """A value known at compile time: ``obj``, written ``spelled`` in the source; ``label``
    names it in messages ("global 'data'", "captured variable 'k'", "'np.pi'")."""

    __slots__ = ("obj", "spelled", "label", "module_path")

    def __init__(self, obj, spelled, label, module_path=None):
        self.obj = obj
        self.spelled = spelled
        self.label = label
        self.module_path = module_path  # "numpy.random.rand" when read from a module


class Scope:
    """The names a function sees besides its locals: closure cells, globals, builtins."""

    _MISSING = object()

    def __init__(self, func):
        self.cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
        self.globals = func.__globals__
        b = self.globals.get("__builtins__", builtins)
        self.builtins = b if isinstance(b, dict) else vars(b)

    def lookup(self, name):
        if name in self.cells:
            try:
                obj = self.cells[name].cell_contents
            except ValueError:
                raise _typing(f"captured variable '{name}' has no value yet") from None
            return StaticRef(obj, name, f"captured variable '{name}'")
        if name in self.globals:
            return StaticRef(self.globals[name], name, f"global '{name}'")
        if name in self.builtins:
            return StaticRef(self.builtins[name], name, f"builtin '{name}'")
        raise _typing(f"name '{name}' is not defined")

    @staticmethod
    def attribute(ref, attr):
        """``ref.obj.attr`` when ref is a module (a namespace resolved at compile time), else
        None: attributes of values are taken at run time."""
        if not isinstance(ref.obj, types.ModuleType):
            return None
        spelled = f"{ref.spelled}.{attr}"
        try:
            obj = getattr(ref.obj, attr)
        except AttributeError:
            raise _typing(f"module '{ref.obj.__name__}' has no attribute '{attr}'") from None
        return StaticRef(obj, spelled, f"'{spelled}'", f"{ref.obj.__name__}.{attr}")


def _numpy():
    # Only objects of an already-imported NumPy can reach a kernel, so never import it here.
    return sys.modules.get("numpy")


def describe(obj):
    """'a list', 'a numpy.ndarray', 'a plain Python function' ..."""
    if isinstance(obj, types.FunctionType):
        return "a plain Python function"
    if isinstance(obj, type):
        return f"a class ({obj.__module__}.{obj.__qualname__})"
    if isinstance(obj, types.ModuleType):
        return f"the module '{obj.__name__}'"
    if isinstance(obj, types.BuiltinFunctionType):
        return "a built-in function from outside math, cmath and NumPy"
    t = type(obj)
    name = t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


# --- values -------------------------------------------------------------------------------
# A literal spec is what the emitter turns into IR: ("int", v), ("float", v), ("complex", v),
# ("bool", v), ("none",), ("tuple", [specs]), ("dtype", "np.float32", spec) or
# ("big_uint64", v) for a np.uint64 above int64's range.


def check_int(value):
    if not INT64_MIN <= value <= INT64_MAX:
        raise _typing(f"integer {value} is too large: kernel integers are 64-bit "
                      f"(from {INT64_MIN} to {INT64_MAX})")
    return value


def _numpy_scalar(ref, value):
    dtype = value.dtype
    if dtype.name not in _DTYPES:
        raise _unsupported(f"{ref.label} is a NumPy {dtype.name} scalar; kernels support bool, "
                           "integer, float16/32/64 and complex64/128 scalars")
    if dtype.kind == "b":
        inner = ("bool", bool(value))
    elif dtype.kind in "iu":
        v = int(value)
        if v > INT64_MAX:  # a uint64 beyond any literal the IR holds
            return ("big_uint64", v)
        inner = ("int", v)
    elif dtype.kind == "f":
        inner = ("float", float(value))
    else:
        inner = ("complex", complex(value))
    return ("dtype", "np." + dtype.name, inner)


def literal(ref):
    """The literal spec for a compile-time value used as a value (not called)."""
    return _literal(ref, ref.obj, top=True)


def _literal(ref, value, top):
    np = _numpy()
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", check_int(value))
    if isinstance(value, float):
        return ("float", value)
    if isinstance(value, complex):
        return ("complex", value)
    if value is None:
        return ("none",)
    if np is not None and isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return _numpy_scalar(ref, value)
    if isinstance(value, tuple):
        return ("tuple", [_literal(ref, v, top=False) for v in value])
    if not top:
        raise _typing(f"{ref.label} is a tuple containing {describe(value)}, which kernels "
                      "cannot use; kernels take tuples of numbers")
    if isinstance(value, types.ModuleType):
        raise _typing(f"module '{value.__name__}' cannot be used as a value in kernels")
    if callable(value):
        raise _unsupported(f"{ref.label} is a function; kernels can call functions but not "
                           "use them as values")
    hint = " or make it a tuple" if isinstance(value, list) else ""
    raise _typing(f"{ref.label} is {describe(value)}, which kernels cannot use; pass it as an "
                  f"argument{hint}")


# --- callees ------------------------------------------------------------------------------


def _getattr_or_none(obj, name):
    try:
        return getattr(obj, name, None)
    except Exception:  # objects with unusual __getattr__ (proxies, mocks)
        return None


def _numpy_callee(np, obj):
    if isinstance(obj, type) and issubclass(obj, np.generic):
        dtype = np.dtype(obj).name
        if dtype not in _DTYPES:
            raise _unsupported(f"the NumPy type {obj.__name__} ({dtype}) is not supported in "
                               "kernels")
        return "np." + dtype
    name = _getattr_or_none(obj, "__name__")
    if not isinstance(name, str):
        return None
    # Identity with the numpy namespace gives the canonical name under any alias or import
    # style: np.abs is np.absolute, np.conj is np.conjugate.
    if getattr(np, name, None) is obj:
        return "np." + name
    module = _getattr_or_none(obj, "__module__")
    if isinstance(module, str) and (module == "numpy" or module.startswith("numpy.")):
        sub = module.split(".")[1:]
        sub = [p for p in sub if not p.startswith("_")]
        return ".".join(["np", *sub, name])
    return None


def callee(ref):
    """What calling ``ref.obj`` means: ("builtin", canonical callee name) or
    ("loopjit", python function, the loopjit object)."""
    obj = ref.obj
    py_func = _getattr_or_none(obj, "__loopjit_function__")
    if isinstance(py_func, types.FunctionType):
        return ("loopjit", py_func, obj)
    marker = _getattr_or_none(obj, "__loopjit_builtin__")
    if isinstance(marker, str):
        return ("builtin", marker)
    name = _getattr_or_none(obj, "__name__")
    module = _getattr_or_none(obj, "__module__")
    if name == "prange" and isinstance(module, str) and module.split(".")[0] == "loopjit":
        return ("builtin", "prange")
    if isinstance(name, str):
        if getattr(builtins, name, None) is obj:
            if name in BUILTIN_CALLEES:
                return ("builtin", name)
            raise _unsupported(f"the builtin '{name}' is not supported in kernels")
        for mod in (math, cmath):
            if getattr(mod, name, None) is obj:
                return ("builtin", f"{mod.__name__}.{name}")
    np = _numpy()
    if np is not None:
        canonical = _numpy_callee(np, obj)
        if canonical is not None:
            return ("builtin", canonical)
        path = ref.module_path or ""
        if path.startswith("numpy."):  # e.g. np.random.rand: the core says it is unsupported
            return ("builtin", "np." + path[len("numpy."):])
        if isinstance(obj, np.ufunc):
            raise _typing(f"cannot call '{ref.spelled}': it is a ufunc that is not part of "
                          "NumPy; kernels can call NumPy's ufuncs and loopjit functions")
    if isinstance(obj, types.FunctionType):
        raise _typing(f"cannot call '{ref.spelled}': it is a plain Python function; decorate "
                      "it with @loopjit.njit or @loopjit.vectorize")
    if isinstance(obj, types.ModuleType):
        raise _typing(f"cannot call '{ref.spelled}': it is {describe(obj)}")
    raise _typing(f"cannot call '{ref.spelled}': it is {describe(obj)}, which kernels cannot "
                  "use")
