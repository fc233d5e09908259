"""The front end's errors: one test per misuse, asserting the whole message (function,
file:line:column, source line, caret, text), and errors.from_core for the core's errors."""

import math
import pickle

import numpy as np
import numpy as xp
import pytest
from frontend_helpers import Compiled, assert_error, expected_message, ir_of, line_of, nodes

from loopjit import errors, frontend


def square(x):
    return x * x


sq = Compiled(square)


def uses_square(x):
    return sq(x) + 1


BIG = 2**64
DATA = [1, 2]


def f(x):
    return x.nope + 1


def fib(n):
    return n if n < 2 else fib_c(n - 1) + fib_c(n - 2)


fib_c = Compiled(fib)


def ping(n):
    return pong_c(n)


def pong(n):
    return ping_c(n)


ping_c, pong_c = Compiled(ping), Compiled(pong)


# --- errors the core reports ---------------------------------------------------------------


def test_source_spans_for_core_errors():
    """errors.from_core underlines the node at the location the core reports."""
    result = frontend.translate(f)
    attr = nodes(result.ir, "attr")[0]
    line, col = attr[1]
    err = errors.from_core("Typing", "float64 has no attribute 'nope'", line, col, "f",
                           result.functions)
    assert isinstance(err, errors.TypingError)
    assert str(err) == expected_message(f, "x.nope", "float64 has no attribute 'nope'")
    assert (err.lineno, err.col) == (line, 12)
    add = nodes(result.ir, "binop")[0]
    err = errors.from_core("unsupported", "bad +", *add[1], "", result.functions)
    assert isinstance(err, errors.UnsupportedError)
    assert str(err) == expected_message(f, "x.nope + 1", "bad +")


def test_from_core_without_location_or_function():
    result = frontend.translate(f)
    err = errors.from_core(2, "bad signature", 0, 0, "f", result.functions)
    assert isinstance(err, errors.SignatureError)
    assert str(err) == f"In function 'f' ({__file__}):\nbad signature"
    err = errors.from_core("Internal", "oops", 0, 0, "nosuch", result.functions)
    assert type(err) is errors.InternalError and str(err) == "In function 'nosuch' " \
        "(<unknown>):\noops"
    err = errors.from_core("Typing", "no span", line_of(f, "return"), 5, "f",
                           result.functions)
    assert str(err).splitlines()[1:3] == ["    return x.nope + 1", "     ^"]


def test_errors_pickle_and_keep_attributes():
    err = errors.from_core("Typing", "float64 has no attribute 'nope'",
                           *nodes(ir_of(f), "attr")[0][1], "f", frontend.translate(f).functions)
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is errors.TypingError
    assert str(copy) == str(err)
    assert (copy.lineno, copy.col, copy.filename, copy.funcname, copy.msg) == (
        err.lineno, err.col, err.filename, err.funcname, err.msg)
    assert issubclass(errors.UnsupportedError, errors.LoopjitError)
    assert str(errors.TypingError("bare")) == "bare"


def test_caret_columns_count_characters():
    def k(x):
        ré = x + nope
        return ré

    # The IR counts the column in UTF-8 bytes; the message in characters.
    err = assert_error(k, errors.TypingError, "nope", "name 'nope' is not defined")
    assert err.col == 18


# --- misuse ---------------------------------------------------------------------------------


def test_unknown_name():
    def k(x):
        return x + y_undefined

    assert_error(k, errors.TypingError, "y_undefined", "name 'y_undefined' is not defined")


def test_plain_python_function():
    def helper(x):
        return x

    def k(x):
        return helper(x) + 1

    assert_error(k, errors.TypingError, "helper", "cannot call 'helper': it is a plain Python "
                 "function; decorate it with @loopjit.njit or @loopjit.vectorize")


def test_global_list():
    def k(x):
        return x + DATA[0]

    assert_error(k, errors.TypingError, "DATA", "global 'DATA' is a list, which kernels cannot "
                 "use; pass it as an argument or make it a tuple")


def test_captured_array():
    table = np.zeros(3)

    def k(x):
        return table

    assert_error(k, errors.TypingError, "table", "captured variable 'table' is a "
                 "numpy.ndarray, which kernels cannot use; pass it as an argument")


def test_module_as_value_and_function_as_value():
    def k(x):
        return np

    assert_error(k, errors.TypingError, "np", "module 'numpy' cannot be used as a value in "
                 "kernels")

    def k2(x):
        g = math.sqrt
        return g

    assert_error(k2, errors.UnsupportedError, "math.sqrt", "'math.sqrt' is a function; kernels "
                 "can call functions but not use them as values", name="k2")


def test_missing_module_attribute():
    def k(x):
        return xp.nope(x)

    assert_error(k, errors.TypingError, "xp.nope", "module 'numpy' has no attribute 'nope'")


def test_int_too_large():
    def k(x):
        return x + 18446744073709551616

    assert_error(k, errors.TypingError, "18446744073709551616", "integer 18446744073709551616 "
                 "is too large: kernel integers are 64-bit (from -9223372036854775808 to "
                 "9223372036854775807)")

    def k2(x):
        return x + BIG

    assert_error(k2, errors.TypingError, "BIG", "integer 18446744073709551616 is too large: "
                 "kernel integers are 64-bit (from -9223372036854775808 to "
                 "9223372036854775807)", name="k2")


def test_recursion():
    assert_error(fib, errors.UnsupportedError, "fib_c(n - 1)", "recursive calls are not "
                 "supported in kernels ('fib' calls itself)")
    assert_error(pong, errors.UnsupportedError, "pong_c(n)", "recursive calls are not "
                 "supported in kernels (pong -> ping -> pong)", where=ping)


def test_unsupported_dtype_and_builtin():
    def k(x):
        return np.longdouble(x)

    assert_error(k, errors.UnsupportedError, "np.longdouble", "the NumPy type longdouble "
                 "(float128) is not supported in kernels")

    def k2(x):
        print(x)

    assert_error(k2, errors.UnsupportedError, "print", "the builtin 'print' is not supported "
                 "in kernels", name="k2")


@pytest.mark.parametrize("snippet, message, source", [
    ("yield x", "generators (yield) are not supported in kernels", "yield x"),
    ("[v for v in x]", "list comprehensions are not supported in kernels",
     "return [v for v in x]"),
    ("{v for v in x}", "set comprehensions are not supported in kernels",
     "return {v for v in x}"),
    ("{v: v for v in x}", "dict comprehensions are not supported in kernels",
     "return {v: v for v in x}"),
    ("(v for v in x)", "generator expressions are not supported in kernels",
     "return (v for v in x)"),
    ("lambda v: v", "lambda expressions inside a kernel are not supported; define the "
     "function at module level and decorate it with @loopjit.njit", "return lambda v: v"),
    ("*x", "starred expressions (*x) are not supported in kernels", "return (*x, 1)"),
    ("f'{x}'", "f-strings are not supported in kernels", "return f'{x}'"),
    ("'s'", "string constants are not supported in kernels", "return 's'"),
    ("b's'", "bytes constants are not supported in kernels", "return b's'"),
    ("...", "'...' (Ellipsis) is not supported in kernels", "return ..."),
    ("{1: 2}", "dicts are not supported in kernels", "return {1: 2}"),
    ("[x, 1]", "lists are not supported in kernels; use a tuple", "return [x, 1]"),
    ("x in (1, 2)", "'in' is not supported in kernels", "return x in (1, 2)"),
    ("x not in (1, 2)", "'not in' is not supported in kernels", "return x not in (1, 2)"),
    ("x is x", "'is' is only supported to compare with None in kernels; use == or != for "
     "values", "return x is x"),
])
def test_unsupported_expressions(snippet, message, source, tmp_path):
    _assert_rejected(tmp_path, snippet, message, source)


@pytest.mark.parametrize("snippet, message, source", [
    ("try:", "try/except statements are not supported in kernels",
     "try:\n        pass\n    except Exception:\n        pass"),
    ("with x:", "with statements are not supported in kernels", "with x:\n        pass"),
    ("class C:", "class definitions are not supported in kernels", "class C:\n        pass"),
    ("def g(): pass", "nested function definitions are not supported in kernels; define the "
     "function at module level and decorate it with @loopjit.njit", "def g(): pass"),
    ("global G", "global statements are not supported in kernels", "global G"),
    ("del x", "del statements are not supported in kernels", "del x"),
    ("assert x", "assert statements are not supported in kernels", "assert x"),
    ("import os", "import statements are not supported in kernels; import at module level",
     "import os"),
    ("from os import sep", "import statements are not supported in kernels; import at module "
     "level", "from os import sep"),
    ("raise ValueError", "raise statements are not supported in kernels", "raise ValueError"),
    ("match x:", "match statements are not supported in kernels",
     "match x:\n        case 1:\n            pass"),
    ("x.real", "assigning to attributes is not supported in kernels", "x.real = 1"),
    ("*b", "starred assignment targets (*x) are not supported in kernels", "a, *b = x"),
    ("out=x", "keyword argument 'out' is not supported in calls to np.sqrt()",
     "return np.sqrt(x, out=x)"),
    ("ndigits=2", "round() got multiple values for argument 'ndigits'",
     "return round(x, 1, ndigits=2)"),
    ("copy=True", "keyword argument 'copy' is not supported in method calls (.conjugate())",
     "return x.conjugate(copy=True)"),
    ("*x", "starred arguments (*args) are not supported in kernels", "return max(*x)"),
    ("**x", "'**' arguments are not supported in kernels", "return max(1, **x)"),
    ("g", "cannot call local variable 'g': kernels call functions by their global name",
     "g = 1\n    return g(x)"),
    ("x + 1", "kernels can only call functions by name", "return (x + 1)(2)"),
])
def test_unsupported_statements(snippet, message, source, tmp_path):
    _assert_rejected(tmp_path, snippet, message, source)


@pytest.mark.parametrize("snippet, message, header", [
    ("args", "*args parameters are not supported in kernels", "def k(x, *args):"),
    ("kw", "**kw parameters are not supported in kernels", "def k(x, **kw):"),
    ("y", "keyword-only parameter 'y' is not supported in kernels", "def k(x, *, y):"),
    ("1.0", "default values for parameters ('y') are not supported in kernels",
     "def k(x, y=1.0):"),
    ("async def k(x):", "async functions cannot be compiled", "async def k(x):"),
])
def test_unsupported_signatures(snippet, message, header, tmp_path):
    _assert_rejected(tmp_path, snippet, message, "return x", header=header)


def _assert_rejected(tmp_path, snippet, message, source, header="def k(x):"):
    """Write a kernel to a file of its own (so inspect finds its source), translate it, and
    check the whole message."""
    path = tmp_path / "kernel_module.py"
    text = f"import numpy as np\n\n\n{header}\n    {source}\n"
    path.write_text(text)
    namespace = {"__name__": "kernel_module"}
    code = compile(text, str(path), "exec")
    exec(code, namespace)
    kernel = namespace["k"]
    with pytest.raises(errors.LoopjitError) as info:
        frontend.translate(kernel)
    lines = text.splitlines()
    lineno = max(i for i, line in enumerate(lines, 1) if snippet in line)
    line = lines[lineno - 1]
    col = line.index(snippet)
    shown = line.lstrip()
    pad = " " * (col - (len(line) - len(shown)))
    assert str(info.value) == (f"In function 'k' ({path}:{lineno}:{col + 1}):\n    {shown}\n"
                               f"    {pad}{'^' * len(snippet)}\n{message}")
    assert type(info.value) in (errors.UnsupportedError, errors.TypingError)


def test_source_not_available():
    namespace = {}
    exec("def k(x):\n    return x + 1\n", namespace)
    with pytest.raises(errors.LoopjitError, match="its source code is not available"):
        frontend.translate(namespace["k"])
    lam = eval("lambda x: x")
    with pytest.raises(errors.LoopjitError, match="cannot compile '<lambda>'"):
        frontend.translate(lam)


def test_not_a_function():
    with pytest.raises(errors.LoopjitError, match="loopjit compiles Python functions"):
        frontend.translate(np.sqrt)


def test_core_error_in_a_dependency_names_it():
    result = frontend.translate(uses_square)
    ret = nodes(result.ir, "func")[1][4][2]
    err = errors.from_core("Typing", "boom", *ret[1], "square", result.functions)
    assert str(err) == expected_message(square, "return x * x", "boom")
