"""The Python side of compiling one kernel: the front end's IR and a signature in, a compiled
loop out, with the core's errors turned into loopjit.errors exceptions that show the user's
source line."""

from . import _core, config, errors
from .types import Signature, Type

__all__ = ["Kernel", "signature_text", "parse_signature"]


def signature_text(sig):
    """A signature as the core reads it, from a string, a Signature or a tuple of types."""
    if isinstance(sig, str):
        return sig
    if isinstance(sig, Signature):
        return str(sig)
    if isinstance(sig, Type):  # a bare return type is not a signature
        raise errors.SignatureError(f"{sig} is a type, not a signature; write e.g. {sig}({sig})")
    if isinstance(sig, tuple) and all(isinstance(t, (Type, str)) for t in sig):
        return "(" + ", ".join(str(t) for t in sig) + ")"
    raise errors.SignatureError(f"cannot read {sig!r} as a signature")


def parse_signature(text):
    """(argument type names, return type name or None, output type names or None)."""
    try:
        return _core.parse_signature(text)
    except _core.CompileError as e:
        _kind, message, _line, _col, _func = e.args
        raise errors.SignatureError(f"bad signature {text!r}: {message}") from None


class Kernel:
    """A Python function translated by the front end, ready to compile for signatures.

    Translation happens on first use, so that a lazy decorator reports errors in the kernel on
    first call rather than at decoration."""

    def __init__(self, func, fastmath=False):
        self.func = func
        self.fastmath = fastmath
        self._translated = None

    @property
    def translated(self):
        if self._translated is None:
            from . import frontend  # imports ast/inspect: kept out of `import loopjit`

            self._translated = frontend.translate(self.func)
        return self._translated

    @property
    def name(self):
        return getattr(self.func, "__name__", "<kernel>")

    def compile_loop(self, sig_text, keep_asm=False, cache=False):
        """The loop for one signature; with cache=True through the disk cache (loopjit.cache),
        whose loops carry no IR text (inspection compiles without it)."""
        tr = self.translated
        try:
            return _core.compile_loop(
                tr.ir, sig_text, fastmath=self.fastmath, keep_asm=keep_asm, debug=config.DEBUG,
                cache=cache,
            )
        except _core.CompileError as e:
            kind, message, line, col, func = e.args
            raise errors.from_core(kind, message, line, col, func, tr.functions) from None

    def return_arity(self):
        """How many values the kernel returns (1 unless every return is an n-tuple)."""
        return _core.return_arity(self.translated.ir)
