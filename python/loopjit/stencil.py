"""@stencil: a kernel written for one output point, with indices relative to it, applied to
every point of an array.

``a[-1, 0]`` in the kernel reads the element one row above the point being computed. The
result has the first argument's shape and the kernel's result dtype. Points whose reads fall
outside the array are computed with the border mode, with scipy.ndimage's names and meanings:
``constant`` (reads outside give ``cval``), ``nearest``, ``reflect``, ``mirror`` and ``wrap``.
Each combination of argument types is compiled once and reused.
"""

import numbers
import operator

import numpy as np

from . import _core, config, errors
from .compiler import Kernel

__all__ = ["stencil", "Stencil", "MODES"]

MODES = ("constant", "nearest", "reflect", "mirror", "wrap")
_TARGETS = ("cpu", "parallel")
# Order of number kinds: a cval of a later kind cannot be stored in an earlier one.
_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _array_type(dtype, ndim):
    return f"{dtype.name}[{', '.join([':'] * ndim)}]"


def _number_dtype(value):
    """The dtype a number argument is passed as: NumPy scalars keep theirs, Python numbers take
    their default (int64, float64, complex128, bool)."""
    if isinstance(value, np.generic):
        return value.dtype
    if isinstance(value, bool):
        return np.dtype(np.bool_)
    if isinstance(value, numbers.Integral):
        return np.dtype(np.int64)
    if isinstance(value, numbers.Real):
        return np.dtype(np.float64)
    if isinstance(value, numbers.Complex):
        return np.dtype(np.complex128)
    return None


def _supported(dtype):
    return dtype.kind in "biufc" and dtype.itemsize <= 16 and dtype != np.longdouble


def _native(a):
    return a if a.dtype.isnative else a.astype(a.dtype.newbyteorder("="))


class Stencil:
    """A compiled-on-demand stencil: call it like the kernel, on arrays (``out=`` optional)."""

    def __init__(self, func, neighborhood=None, cval=0, mode="constant", standard_indexing=(),
                 target="cpu", boundscheck=None, fastmath=False):
        name = getattr(func, "__name__", "<kernel>")
        py = getattr(func, "__loopjit_function__", func)
        code = getattr(py, "__code__", None)
        if code is None:
            raise TypeError(f"stencil: expected a Python function, got {func!r}")
        if mode not in MODES:
            raise ValueError(f"stencil({name}): mode must be one of "
                             f"{', '.join(map(repr, MODES))}, not {mode!r}")
        if target not in _TARGETS:
            raise ValueError(f"stencil({name}): target must be 'cpu' or 'parallel', not "
                             f"{target!r}")
        if isinstance(cval, (bool, np.bool_)) or not isinstance(cval, numbers.Number):
            raise TypeError(f"stencil({name}): cval must be a number, not {cval!r}")
        self.params = code.co_varnames[:code.co_argcount]
        if isinstance(standard_indexing, str):
            standard = (standard_indexing,)
        elif isinstance(standard_indexing, (list, tuple, set, frozenset)):
            standard = tuple(standard_indexing)
        else:
            raise TypeError(f"stencil({name}): standard_indexing must be a parameter name or a "
                            f"sequence of them, not {standard_indexing!r}")
        for s in standard:
            if s not in self.params:
                raise ValueError(f"stencil({name}): standard_indexing names {s!r}, which is not "
                                 f"a parameter of {name}()")
        if self.params and self.params[0] in standard:
            raise ValueError(f"stencil({name}): the first argument is indexed relatively; it "
                             "cannot be in standard_indexing")
        self.standard = frozenset(standard)
        self.neighborhood = self._neighborhood(name, neighborhood)
        self.kernel = Kernel(py, fastmath=fastmath)
        self.name = name
        self.mode = mode
        self.cval = cval
        self.target = target
        self.boundscheck = config.BOUNDSCHECK if boundscheck is None else bool(boundscheck)
        self.origin = f"'{name}', file \"{code.co_filename}\""
        self._loops = {}
        self.__wrapped__ = py
        self.__name__ = name
        self.__doc__ = py.__doc__

    @staticmethod
    def _neighborhood(name, nb):
        if nb is None:
            return None
        try:
            pairs = [(operator.index(lo), operator.index(hi)) for lo, hi in nb]
        except (TypeError, ValueError):
            raise ValueError(f"stencil({name}): neighborhood must be ((lo, hi), ...) with one "
                             f"integer pair per dimension, not {nb!r}") from None
        if not pairs:
            raise ValueError(f"stencil({name}): neighborhood must be ((lo, hi), ...) with one "
                             f"integer pair per dimension, not {nb!r}")
        for lo, hi in pairs:
            if lo > hi:
                raise ValueError(f"stencil({name}): neighborhood pair ({lo}, {hi}) has lo > hi")
        return pairs

    def _check_cval(self, result, relative):
        """cval stands for reads outside the relatively indexed arrays, so it must fit their
        dtypes (and the result's) by kind; an integer one must also fit in their range and
        pass exactly through the double the compiled code carries it in."""
        kind = "c" if isinstance(self.cval, complex) else "f" if isinstance(self.cval, float) \
            else "i"
        if isinstance(self.cval, np.generic):
            kind = self.cval.dtype.kind
        for dt in (result, *relative):
            if dt.kind == "b":
                bad = kind not in "iub" or self.cval not in (0, 1)
            elif _KIND_RANK.get(kind, 3) > _KIND_RANK[dt.kind]:
                bad = True
            elif dt.kind in "iu":
                info = np.iinfo(dt)
                bad = not info.min <= int(self.cval) <= info.max or \
                    int(float(self.cval)) != int(self.cval)
            else:
                bad = False
            if bad:
                raise TypeError(f"{self.name}: cval {self.cval!r} cannot be cast to the "
                                f"{'result ' if dt is result else ''}dtype {dt.name}")

    def _compile(self, types, kinds, out_dtype):
        key = (tuple(types), out_dtype)
        loop = self._loops.get(key)
        if loop is None:
            tr = self.kernel.translated
            try:
                loop = _core.compile_stencil(
                    tr.ir, types, kinds, self.mode, complex(self.cval), self.neighborhood or [],
                    out_dtype, boundscheck=self.boundscheck, fastmath=self.kernel.fastmath,
                    debug=config.DEBUG)
            except _core.CompileError as e:
                kind, message, line, col, func = e.args
                raise errors.from_core(kind, message, line, col, func, tr.functions) from None
            self._loops[key] = loop
        return loop

    def __call__(self, *args, out=None, **kwargs):
        if kwargs:  # arguments by name, as the kernel's parameters are called
            args = list(args)
            for pname in self.params[len(args):]:
                if pname not in kwargs:
                    break
                args.append(kwargs.pop(pname))
            if kwargs:
                raise TypeError(f"{self.name}() got an unexpected or repeated keyword argument "
                                f"{next(iter(kwargs))!r}")
        if len(args) != len(self.params):
            raise TypeError(f"{self.name}() takes {len(self.params)} argument(s) "
                            f"({len(args)} given)")
        values, types, kinds = [], [], []
        first = None
        for pname, a in zip(self.params, args):
            if pname in self.standard or isinstance(a, (np.ndarray, list, tuple)) or \
                    first is None:
                arr = _native(np.asarray(a))
                if not _supported(arr.dtype):
                    raise TypeError(f"{self.name}: argument {pname!r} has dtype {arr.dtype}, "
                                    "which stencils do not support")
                kind = "standard" if pname in self.standard else "relative"
                if kind == "relative":
                    if first is None:
                        if arr.ndim == 0:
                            raise ValueError(f"{self.name}: the first argument must be an "
                                             "array with at least one dimension")
                        first = arr
                    elif arr.ndim != first.ndim:
                        raise ValueError(f"{self.name}: argument {pname!r} has {arr.ndim} "
                                         f"dimension(s), the first argument {first.ndim}")
                    elif any(s < f for s, f in zip(arr.shape, first.shape)):
                        raise ValueError(f"{self.name}: argument {pname!r} of shape {arr.shape} "
                                         f"is smaller than the first argument {first.shape}")
                elif arr.ndim == 0:
                    raise ValueError(f"{self.name}: argument {pname!r} is in standard_indexing "
                                     "but is not an array with at least one dimension")
                values.append(arr)
                types.append(_array_type(arr.dtype, arr.ndim))
                kinds.append(kind)
                continue
            dt = _number_dtype(a)
            if dt is None:
                raise TypeError(f"{self.name}: argument {pname!r} must be an array or a "
                                f"number, not {type(a).__name__}")
            values.append(np.asarray(a, dtype=dt))
            types.append(dt.name)
            kinds.append("number")
        loop = self._compile(types, kinds, None)
        result = np.dtype(loop.out_dtype)
        self._check_cval(result, [v.dtype for k, v in zip(kinds, values)
                                  if k == "relative"])
        if out is None:
            target = np.empty(first.shape, dtype=result)
        else:
            if not isinstance(out, np.ndarray):
                raise TypeError(f"{self.name}: out must be a NumPy array")
            if out.shape != first.shape:
                raise ValueError(f"{self.name}: out has shape {out.shape}, the result "
                                 f"{first.shape}")
            if not out.flags.writeable:
                raise ValueError(f"{self.name}: out is read-only")
            out_dtype = out.dtype.newbyteorder("=")
            if out_dtype != result:
                if not _supported(out_dtype) or not np.can_cast(result, out_dtype, "same_kind"):
                    raise TypeError(f"{self.name}: cannot write the {result} result into out "
                                    f"of dtype {out.dtype} (same_kind casting)")
                loop = self._compile(types, kinds, out_dtype.name)
            target = out
            # Points read their neighbours: an output overlapping an input is written after
            # the whole result is computed.
            if not out.dtype.isnative or any(
                    k != "number" and np.may_share_memory(out, v)
                    for k, v in zip(kinds, values)):
                target = np.empty(first.shape, dtype=out_dtype)
        _core.run_stencil(loop, values, target, self.target == "parallel", self.origin)
        if out is not None and target is not out:
            out[...] = target
            return out
        return target


def stencil(func_or_mode="constant", /, **options):
    """Make a stencil: ``@stencil``, ``@stencil(neighborhood=..., cval=..., mode=...,
    standard_indexing=..., target=..., boundscheck=...)`` or ``stencil(func, **options)``.

    ``neighborhood``: ((lo, hi), ...) per dimension, required when relative indices are not
    constants (``for k in range(-2, 3): s += a[k]``). ``cval``: the value reads outside the
    array give in mode ``constant``. ``mode``: the border mode (``MODES``). ``standard_indexing``:
    names of array parameters indexed normally (weights). ``target``: 'cpu' or 'parallel'.
    """
    allowed = {"neighborhood", "cval", "mode", "standard_indexing", "target", "boundscheck",
               "fastmath"}
    unknown = set(options) - allowed
    if unknown:
        raise TypeError(f"stencil: unknown option(s) {', '.join(sorted(unknown))}")
    if isinstance(func_or_mode, str):
        options.setdefault("mode", func_or_mode)
        return lambda func: Stencil(func, **options)
    if callable(func_or_mode):
        return Stencil(func_or_mode, **options)
    raise TypeError(f"stencil: expected a function or a mode name, got {func_or_mode!r}")
