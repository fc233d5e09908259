"""Mistakes in @guvectorize kernels, layouts, signatures and calls: each is an error of the right
type that names the function (and, for the kernel's code, the line), raised at decoration when
signatures are given, on the first call when lazy."""

import inspect

import numpy as np
import pytest

import loopjit as lj
from loopjit.errors import SignatureError, TypingError, UnsupportedError
from loopjit.guvectorize import parse_layout

F8 = "float64[:]"


def line_of(func, text):
    """1-based line number in this file of the first line of `func` containing `text`."""
    lines, first = inspect.getsourcelines(func)
    return first + next(i for i, line in enumerate(lines) if text in line)


def test_rebinding_an_output_names_the_line():
    def rebind(x, out):
        for i in range(len(x)):
            out[i] = x[i]
        out = x  # noqa: F841

    with pytest.raises(TypingError) as e:
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->(n)")(rebind)
    assert e.value.funcname == "rebind"
    assert e.value.lineno == line_of(rebind, "out = x")
    assert "rebinds the name" in str(e.value) and "out[0] = value" in str(e.value)
    assert "out = x" in str(e.value)  # the source line is shown


def test_rebinding_a_scalar_output_lazily_is_reported_on_first_call():
    def scalar_out(x, out):
        out = x[0] * 2  # noqa: F841

    f = lj.guvectorize("(n)->()")(scalar_out)
    with pytest.raises(TypingError, match="rebinds the name") as e:
        f(np.ones(3))
    assert e.value.lineno == line_of(scalar_out, "out = x[0]")
    assert "scalar_out" in str(e.value)


def test_output_never_written():
    def never(x, out):
        s = x[0]  # noqa: F841

    with pytest.raises(TypingError, match="output 'out' is never written") as e:
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->()")(never)
    assert e.value.funcname == "never"

    def second_never(x, lo, hi):
        lo[0] = x[0]

    with pytest.raises(TypingError, match="output 'hi' is never written"):
        lj.guvectorize([f"void({F8}, {F8}, {F8})"], "(n)->(),()")(second_never)


def test_layout_and_parameter_count_disagree():
    def two(x, out):
        out[0] = x[0]

    with pytest.raises(SignatureError, match=r"2 input\(s\) and 1 output\(s\).*two\(\) takes 2"):
        lj.guvectorize("(n),(n)->()")(two)
    with pytest.raises(SignatureError, match="two"):
        lj.guvectorize("(n)->(),()")(two)


@pytest.mark.parametrize("signature,count", [
    (f"void({F8}, {F8})", 2),
    (f"void({F8}, {F8}, {F8}, {F8})", 4),
])
def test_signature_arity_disagrees_with_layout(signature, count):
    def k(x, y, out):
        out[0] = x[0] + y[0]

    with pytest.raises(SignatureError, match=f"layout has 3 arguments .* has {count}") as e:
        lj.guvectorize([signature], "(n),(n)->()")(k)
    assert e.value.funcname == "k"


@pytest.mark.parametrize("signature,layout,message", [
    (f"void({F8}, {F8})", "(m,n)->()", "argument 'a' is declared 1-d .* 2 core dimensions"),
    ("void(float64[:, :], float64[:])", "(n)->()", "argument 'a' is declared 2-d .* 1 core "
     "dimension"),
    ("void(float64[:], float64[:, :])", "(n)->(n)", "output 'out' is declared 2-d .* 1 core "
     "dimension"),
    ("void(float64[:, :], float64[:])", "()->()", "argument 'a' is declared 2-d"),
])
def test_core_dimensions_used_with_the_wrong_ndim(signature, layout, message):
    def wrong_ndim(a, out):
        out[0] = 1.0

    with pytest.raises(SignatureError, match=message) as e:
        lj.guvectorize([signature], layout)(wrong_ndim)
    assert "wrong_ndim" in str(e.value)


def test_signature_mistakes():
    def k(x, out):
        out[0] = x[0]

    with pytest.raises(SignatureError, match="unknown type 'flot64'"):
        lj.guvectorize(["void(flot64[:], float64[:])"], "(n)->()")(k)
    with pytest.raises(SignatureError, match="returns nothing .* not a return value of float64"):
        lj.guvectorize(["float64(float64[:], float64[:])"], "(n)->()")(k)
    with pytest.raises(SignatureError, match="string or a list"):
        lj.guvectorize(3, "(n)->()")(k)


def test_returning_a_value():
    def returns(x, out):
        out[0] = x[0]
        return 5

    with pytest.raises(TypingError, match="declared void") as e:
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->()")(returns)
    assert e.value.lineno == line_of(returns, "return 5")


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
def test_writing_to_an_input_without_writable_args(lazy):
    def writes_input(x, out):
        x[0] = 1.0
        out[0] = x[1]

    with pytest.raises(TypingError, match="array 'x' is read-only.*writable") as e:
        if lazy:
            lj.guvectorize("(n)->()")(writes_input)(np.zeros(3))
        else:
            lj.guvectorize([f"void({F8}, {F8})"], "(n)->()")(writes_input)
    assert e.value.lineno == line_of(writes_input, "x[0] = 1.0")
    assert e.value.funcname == "writes_input"


def test_slices_of_inputs_are_read_only_too():
    def writes_slice(x, out):
        y = x[1:]
        y[0] = 2.0
        out[0] = 1.0

    with pytest.raises(TypingError, match="read-only"):
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->()")(writes_slice)


@pytest.mark.parametrize("layout,message", [
    ("(n)->", "no outputs"),
    ("->()", "no inputs"),
    ("(n)->()->()", "expected 'inputs->outputs'"),
    ("(n,)->()", "bad dimension ''"),
    ("n->()", "expected '\\(dims\\)'"),
    ("(n-1)->()", "bad dimension 'n-1'"),
    ("(n),->()", "trailing ','"),
    ("(n)(m)->()", "expected '\\(dims\\)'"),
    ("(n??)->()", "bad dimension 'n\\?\\?'"),
    ("(1.5)->()", "bad dimension '1.5'"),
    ("((n))->()", "expected '\\(dims\\)'"),
])
def test_bad_layouts(layout, message):
    with pytest.raises(ValueError, match=message) as e:
        lj.guvectorize(layout)
    assert repr(layout) in str(e.value)
    with pytest.raises(ValueError, match=message):
        lj.guvectorize([f"void({F8}, {F8})"], layout)


def test_parse_layout():
    p = parse_layout("(m, n),(n,p?)->(m,p?)")
    assert p.inputs == [[("m", False), ("n", False)], [("n", False), ("p", True)]]
    assert p.outputs == [[("m", False), ("p", True)]]
    assert p.numpy_signature() == "(m,n),(n,p?)->(m,p?)"
    assert p.core_dims == [[0, 1], [1, 2], [0, 2]]


def test_decorator_argument_mistakes():
    def k(x, out):
        out[0] = x[0]

    with pytest.raises(TypeError, match="needs a layout"):
        lj.guvectorize(k)
    with pytest.raises(TypeError, match="needs a layout"):
        lj.guvectorize([f"void({F8}, {F8})"])(k)
    with pytest.raises(ValueError, match=r"guvectorize\(k\): target must be one of"):
        lj.guvectorize("(n)->()", target="cuda")(k)
    with pytest.raises(TypeError, match=r"guvectorize\(k\): unknown option\(s\) nogil_please"):
        lj.guvectorize("(n)->()", nogil_please=True)(k)
    with pytest.raises(ValueError, match=r"guvectorize\(k\): a gufunc has no identity"):
        lj.guvectorize("(n)->()", identity=0)(k)
    with pytest.raises(TypeError, match="fastmath must be True or False"):
        lj.guvectorize("(n)->()", fastmath="yes")(k)
    with pytest.raises(ValueError, match="writable_args names 'out', which is not an input"):
        lj.guvectorize("(n)->()", writable_args=("out",))(k)
    with pytest.raises(ValueError, match="writable_args entries are input names or indices"):
        lj.guvectorize("(n)->()", writable_args=(1,))(k)
    with pytest.raises(ValueError, match="writable_args entries"):
        lj.guvectorize("(n)->()", writable_args=(True,))(k)
    with pytest.raises(TypeError, match="expected a Python function"):
        lj.guvectorize("(n)->()")(print)


def ramp(k, out):
    for i in range(out.shape[0]):
        out[i] = k * i


@pytest.mark.parametrize("signatures", [[f"void(int64, {F8})"], []], ids=["eager", "lazy"])
def test_output_only_dimension_without_out_or_sizes(signatures):
    f = lj.guvectorize(signatures, "()->(n)")(ramp) if signatures else \
        lj.guvectorize("()->(n)")(ramp)
    with pytest.raises(ValueError) as e:
        f(np.arange(3))
    msg = str(e.value)
    assert msg.startswith("ramp:"), msg
    assert "output core dimension(s) n" in msg and "pass out=" in msg and "sizes=" in msg
    np.testing.assert_array_equal(f(np.arange(2), out=np.zeros((2, 3))), [[0, 0, 0], [0, 1, 2]])


def test_sizes_function_mistakes():
    bad_type = lj.guvectorize([f"void(int64, {F8})"], "()->(n)", sizes=lambda d: [4])(ramp)
    with pytest.raises(TypeError, match="ramp: sizes= must return a dict"):
        bad_type(np.arange(3))
    missing = lj.guvectorize([f"void(int64, {F8})"], "()->(n)", sizes=lambda d: {"m": 4})(ramp)
    with pytest.raises(ValueError, match="ramp: sizes= did not give output dimension 'n'"):
        missing(np.arange(3))
    negative = lj.guvectorize([f"void(int64, {F8})"], "()->(n)", sizes=lambda d: {"n": -2})(ramp)
    with pytest.raises(ValueError, match="ramp: sizes= gave n=-2, a negative size"):
        negative(np.arange(3))

    def raises(dims):
        raise KeyError("no such dimension")

    failing = lj.guvectorize([f"void(int64, {F8})"], "()->(n)", sizes=raises)(ramp)
    with pytest.raises(KeyError, match="no such dimension"):
        failing(np.arange(3))


def dot(x, y, out):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    out[0] = s


def test_numpy_core_dimension_errors_pass_through():
    f = lj.guvectorize([f"void({F8}, {F8}, {F8})"], "(n),(n)->()")(dot)
    with pytest.raises(ValueError, match=r"^dot: Input operand 1 has a mismatch in its core "
                                         r"dimension 0.*\(size 4 is different from 3\)"):
        f(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="dot: .*operand 0 does not have enough dimensions"):
        f(np.float64(1.0), np.zeros(1))
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        f(np.zeros((2, 3)), np.zeros(3), out=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="ramp: Output operand 0 has a mismatch in its core"):
        lj.guvectorize([f"void(int64, {F8})"], "()->(3)")(ramp)(np.arange(2),
                                                              out=np.zeros((2, 4)))
    with pytest.raises(ValueError):  # loop dimensions that do not broadcast
        f(np.zeros((2, 3)), np.zeros((4, 3)))
    frozen = lj.guvectorize([f"void({F8}, {F8}, {F8})"], "(3),(3)->()")(dot)
    with pytest.raises(ValueError, match=r"dot: .*\(3\),\(3\)->\(\) \(size 4 is different"):
        frozen(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="read-only"):
        out = np.zeros(2)
        out.flags.writeable = False
        f(np.zeros((2, 3)), np.zeros(3), out=out)


def test_inputs_with_no_loop():
    f = lj.guvectorize([f"void({F8}, {F8}, {F8})"], "(n),(n)->()")(dot)
    with pytest.raises(TypeError, match="'dot' did not contain a loop"):
        f(np.array(["a", "b"]), np.zeros(2))
    with pytest.raises(TypeError, match="'dot' did not contain a loop"):
        f(np.zeros(2, np.complex128), np.zeros(2))  # no safe cast to float64
    lazy = lj.guvectorize("(n),(n)->()")(dot)
    with pytest.raises(TypeError, match="'dot' .*numeric dtypes"):
        lazy(np.array(["a", "b"]), np.array(["a", "b"]))
    with pytest.raises(TypeError, match="'dot'"):
        lazy(np.zeros(2, object), np.zeros(2))


def test_a_lazy_compile_error_leaves_other_dtypes_working():
    def running_max(x, out):
        m = x[0]
        for v in x:
            if v > m:
                m = v
        out[0] = m

    f = lj.guvectorize("(n)->()")(running_max)
    with pytest.raises(TypingError, match="complex") as e:
        f(np.zeros(3, np.complex128))
    assert e.value.funcname == "running_max"
    assert e.value.lineno == line_of(running_max, "if v > m")
    assert f(np.array([1.0, 3.0, 2.0])) == 3.0
    with pytest.raises(TypingError):  # not cached as a success
        f(np.zeros(3, np.complex128))


def test_unsupported_array_operations_name_the_operation():
    def method(x, out):
        out[0] = x.sum()

    def copy_into(x, out):
        out[:] = x

    with pytest.raises(UnsupportedError, match=r"array methods \(.sum\(\)\)") as e:
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->()")(method)
    assert e.value.lineno == line_of(method, "x.sum()")
    with pytest.raises(UnsupportedError, match="only a number can be assigned to an array slice"):
        lj.guvectorize([f"void({F8}, {F8})"], "(n)->(n)")(copy_into)


def test_index_errors_at_run_time_name_array_index_and_line():
    def shift(x, out):
        for i in range(len(x)):
            out[i] = x[i + 1]

    f = lj.guvectorize([f"void({F8}, {F8})"], "(n)->(n)", boundscheck=True)(shift)
    with pytest.raises(IndexError) as e:
        f(np.zeros((3, 4)))
    msg = str(e.value)
    assert "index 4 is out of bounds for axis 0 with size 4" in msg
    assert "array 'x'" in msg and "'shift'" in msg
    assert f"line {line_of(shift, 'x[i + 1]')}" in msg and __file__ in msg
    np.testing.assert_array_equal(f(np.zeros((3, 0))), np.zeros((3, 0)))  # no iteration


def _copy_first(x, out):
    out[0] = x[0]


def test_cache_true_warns_that_gufuncs_are_not_cached_yet():
    with pytest.warns(UserWarning, match="cache=True has no effect yet"):
        f = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->()", cache=True)(_copy_first)
    assert f(np.arange(3.0)) == 0.0
