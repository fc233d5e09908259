"""The front end's IR for representative kernels (compared loosely, without locations or
layout), the locations it gives nodes, lambdas and calls to other loopjit functions."""

import cmath
import math
import pathlib
import sys
import types
from math import sqrt
from numpy import exp as e_xp

import numpy as np
import numpy as xp
import pytest
from frontend_helpers import Compiled, body, compact, decorator, ir_of, line_of, nodes, parse

from loopjit import frontend


# --- kernels at module level ------------------------------------------------------------------

SCALE = 2.5
OFFSETS = (1, 2.0, (3, 4))
F32 = np.float32(0.5)
I8 = np.int8(-3)
U64 = np.uint64(2**64 - 1)


@decorator("float64(float64, float64)", target="cpu")
def arith(x, y):
    return 2 * x + y


def all_binops(a, b):
    return (a + b, a - b, a * b, a / b, a // b, a % b, a ** b, a @ b, a & b, a | b, a ^ b,
            a << b, a >> b)


def unary_ops(x):
    return -x, +x, ~x, not x, -1, -2.5, -9223372036854775808, -True


def literals():
    return 1, 1.5, 2j, True, False, None, 0.1, math.inf, -math.inf, math.nan, 1e300, -0.0, 5e-324


def statements(x, n):
    """Docstrings are dropped."""
    a, (b, c) = x, (n, 2)
    [d, e] = 1, 2
    t: float = 1.0
    u: int
    a += 1
    b **= 2
    if a < b:
        c = 1
    elif a > b:
        c = 2
    else:
        pass
    for i in range(n):
        if i == 3:
            break
        continue
    else:
        c = 0
    while c:
        c -= 1
    else:
        c = 5
    x
    return a


def chained(a, b, x):
    return a < b <= x, a < b + 1 < x, 0 < a + 1 < b * 2 < x


def boolops(a, b, c, d):
    return a and b and c, a or b, a and (b or c) or d


def multi_target(x):
    a = b = x * 2
    c = d = x
    return a + b + c + d


def walrus(x):
    return (y := x + 1) * y


def subscripts(a, i, n):
    a[i] = a[i, n] + a[1:n] + a[::2] + a[:, i] + a[i:] + a[-1]
    a[i] += 1
    return (1, 2)[i] + [3, 4][i]


def loops_over(xs):
    s = 0
    for v in [1, 2.5, -3]:
        s += v
    for i, j in xs:
        s += i
    return s


def globals_and_modules(x):
    return (SCALE * x, OFFSETS, F32, I8, U64, math.pi, math.e, math.tau, cmath.infj, np.pi,
            np.euler_gamma, xp.nan, cmath.nanj)


def callees(x, y):
    return (math.sqrt(x), np.sqrt(x), xp.exp(x), sqrt(x), e_xp(x), np.abs(x), np.conj(x),
            cmath.exp(x), abs(x), min(x, y), max(x, y), round(x), round(x, ndigits=2),
            np.round(x, decimals=1), int(x), float(x), bool(x), complex(x, y), pow(x, y),
            divmod(x, y), math.floor(x), np.floor(x), np.where(x, x, y))


def dtypes(x):
    return (np.float32(x), np.double(x), np.single(x), np.int_(x), np.intp(x), np.bool_(x),
            np.half(x), xp.uint8(x), np.complex64(x), np.cdouble(x))


def members(z, a):
    return z.real, z.imag, z.conjugate(), a.shape, a.shape[0]


def square(x):
    return x * x


sq = Compiled(square)


def cube(x):
    return sq(x) * x


cb = Compiled(cube)


def uses_helpers(x):
    return cb(x) + sq(x) + sq(2 * x)


def keyword_helper(a, b):
    return a - b


kw_c = Compiled(keyword_helper)


def calls_with_keywords(x):
    return kw_c(x, b=1) + kw_c(b=x, a=2)


def uses_prange(n):
    s = 0
    for i in prange(n):
        s += i
    return s


def prange(n):  # the marker is all the front end looks at
    return range(n)


prange.__loopjit_builtin__ = "prange"

add_one = decorator("f8(f8)")(lambda x: x + 1)
first, second = (lambda x: x + 1), (lambda x: x * 2)
sq_lambda = Compiled(lambda v: v * v)


def calls_lambda(x):
    return sq_lambda(x)


# --- IR shape ---------------------------------------------------------------------------------


def test_simple_function_ir_and_locations():
    result = frontend.translate(arith)
    line = line_of(arith, "def arith")
    assert compact(result.ir) == (
        "(module (func arith (params (name x) (name y)) (block (return "
        "(binop + (binop * (int 2) (name x)) (name y))))))")
    tree = parse(result.ir)
    func = tree[1]
    assert func[1] == (line, 0)  # the def, not the decorator
    ret = func[4][2]
    assert ret[0] == "return" and ret[1] == (line + 1, 4)
    add = ret[2]
    # Operators sit at their operator token; operands at their own start.
    assert add[1] == (line + 1, 17) and add[3][1] == (line + 1, 13)
    assert add[3][3][1] == (line + 1, 11)
    assert result.name == "arith"
    assert result.arg_names == ("x", "y")
    assert result.dependencies == ()
    info = result.functions["arith"]
    assert info.filename == __file__ and info.name == "arith"
    assert info.first_line == line - 1 and info.lines[0].startswith("@decorator")


def test_all_binary_operators():
    ops = [n[2] for n in nodes(ir_of(all_binops), "binop")]
    assert ops == ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"]


def test_unary_operators_and_negative_literals():
    assert body(unary_ops) == (
        "(block (return (tuple (unary neg (name x)) (unary pos (name x)) (unary ~ (name x)) "
        "(unary not (name x)) (int -1) (float -0x1.4p+1) (int -9223372036854775808) "
        "(unary neg (bool 1)))))")


def test_literals():
    assert body(literals) == (
        "(block (return (tuple (int 1) (float 0x1.8p+0) (complex 0x0p+0 0x1p+1) (bool 1) "
        "(bool 0) (none) (float 0x1.999999999999ap-4) (float inf) (unary neg (float inf)) "
        "(float nan) (float 0x1.7e43c8800759cp+996) (float -0x0p+0) "
        "(float 0x0.0000000000001p-1022))))")


def test_statements():
    text = body(statements)
    for piece in [
        "(assign (tuple (name a) (tuple (name b) (name c))) (tuple (name x) (tuple (name n) "
        "(int 2))))",
        "(assign (tuple (name d) (name e)) (tuple (int 1) (int 2)))",
        "(assign (name t) (float 0x1p+0))",
        "(augassign + (name a) (int 1)) (augassign ** (name b) (int 2))",
        "(if (cmp < (name a) (name b)) (block (assign (name c) (int 1))) (block (if "
        "(cmp > (name a) (name b)) (block (assign (name c) (int 2))) (block (pass)))))",
        "(for (name i) (call range (name n)) (block (if (cmp == (name i) (int 3)) "
        "(block (break)) (block)) (continue)) (block (assign (name c) (int 0))))",
        "(while (name c) (block (augassign - (name c) (int 1))) (block (assign (name c) "
        "(int 5))))",
        "(expr (name x)) (return (name a))",
    ]:
        assert piece in text
    assert "Docstrings" not in text and "(name u)" not in text
    kinds = [n[0] for n in parse(ir_of(statements))[1][4][2:]]
    assert kinds == ["assign", "assign", "assign", "augassign", "augassign", "if", "for",
                     "while", "expr", "return"]


def test_chained_comparisons_store_complex_middles_once():
    text = body(chained)
    assert ("(and (cmp < (name a) (name b)) (cmp <= (name b) (name x)))") in text
    assert ("(and (cmp < (name a) (setexpr $cmp0 (binop + (name b) (int 1)))) "
            "(cmp < (name $cmp0) (name x)))") in text
    assert ("(and (and (cmp < (int 0) (setexpr $cmp1 (binop + (name a) (int 1)))) "
            "(cmp < (name $cmp1) (setexpr $cmp2 (binop * (name b) (int 2))))) "
            "(cmp < (name $cmp2) (name x)))") in text


def test_boolean_operators_nest_left():
    assert body(boolops) == (
        "(block (return (tuple (and (and (name a) (name b)) (name c)) (or (name a) (name b)) "
        "(or (and (name a) (or (name b) (name c))) (name d)))))")


def test_multiple_targets_evaluate_the_value_once():
    assert body(multi_target).startswith(
        "(block (assign (name $asg0) (binop * (name x) (int 2))) "
        "(assign (name a) (name $asg0)) (assign (name b) (name $asg0)) "
        "(assign (name c) (name x)) (assign (name d) (name x))")


def test_walrus():
    assert "(binop * (setexpr y (binop + (name x) (int 1))) (name y))" in body(walrus)


def test_subscripts_and_slices():
    text = body(subscripts)
    for piece in [
        "(assign (getitem (name a) (name i)) (binop + ",
        "(getitem (name a) (tuple (name i) (name n)))",
        "(getitem (name a) (slice (int 1) (name n) (none)))",
        "(getitem (name a) (slice (none) (none) (int 2)))",
        "(getitem (name a) (tuple (slice (none) (none) (none)) (name i)))",
        "(getitem (name a) (slice (name i) (none) (none)))",
        "(getitem (name a) (int -1))",
        "(augassign + (getitem (name a) (name i)) (int 1))",
        "(getitem (tuple (int 1) (int 2)) (name i))",
        "(getitem (tuple (int 3) (int 4)) (name i))",
    ]:
        assert piece in text


def test_list_of_constants_is_a_tuple_as_loop_iterable():
    text = body(loops_over)
    assert "(for (name v) (tuple (int 1) (float 0x1.4p+1) (int -3))" in text
    assert "(for (tuple (name i) (name j)) (name xs)" in text


def test_globals_closures_and_module_constants():
    text = body(globals_and_modules)
    assert text == (
        "(block (return (tuple (binop * (float 0x1.4p+1) (name x)) "
        "(tuple (int 1) (float 0x1p+1) (tuple (int 3) (int 4))) "
        "(call np.float32 (float 0x1p-1)) (call np.int8 (int -3)) "
        "(binop + (binop * (call np.uint64 (int 9223372036854775807)) (int 2)) (int 1)) "
        "(float 0x1.921fb54442d18p+1) (float 0x1.5bf0a8b145769p+1) "
        "(float 0x1.921fb54442d18p+2) (complex 0x0p+0 inf) (float 0x1.921fb54442d18p+1) "
        "(float 0x1.2788cfc6fb619p-1) (float nan) (complex 0x0p+0 nan))))")

    k = 3

    def closure(x):
        return x * k

    assert "(binop * (name x) (int 3))" in body(closure)


def test_constants_are_resolved_when_translated():
    global SCALE
    before = frontend.translate(globals_and_modules)
    assert before.source_hash == frontend.translate(globals_and_modules).source_hash
    old, SCALE = SCALE, 4.0
    try:
        after = frontend.translate(globals_and_modules)
    finally:
        SCALE = old
    assert "(binop * (float 0x1p+2) (name x))" in compact(after.ir)
    assert after.source_hash != before.source_hash


def test_callee_names_are_canonical():
    calls = [n[2] for n in nodes(ir_of(callees), "call")]
    assert calls == [
        "math.sqrt", "np.sqrt", "np.exp", "math.sqrt", "np.exp", "np.absolute", "np.conjugate",
        "cmath.exp", "abs", "min", "max", "round", "round", "np.round", "int", "float", "bool",
        "complex", "pow", "divmod", "math.floor", "np.floor", "np.where"]
    text = body(callees)
    # Known keyword arguments become positional.
    assert "(call round (name x) (int 2))" in text
    assert "(call np.round (name x) (int 1))" in text


def test_dtype_names_are_canonical():
    calls = [n[2] for n in nodes(ir_of(dtypes), "call")]
    assert calls == ["np.float32", "np.float64", "np.float32", "np.int64", "np.int64",
                     "np.bool", "np.float16", "np.uint8", "np.complex64", "np.complex128"]


def test_attributes_and_methods_on_locals():
    text = body(members)
    assert text == (
        "(block (return (tuple (attr real (name z)) (attr imag (name z)) "
        "(method conjugate (name z)) (attr shape (name a)) "
        "(getitem (attr shape (name a)) (int 0)))))")
    line = line_of(members, "return")
    attr = nodes(ir_of(members), "attr")[0]
    assert attr[1] == (line, 13)  # the member name, after the dot


def test_loopjit_functions_become_module_functions():
    result = frontend.translate(uses_helpers)
    funcs = [n for n in parse(result.ir)[1:]]
    assert [fn[2] for fn in funcs] == ["uses_helpers", "cube", "square"]
    assert list(result.functions) == ["uses_helpers", "cube", "square"]
    assert result.dependencies == (cb, sq)
    assert body(uses_helpers) == (
        "(block (return (binop + (binop + (call @cube (name x)) (call @square (name x))) "
        "(call @square (binop * (int 2) (name x))))))")
    assert "(call @square (name x))" in compact(result.ir).split("(func cube")[1]
    assert result.functions["square"].name == "square"
    # The dependency's source is part of the cache key.
    assert result.source_hash != frontend.translate(cube).source_hash


def test_translating_a_loopjit_object_translates_its_function():
    result = frontend.translate(sq)
    assert result.name == "square" and result.dependencies == ()


def test_dependency_names_are_unique():
    def square(x):  # same name as the module-level helper it calls
        return sq(x) + 1

    result = frontend.translate(square)
    assert [fn[2] for fn in parse(result.ir)[1:]] == ["square", "square_2"]
    assert "(call @square_2 (name x))" in compact(result.ir)


def test_keyword_arguments_to_loopjit_functions():
    assert body(calls_with_keywords) == (
        "(block (return (binop + (call @keyword_helper (name x) (int 1)) "
        "(call @keyword_helper (int 2) (name x)))))")


def test_prange_marker():
    assert "(for (name i) (call prange (name n))" in body(uses_prange)


def test_lambdas():
    assert compact(ir_of(add_one)) == (
        "(module (func lambda (params (name x)) (block (return "
        "(binop + (name x) (int 1))))))")
    assert "(binop + (name x) (int 1))" in compact(ir_of(first))
    assert "(binop * (name x) (int 2))" in compact(ir_of(second))
    result = frontend.translate(second)
    info = result.functions["lambda"]
    assert info.name == "<lambda>"
    source = pathlib.Path(__file__).read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if text.startswith("first, second ="))
    assert info.first_line == line
    assert parse(result.ir)[1][1] == (line, source[line - 1].index("lambda x: x * 2"))
    helper = frontend.translate(calls_lambda)
    assert "(call @lambda (name x))" in compact(helper.ir)
    assert "(func lambda (params (name v))" in compact(helper.ir)


def multiline(x, y):
    return (x  # a comment between the operand and its operator
            + y)[
        0]


def test_operators_located_across_lines_and_comments():
    first = line_of(multiline, "return")
    getitem = nodes(ir_of(multiline), "getitem")[0]
    add, index = getitem[2], getitem[3]
    assert add[1] == (first + 1, 12) and add[3][1] == (first, 12)
    assert getitem[1] == (first + 1, 16) and index[1] == (first + 2, 8)


def submodules(x):
    return np.random.rand(x), np.linalg.norm(x)


def test_numpy_submodule_callees():
    assert [n[2] for n in nodes(ir_of(submodules), "call")] == ["np.random.rand",
                                                                 "np.linalg.norm"]


def test_indented_source_keeps_file_columns():
    def inner(x):
        return x + 1

    line = line_of(inner, "return")
    add = nodes(ir_of(inner), "binop")[0]
    assert add[1] == (line, 17)
    assert add[3][1] == (line, 15)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="needs code positions")
def test_nested_lambda_picks_the_inner_one():
    outer = lambda x: (lambda x: x * 3)(x)  # noqa: E731 (two lambdas with one parameter name)
    code = next(c for c in outer.__code__.co_consts if hasattr(c, "co_code"))
    func = types.FunctionType(code, globals())
    assert "(binop * (name x) (int 3))" in compact(ir_of(func))
