"""The expression emitter: Python ast expressions to IR expression nodes (src/ir/node.h).

Locations: a node sits at its ast start, except nodes whose start is their first operand's
(binary, comparison and boolean operators, conditional expressions, subscripts, attributes,
method calls): they sit at their operator token (`+`, `<`, `and`, `if`, `[`) or member name, so
every location names one node and an error the core reports there underlines the right one."""

import ast

from .irtext import Node, bool_node, complex_node, float_node, int_node, name_node, none_node
from .resolve import Reject, Scope, callee, check_int, literal

__all__ = ["ExprEmitter"]

BINOPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.LShift: "<<", ast.RShift: ">>",
}
_UNARY = {ast.USub: "neg", ast.UAdd: "pos", ast.Invert: "~", ast.Not: "not"}
_COMPARE = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is-not",
}

_NOT_IN_KERNELS = {
    "Yield": "generators (yield) are not supported in kernels",
    "YieldFrom": "generators (yield from) are not supported in kernels",
    "Await": "await is not supported in kernels",
    "Lambda": "lambda expressions inside a kernel are not supported; define the function "
              "at module level and decorate it with @loopjit.njit",
    "ListComp": "list comprehensions are not supported in kernels",
    "SetComp": "set comprehensions are not supported in kernels",
    "DictComp": "dict comprehensions are not supported in kernels",
    "GeneratorExp": "generator expressions are not supported in kernels",
    "Starred": "starred expressions (*x) are not supported in kernels",
    "JoinedStr": "f-strings are not supported in kernels",
    "Dict": "dicts are not supported in kernels",
    "Set": "sets are not supported in kernels",
    "List": "lists are not supported in kernels; use a tuple",
}

# Keyword arguments accepted by builtins, by callee: the parameter names in position order.
_KEYWORD_PARAMS = {
    "round": ("number", "ndigits"),
    "np.round": ("a", "decimals"),
    "np.around": ("a", "decimals"),
    # Scratch arrays (typing/infer_array.cpp): their dtype= argument becomes a dtype node.
    "np.empty": ("shape", "dtype"),
    "np.zeros": ("shape", "dtype"),
    "np.ones": ("shape", "dtype"),
    "np.full": ("shape", "fill_value", "dtype"),
    "np.empty_like": ("prototype", "dtype"),
    "np.zeros_like": ("a", "dtype"),
    "np.ones_like": ("a", "dtype"),
    "np.full_like": ("a", "fill_value", "dtype"),
}
_DTYPE_ARGUMENT = {name: params.index("dtype") for name, params in _KEYWORD_PARAMS.items()
                   if "dtype" in params}


def _is_number_constant(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex))


class ExprEmitter:
    def __init__(self, ctx):
        self.ctx = ctx

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            name = type(node).__name__
            raise self.ctx.unsupported(
                node, _NOT_IN_KERNELS.get(name, f"{name} expressions are not supported in kernels"))
        return method(node)

    # --- literals and names ---------------------------------------------------------------

    def visit_Constant(self, node):
        return self.constant(node, node.value, self.ctx.start(node))

    def constant(self, node, value, loc):
        ctx = self.ctx
        ctx.record(loc, ctx.extent(node))
        if isinstance(value, bool):
            return bool_node(loc, value)
        if isinstance(value, int):
            try:
                return int_node(loc, check_int(value))
            except Reject as r:
                raise ctx.error(r.error_class, node, r.message) from None
        if isinstance(value, float):
            return float_node(loc, value)
        if isinstance(value, complex):
            return complex_node(loc, value)
        if value is None:
            return none_node(loc)
        if value is Ellipsis:
            raise ctx.unsupported(node, "'...' (Ellipsis) is not supported in kernels")
        kind = "bytes" if isinstance(value, bytes) else "string"
        raise ctx.unsupported(node, f"{kind} constants are not supported in kernels")

    def visit_Name(self, node):
        if node.id in self.ctx.locals:
            return self.ctx.node("name", node, (node.id,))
        return self.static_value(node, self.static(node))

    def static(self, node):
        """The compile-time value ``node`` names (a global, a closure variable, a module
        attribute), or None when it depends on local variables."""
        try:
            return self._static(node)
        except Reject as r:
            raise self.ctx.error(r.error_class, r.node or node, r.message) from None

    def _static(self, node):
        try:
            if isinstance(node, ast.Name):
                return None if node.id in self.ctx.locals else self.ctx.scope.lookup(node.id)
            if isinstance(node, ast.Attribute):
                base = self._static(node.value)
                return None if base is None else Scope.attribute(base, node.attr)
        except Reject as r:
            r.node = r.node or node
            raise
        return None

    def static_value(self, node, ref):
        try:
            spec = literal(ref)
        except Reject as r:
            raise self.ctx.error(r.error_class, node, r.message) from None
        loc = self.ctx.start(node)
        self.ctx.record(loc, self.ctx.extent(node))
        return self.build_literal(loc, spec)

    def build_literal(self, loc, spec):
        kind = spec[0]
        if kind == "int":
            return int_node(loc, spec[1])
        if kind == "float":
            return float_node(loc, spec[1])
        if kind == "complex":
            return complex_node(loc, spec[1])
        if kind == "bool":
            return bool_node(loc, spec[1])
        if kind == "none":
            return none_node(loc)
        if kind == "tuple":
            return Node("tuple", loc, kids=[self.build_literal(loc, s) for s in spec[1]])
        if kind == "big_uint64":
            # np.uint64(v // 2) * 2 + v % 2: exact, and every literal fits in int64.
            half = Node("call", loc, ("np.uint64",), [int_node(loc, spec[1] // 2)])
            double = Node("binop", loc, ("*",), [half, int_node(loc, 2)])
            return Node("binop", loc, ("+",), [double, int_node(loc, spec[1] % 2)])
        # A NumPy scalar keeps its dtype: np.float32(2.5) stays float32 where a Python float
        # would be a weak literal.
        return Node("call", loc, (spec[1],), [self.build_literal(loc, spec[2])])

    # --- operators ------------------------------------------------------------------------

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        loc = self.ctx.locator.token_after(node.left)
        return self.ctx.node("binop", node, (BINOPS[type(node.op)],), [left, right], loc=loc)

    def visit_UnaryOp(self, node):
        operand = node.operand
        # `-1` is one literal, so that -9223372036854775808 fits in int64 and `-0.0` keeps
        # its sign, as in Python.
        if (isinstance(node.op, ast.USub) and isinstance(operand, ast.Constant)
                and isinstance(operand.value, (int, float, complex))
                and not isinstance(operand.value, bool)):
            return self.constant(node, -operand.value, self.ctx.start(node))
        return self.ctx.node("unary", node, (_UNARY[type(node.op)],), [self.visit(operand)])

    def visit_BoolOp(self, node):
        kind = "and" if isinstance(node.op, ast.And) else "or"
        values = node.values
        result = self.visit(values[0])
        for prev, value in zip(values, values[1:]):
            # `a and b and c` -> (a and b) and c: same value and short-circuiting.
            right = self.visit(value)
            loc = self.ctx.locator.token_after(prev)
            result = self.ctx.node(kind, node, (), [result, right], loc=loc,
                                   extent=self.ctx.extent(values[0], value))
        return result

    def visit_Compare(self, node):
        ctx = self.ctx
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:]):
            if isinstance(op, (ast.In, ast.NotIn)):
                word = "in" if isinstance(op, ast.In) else "not in"
                raise ctx.unsupported(node, f"'{word}' is not supported in kernels")
            if isinstance(op, (ast.Is, ast.IsNot)) and not any(
                    isinstance(n, ast.Constant) and n.value is None for n in (left, right)):
                word = "is" if isinstance(op, ast.Is) else "is not"
                raise ctx.unsupported(node, f"'{word}' is only supported to compare with None "
                                            "in kernels; use == or != for values")
        parts = []
        left = self.visit(node.left)
        last = len(node.ops) - 1
        for i, op in enumerate(node.ops):
            left_ast, right_ast = operands[i], operands[i + 1]
            right = self.visit(right_ast)
            next_left = None
            if i < last:
                if isinstance(right_ast, ast.Name) or _is_number_constant(right_ast):
                    next_left = self.visit(right_ast)
                else:
                    # Python evaluates a middle operand once: keep it in a temporary.
                    tmp = ctx.temp("cmp")
                    here = ctx.start(right_ast)
                    right = Node("setexpr", here, (tmp,), [right])
                    next_left = name_node(here, tmp)
            loc = ctx.locator.token_after(left_ast)
            parts.append(ctx.node("cmp", node, (_COMPARE[type(op)],), [left, right], loc=loc,
                                  extent=ctx.extent(left_ast, right_ast)))
            left = next_left
        result = parts[0]
        for part in parts[1:]:
            result = ctx.node("and", node, (), [result, part])
        return result

    def visit_IfExp(self, node):
        kids = [self.visit(node.test), self.visit(node.body), self.visit(node.orelse)]
        return self.ctx.node("ifexp", node, (), kids, loc=self.ctx.locator.token_after(node.body))

    def visit_NamedExpr(self, node):
        return self.ctx.node("setexpr", node, (node.target.id,), [self.visit(node.value)])

    # --- containers, attributes, subscripts -----------------------------------------------

    def visit_Tuple(self, node):
        return self.ctx.node("tuple", node, (), [self.visit(e) for e in node.elts])

    def tuple_context(self, node):
        """``node`` where a tuple would do (a for-loop iterable, a subscripted value): a list
        of number constants is read as a tuple."""
        if isinstance(node, ast.List) and all(_is_number_constant(e) for e in node.elts):
            return self.ctx.node("tuple", node, (), [self.visit(e) for e in node.elts])
        return self.visit(node)

    def visit_Attribute(self, node):
        ref = self.static(node)
        if ref is not None:
            return self.static_value(node, ref)
        obj = self.visit(node.value)
        loc = self.ctx.locator.name_after_dot(node.value)
        return self.ctx.node("attr", node, (node.attr,), [obj], loc=loc)

    def visit_Subscript(self, node):
        obj = self.tuple_context(node.value)
        index = self.index(node.slice)
        loc = self.ctx.locator.token_after(node.value)
        return self.ctx.node("getitem", node, (), [obj, index], loc=loc)

    def index(self, node):
        if isinstance(node, ast.Tuple):
            return self.ctx.node("tuple", node, (), [self.index(e) for e in node.elts])
        return self.visit(node)

    def visit_Slice(self, node):
        loc = self.ctx.start(node)
        parts = [none_node(loc) if p is None else self.visit(p)
                 for p in (node.lower, node.upper, node.step)]
        return self.ctx.node("slice", node, (), parts, loc=loc)

    # --- calls ----------------------------------------------------------------------------

    def visit_Call(self, node):
        ctx = self.ctx
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ctx.unsupported(arg, "starred arguments (*args) are not supported in "
                                           "kernels")
        for kw in node.keywords:
            if kw.arg is None:
                raise ctx.unsupported(kw, "'**' arguments are not supported in kernels")
        func = node.func
        ref = self.static(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if ref is None:
            if isinstance(func, ast.Attribute):
                return self.method_call(node)
            if isinstance(func, ast.Name):
                raise ctx.unsupported(func, f"cannot call local variable '{func.id}': kernels "
                                            "call functions by their global name")
            raise ctx.unsupported(func, "kernels can only call functions by name")
        try:
            what = callee(ref)
        except Reject as r:
            raise ctx.error(r.error_class, func, r.message) from None
        if what[0] == "loopjit":
            py_func = what[1]
            code = py_func.__code__
            args = self.bind_keywords(node, ref.spelled, code.co_varnames[:code.co_argcount],
                                      strict=True)
            kids = [self.visit(a) for a in args]
            try:
                name = "@" + ctx.builder.request(py_func, what[2])
            except Reject as r:
                raise ctx.error(r.error_class, node, r.message) from None
        else:
            name = what[1]
            args = self.bind_keywords(node, ref.spelled, _KEYWORD_PARAMS.get(name),
                                      strict=False)
            at = _DTYPE_ARGUMENT.get(name)
            kids = [self.dtype(a) if i == at else self.visit(a) for i, a in enumerate(args)]
        return ctx.node("call", node, (name,), kids)

    def dtype(self, node):
        """A dtype= argument: np.float32, float, np.dtype("f4"), "float32", ... as a dtype
        node naming the NumPy dtype."""
        import numpy as np

        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
        else:
            ref = self.static(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Call)) \
                else None
            if ref is None and isinstance(node, ast.Call):
                raise self.ctx.unsupported(node, "dtype= must be a dtype known when compiling "
                                                 "(np.float32, float, 'int64', ...)")
            if ref is None:
                raise self.ctx.typing(node, "dtype= must be a dtype known when compiling "
                                            "(np.float32, float, 'int64', ...), not a variable")
            value = ref.obj
        try:
            dt = np.dtype(value)
        except TypeError:
            raise self.ctx.typing(node, f"data type {value!r} not understood") from None
        return self.ctx.node("dtype", node, (dt.name,))

    def method_call(self, node):
        func = node.func
        if node.keywords:
            kw = node.keywords[0]
            raise self.ctx.unsupported(kw, f"keyword argument '{kw.arg}' is not supported in "
                                           f"method calls (.{func.attr}())")
        kids = [self.visit(func.value), *(self.visit(a) for a in node.args)]
        loc = self.ctx.locator.name_after_dot(func.value)
        return self.ctx.node("method", node, (func.attr,), kids, loc=loc)

    def bind_keywords(self, node, spelled, params, strict):
        """Positional argument nodes for a call, keyword arguments moved to their positions.
        ``strict``: the parameters are a Python function's (unknown keywords are type errors);
        otherwise they are the few keywords a builtin accepts."""
        args = list(node.args)
        if not node.keywords:
            return args
        placed = {}
        for kw in node.keywords:
            if params is None or kw.arg not in params:
                if strict:
                    raise self.ctx.typing(kw, f"{spelled}() got an unexpected keyword argument "
                                              f"'{kw.arg}'")
                raise self.ctx.unsupported(kw, f"keyword argument '{kw.arg}' is not supported "
                                               f"in calls to {spelled}()")
            i = params.index(kw.arg)
            if i < len(args) or i in placed:
                raise self.ctx.typing(kw, f"{spelled}() got multiple values for argument "
                                          f"'{kw.arg}'")
            placed[i] = kw.value
        end = len(args) + len(placed)
        for i in range(len(args), end):
            if i not in placed:
                raise self.ctx.typing(node, f"{spelled}() is missing argument '{params[i]}'")
            args.append(placed[i])
        return args
