"""inspect_types / inspect_llvm / inspect_asm: what loopjit made of a function for a signature:
the typed IR, the optimized LLVM IR (kernel inlined into its loop nest), the machine code."""

from . import errors
from .compiler import signature_text

__all__ = ["inspect_types", "inspect_llvm", "inspect_asm"]


def _kernel_of(f):
    for attr in ("_loopjit_kernel", "_kernel"):
        k = getattr(f, attr, None)
        if k is not None:
            return k
    raise TypeError(f"{f!r} is not a loopjit function")


def _signatures_of(f, sig):
    if sig is not None:
        return [signature_text(sig)]
    sigs = list(getattr(f, "_loopjit_signatures", []) or [])
    if not sigs:
        raise errors.SignatureError(
            "this function has no signatures of its own: pass one, e.g. "
            "inspect_llvm(f, 'float64(float64)')"
        )
    return sigs


def _inspect(f, sig, field):
    kernel = _kernel_of(f)
    texts = []
    for s in _signatures_of(f, sig):
        loop = kernel.compile_loop(s, keep_asm=(field == "assembly"))
        texts.append(getattr(loop, field))
    return texts[0] if sig is not None else dict(zip(_signatures_of(f, None), texts))


def inspect_types(f, sig=None):
    """The typed IR of `f` for `sig` (all of its signatures as a dict when sig is None)."""
    return _inspect(f, sig, "typed_ir")


def inspect_llvm(f, sig=None):
    """The optimized LLVM IR of `f`'s ufunc loop for `sig`."""
    return _inspect(f, sig, "llvm_ir")


def inspect_asm(f, sig=None):
    """The machine code (assembly text) of `f`'s ufunc loop for `sig`."""
    return _inspect(f, sig, "assembly")
