"""State shared by the expression and statement emitters while one function is translated:
where nodes are in the file, which names are local, temporaries, and located errors."""

import ast

from .. import errors
from .irtext import Node

__all__ = ["FunctionContext", "local_names"]


def local_names(tree):
    """Parameters and every name the body binds: Python makes such a name local in the whole
    function, so reads of it are never globals."""
    args = tree.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    if args.vararg:
        names.add(args.vararg.arg)
    if args.kwarg:
        names.add(args.kwarg.arg)
    body = [tree.body] if isinstance(tree, ast.Lambda) else tree.body
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)
    return names


class FunctionContext:
    def __init__(self, parsed, scope, builder):
        self.tree = parsed.tree
        self.info = parsed.info
        self.locator = parsed.locator
        self.scope = scope
        self.builder = builder
        self.locals = local_names(parsed.tree)
        self._temps = {}

    def temp(self, prefix):
        """A fresh temporary name; `$` keeps it apart from every Python identifier."""
        n = self._temps.get(prefix, 0)
        self._temps[prefix] = n + 1
        return f"${prefix}{n}"

    def start(self, node):
        return self.locator.start(node)

    def extent(self, first, last=None):
        """File extent from the start of ``first`` to the end of ``last`` (default: first)."""
        a = self.locator.extent(first)
        b = a if last is None else self.locator.extent(last)
        return a[0], a[1], b[2], b[3]

    def node(self, kind, ast_node, fields=(), kids=(), loc=None, extent=None):
        """An IR node for ``ast_node`` at ``loc`` (default: the node's start), recording its
        extent so errors the core reports at ``loc`` underline the whole expression."""
        if loc is None:
            loc = self.locator.start(ast_node)
        self.record(loc, extent or self.locator.extent(ast_node))
        return Node(kind, loc, fields, kids)

    def record(self, loc, extent):
        # Several nodes can share a location (an assignment and its target): keep the widest.
        old = self.info.spans.get(loc)
        if old is None or (extent[:2] <= old[:2] and extent[2:] >= old[2:]):
            self.info.spans[loc] = extent

    def error(self, cls, node, message, extent=None):
        """The located exception for ``message`` at ``node``; the caller raises it."""
        line, col, end_line, end_col = extent or self.locator.extent(node)
        return errors.located(cls, message, self.info, line, col, end_line, end_col)

    def unsupported(self, node, message):
        return self.error(errors.UnsupportedError, node, message)

    def typing(self, node, message):
        return self.error(errors.TypingError, node, message)
