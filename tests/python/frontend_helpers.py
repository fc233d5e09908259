"""Helpers for the front end's tests: reading IR text loosely (without locations or layout)
and checking the full text of error messages."""

import inspect
import re

import pytest

from loopjit import frontend

__all__ = ["compact", "unparse", "parse", "walk", "nodes", "ir_of", "body", "line_of",
           "expected_message", "assert_error", "Compiled", "decorator"]


def compact(ir):
    """IR text without locations and line breaks: `(binop + (name x) (int 1))`."""
    return unparse(parse(ir))


def unparse(n):
    parts = [n[0]] + [unparse(k) if isinstance(k, list) else k for k in n[1:]
                      if not isinstance(k, tuple)]
    return "(" + " ".join(parts) + ")"


def parse(ir):
    """IR text as nested lists [kind, (line, col), atoms..., kids...]."""
    tokens = re.findall(r"\(|\)|[^\s()]+", ir)
    pos = 0

    def node():
        nonlocal pos
        assert tokens[pos] == "("
        kind = tokens[pos + 1]
        pos += 2
        out = [kind]
        if kind != "module":
            line, col = tokens[pos].split(":")
            out.append((int(line), int(col)))
            pos += 1
        while tokens[pos] != ")":
            if tokens[pos] == "(":
                out.append(node())
            else:
                out.append(tokens[pos])
                pos += 1
        pos += 1
        return out

    tree = node()
    assert pos == len(tokens)
    return tree


def walk(n):
    yield n
    for kid in n[1:]:
        if isinstance(kid, list):
            yield from walk(kid)


def nodes(ir, kind):
    return [n for n in walk(parse(ir)) if n[0] == kind]


def ir_of(func):
    return frontend.translate(func).ir


def body(func):
    """The compact body block of the entry function."""
    return unparse(parse(ir_of(func))[1][4])


def line_of(func, snippet):
    """File line number of the first line of ``func``'s source containing ``snippet``."""
    lines, first = inspect.getsourcelines(func)
    for i, line in enumerate(lines):
        if snippet in line:
            return first + i
    raise AssertionError(f"{snippet!r} not in the source of {func.__name__}")


def expected_message(func, snippet, message, name=None):
    """The message format: function, file:line:col, the stripped source line, carets under
    ``snippet`` (its first occurrence), then the message."""
    lineno = line_of(func, snippet)
    text = inspect.getsourcelines(func)[0][lineno - line_of(func, "")].rstrip("\n")
    col = text.index(snippet)
    shown = text.lstrip()
    pad = " " * (col - (len(text) - len(shown)))
    filename = func.__code__.co_filename
    return (f"In function '{name or func.__name__}' ({filename}:{lineno}:{col + 1}):\n"
            f"    {shown}\n    {pad}{'^' * len(snippet)}\n{message}")


def assert_error(func, cls, snippet, message, name=None, where=None):
    """Translating ``func`` raises ``cls`` pointing at ``snippet`` in the source of ``where``
    (default: func itself) with ``message``."""
    where = where or func
    with pytest.raises(cls) as info:
        frontend.translate(func)
    err = info.value
    assert str(err) == expected_message(where, snippet, message, name)
    assert err.msg == message
    assert err.lineno == line_of(where, snippet)
    assert err.filename == where.__code__.co_filename
    assert err.funcname == (name or where.__name__)
    return err


class Compiled:
    """Stands in for a loopjit dispatcher: the front end only looks at __loopjit_function__."""

    def __init__(self, func):
        self.__loopjit_function__ = func


def decorator(*args, **kwargs):
    return lambda f: f
