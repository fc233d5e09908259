"""@guvectorize: a Python function over core-dimension slices becomes a real NumPy gufunc.

The kernel takes its inputs, then its outputs, as arrays of their core dimensions (a `()`
input may also be taken as a number) and writes its results into the outputs. NumPy loops over
the other dimensions, broadcasting them, and checks the core dimensions; loopjit compiles the
kernel and, with target='parallel', splits NumPy's loop over the threading layer.

The layout is NEP 20's grammar, in full: named dimensions `(m,n),(n,p)->(m,p)`, frozen sizes
`(3),(3)->(3)`, optional dimensions `(n?)`, and output-only dimensions `()->(n)`, sized by
`out=` or by the `sizes=` function.
"""

import re
import warnings

from . import _core, config, errors
from .compiler import Kernel, signature_text
from .types import Signature
from .vectorize import TARGETS, _signature_list, _ufunc_doc

__all__ = ["guvectorize", "parse_layout", "Layout"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+"
_DIM = re.compile(rf"\s*({_NAME})\s*(\?)?\s*$")


class Layout:
    """A parsed layout: per operand, its core dimensions as (name, optional) pairs."""

    def __init__(self, text, inputs, outputs):
        self.text = text
        self.inputs = inputs
        self.outputs = outputs
        order = []
        for operand in inputs + outputs:
            for name, _opt in operand:
                if name not in order:
                    order.append(name)
        # NumPy numbers distinct dimension names in order of first appearance.
        self.dim_names = order
        self.core_dims = [[order.index(n) for n, _o in op] for op in inputs + outputs]
        known = {n for op in inputs for n, _o in op}
        self.output_only = [n for n in order if n not in known and not n.isdigit()]

    @property
    def nin(self):
        return len(self.inputs)

    @property
    def nout(self):
        return len(self.outputs)

    def numpy_signature(self):
        def side(ops):
            return ",".join("(" + ",".join(n + ("?" if o else "") for n, o in op) + ")"
                            for op in ops)
        return side(self.inputs) + "->" + side(self.outputs)


def _operands(what, side, whole):
    side = side.strip()
    if not side:
        raise ValueError(f"layout {whole!r}: no {what}")
    ops = []
    pos = 0
    while pos < len(side):
        m = re.compile(r"\s*\(([^()]*)\)\s*(,|$)").match(side, pos)
        if not m:
            raise ValueError(f"layout {whole!r}: expected '(dims)' at {side[pos:]!r}")
        inner = m.group(1).strip()
        dims = []
        if inner:
            for part in inner.split(","):
                d = _DIM.match(part)
                if not d:
                    raise ValueError(f"layout {whole!r}: bad dimension {part.strip()!r} (a name, "
                                     "a size, optionally followed by '?')")
                dims.append((d.group(1), bool(d.group(2))))
        ops.append(dims)
        pos = m.end()
        if m.group(2) == "," and pos >= len(side):
            raise ValueError(f"layout {whole!r}: trailing ','")
    return ops


def parse_layout(text):
    """Parses a NEP 20 layout such as "(m,n),(n,p)->(m,p)" or "(3),(3)->(3)"."""
    if not isinstance(text, str) or text.count("->") != 1:
        raise ValueError(f"layout {text!r}: expected 'inputs->outputs', e.g. '(n),()->(n)'")
    left, right = text.split("->")
    return Layout(text, _operands("inputs", left, text), _operands("outputs", right, text))


def _writable(func, layout, writable_args):
    names = func.__code__.co_varnames[:func.__code__.co_argcount]
    flags = [False] * layout.nin
    for w in writable_args:
        if isinstance(w, str):
            if w not in names[:layout.nin]:
                raise ValueError(f"guvectorize({func.__name__}): writable_args names {w!r}, "
                                 f"which is not an input ({', '.join(names[:layout.nin])})")
            flags[names.index(w)] = True
        elif isinstance(w, int) and not isinstance(w, bool) and -layout.nin <= w < layout.nin:
            flags[w % layout.nin] = True
        else:
            raise ValueError(f"guvectorize({func.__name__}): writable_args entries are input "
                             f"names or indices, not {w!r}")
    return flags


def _sizes_function(name, layout, sizes):
    """NumPy's process_core_dims_func, in Python: fills output-only dimensions (-1)."""
    def process(values):
        known = {n: v for n, v in zip(layout.dim_names, values) if v >= 0}
        missing = [n for n, v in zip(layout.dim_names, values) if v < 0]
        if not missing:
            return values
        if sizes is None:
            raise ValueError(f"{name}: the output core dimension(s) {', '.join(missing)} of "
                             f"layout {layout.text!r} are not set by the inputs: pass out= or "
                             "give guvectorize a sizes= function")
        given = sizes(dict(known))
        if not isinstance(given, dict):
            raise TypeError(f"{name}: sizes= must return a dict of dimension sizes, not "
                            f"{type(given).__name__}")
        out = list(values)
        for i, n in enumerate(layout.dim_names):
            if out[i] < 0:
                if n not in given:
                    raise ValueError(f"{name}: sizes= did not give output dimension {n!r}")
                v = int(given[n])
                if v < 0:
                    raise ValueError(f"{name}: sizes= gave {n}={v}, a negative size")
                out[i] = v
        return out

    return process


class _Gufunc:
    """Builds one gufunc: compiles loops with the kernel's errors shown at its source."""

    def __init__(self, func, layout, target, writable, fastmath, boundscheck):
        self.kernel = Kernel(getattr(func, "__loopjit_function__", func), fastmath=fastmath)
        self.layout = layout
        self.target = target
        self.writable = writable
        self.boundscheck = boundscheck

    def compile(self, sig_text):
        tr = self.kernel.translated
        try:
            return _core.compile_gufunc(
                tr.ir, sig_text, self.layout.core_dims, self.layout.nin, self.writable,
                fastmath=self.kernel.fastmath, boundscheck=self.boundscheck, debug=config.DEBUG)
        except _core.CompileError as e:
            kind, message, line, col, func = e.args
            raise errors.from_core(kind, message, line, col, func, tr.functions) from None

    def lazy_signature(self, ins, outs):
        """The signature a lazy gufunc compiles for these input dtypes: outputs take the dtype
        fixed by dtype=/signature= when given, else the inputs' common dtype."""
        import numpy as np

        # Arrays decide (a moving mean of float32 is float32 whatever the window's type).
        arrays = [t for t, op in zip(ins, self.layout.inputs) if op] or list(ins)
        default = np.result_type(*[np.dtype(t) for t in arrays]).name
        types = []
        for operand, dt in zip(self.layout.inputs, ins):
            types.append(dt if not operand else f"{dt}[{', '.join(':' * len(operand))}]")
        for operand, dt in zip(self.layout.outputs, outs):
            types.append(f"{dt or default}[{', '.join(':' * max(1, len(operand)))}]")
        return "void(" + ", ".join(types) + ")"

    def make(self, loops, lazy, sizes):
        func = self.kernel.func
        code = func.__code__
        origin = f"'{func.__name__}', file \"{code.co_filename}\""
        compile_for = None
        if lazy:
            cache = {}

            def compile_for(ins, outs):
                key = (tuple(ins), tuple(outs))
                if key not in cache:
                    cache[key] = self.compile(self.lazy_signature(ins, outs))
                return cache[key]

        core_dims_func = (_sizes_function(func.__name__, self.layout, sizes)
                          if self.layout.output_only or sizes is not None else None)
        uf = _core.make_gufunc(
            func.__name__, origin, _ufunc_doc(func), self.layout.nin, self.layout.nout,
            self.layout.numpy_signature(), self.layout.core_dims, self.writable, loops,
            compile=compile_for, target=self.target, core_dims_func=core_dims_func)
        uf.__loopjit_function__ = func
        uf.__wrapped__ = func
        uf._loopjit_kernel = self.kernel
        uf.__module__ = getattr(func, "__module__", None)  # pickled by name, as functions are
        return uf


def guvectorize(ftylist_or_layout=(), layout=None, /, *, target="cpu", identity=None,
                writable_args=(), fastmath=False, boundscheck=None, sizes=None, cache=False,
                nopython=True, signature=None, **options):
    """Compile a function over core-dimension slices into a NumPy generalized ufunc.

    ``@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")`` compiles each
    signature now. ``@guvectorize("(n),()->(n)")`` (no signatures) compiles a loop for each new
    combination of input dtypes on first use; outputs it allocates take the inputs' common
    dtype (pass dtype= or signature= for another; out= is cast into, as for any ufunc).
    Signatures are Numba's: outputs are the last parameters,
    the return type is void; a ``()`` output is declared ``T[:]`` and written ``out[0] = v``;
    a ``()`` input may be declared ``T`` (a number) or ``T[:]``.

    Options: ``target`` ('cpu' or 'parallel'), ``writable_args`` (input names or indices the
    kernel writes in place: NumPy must then pass them uncast), ``fastmath``, ``boundscheck``
    (IndexError on out-of-bounds indices; default from LOOPJIT_BOUNDSCHECK), ``sizes`` (a
    function from the known core dimension sizes, a dict, to the output-only ones).
    ``identity`` (None only) and ``nopython`` are accepted for Numba compatibility; ``cache=True``
    is accepted too but gufunc loops are not stored in the disk cache yet (a warning says so).
    """
    if callable(ftylist_or_layout) and not isinstance(ftylist_or_layout, (str, Signature)):
        raise TypeError("guvectorize needs a layout: @guvectorize('(n)->()') or "
                        "@guvectorize([signatures], '(n)->()')")
    layout = layout if layout is not None else signature
    if isinstance(ftylist_or_layout, str) and "->" in ftylist_or_layout and layout is None:
        sigs, layout = [], ftylist_or_layout
    else:
        sigs = _signature_list(ftylist_or_layout) if ftylist_or_layout != () else []
    if layout is None:
        raise TypeError("guvectorize needs a layout such as '(n),()->(n)'")
    parsed = parse_layout(layout)

    def decorate(func):
        name = getattr(func, "__name__", "<kernel>")
        if options:
            raise TypeError(f"guvectorize({name}): unknown option(s) "
                            f"{', '.join(sorted(options))}")
        if target not in TARGETS:
            raise ValueError(f"guvectorize({name}): target must be one of "
                             f"{', '.join(map(repr, TARGETS))}, not {target!r}")
        if not isinstance(fastmath, bool):
            raise TypeError(f"guvectorize({name}): fastmath must be True or False")
        if cache:
            warnings.warn(f"guvectorize({name}): cache=True has no effect yet: gufunc loops are "
                          "compiled in each process (in milliseconds), not loaded from the disk "
                          "cache", UserWarning, stacklevel=2)
        if identity is not None:
            raise ValueError(f"guvectorize({name}): a gufunc has no identity (NumPy cannot "
                             "reduce with it); leave identity=None")
        py = getattr(func, "__loopjit_function__", func)
        if not hasattr(py, "__code__"):
            raise TypeError(f"guvectorize: expected a Python function, got {func!r}")
        nparams = py.__code__.co_argcount
        if nparams != parsed.nin + parsed.nout:
            raise errors.SignatureError(
                f"guvectorize({name}): layout {layout!r} has {parsed.nin} input(s) and "
                f"{parsed.nout} output(s), but {name}() takes {nparams} parameter(s) (inputs, "
                "then outputs)")
        check = config.BOUNDSCHECK if boundscheck is None else bool(boundscheck)
        g = _Gufunc(py, parsed, target, _writable(py, parsed, writable_args), fastmath, check)
        loops = [g.compile(signature_text(s)) for s in sigs]
        uf = g.make(loops, lazy=not sigs, sizes=sizes)
        uf._loopjit_signatures = [signature_text(s) for s in sigs]
        return uf

    return decorate
