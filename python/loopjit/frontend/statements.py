"""The statement emitter: a kernel's def or lambda to an IR Func node (src/ir/node.h), with
every Python construct kernels do not support rejected at its source location."""

import ast

from .expressions import BINOPS, ExprEmitter
from .irtext import Node, name_node

__all__ = ["StmtEmitter"]

_NOT_IN_KERNELS = {
    "Try": "try/except statements are not supported in kernels",
    "TryStar": "try/except* statements are not supported in kernels",
    "With": "with statements are not supported in kernels",
    "AsyncWith": "async with statements are not supported in kernels",
    "ClassDef": "class definitions are not supported in kernels",
    "FunctionDef": "nested function definitions are not supported in kernels; define the "
                   "function at module level and decorate it with @loopjit.njit",
    "AsyncFunctionDef": "nested function definitions are not supported in kernels",
    "Global": "global statements are not supported in kernels",
    "Nonlocal": "nonlocal statements are not supported in kernels",
    "Delete": "del statements are not supported in kernels",
    "Assert": "assert statements are not supported in kernels",
    "Import": "import statements are not supported in kernels; import at module level",
    "ImportFrom": "import statements are not supported in kernels; import at module level",
    "Raise": "raise statements are not supported in kernels",
    "Match": "match statements are not supported in kernels",
    "AsyncFor": "async for loops are not supported in kernels",
    "TypeAlias": "type alias statements are not supported in kernels",
}


class StmtEmitter:
    def __init__(self, ctx):
        self.ctx = ctx
        self.expr = ExprEmitter(ctx)

    # --- functions ------------------------------------------------------------------------

    def function(self, ir_name):
        """The Func node for the context's tree (a def or a lambda)."""
        ctx, tree = self.ctx, self.ctx.tree
        if isinstance(tree, ast.AsyncFunctionDef):
            raise ctx.unsupported(tree, "async functions cannot be compiled")
        if getattr(tree, "type_params", None):
            raise ctx.unsupported(tree.type_params[0], "type parameters are not supported in "
                                                       "kernels")
        params = self.params(tree)
        if isinstance(tree, ast.Lambda):
            ret = ctx.node("return", tree.body, (), [self.expr.visit(tree.body)])
            body = Node("block", ret.loc, kids=[ret])
        else:
            stmts = tree.body
            if (isinstance(stmts[0], ast.Expr) and isinstance(stmts[0].value, ast.Constant)
                    and isinstance(stmts[0].value.value, str)):
                stmts = stmts[1:]  # the docstring
            body = self.block(stmts, ctx.start(tree))
        # Errors about a def underline its def line, not its whole body.
        line, col = ctx.start(tree)
        if isinstance(tree, ast.Lambda):
            ctx.record((line, col), ctx.extent(tree))
        else:
            end = len((ctx.info.line(line) or "").rstrip().encode("utf-8"))
            ctx.record((line, col), (line, col, line, end))
        return Node("func", (line, col), (ir_name,), [params, body])

    def params(self, tree):
        ctx, args = self.ctx, tree.args
        if args.vararg:
            raise ctx.unsupported(args.vararg, f"*{args.vararg.arg} parameters are not "
                                               "supported in kernels")
        if args.kwonlyargs:
            raise ctx.unsupported(args.kwonlyargs[0], f"keyword-only parameter "
                                                      f"'{args.kwonlyargs[0].arg}' is not "
                                                      "supported in kernels")
        if args.kwarg:
            raise ctx.unsupported(args.kwarg, f"**{args.kwarg.arg} parameters are not "
                                              "supported in kernels")
        positional = args.posonlyargs + args.args
        if args.defaults:
            param = positional[len(positional) - len(args.defaults)]
            raise ctx.unsupported(args.defaults[0], f"default values for parameters ('{param.arg}')"
                                                    " are not supported in kernels")
        names = [ctx.node("name", a, (a.arg,)) for a in positional]
        loc = names[0].loc if names else ctx.start(tree)
        return Node("params", loc, kids=names)

    # --- statements -----------------------------------------------------------------------

    def block(self, stmts, loc):
        kids = []
        for stmt in stmts:
            kids.extend(self.visit(stmt))
        return Node("block", kids[0].loc if kids else loc, kids=kids)

    def visit(self, node):
        """The IR statements for one Python statement (zero, one or several)."""
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            name = type(node).__name__
            raise self.ctx.unsupported(
                node, _NOT_IN_KERNELS.get(name, f"{name} statements are not supported in kernels"))
        return method(node)

    def target(self, node):
        ctx = self.ctx
        if isinstance(node, ast.Name):
            return ctx.node("name", node, (node.id,))
        if isinstance(node, (ast.Tuple, ast.List)):
            return ctx.node("tuple", node, (), [self.target(e) for e in node.elts])
        if isinstance(node, ast.Subscript):
            return self.expr.visit_Subscript(node)
        if isinstance(node, ast.Starred):
            raise ctx.unsupported(node, "starred assignment targets (*x) are not supported in "
                                        "kernels")
        if isinstance(node, ast.Attribute):
            raise ctx.unsupported(node, "assigning to attributes is not supported in kernels")
        raise ctx.unsupported(node, "cannot assign to this expression in a kernel")

    def visit_Assign(self, node):
        ctx = self.ctx
        value = self.expr.visit(node.value)
        targets = node.targets
        if len(targets) == 1:
            return [ctx.node("assign", node, (), [self.target(targets[0]), value])]
        # `a = b = v` evaluates v once and assigns left to right.
        out = []
        if not (value.kind in ("name", "int", "float", "complex", "bool", "none")):
            tmp = ctx.temp("asg")
            out.append(Node("assign", value.loc, kids=[name_node(value.loc, tmp), value]))
            value = name_node(value.loc, tmp)
        for t in targets:
            out.append(ctx.node("assign", node, (), [self.target(t), value]))
        return out

    def visit_AnnAssign(self, node):
        if node.value is None:  # `x: float` declares nothing the IR needs
            self.target(node.target)
            return []
        value = self.expr.visit(node.value)
        return [self.ctx.node("assign", node, (), [self.target(node.target), value])]

    def visit_AugAssign(self, node):
        target = self.target(node.target)
        value = self.expr.visit(node.value)
        return [self.ctx.node("augassign", node, (BINOPS[type(node.op)],), [target, value])]

    def visit_If(self, node):
        ctx = self.ctx
        here = ctx.start(node)
        cond = self.expr.visit(node.test)
        return [ctx.node("if", node, (), [cond, self.block(node.body, here),
                                          self.block(node.orelse, here)],
                         extent=self._header(node, node.test))]

    def visit_While(self, node):
        ctx = self.ctx
        here = ctx.start(node)
        cond = self.expr.visit(node.test)
        return [ctx.node("while", node, (), [cond, self.block(node.body, here),
                                             self.block(node.orelse, here)],
                         extent=self._header(node, node.test))]

    def visit_For(self, node):
        ctx = self.ctx
        here = ctx.start(node)
        target = self.target(node.target)
        iterable = self.expr.tuple_context(node.iter)
        return [ctx.node("for", node, (), [target, iterable, self.block(node.body, here),
                                           self.block(node.orelse, here)],
                         extent=self._header(node, node.iter))]

    def _header(self, node, last):
        # A compound statement is reported by its header line (`for i in range(n)`).
        return self.ctx.extent(node, last)

    def visit_Break(self, node):
        return [self.ctx.node("break", node)]

    def visit_Continue(self, node):
        return [self.ctx.node("continue", node)]

    def visit_Pass(self, node):
        return [self.ctx.node("pass", node)]

    def visit_Return(self, node):
        kids = [] if node.value is None else [self.expr.visit(node.value)]
        return [self.ctx.node("return", node, (), kids)]

    def visit_Expr(self, node):
        return [self.ctx.node("expr", node, (), [self.expr.visit(node.value)])]
