"""Misuse of @vectorize, one small program each: the exception class and the whole message
(function, file:line:column, the source line with a caret under the culprit, the text), raised
at decoration when signatures are given and on first call when lazy. Bad input at call time
is NumPy's TypeError or ValueError, never a crash."""

import importlib.util
import itertools
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import loopjit as lj

HEADER = """\
import math

import numpy as np

import loopjit as lj

G = 1.0


def plain(x):
    return x

"""

_counter = itertools.count()


def write_program(tmp_path, decorator, params, body):
    """A module whose kernel `k` has the given decorator line, parameters and body."""
    text = HEADER + f"\n{decorator}\ndef k({params}):\n" + textwrap.indent(
        textwrap.dedent(body).strip("\n"), "    ") + "\n"
    path = tmp_path / f"prog_{next(_counter)}.py"
    path.write_text(text)
    return path, text


def load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_message(path, text, snippet, message, func="k"):
    """The message for an error at the first occurrence of `snippet` in the kernel (the
    part of the program after its `def k`); a pair (context, snippet) means the snippet
    within the first occurrence of the context."""
    start = text.index("\ndef k(") + 1
    context, snippet = snippet if isinstance(snippet, tuple) else (snippet, snippet)
    pos = text.index(context, start) + context.index(snippet)
    lineno = text.count("\n", 0, pos) + 1
    line = text.splitlines()[lineno - 1]
    col = pos - (text.rindex("\n", 0, pos) + 1)
    shown = line.lstrip()
    pad = " " * (col - (len(line) - len(shown)))
    return (f"In function '{func}' ({path}:{lineno}:{col + 1}):\n    {shown}\n"
            f"    {pad}{'^' * len(snippet)}\n{message}")


def check_error(err, cls, path, text, snippet, message):
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    assert str(err) == expected_message(path, text, snippet, message)
    assert err.msg == message
    assert err.filename == str(path)
    assert err.funcname == "k"
    assert isinstance(err, lj.LoopjitError)


U, T = lj.UnsupportedError, lj.TypingError

# (id, signature, parameters, kernel body, culprit, class, message)
KERNEL_ERRORS = [
    ("yield", "float64(float64)", "x", "yield x", "yield x", U,
     "generators (yield) are not supported in kernels"),
    ("try", "float64(float64)", "x", """
        try:
            return x
        except Exception:
            return -x
     """, "try:", U, "try/except statements are not supported in kernels"),
    ("with", "float64(float64)", "x", """
        with x:
            return x
     """, "with x:", U, "with statements are not supported in kernels"),
    ("class", "float64(float64)", "x", """
        class C:
            pass
        return x
     """, "class C:", U, "class definitions are not supported in kernels"),
    ("list_comprehension", "float64(float64)", "x", "return [v for v in range(3)]",
     "[v for v in range(3)]", U, "list comprehensions are not supported in kernels"),
    ("dict_comprehension", "float64(float64)", "x", "return {v: x for v in range(3)}",
     "{v: x for v in range(3)}", U, "dict comprehensions are not supported in kernels"),
    ("set_comprehension", "float64(float64)", "x", "return {v for v in range(3)}",
     "{v for v in range(3)}", U, "set comprehensions are not supported in kernels"),
    ("generator_expression", "float64(float64)", "x", "return (v * x for v in range(3))",
     "(v * x for v in range(3))", U, "generator expressions are not supported in kernels"),
    ("generator_argument", "float64(float64)", "x", "return max(v for v in range(3))",
     "(v for v in range(3))", U, "generator expressions are not supported in kernels"),
    ("global", "float64(float64)", "x", """
        global G
        G = x
        return x
     """, "global G", U, "global statements are not supported in kernels"),
    ("unknown_name", "float64(float64)", "x", "return x + nosuch", "nosuch", T,
     "name 'nosuch' is not defined"),
    ("plain_python_function", "float64(float64)", "x", "return plain(x) + 1", "plain", T,
     "cannot call 'plain': it is a plain Python function; decorate it with @loopjit.njit or "
     "@loopjit.vectorize"),
    ("attribute_of_float64", "float64(float64)", "x", "return x.nope + 1", "x.nope", T,
     "float64 has no attribute 'nope'"),
    ("attribute_of_int8", "int8(int8)", "x", "return x.nope", "x.nope", T,
     "int8 has no attribute 'nope'"),
    ("tuple_plus_float", "float64(float64)", "x", "return (x, 1) + 2.5", "(x, 1) + 2.5", T,
     "cannot add Tuple(float64, int) and float"),
    ("bool_minus_bool", "bool(bool, bool)", "x, y", "return x - y", "x - y", T,
     "cannot subtract bool values (NumPy does not support the - operator on bools; use ^ or "
     "np.logical_xor)"),
    ("ordering_complex", "bool(complex128, complex128)", "x, y", "return x < y", "x < y", T,
     "'<' is not supported between complex numbers"),
    ("literal_out_of_range", "int8(int8)", "x", "return x + 300", "300", T,
     "Python integer 300 out of bounds for int8"),
    ("bitwise_on_float", "float64(float64)", "x", "return x & 1", "x & 1", T,
     "unsupported operand types for &: float64 and int"),
    ("missing_return", "float64(float64)", "x", """
        if x > 0:
            return x
     """, "def k(x):", T, "function 'k' can reach its end without returning a value; every "
     "path must return float64"),
    ("variable_changes_type", "float64(float64)", "x", """
        y = (x, x)
        y = 1.0
        return y
     """, "y = 1.0", T, "variable 'y' is assigned both Tuple(float64, float64) and float; a "
     "variable must keep one type"),
    ("range_of_float", "float64(float64)", "x", """
        s = 0.0
        for i in range(x):
            s += i
        return s
     """, ("range(x)", "x"), T, "'float64' object cannot be interpreted as an integer"),
    ("for_over_tuple", "float64(float64)", "x", """
        for v in (1, 2):
            x += v
        return x
     """, "(1, 2)", U,
     "for loops are only supported over range(...) and arrays in kernels, not Tuple(int, int)"),
    ("wrong_builtin_arity", "float64(float64)", "x", "return math.sqrt(x, x)",
     "math.sqrt(x, x)", T, "math.sqrt() takes 1 argument (2 given)"),
    ("unsupported_numpy_function", "float64(float64)", "x", "return np.fft.fft(x)",
     "np.fft.fft(x)", U, "np.fft.fft is not supported in kernels"),
    ("matmul", "float64(float64, float64)", "x, y", "return x @ y", "x @ y", U,
     "the @ operator is not supported on numbers"),
    ("string", "float64(float64)", "x", 'return x + "a"', '"a"', U,
     "string constants are not supported in kernels"),
    ("tuple_for_scalar_return", "float64(float64)", "x", "return x, x", "return x, x", T,
     "cannot return Tuple(float64, float64) from 'k', whose signature returns float64"),
]


@pytest.mark.parametrize("sig, params, body, snippet, cls, message",
                         [c[1:] for c in KERNEL_ERRORS], ids=[c[0] for c in KERNEL_ERRORS])
def test_kernel_errors_at_decoration(tmp_path, sig, params, body, snippet, cls, message):
    path, text = write_program(tmp_path, f"@lj.vectorize([{sig!r}])", params, body)
    with pytest.raises(lj.LoopjitError) as info:
        load(path)
    check_error(info.value, cls, path, text, snippet, message)


LAZY_CASES = [c for c in KERNEL_ERRORS if c[0] in {
    "yield", "try", "with", "class", "list_comprehension", "dict_comprehension",
    "set_comprehension", "generator_expression", "global", "unknown_name",
    "plain_python_function", "attribute_of_float64", "tuple_plus_float", "bitwise_on_float",
    "unsupported_numpy_function", "string"}]


@pytest.mark.parametrize("params, body, snippet, cls, message", [c[2:] for c in LAZY_CASES],
                         ids=[c[0] for c in LAZY_CASES])
def test_lazy_errors_on_first_call(tmp_path, params, body, snippet, cls, message):
    """Lazy decoration never fails; the first call raises the error, and so does every later
    use (a call, a ufunc method)."""
    path, text = write_program(tmp_path, "@lj.vectorize", params, body)
    module = load(path)
    x = np.ones(3)
    for use in (lambda: module.k(x), lambda: module.k(x), lambda: module.k.at(x, [0, 2])):
        with pytest.raises(lj.LoopjitError) as info:
            use()
        check_error(info.value, cls, path, text, snippet, message)
    np.testing.assert_array_equal(x, np.ones(3))


def test_lazy_error_in_ufunc_method_before_any_call(tmp_path):
    path, text = write_program(tmp_path, "@lj.vectorize(identity=0)", "x, y", "return x.nope")
    module = load(path)
    with pytest.raises(lj.TypingError) as info:
        module.k.reduce(np.arange(4.0))
    check_error(info.value, lj.TypingError, path, text, "x.nope", "float64 has no attribute "
                "'nope'")


def test_lazy_error_names_the_dtypes_that_fail(tmp_path):
    """The same lazy kernel compiles for one dtype and fails for another."""
    path, text = write_program(tmp_path, "@lj.vectorize", "x", "return x & 1")
    module = load(path)
    np.testing.assert_array_equal(module.k(np.arange(4)), [0, 1, 0, 1])
    with pytest.raises(lj.TypingError) as info:
        module.k(np.arange(4.0))
    check_error(info.value, lj.TypingError, path, text, "x & 1",
                "unsupported operand types for &: float64 and int")


def test_uncaught_error_shows_the_located_message(tmp_path):
    """What a user sees when a script fails: the exception's class and the message."""
    path, text = write_program(tmp_path, '@lj.vectorize(["float32(float32)"])', "x",
                               "return x.nope + 1")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    message = expected_message(path, text, "x.nope", "float32 has no attribute 'nope'")
    assert run.stderr.endswith(f"loopjit.errors.TypingError: {message}\n"), run.stderr


# --- signatures ------------------------------------------------------------------------------


def _kernel(tmp_path, params="x, y", body="return x + y"):
    path, _ = write_program(tmp_path, "", params, body)
    return load(path).k, path


@pytest.mark.parametrize("sig, message", [
    ("float64(floaty64)", "bad signature 'float64(floaty64)': unknown type 'floaty64' in "
     "signature 'float64(floaty64)'"),
    ("floaty64(float64, float64)", "bad signature 'floaty64(float64, float64)': unknown type "
     "'floaty64' in signature 'floaty64(float64, float64)'"),
    ("UniTuple(floaty64, 2)(float64, float64)", "bad signature 'UniTuple(floaty64, 2)(float64, "
     "float64)': unknown type 'floaty64' in signature 'UniTuple(floaty64, 2)(float64, "
     "float64)'"),
    ("float64(float64, str)", "bad signature 'float64(float64, str)': unknown type 'str' in "
     "signature 'float64(float64, str)'"),
    ("float64(", "bad signature 'float64(': expected a type at the end in signature "
     "'float64('"),
    ("(float64 float64)", "bad signature '(float64 float64)': expected ')' at 'float64)' in "
     "signature '(float64 float64)'"),
    ("float64(float64, float64))", "bad signature 'float64(float64, float64))': unexpected ')' "
     "in signature 'float64(float64, float64))'"),
])
def test_malformed_signatures(tmp_path, sig, message):
    k, _ = _kernel(tmp_path)
    with pytest.raises(lj.SignatureError) as info:
        lj.vectorize([sig])(k)
    assert str(info.value) == message
    assert not isinstance(info.value, NameError)


def test_misspelt_type_objects_are_signature_errors():
    for make in (lambda: lj.UniTuple("floaty64", 2), lambda: lj.Tuple(lj.float64, "floaty64"),
                 lambda: lj.types.Type("floaty64")):
        with pytest.raises(lj.SignatureError, match="unknown type 'floaty64'"):
            make()


@pytest.mark.parametrize("sigs, bad", [
    (["float64(float64)"], "float64(float64)"),
    (["float64(float64, float64, float64)"], "float64(float64, float64, float64)"),
    (["float64(float64, float64)", "float64(float64)"], "float64(float64)"),
    (["(int64, int64)", "(int64, int64, int64)"], "(int64, int64, int64)"),
], ids=["one_argument", "three_arguments", "second_signature_one", "second_signature_three"])
def test_signature_arity_must_fit_the_kernel(tmp_path, sigs, bad):
    """A signature with a different number of arguments from the function (also when an
    earlier signature fits) is a SignatureError pointing at the def line."""
    k, path = _kernel(tmp_path)
    with pytest.raises(lj.LoopjitError) as info:
        lj.vectorize(sigs)(k)
    text = path.read_text()
    n = bad.count(",") + 1
    message = f"k() takes 2 arguments but the signature {bad!r} has {n}"
    assert str(info.value) == expected_message(path, text, "def k(x, y):", message)
    assert type(info.value) is lj.SignatureError


def test_signature_outputs_must_fit_the_kernel(tmp_path):
    k, path = _kernel(tmp_path, "x", "return x, x")
    with pytest.raises(lj.TypingError) as info:
        lj.vectorize(["UniTuple(float64, 2)(float64)", "float64(float64)"])(k)
    check_error(info.value, lj.TypingError, path, path.read_text(), "return x, x",
                "cannot return Tuple(float64, float64) from 'k', whose signature returns "
                "float64")


@pytest.mark.parametrize("sigs, message", [
    (3, "signatures must be a string or a list of them, not 3"),
    ({"a": 1}, "signatures must be a string or a list of them, not {'a': 1}"),
    ([3.5], "cannot read 3.5 as a signature"),
    ([lj.float64], "float64 is a type, not a signature; write e.g. float64(float64)"),
])
def test_signature_arguments_of_the_wrong_kind(tmp_path, sigs, message):
    k, _ = _kernel(tmp_path)
    with pytest.raises(lj.SignatureError) as info:
        lj.vectorize(sigs)(k)
    assert str(info.value) == message


@pytest.mark.parametrize("sig, message", [
    ("void(float64, float64)", "a vectorized function must return a value, not void"),
    ("float64(float64[:], float64)", "a vectorized function takes scalars, not "
     "array(float64, 1d, A)"),
])
def test_signatures_vectorize_cannot_make(tmp_path, sig, message):
    k, path = _kernel(tmp_path)
    with pytest.raises(lj.SignatureError) as info:
        lj.vectorize([sig])(k)
    assert str(info.value) == f"In function 'k' ({path}):\n{message}"


# --- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize("options, cls, message", [
    ({"target": "cuda"}, ValueError, "vectorize(k): target must be one of 'cpu', 'parallel', not 'cuda'"),
    ({"nosuch": 1}, TypeError, "vectorize(k): unknown option(s) nosuch"),
    ({"nosuch": 1, "other": 2}, TypeError, "vectorize(k): unknown option(s) nosuch, other"),
    ({"fastmath": 1}, TypeError, "vectorize(k): fastmath must be True or False"),
    ({"identity": "one"}, ValueError, "vectorize(k): identity must be None, 0, 1, "
     "'reorderable' or a number, not 'one'"),
    ({"identity": True}, ValueError, "vectorize(k): identity must be None, 0, 1, "
     "'reorderable' or a number, not True"),
    ({"identity": [0]}, ValueError, "vectorize(k): identity must be None, 0, 1, "
     "'reorderable' or a number, not [0]"),
])
@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
def test_option_errors(tmp_path, options, cls, message, lazy):
    k, _ = _kernel(tmp_path)
    decorator = lj.vectorize(**options) if lazy else lj.vectorize(
        ["float64(float64, float64)"], **options)
    with pytest.raises(cls) as info:
        decorator(k)
    assert str(info.value) == message


def test_what_vectorize_cannot_compile(tmp_path):
    with pytest.raises(TypeError, match="vectorize: expected a function, got 3"):
        lj.vectorize(["float64(float64)"])(3)
    with pytest.raises(lj.LoopjitError, match="loopjit compiles Python functions"):
        lj.vectorize(["float64(float64)"])(np.sin)
    with pytest.raises(TypeError, match="expected a Python function"):
        lj.vectorize(np.sin)
    k, _ = _kernel(tmp_path, "", "return 1.0")
    with pytest.raises(TypeError, match="a ufunc needs at least one argument"):
        lj.vectorize(k)
    namespace = {}
    exec("def k(x):\n    return x\n", namespace)  # no source file
    with pytest.raises(lj.LoopjitError, match="its source code is not available"):
        lj.vectorize(["float64(float64)"])(namespace["k"])


# --- bad input at call time ------------------------------------------------------------------


@pytest.fixture(scope="module", params=["eager", "lazy"])
def add(request, tmp_path_factory):
    path, _ = write_program(tmp_path_factory.mktemp("add"), "", "x, y", "return x + y")
    k = load(path).k
    if request.param == "eager":
        return lj.vectorize(["float64(float64, float64)", "int64(int64, int64)"])(k)
    return lj.vectorize(k)


def _read_only(shape):
    a = np.zeros(shape)
    a.flags.writeable = False
    return a


@pytest.mark.parametrize("args, kwargs, cls", [
    ((np.array(["a", "b"]), np.array(["c", "d"])), {}, TypeError),
    (("a", 1.0), {}, TypeError),
    ((np.array([object()]), 1.0), {}, TypeError),
    ((np.array([1.0], dtype=object), 1.0), {}, TypeError),
    ((None, 1.0), {}, TypeError),
    ((np.array(["2020-01-01"], dtype="M8[D]"), np.array([1], dtype="m8[D]")), {}, TypeError),
    ((np.zeros(2, dtype=[("a", "f8")]), 1.0), {}, TypeError),
    ((np.ones(2, dtype=np.longdouble), 1.0), {}, TypeError),
    ((np.ones(3), np.ones(4)), {}, ValueError),
    ((np.ones((2, 3)), np.ones((3, 2))), {}, ValueError),
    ((np.ones(3), np.ones(3)), {"out": _read_only(3)}, ValueError),
    ((np.ones(2), 1.0), {"out": np.zeros(3)}, ValueError),
    ((np.ones(2), 1.0), {"out": np.zeros(2, dtype=np.int32)}, TypeError),
    ((np.ones(3),), {}, TypeError),
    ((np.ones(3), np.ones(3), np.ones(3), np.ones(3)), {}, TypeError),
    ((np.ones(3), np.ones(3)), {"nosuch": 1}, TypeError),
    ((np.ones(3), np.ones(3)), {"where": np.ones(4, dtype=bool), "out": np.ones(3)},
     ValueError),
], ids=["str_arrays", "str", "objects", "object_dtype", "None", "datetime", "structured",
        "longdouble", "shapes", "shapes_2d", "read_only_out", "out_shape", "out_dtype",
        "too_few", "too_many", "bad_keyword", "where_shape"])
def test_bad_input_is_numpys_error(add, args, kwargs, cls):
    before = [a.copy() for a in args if isinstance(a, np.ndarray)]
    with pytest.raises(cls):
        add(*args, **kwargs)
    after = [a for a in args if isinstance(a, np.ndarray)]
    for a, b in zip(after, before):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_bad_input_never_crashes_the_process(tmp_path):
    """The same misuse in a process of its own: Python errors, exit status 0."""
    script = tmp_path / "bad_input.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        import loopjit as lj

        def k(x, y):
            return x * y

        eager = lj.vectorize(["float64(float64, float64)"])(k)
        lazy = lj.vectorize(k)
        ro = np.zeros(3)
        ro.flags.writeable = False
        cases = [((np.array(["a"]), 1.0), {}), ((np.array([object()]), 1.0), {}),
                 ((np.ones(3), np.ones(4)), {}), ((np.ones(3), np.ones(3)), {"out": ro}),
                 ((np.ones(3),), {}), ((1, 2, 3, 4), {}), (("x", "y"), {})]
        for f in (eager, lazy):
            for args, kwargs in cases:
                try:
                    f(*args, **kwargs)
                except (TypeError, ValueError):
                    continue
                raise SystemExit(f"no error for {args}")
        print("ok")
    """))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120)
    assert (run.returncode, run.stdout) == (0, "ok\n"), run.stderr
