"""Errors loopjit raises for problems in the user's kernel, and the formatter that points them
at the offending source line, for both the front end and the C++ core's CompileError."""

__all__ = [
    "LoopjitError",
    "TypingError",
    "UnsupportedError",
    "SignatureError",
    "InternalError",
    "format_error",
    "located",
    "from_core",
]


class LoopjitError(Exception):
    """Base class of every error loopjit raises about a kernel.

    Attributes: ``msg`` (the bare message), ``funcname``, ``filename``, ``lineno`` (1-based),
    ``col`` (1-based character column, as shown in the message) and ``source_line``; the
    location attributes are None when unknown. ``str(error)`` is the full formatted message.
    """

    def __init__(self, msg, *, funcname=None, filename=None, lineno=None, col=None,
                 source_line=None, caret_len=1):
        self.msg = msg
        self.funcname = funcname
        self.filename = filename
        self.lineno = lineno
        self.col = col
        self.source_line = source_line
        self.caret_len = caret_len
        super().__init__(msg)

    def __str__(self):
        return format_error(self.msg, funcname=self.funcname, filename=self.filename,
                            lineno=self.lineno, col=self.col, source_line=self.source_line,
                            caret_len=self.caret_len)

    # Keyword-only fields would be lost by Exception's default pickling (it replays self.args),
    # and errors cross process boundaries under Dask and multiprocessing.
    def __reduce__(self):
        fields = {k: getattr(self, k) for k in
                  ("funcname", "filename", "lineno", "col", "source_line", "caret_len")}
        return (_rebuild, (type(self), self.msg, fields))


def _rebuild(cls, msg, fields):
    return cls(msg, **fields)


class TypingError(LoopjitError):
    """The kernel uses a value in a way its types do not allow."""


class UnsupportedError(LoopjitError):
    """The kernel uses Python that loopjit does not compile."""


class SignatureError(LoopjitError):
    """A signature string or the decorator's arguments are malformed or do not fit the kernel."""


class InternalError(LoopjitError):
    """The compiler failed on a kernel it should have compiled: a bug in loopjit."""


def format_error(msg, *, funcname=None, filename=None, lineno=None, col=None, source_line=None,
                 caret_len=1):
    """Format a message as

        In function 'f' (/path/to/file.py:12:15):
            return x.nope + 1
                   ^^^^^^
        float64 has no attribute 'nope'

    ``col`` is the 1-based character column; the source line and caret appear only when both
    the line text and the column are known.
    """
    if funcname is None and filename is None:
        return msg
    where = filename or "<unknown>"
    if lineno:
        where += f":{lineno}"
        if col:
            where += f":{col}"
    head = f"In function '{funcname}' ({where}):" if funcname else f"In {where}:"
    parts = [head]
    if source_line is not None and col:
        text = source_line.rstrip("\r\n")
        shown = text.lstrip()
        start = max(col - 1 - (len(text) - len(shown)), 0)
        shown = shown.rstrip()
        length = max(min(caret_len, len(shown) - start), 1)
        # Reuse the line's own tabs so the caret stays aligned under them.
        pad = "".join("\t" if c == "\t" else " " for c in shown[:start])
        parts.append("    " + shown)
        parts.append("    " + pad + "^" * length)
    parts.append(msg)
    return "\n".join(parts)


def _char_col(line, byte_col):
    # ast and the IR count columns in UTF-8 bytes; people count characters.
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


def located(cls, msg, info, line, col, end_line=None, end_col=None):
    """An exception of class ``cls`` at (line, col) of the function described by ``info`` (a
    ``frontend.SourceInfo``). Positions are as the IR carries them: file line numbers and
    0-based UTF-8 byte columns. The caret spans to (end_line, end_col) when known: to the end of
    the line when the extent continues on later lines."""
    text = info.line(line) if line else None
    if text is None or col is None:
        return cls(msg, funcname=info.name, filename=info.filename, lineno=line or None,
                   col=None if col is None else col + 1)
    text = text.rstrip("\r\n")
    start = _char_col(text, col)
    if end_line is None or end_col is None:
        length = 1
    elif end_line == line:
        length = _char_col(text, end_col) - start
    else:
        length = len(text.rstrip()) - start
    return cls(msg, funcname=info.name, filename=info.filename, lineno=line, col=start + 1,
               source_line=text, caret_len=max(length, 1))


_CORE_KINDS = {
    "typing": TypingError,
    "unsupported": UnsupportedError,
    "signature": SignatureError,
    "internal": InternalError,
}
_CORE_KIND_ORDER = ("typing", "unsupported", "signature", "internal")  # lj::ErrorKind's order


def from_core(kind, message, line, col, func_name, source_infos):
    """The exception to raise for a C++ ``CompileError``.

    ``kind``: the ErrorKind as a name ("Typing", "unsupported", ...), an enum with ``.name``, or
    its integer value. ``line``/``col``: the node's SourceLoc (line 0 when unknown).
    ``func_name``: the IR function the error is in ("" for the entry point). ``source_infos``:
    ``FrontendResult.functions``. Returns the exception; the caller raises it.
    """
    if isinstance(kind, int):
        key = _CORE_KIND_ORDER[kind] if 0 <= kind < len(_CORE_KIND_ORDER) else "internal"
    else:
        key = str(getattr(kind, "name", kind)).rsplit(".", 1)[-1].lower()
    cls = _CORE_KINDS.get(key, InternalError)
    info = source_infos.get(func_name) if func_name else None
    if info is None and not func_name and source_infos:
        info = next(iter(source_infos.values()))
    if info is None:
        return cls(message, funcname=func_name or None)
    if not line:
        return cls(message, funcname=info.name, filename=info.filename)
    # The front end records each node's full extent under its IR location, so the caret
    # underlines the whole expression the core complains about.
    span = info.spans.get((line, col))
    if span is None:
        return located(cls, message, info, line, col)
    return located(cls, message, info, *span)
