"""Mistakes in @stencil kernels, options and calls: each is an error of the right type whose
message names the kernel (and, for the kernel's code, the line), raised at decoration for bad
options and on the call for everything that depends on the arguments. Relative reads outside
a declared neighborhood raise IndexError at run time, with or without boundscheck, serial or
parallel, and never crash the process."""

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import loopjit as lj
from loopjit.errors import SignatureError, TypingError, UnsupportedError


def line_of(func, text):
    """1-based line number in this file of the first line of `func` containing `text`."""
    lines, first = inspect.getsourcelines(func)
    return first + next(i for i, line in enumerate(lines) if text in line)


def jacobi(a):
    return 0.25 * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1])


def two_arrays(a, b):
    return a[0, 1] + b[1, 0]


def diff1(a):
    return a[1] - a[-1]


X = np.arange(20.0).reshape(4, 5)


# --- the arguments of a call -------------------------------------------------------------


def test_second_relative_array_of_another_ndim():
    s = lj.stencil(two_arrays)
    for b in (np.ones((4, 5, 1)), np.ones(20), np.array(2.0), [1.0, 2.0]):
        with pytest.raises(ValueError, match=r"two_arrays: argument 'b' has \d dimension"):
            s(X, b)
    with pytest.raises(TypingError, match="'float64' object is not subscriptable") as e:
        s(X, 2.0)  # a number is passed as a number
    assert e.value.funcname == "two_arrays"


def test_second_relative_array_smaller_than_the_first():
    s = lj.stencil(two_arrays)
    for b in (np.ones((3, 5)), np.ones((4, 4)), np.ones((30, 2))):
        with pytest.raises(ValueError, match="two_arrays: argument 'b' of shape .* is smaller"):
            s(X, b)
    s(X, np.ones((5, 6)))  # larger is fine


def test_out_of_the_wrong_shape_or_kind():
    s = lj.stencil(jacobi)
    with pytest.raises(ValueError, match=r"jacobi: out has shape \(5, 4\), the result \(4, 5\)"):
        s(X, out=np.empty((5, 4)))
    with pytest.raises(ValueError, match="jacobi: out has shape"):
        s(X, out=np.empty(20))
    with pytest.raises(TypeError, match="jacobi: out must be a NumPy array"):
        s(X, out=[[0.0] * 5] * 4)
    read_only = np.empty((4, 5))
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="jacobi: out is read-only"):
        s(X, out=read_only)
    for dtype in (np.int64, np.bool_, object, "U3", np.longdouble):
        with pytest.raises(TypeError, match="jacobi: cannot write the float64 result into out"):
            s(X, out=np.empty((4, 5), dtype))
    with pytest.raises(TypeError, match="cannot write the complex128 result into out of dtype "
                                        "float64"):
        s(X + 1j, out=np.empty((4, 5)))


def test_wrong_number_of_arguments():
    s = lj.stencil(two_arrays)
    with pytest.raises(TypeError, match=r"two_arrays\(\) takes 2 argument\(s\) \(1 given\)"):
        s(X)
    with pytest.raises(TypeError, match=r"two_arrays\(\) takes 2 argument\(s\) \(3 given\)"):
        s(X, X, X)
    with pytest.raises(TypeError, match=r"jacobi\(\) takes 1 argument\(s\) \(0 given\)"):
        lj.stencil(jacobi)()


@pytest.mark.parametrize("value", [np.array(["a", "b"]), np.array([None, 1.0]),
                                   np.arange(3).astype("M8[s]"), np.arange(3).astype("m8[s]"),
                                   np.zeros(3, dtype=[("x", "f8")]), np.zeros(3, np.longdouble)],
                         ids=["str", "object", "datetime64", "timedelta64", "structured",
                              "longdouble"])
def test_non_numeric_arrays(value):
    with pytest.raises(TypeError, match="diff1: argument 'a' has dtype .* which stencils do not "
                                        "support"):
        lj.stencil(diff1)(value)


def scaled(a, k):
    return a[0] * k


def test_non_numeric_number_arguments():
    s = lj.stencil(scaled)
    for k, name in (("s", "str"), (None, "NoneType"), ({}, "dict")):
        with pytest.raises(TypeError, match=f"scaled: argument 'k' must be an array or a number, "
                                            f"not {name}"):
            s(np.ones(3), k)


def test_the_first_argument_is_an_array():
    for first in (3.0, np.float64(3.0), np.array(3.0)):
        with pytest.raises(ValueError, match="diff1: the first argument must be an array with "
                                             "at least one dimension"):
            lj.stencil(diff1)(first)


def weights(a, w):
    return a[0] * w[0]


def test_a_standard_indexing_argument_is_an_array():
    s = lj.stencil(weights, standard_indexing="w")
    with pytest.raises(ValueError, match="weights: argument 'w' is in standard_indexing but is "
                                         "not an array"):
        s(np.ones(3), np.float64(2.0))
    with pytest.raises(TypingError, match="cannot multiply float64 by array") as e:
        s(np.ones(3), np.ones((2, 2)))  # w[0] of a 2-d array is a row
    assert e.value.funcname == "weights"


# --- cval --------------------------------------------------------------------------------


def test_cval_that_does_not_fit_the_dtypes():
    with pytest.raises(TypeError, match=r"jacobi: cval \(1\+2j\) cannot be cast to the result "
                                        "dtype float64"):
        lj.stencil(jacobi, cval=1 + 2j)(X)
    with pytest.raises(TypeError, match="cannot be cast to the result dtype float32"):
        lj.stencil(jacobi, cval=np.complex64(1))(X.astype(np.float32))
    with pytest.raises(TypeError, match="diff1: cval 1.5 cannot be cast to the result dtype "
                                        "int64"):
        lj.stencil(diff1, cval=1.5)(np.arange(5))
    with pytest.raises(TypeError, match="cannot be cast to the result dtype int32"):
        lj.stencil(diff1, cval=np.float32(1))(np.arange(5, dtype=np.int32))
    # out of the integer dtype's range, or not exactly representable
    for cval, dtype in ((-1, np.uint8), (256, np.uint8), (2**31, np.int32), (2**62 + 1, np.int64),
                        (2**64 - 1, np.uint64)):
        with pytest.raises(TypeError, match=f"cval {cval} cannot be cast"):
            lj.stencil(diff1, cval=cval)(np.arange(5, dtype=dtype))
    # cval pads the input: a float one cannot stand for an int64 element, whatever the result
    with pytest.raises(TypeError, match="scaled: cval 0.5 cannot be cast to the dtype int64"):
        lj.stencil(scaled, cval=0.5)(np.arange(5), 0.5)
    assert lj.stencil(diff1, cval=2)(np.arange(5.0))[0] == -1.0  # an int cval for floats is fine
    assert lj.stencil(diff1, cval=255)(np.arange(5, dtype=np.uint8))[-1] == 252


@pytest.mark.parametrize("cval", [None, "0", [0], True, np.bool_(False)])
def test_cval_that_is_not_a_number(cval):
    with pytest.raises(TypeError, match="stencil\\(jacobi\\): cval must be a number"):
        lj.stencil(jacobi, cval=cval)


# --- options -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["zeros", "Constant", "reflect101", None, 0])
def test_bad_mode(mode):
    with pytest.raises(ValueError, match="stencil\\(jacobi\\): mode must be one of 'constant', "
                                         "'nearest', 'reflect', 'mirror', 'wrap'"):
        lj.stencil(jacobi, mode=mode)
    if isinstance(mode, str):
        with pytest.raises(ValueError, match="stencil\\(jacobi\\): mode must be one of"):
            lj.stencil(mode)(jacobi)


@pytest.mark.parametrize("target", ["cuda", "gpu", "Parallel", None])
def test_bad_target(target):
    with pytest.raises(ValueError, match="stencil\\(jacobi\\): target must be 'cpu' or "
                                         "'parallel'"):
        lj.stencil(jacobi, target=target)


@pytest.mark.parametrize("neighborhood", [(1, 2), 5, ((None, 1),), ((1, 2, 3),), ((-1.5, 1),),
                                          ((-1, 1.0),), (), "ab"])
def test_neighborhood_not_integer_pairs(neighborhood):
    with pytest.raises(ValueError, match="stencil\\(diff1\\): neighborhood must be \\(\\(lo, "
                                         "hi\\), ...\\) with one integer pair per dimension"):
        lj.stencil(diff1, neighborhood=neighborhood)


def test_neighborhood_with_lo_above_hi():
    with pytest.raises(ValueError, match=r"stencil\(diff1\): neighborhood pair \(2, -2\) has "
                                         "lo > hi"):
        lj.stencil(diff1, neighborhood=((2, -2),))


def test_neighborhood_with_the_wrong_number_of_pairs():
    s = lj.stencil(jacobi, neighborhood=((-1, 1),))
    with pytest.raises(SignatureError, match="neighborhood has 1 \\(lo, hi\\) pairs but the "
                                             "stencil's arrays have 2 dimensions") as e:
        s(X)
    assert e.value.funcname == "jacobi"


def test_bad_standard_indexing():
    with pytest.raises(ValueError, match="stencil\\(weights\\): standard_indexing names 'q', "
                                         "which is not a parameter of weights\\(\\)"):
        lj.stencil(weights, standard_indexing=("q",))
    with pytest.raises(ValueError, match="stencil\\(weights\\): the first argument is indexed "
                                         "relatively; it cannot be in standard_indexing"):
        lj.stencil(weights, standard_indexing="a")


def test_unknown_options_and_non_functions():
    with pytest.raises(TypeError, match="stencil: unknown option\\(s\\) border, nopython"):
        lj.stencil(jacobi, border="wrap", nopython=True)
    with pytest.raises(TypeError, match="stencil: expected a function or a mode name, got 3"):
        lj.stencil(3)
    with pytest.raises(TypeError, match="stencil: expected a Python function"):
        lj.stencil(np.sin)


# --- the kernel's code -------------------------------------------------------------------


def write_relative(a):
    a[0] = 1.0
    return a[0]


def augment_relative(a):
    a[0] += 1.0
    return a[0]


def write_second(a, b):
    b[1] = 2.0
    return a[0]


@pytest.mark.parametrize("kernel,args,text", [
    (write_relative, (np.ones(3),), "a[0] = 1.0"),
    (augment_relative, (np.ones(3),), "a[0] += 1.0"),
    (write_second, (np.ones(3), np.ones(3)), "b[1] = 2.0"),
], ids=["assign", "augassign", "second"])
def test_writing_to_a_relative_array(kernel, args, text):
    with pytest.raises(TypingError) as e:
        lj.stencil(kernel)(*args)
    assert e.value.funcname == kernel.__name__
    assert e.value.lineno == line_of(kernel, text)


def write_weights(a, w):
    w[0] = 1.0
    return a[0]


def test_writing_to_a_standard_indexing_array():
    with pytest.raises(TypingError, match="array 'w' is read-only") as e:
        lj.stencil(write_weights, standard_indexing="w")(np.ones(3), np.ones(3))
    assert e.value.funcname == "write_weights"
    assert e.value.lineno == line_of(write_weights, "w[0] = 1.0")


def box(a):
    s = 0.0
    for k in range(-2, 3):
        s += a[k]
    return s


def test_index_variable_without_a_neighborhood():
    with pytest.raises(TypingError, match="this relative index is not a constant: give the "
                                          "stencil a neighborhood=") as e:
        lj.stencil(box)(np.ones(5))
    assert e.value.funcname == "box"
    assert e.value.lineno == line_of(box, "s += a[k]")
    assert "In function 'box'" in str(e.value)


def far(a):
    return a[1] + a[-3]


def test_constant_index_outside_the_declared_neighborhood():
    with pytest.raises(TypingError, match="relative index -3 on axis 0 is outside the declared "
                                          "neighborhood \\(-2, 2\\)") as e:
        lj.stencil(far, neighborhood=((-2, 2),))(np.ones(5))
    assert e.value.funcname == "far"
    assert e.value.lineno == line_of(far, "a[-3]")
    with pytest.raises(TypingError, match="relative index 1 on axis 0 is outside"):
        lj.stencil(far, neighborhood=((-3, 0),))(np.ones(5))


def wrong_count(a):
    return a[-1] + a[1]


def slicing(a):
    return a[0:2, 0]


def returns_nothing(a):
    a[0, 0]


def test_kernel_code_mistakes():
    with pytest.raises(TypingError, match="a stencil kernel reads 'a' with 1 relative index; it "
                                          "needs one per dimension \\(2\\)") as e:
        lj.stencil(wrong_count)(X)
    assert e.value.funcname == "wrong_count"
    with pytest.raises(UnsupportedError, match="slices of relatively indexed arrays are not "
                                               "supported") as e:
        lj.stencil(slicing)(X)
    assert e.value.funcname == "slicing"
    with pytest.raises(TypingError, match="a stencil kernel returns the value of one output "
                                          "point \\(a number\\)") as e:
        lj.stencil(returns_nothing)(X)
    assert e.value.funcname == "returns_nothing"


# --- reads outside the neighborhood at run time -------------------------------------------

REPO = Path(__file__).resolve().parents[2]

OUTSIDE = """
import numpy as np
import loopjit as lj

def reach(a, r):
    s = 0.0
    for k in range(-r, r + 1):
        s += a[k, 0]
    return s

for target in ("cpu", "parallel"):
    for boundscheck in (True, False):
        s = lj.stencil(reach, neighborhood=((-2, 2), (0, 0)), target=target,
                       boundscheck=boundscheck)
        for shape in ((1, 1), (5, 3), (3000, 300)):
            a = np.ones(shape)
            try:
                s(a, 3)
                print("no error", target, boundscheck, shape)
            except IndexError as e:
                print("IndexError:", e)
            ok = s(a, 2)  # the stencil still works within its neighborhood
            assert ok.shape == shape, ok.shape
print("done")
"""


def test_variable_index_outside_the_neighborhood_raises_index_error(tmp_path):
    """In a child process: a crash there fails this test instead of ending the run."""
    script = tmp_path / "outside.py"
    script.write_text(textwrap.dedent(OUTSIDE))
    path = [str(Path(lj.__file__).resolve().parent.parent), str(REPO),
            os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in path if p))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=240)
    assert proc.returncode == 0, f"exit status {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    lines = proc.stdout.splitlines()
    assert lines[-1] == "done" and len(lines) == 13, proc.stdout
    for line in lines[:-1]:
        assert line.startswith("IndexError: relative index -3 on axis 0 of array 'a' is outside "
                               "the stencil's neighborhood (in 'reach', file "), line
        assert "line 8" in line, line
