"""@vectorize: a scalar Python function becomes a real numpy.ufunc.

With signatures, every loop is compiled at decoration and the result is a ufunc whose loop
table lists exact-dtype loops first. Without signatures (lazy), the ufunc compiles a loop for
each new combination of input dtypes when NumPy first asks for it — on a call and equally on
reduce/accumulate/outer/at. Lazy ufuncs are real ufuncs on NumPy >= 2.5 (a promoter adds the
loop); on older NumPy they are a LazyUfunc wrapper (loopjit.dynamic_ufunc).
"""

import numbers

import numpy as np

from . import _core, config, errors
from .compiler import Kernel, parse_signature, signature_text
from .types import Signature

__all__ = ["vectorize", "TARGETS"]

# target name -> how its loops run. A later issue adds "cuda".
TARGETS = {
    "cpu": "on the calling thread",
    "parallel": "split across the threading layer's threads (loopjit.parallel), GIL released",
}


def _identity_args(identity, name):
    """NumPy's (identity code, identity value) for vectorize's `identity=` option."""
    if identity is None:
        return _core.IDENTITY_NONE, None
    if isinstance(identity, str):
        if identity == "reorderable":
            return _core.IDENTITY_REORDERABLE_NONE, None
        raise ValueError(
            f"vectorize({name}): identity must be None, 0, 1, 'reorderable' or a number, "
            f"not {identity!r}"
        )
    if isinstance(identity, (bool, np.bool_)) or not isinstance(identity, numbers.Number):
        raise ValueError(
            f"vectorize({name}): identity must be None, 0, 1, 'reorderable' or a number, "
            f"not {identity!r}"
        )
    if identity == 0 and not isinstance(identity, complex):
        return _core.IDENTITY_ZERO, None
    if identity == 1 and not isinstance(identity, complex):
        return _core.IDENTITY_ONE, None
    return _core.IDENTITY_VALUE, identity


def _signature_list(sigs):
    if isinstance(sigs, (str, Signature)):
        return [sigs]
    if isinstance(sigs, (list, tuple)):
        return list(sigs)
    raise errors.SignatureError(f"signatures must be a string or a list of them, not {sigs!r}")


def _check_options(func, target, fastmath, cache, unknown):
    name = getattr(func, "__name__", "<kernel>")
    if unknown:
        raise TypeError(f"vectorize({name}): unknown option(s) {', '.join(sorted(unknown))}")
    if target not in TARGETS:
        raise ValueError(
            f"vectorize({name}): target must be one of {', '.join(map(repr, TARGETS))}, "
            f"not {target!r}"
        )
    if not isinstance(fastmath, bool):
        raise TypeError(f"vectorize({name}): fastmath must be True or False")
    if not isinstance(cache, bool):
        raise TypeError(f"vectorize({name}): cache must be True or False")


def _ufunc_doc(func):
    doc = getattr(func, "__doc__", None) or ""
    lines = doc.expandtabs().splitlines()
    if len(lines) > 1:  # dedent the body as inspect.getdoc does (inspect is slow to import)
        body = [ln for ln in lines[1:] if ln.strip()]
        indent = min((len(ln) - len(ln.lstrip()) for ln in body), default=0)
        lines = [lines[0].strip()] + [ln[indent:] for ln in lines[1:]]
    return "\n".join(lines).strip()


def _mark(ufunc, kernel, signatures):
    # Other kernels calling this ufunc inline its Python function; inspection finds its loops.
    ufunc.__loopjit_function__ = kernel.func
    ufunc.__wrapped__ = kernel.func
    ufunc._loopjit_kernel = kernel
    # Pickled by name from the kernel's module (as functions are), not by a sys.modules search.
    ufunc.__module__ = getattr(kernel.func, "__module__", None)
    ufunc._loopjit_signatures = signatures
    return ufunc


def _eager_ufunc(kernel, sigs, identity, target, cache):
    name = kernel.name
    loops, arity = [], None
    for sig in sigs:
        text = signature_text(sig)
        args, _ret, _outs = parse_signature(text)
        loop = kernel.compile_loop(text, cache=cache)
        this = (len(args), len(loop.outs))
        if arity is not None and this != arity:
            raise errors.SignatureError(
                f"vectorize({name}): signature {text!r} has {this[0]} input(s) and "
                f"{this[1]} output(s), but an earlier one has {arity[0]} and {arity[1]}"
            )
        arity = this
        loops.append(loop)
    code, value = _identity_args(identity, name)
    ufunc = _core.make_ufunc(name, _ufunc_doc(kernel.func), arity[0], arity[1], loops, code, value,
                             target)
    return _mark(ufunc, kernel, [signature_text(s) for s in sigs])


def _lazy_ufunc(kernel, identity, target, cache):
    func = kernel.func
    name = kernel.name
    code = getattr(func, "__code__", None)
    if code is None:
        raise TypeError(f"vectorize({name}): expected a Python function, got {func!r}")
    nin = code.co_argcount
    if nin == 0:
        raise TypeError(f"vectorize({name}): a ufunc needs at least one argument")
    try:
        nout = kernel.return_arity()
    except errors.LoopjitError:
        nout = 1  # the error is raised again, where the user sees it, on first call
    code, value = _identity_args(identity, name)
    loops = {}

    def compile_for(dtype_names):
        key = tuple(dtype_names)
        loop = loops.get(key)
        if loop is None:
            loop = kernel.compile_loop("(" + ", ".join(key) + ")", cache=cache)
            if len(loop.outs) != nout:
                raise errors.TypingError(
                    f"{name}() returns {len(loop.outs)} value(s) for inputs {key}, but the "
                    f"ufunc was made with {nout} output(s): give vectorize a signature"
                )
            loops[key] = loop
        return loop

    if _core.lazy_ufuncs_supported and not config.LAZY_WRAPPER:
        ufunc = _core.make_lazy_ufunc(name, _ufunc_doc(func), nin, nout, compile_for, code, value,
                                      target)
        return _mark(ufunc, kernel, [])
    from .dynamic_ufunc import LazyUfunc

    return LazyUfunc(kernel, nin, nout, compile_for, code, value, target)


def vectorize(ftylist_or_function=(), /, *, target="cpu", identity=None, fastmath=False,
              cache=False, nopython=True, **options):
    """Compile a scalar function into a NumPy ufunc.

    ``@vectorize(["float64(float64, float64)", ...])`` compiles each signature now and returns
    a numpy.ufunc. ``@vectorize`` or ``@vectorize()`` returns a ufunc that compiles a loop for
    each new combination of input dtypes on first use. A signature's return type may be a
    tuple (``"UniTuple(float64, 2)(float64)"``) for a ufunc with several outputs.

    Options: ``target`` ('cpu' or 'parallel'), ``identity`` (None, 0, 1, 'reorderable' or a number: used by
    ``reduce``), ``fastmath`` (let LLVM reassociate float math), ``cache`` (store compiled loops
    on disk and load them in later processes instead of compiling: see loopjit.cache).
    ``nopython`` is accepted for Numba compatibility (loopjit is always nopython).
    """
    if callable(ftylist_or_function) and not isinstance(ftylist_or_function, (str, Signature)):
        return vectorize(target=target, identity=identity, fastmath=fastmath, cache=cache,
                         nopython=nopython, **options)(ftylist_or_function)
    sigs = _signature_list(ftylist_or_function)

    def decorate(func):
        if not callable(func):
            raise TypeError(f"vectorize: expected a function, got {func!r}")
        _check_options(func, target, fastmath, cache, options)
        kernel = Kernel(getattr(func, "__loopjit_function__", func), fastmath=fastmath)
        if sigs:
            return _eager_ufunc(kernel, sigs, identity, target, cache)
        return _lazy_ufunc(kernel, identity, target, cache)

    return decorate
