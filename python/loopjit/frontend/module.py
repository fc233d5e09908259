"""Translating a kernel and every loopjit function it calls into one IR Module, with what the
Python layer needs to report errors and key its disk cache."""

import hashlib
import re
import types
from dataclasses import dataclass

from .. import errors
from .context import FunctionContext
from .irtext import Node
from .resolve import Reject, Scope, describe
from .source import parse_function
from .statements import StmtEmitter

__all__ = ["FrontendResult", "translate"]

# Part of the cache key: bump when the IR the front end writes for the same source changes.
FRONTEND_VERSION = "1"


@dataclass(frozen=True, eq=False)
class FrontendResult:
    """``ir``: the Module's text (ir/text.h); ``name``: the entry function's IR name;
    ``functions``: IR function name -> SourceInfo, the entry first; ``arg_names``: the
    kernel's parameters; ``source_hash``: hex digest of every included function's source and
    the IR (which holds every compile-time constant it resolved); ``dependencies``: the loopjit
    objects whose functions were translated into the module, in order of first call."""

    ir: str
    name: str
    functions: dict
    arg_names: tuple
    source_hash: str
    dependencies: tuple


def _ir_name(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_") or "kernel"


class ModuleBuilder:
    """Collects the Func nodes of a module: the entry point, then each loopjit function it
    (transitively) calls, translated once however often it is called."""

    def __init__(self):
        self.funcs = []
        self.infos = {}
        self.sources = []
        self.dependencies = []
        self._names = {}  # Python function -> IR name
        self._stack = []  # Python functions being translated, outermost first

    def add(self, py_func):
        parsed = parse_function(py_func)
        name = _ir_name(py_func.__name__)
        base, n = name, 1
        while name in self.infos:
            n += 1
            name = f"{base}_{n}"
        self._names[py_func] = name
        self.infos[name] = parsed.info
        self.sources.append(parsed)
        index = len(self.funcs)
        self.funcs.append(None)
        self._stack.append(py_func)
        try:
            ctx = FunctionContext(parsed, Scope(py_func), self)
            self.funcs[index] = StmtEmitter(ctx).function(name)
        finally:
            self._stack.pop()
        return name

    def request(self, py_func, obj):
        """The IR name to call loopjit function ``obj`` (whose Python function is
        ``py_func``) by, translating it on first use."""
        if py_func in self._stack:
            cycle = self._stack[self._stack.index(py_func):]
            if len(cycle) == 1:
                why = f"'{py_func.__name__}' calls itself"
            else:
                why = " -> ".join(f.__name__ for f in [*cycle, py_func])
            raise Reject(errors.UnsupportedError,
                         f"recursive calls are not supported in kernels ({why})")
        if py_func not in self._names:
            self.dependencies.append(obj)
            self.add(py_func)
        return self._names[py_func]


def _source_hash(builder, ir):
    h = hashlib.sha256(FRONTEND_VERSION.encode())
    for parsed in builder.sources:
        info = parsed.info
        for part in (info.filename, str(info.first_line), parsed.source):
            h.update(b"\0" + part.encode("utf-8", errors="surrogatepass"))
    h.update(b"\0" + ir.encode("utf-8"))
    return h.hexdigest()


def translate(func):
    """Translate a Python function (or a loopjit object wrapping one) to a FrontendResult.
    Raises loopjit.errors exceptions pointing at the offending source."""
    try:
        py_func = getattr(func, "__loopjit_function__", func)
    except Exception:
        py_func = func
    if not isinstance(py_func, types.FunctionType):
        raise errors.LoopjitError(f"loopjit compiles Python functions (def or lambda), not "
                                  f"{describe(func)}")
    builder = ModuleBuilder()
    name = builder.add(py_func)
    ir = Node("module", None, kids=builder.funcs).to_text()
    code = py_func.__code__
    return FrontendResult(
        ir=ir,
        name=name,
        functions=dict(builder.infos),
        arg_names=tuple(code.co_varnames[:code.co_argcount]),
        source_hash=_source_hash(builder, ir),
        dependencies=tuple(builder.dependencies),
    )
