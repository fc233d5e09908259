"""IR nodes as the front end builds them, printed in the core's S-expression text form
(src/ir/text.h), laid out exactly as the core's printer does so the text round-trips."""

import math

# Kinds the core prints on a line of their own (src/ir/text.cpp: is_statement); params stays
# inline although it is listed there.
_STATEMENT_KINDS = frozenset({
    "assign", "augassign", "if", "while", "for", "break", "continue", "pass", "return", "expr",
    "block", "func", "module",
})

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class Node:
    """One IR node: kind (text name), loc (file line, 0-based byte column; None for the
    module), fields (already-formatted atoms) and kids."""

    __slots__ = ("kind", "loc", "fields", "kids")

    def __init__(self, kind, loc, fields=(), kids=()):
        self.kind = kind
        self.loc = loc
        self.fields = tuple(fields)
        self.kids = list(kids)

    def __repr__(self):
        return f"Node({self.to_text()!r})"

    def to_text(self):
        out = []
        _print(self, 0, out)
        return "".join(out)


def _print(node, indent, out):
    out.append("(" + node.kind)
    if node.loc is not None:
        out.append(f" {node.loc[0]}:{node.loc[1]}")
    for f in node.fields:
        out.append(" " + f)
    for kid in node.kids:
        if kid.kind in _STATEMENT_KINDS:
            out.append("\n" + " " * (indent + 2))
            _print(kid, indent + 2, out)
        else:
            out.append(" ")
            _print(kid, indent, out)
    out.append(")")


def format_float(value):
    """C99 hex float as C's %a writes it (float.hex without trailing zeros), or inf/-inf/nan."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    mantissa, exponent = float.hex(value).split("p")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + "p" + exponent


def int_node(loc, value):
    return Node("int", loc, (str(value),))


def float_node(loc, value):
    return Node("float", loc, (format_float(value),))


def complex_node(loc, value):
    return Node("complex", loc, (format_float(value.real), format_float(value.imag)))


def bool_node(loc, value):
    return Node("bool", loc, ("1" if value else "0",))


def none_node(loc):
    return Node("none", loc)


def name_node(loc, name):
    return Node("name", loc, (name,))
