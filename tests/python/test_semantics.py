"""NumPy's numeric rules, one by one, for each dtype: kernels against the NumPy ufunc (or
expression) that defines the rule, bit for bit (NaNs match any NaN), on inputs chosen to hit
the rule's edge cases. Result dtypes are checked through lazy ufuncs, whose loops loopjit
types itself; docs/semantics.md lists the rules."""

import math

import numpy as np
import pytest

import loopjit as lj

SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
INTS = SIGNED + UNSIGNED
FLOATS = ["float32", "float64"]
COMPLEX = ["complex64", "complex128"]


def edge_values(dtype):
    """Each dtype's troublemakers: zero, ±1, the extremes, shift counts around the bit width,
    signed zeros, NaN, infinities, the smallest and largest magnitudes."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.array([False, True])
    if dt.kind in "iu":
        info = np.iinfo(dt)
        bits = dt.itemsize * 8
        v = [0, 1, 2, 3, 7, bits - 1, bits, bits + 1, 100 % (info.max + 1), info.max,
             info.max - 1, info.min]
        if dt.kind == "i":
            v += [-1, -2, -3, -7, -bits, info.min + 1]
        return np.array(v, dtype=dt)
    if dt.kind == "f":
        info = np.finfo(dt)
        v = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -2.5, 3.0, -7.0, 0.1, np.nan, np.inf, -np.inf,
             info.max, -info.max, info.smallest_subnormal, -info.smallest_subnormal,
             info.smallest_normal, 1e10]
        return np.array(v, dtype=dt)
    part = edge_values(np.dtype(f"f{dt.itemsize // 2}"))
    re, im = np.meshgrid(part, part[::3])
    z = np.empty(re.size, dtype=dt)
    z.real, z.imag = re.ravel(), im.ravel()
    return z


def pairs(dtype_x, dtype_y=None):
    """Every edge value of one dtype against every edge value of the other."""
    x, y = edge_values(dtype_x), edge_values(dtype_y or dtype_x)
    xx, yy = np.meshgrid(x, y)
    return xx.ravel(), yy.ravel()


def assert_identical(got, expected, *inputs):
    """Same dtype and shape; integers equal; floats equal bit for bit (signed zeros too)
    except that any NaN matches any NaN. A failure lists the first differing inputs."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype, f"dtype {got.dtype}, NumPy gives {expected.dtype}"
    assert got.shape == expected.shape
    if got.dtype.kind in "fc":
        bad = np.zeros(got.shape, dtype=bool)
        for part in (np.real, np.imag) if got.dtype.kind == "c" else (lambda a: a,):
            g, e = part(got), part(expected)
            bits = np.dtype(f"u{g.dtype.itemsize}")
            gnan, enan = np.isnan(g), np.isnan(e)
            bad |= (gnan != enan) | (~gnan & (g.view(bits) != e.view(bits)))
    else:
        bad = got != expected
    if bad.any():
        where = np.flatnonzero(bad)[:6]
        rows = [f"  inputs {tuple(np.asarray(i).ravel()[k] for i in inputs)}: "
                f"{got.ravel()[k]!r}, NumPy gives {expected.ravel()[k]!r}" for k in where]
        raise AssertionError(f"{bad.sum()} of {bad.size} differ:\n" + "\n".join(rows))


def _as_scalar(v):
    return v[()] if isinstance(v, np.ndarray) else v


def quiet(func, *args):
    with np.errstate(all="ignore"):
        return func(*args)


# --- kernels (lazy: one loop per input dtype, typed by loopjit) ------------------------------


@lj.vectorize
def floordiv(x, y):
    return x // y


@lj.vectorize
def mod(x, y):
    return x % y


@lj.vectorize
def divmod_(x, y):
    q, r = divmod(x, y)
    return q, r


@lj.vectorize
def divmod_direct(x, y):
    return divmod(x, y)


@lj.vectorize
def truediv(x, y):
    return x / y


@lj.vectorize
def lshift(x, y):
    return x << y


@lj.vectorize
def rshift(x, y):
    return x >> y


@lj.vectorize
def add(x, y):
    return x + y


@lj.vectorize
def sub(x, y):
    return x - y


@lj.vectorize
def mul(x, y):
    return x * y


@lj.vectorize
def power(x, y):
    return x ** y


@lj.vectorize
def neg(x):
    return -x


@lj.vectorize
def absolute(x):
    return abs(x)


@lj.vectorize
def invert(x):
    return ~x


@lj.vectorize
def np_maximum(x, y):
    return np.maximum(x, y)


@lj.vectorize
def np_minimum(x, y):
    return np.minimum(x, y)


@lj.vectorize
def np_fmax(x, y):
    return np.fmax(x, y)


@lj.vectorize
def np_fmin(x, y):
    return np.fmin(x, y)


@lj.vectorize
def py_max(x, y):
    return max(x, y)


@lj.vectorize
def py_min(x, y):
    return min(x, y)


@lj.vectorize
def py_max3(x, y, z):
    return max(x, y, z)


# --- integer division, modulo, shifts, wraparound --------------------------------------------


@pytest.mark.parametrize("dtype", INTS)
def test_integer_floor_division_and_modulo(dtype):
    """Floor semantics, the remainder has the divisor's sign, division by zero gives 0 and
    MIN // -1 wraps to MIN, all as NumPy's loops."""
    x, y = pairs(dtype)
    assert_identical(floordiv(x, y), quiet(np.floor_divide, x, y), x, y)
    assert_identical(mod(x, y), quiet(np.remainder, x, y), x, y)
    q, r = divmod_(x, y)
    eq, er = quiet(np.divmod, x, y)
    assert_identical(q, eq, x, y)
    assert_identical(r, er, x, y)
    zero = np.zeros(3, dtype=dtype)
    assert floordiv(x[:3], zero).tolist() == [0, 0, 0]
    assert mod(x[:3], zero).tolist() == [0, 0, 0]


def test_lazy_ufunc_returning_a_tuple_valued_call_has_two_outputs():
    """`return divmod(x, y)` returns a 2-tuple, so the lazy ufunc has two outputs."""
    x, y = np.array([7, -7]), np.array([2, 2])
    q, r = divmod_direct(x, y)
    assert (q.tolist(), r.tolist()) == ([3, -4], [1, 1])


@pytest.mark.parametrize("dtype", SIGNED)
def test_min_divided_by_minus_one(dtype):
    lo = np.array([np.iinfo(dtype).min], dtype=dtype)
    minus_one = np.array([-1], dtype=dtype)
    assert floordiv(lo, minus_one)[0] == lo[0]
    assert mod(lo, minus_one)[0] == 0
    q, r = divmod_(lo, minus_one)
    assert (q[0], r[0]) == (lo[0], 0)


@pytest.mark.parametrize("dtype", INTS)
def test_shifts_by_any_count(dtype):
    """Counts of the bit width or more give 0 (or -1 for >> of a negative number), negative
    counts likewise, as NumPy's npy_lshift/npy_rshift: never undefined behaviour."""
    x = edge_values(dtype)
    bits = np.dtype(dtype).itemsize * 8
    counts = [0, 1, bits - 1, bits, bits + 1, 2 * bits, np.iinfo(dtype).max]
    if dtype in SIGNED:
        counts += [-1, -bits, np.iinfo(dtype).min]
    xx, cc = np.meshgrid(x, np.array(counts, dtype=dtype))
    assert_identical(lshift(xx, cc), np.left_shift(xx, cc), xx, cc)
    assert_identical(rshift(xx, cc), np.right_shift(xx, cc), xx, cc)


def test_shift_by_literal_counts():
    shl64 = lj.vectorize(lambda x: (x << 64, x << 63, x >> 64, x >> -1))
    x = np.array([1, -1, 5, np.iinfo(np.int64).min], dtype=np.int64)
    for got, count, op in zip(shl64(x), (64, 63, 64, -1), ("<<", "<<", ">>", ">>")):
        ufunc = np.left_shift if op == "<<" else np.right_shift
        assert_identical(got, ufunc(x, np.int64(count)), x)


@pytest.mark.parametrize("dtype", INTS)
def test_overflow_wraps_around(dtype):
    x, y = pairs(dtype)
    assert_identical(add(x, y), quiet(np.add, x, y), x, y)
    assert_identical(sub(x, y), quiet(np.subtract, x, y), x, y)
    assert_identical(mul(x, y), quiet(np.multiply, x, y), x, y)
    v = edge_values(dtype)
    assert_identical(neg(v), quiet(np.negative, v), v)
    assert_identical(absolute(v), quiet(np.absolute, v), v)
    assert_identical(invert(v), np.invert(v), v)


@pytest.mark.parametrize("dtype", INTS)
def test_integer_power(dtype):
    """Exact with wraparound for exponents >= 0 (as np.power); a negative exponent gives 0,
    except for bases 1 and -1 (NumPy raises there)."""
    x, y = pairs(dtype)
    ok = y >= 0
    assert_identical(power(x[ok], y[ok]), quiet(np.power, x[ok], y[ok]), x[ok], y[ok])
    if dtype in SIGNED:
        base = np.array([2, 1, -1, -1, 0, 3, -2], dtype=dtype)
        exp = np.array([-1, -5, -3, -2, -1, -64, -7], dtype=dtype)
        assert power(base, exp).tolist() == [0, 1, -1, 1, 0, 0, 0]


# --- floats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_division_floor_division_remainder(dtype):
    """NumPy's npy_divmod: x // 0.0 is x / 0.0, x % 0.0 is NaN, signed zeros as NumPy, the
    remainder has the divisor's sign."""
    x, y = pairs(dtype)
    assert_identical(quiet(truediv, x, y), quiet(np.true_divide, x, y), x, y)
    assert_identical(quiet(floordiv, x, y), quiet(np.floor_divide, x, y), x, y)
    assert_identical(quiet(mod, x, y), quiet(np.remainder, x, y), x, y)
    q, r = quiet(divmod_, x, y)
    eq, er = quiet(np.divmod, x, y)
    assert_identical(q, eq, x, y)
    assert_identical(r, er, x, y)


@pytest.mark.parametrize("dtype", FLOATS)
def test_float_arithmetic_is_ieee(dtype):
    x, y = pairs(dtype)
    for kernel, ufunc in ((add, np.add), (sub, np.subtract), (mul, np.multiply)):
        assert_identical(quiet(kernel, x, y), quiet(ufunc, x, y), x, y)
    v = edge_values(dtype)
    assert_identical(neg(v), np.negative(v), v)
    assert_identical(absolute(v), np.absolute(v), v)


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_in_numpy_maximum_and_python_max(dtype):
    """np.maximum/np.minimum propagate NaN, np.fmax/np.fmin ignore it; Python's max/min keep
    the first argument unless a later one compares greater (less), so NaN wins only first."""
    x, y = pairs(dtype)
    zeros = (x == 0) & (y == 0)  # NumPy's choice between 0.0 and -0.0 depends on its loop
    for kernel, ufunc in ((np_maximum, np.maximum), (np_minimum, np.minimum),
                          (np_fmax, np.fmax), (np_fmin, np.fmin)):
        got = quiet(kernel, x, y)
        assert_identical(got[~zeros], ufunc(x, y)[~zeros], x[~zeros], y[~zeros])
        assert (got[zeros] == 0).all()
    expected_max = np.array([b if b > a else a for a, b in zip(x, y)], dtype=dtype)
    expected_min = np.array([b if b < a else a for a, b in zip(x, y)], dtype=dtype)
    assert_identical(quiet(py_max, x, y), expected_max, x, y)
    assert_identical(quiet(py_min, x, y), expected_min, x, y)
    nan, one = np.array([np.nan], dtype=dtype), np.array([1.0], dtype=dtype)
    assert np.isnan(quiet(py_max, nan, one)[0]) and quiet(py_max, one, nan)[0] == 1.0
    assert quiet(py_max3, one, nan, nan)[0] == 1.0
    z, nz = np.array([0.0], dtype=dtype), np.array([-0.0], dtype=dtype)
    assert not np.signbit(py_max(z, nz)[0]) and np.signbit(py_max(nz, z)[0])


@lj.vectorize
def signed_zero_ops(x):
    return (-x, x - x, x + x, x * -1.0, 0.0 - x, abs(x), np.sign(x), np.floor(x), np.ceil(x),
            np.trunc(x), np.rint(x), round(x, 0), np.copysign(1.0, x), x % -1.0, x // 1.0)


@pytest.mark.parametrize("dtype", FLOATS)
def test_signed_zeros(dtype):
    x = np.array([0.0, -0.0, 0.4, -0.4, 0.5, -0.5, -1.0, 1.0, np.inf, -np.inf, np.nan],
                 dtype=dtype)
    got = quiet(signed_zero_ops, x)
    expected = quiet(lambda v: (-v, v - v, v + v, v * -1.0, 0.0 - v, np.abs(v), np.sign(v),
                                np.floor(v), np.ceil(v), np.trunc(v), np.rint(v),
                                np.round(v, 0), np.copysign(1.0, v), v % -1.0, v // 1.0), x)
    for g, e in zip(got, expected):
        assert_identical(g, e.astype(dtype), x)


@lj.vectorize
def round_half_even(x):
    return round(x), round(x, 0), round(x, 1), round(x, -1)


@pytest.mark.parametrize("dtype", FLOATS)
def test_round_half_even(dtype):
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.25, 0.35, -0.25, 15.0, 25.0, 35.0, -25.0,
                  2.675, 1e10 + 0.5, 0.49999997], dtype=dtype)
    r0, r1, r2, r3 = round_half_even(x)
    assert r0.dtype == np.int64  # Python's round(x) is an int
    assert r0.tolist() == [round(float(v)) for v in x]
    assert_identical(r1, np.round(x, 0), x)
    assert_identical(r2, np.round(x, 1), x)
    assert_identical(r3, np.round(x, -1), x)


@pytest.mark.parametrize("dtype", INTS)
def test_round_integers(dtype):
    """np.round of an integer to tens is exact and wraps around at the extremes."""
    x = edge_values(dtype)
    big = [15, 25, 35, 45, 125, 1234565, 2**31 - 15, 2**62 + 15, 2**62 + 25, 2**63 + 1235]
    info = np.iinfo(dtype)
    x = np.concatenate([x, np.array([v for v in big if info.min <= v <= info.max], dtype)])
    if dtype in SIGNED:
        x = np.concatenate([x, -x[x > info.min + 100]])
    r0, r1, r2, r3 = quiet(round_half_even, x)
    assert r0.dtype == np.int64 and r0.tolist() == x.astype(np.int64).tolist()
    assert_identical(r1, np.round(x, 0), x)
    assert_identical(r2, np.round(x, 1), x)
    assert_identical(r3, quiet(np.round, x, -1), x)


@lj.vectorize
def truncate(x):
    return int(x)


@pytest.mark.parametrize("dtype", FLOATS)
def test_int_truncates_toward_zero(dtype):
    x = np.array([2.7, -2.7, 0.5, -0.5, -0.0, 1e9 + 0.5, -1e9 - 0.5, 2.0 ** 52, 255.99],
                 dtype=dtype)
    got = truncate(x)
    assert got.dtype == np.int64
    assert got.tolist() == [int(float(v)) for v in x]


def test_float_to_int_saturates():
    """Out-of-range conversions saturate and NaN gives 0 (NumPy's result is undefined
    there)."""
    big = np.array([np.nan, np.inf, -np.inf, 1e300, -1e300, 300.0, -300.0, 127.9, -128.9])
    assert quiet(truncate, big).tolist() == [0, 2**63 - 1, -2**63, 2**63 - 1, -2**63, 300,
                                             -300, 127, -128]
    to_int8 = lj.vectorize(["int8(float64)"])(lambda x: x)
    assert quiet(to_int8, big).tolist() == [0, 127, -128, 127, -128, 127, -128, 127, -128]
    to_uint8 = lj.vectorize(["uint8(float64)"])(lambda x: x)
    assert quiet(to_uint8, big).tolist() == [0, 255, 0, 255, 0, 255, 0, 127, 0]


@lj.vectorize
def less(x, y):
    return x < y


@lj.vectorize
def less_equal(x, y):
    return x <= y


@lj.vectorize
def greater(x, y):
    return x > y


@lj.vectorize
def if_greater(x, y):
    return x if x > y else y


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kernel, ufunc", [
    (less, np.less), (less_equal, np.less_equal), (greater, np.greater),
    (np_maximum, np.maximum), (np_minimum, np.minimum), (np_fmax, np.fmax),
    (np_fmin, np.fmin), (py_max, np.fmax), (py_min, np.fmin), (if_greater, np.fmax),
], ids=lambda v: getattr(v, "__name__", None))
def test_nan_comparisons_raise_no_floating_point_error(kernel, ufunc, dtype):
    """NumPy compares NaN quietly (no "invalid value" warning, no FloatingPointError under
    np.errstate(invalid="raise")); so must kernels, in the vector loop and the remainder."""
    for n in (1, 3, 100):
        x = np.resize(np.array([np.nan, 1.0, 2.0, np.nan], dtype=dtype), n)
        y = np.resize(np.array([1.0, np.nan, 2.0, np.nan], dtype=dtype), n)
        with np.errstate(all="raise"):
            ufunc(x, y)
            kernel(x, y)


@lj.vectorize
def float16_ops(x, y):
    return x + y, x * y, x / y, x - y * 2


def test_float16_computes_in_float32_and_rounds():
    x, y = quiet(lambda: [a.astype(np.float16) for a in pairs("float32")])
    for g, e in zip(quiet(float16_ops, x, y), quiet(lambda a, b: (a + b, a * b, a / b,
                                                                   a - b * 2), x, y)):
        assert_identical(g, e, x, y)


@lj.vectorize(["bool(float16)"])
def float16_in_open_interval(x):
    return 0 < x < math.exp(math.log(10.0))


def test_float16_chained_compare_in_vector_loop():
    """Every float16 value through a chained compare whose bound comes out of a call (which makes
    LLVM spill and reload x): on CPUs with AVX512-FP16, LLVM 19 swapped the operands of such a
    vector compare. Exact answers for all 65536 bit patterns, NaNs included."""
    x = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    limit = np.float16(math.exp(math.log(10.0)))
    with np.errstate(invalid="ignore"):
        expected = (x > 0) & (x < limit)
    np.testing.assert_array_equal(float16_in_open_interval(x), expected)


# --- complex ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_division(dtype):
    """Smith's algorithm as NumPy implements it: zero divisors give inf/nan parts."""
    x, y = pairs(dtype)
    assert_identical(quiet(truediv, x, y), quiet(np.true_divide, x, y), x, y)
    assert_identical(quiet(add, x, y), quiet(np.add, x, y), x, y)
    assert_identical(quiet(sub, x, y), quiet(np.subtract, x, y), x, y)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_abs(dtype):
    """abs(z) is hypot(re, im): NumPy's (glibc's) is correctly rounded; a kernel may be 1 ULP
    off, but infinities, NaNs, zeros, and the extremes (no overflow) are exact."""
    z = edge_values(dtype)
    got = quiet(absolute, z)
    expected = quiet(np.absolute, z)
    assert got.dtype == expected.dtype == np.dtype(f"f{np.dtype(dtype).itemsize // 2}")
    special = ~np.isfinite(expected) | (expected == 0) | (z.real == 0) | (z.imag == 0)
    assert_identical(got[special], expected[special], z[special])
    ulps = np.abs(got.view(f"i{got.itemsize}").astype(np.int64)
                  - expected.view(f"i{got.itemsize}").astype(np.int64))
    assert ulps.max() <= 1, f"{ulps.max()} ULP for {z[ulps.argmax()]}"


@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_integer_powers(dtype):
    """Small integer exponents are repeated multiplication in NumPy's order."""
    cube = lj.vectorize(lambda z: (z ** 2, z ** 3, z ** -1, z ** 0))
    z = np.array([1 + 2j, -1.5 + 0.5j, 3 - 4j, 1e-3 + 1e3j, 0j, 2.0], dtype=dtype)
    for g, n in zip(quiet(cube, z), (2, 3, -1, 0)):
        assert_identical(g, quiet(np.power, z, np.array(n, dtype=dtype)), z)


# --- NEP 50 promotion ------------------------------------------------------------------------


@lj.vectorize
def times_two_float(x):
    return 2.0 * x


@lj.vectorize
def plus_one(x):
    return x + 1


@lj.vectorize
def plus_half(x):
    return x + 1.5


@lj.vectorize
def times_1j(x):
    return x * 1j


@lj.vectorize
def halve(x):
    return x / 2


@lj.vectorize
def floor_halve(x):
    return x // 2


@lj.vectorize
def square(x):
    return x ** 2


@lj.vectorize
def by_math_constant(x):
    return x * math.sqrt(2.0)


@lj.vectorize
def np_sqrt(x):
    return np.sqrt(x)


NEP50_UNARY = [times_two_float, plus_one, plus_half, times_1j, halve, floor_halve, square,
               by_math_constant, np_sqrt]
NEP50_DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "int64", "uint64",
                "float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", NEP50_DTYPES)
@pytest.mark.parametrize("kernel", NEP50_UNARY, ids=lambda k: k.__name__)
def test_weak_python_literals(kernel, dtype):
    """A Python number takes the other operand's type (`2.0 * float32` is float32, `int8 + 1`
    int8); the kernel's result dtype is the dtype NumPy gives for the same expression."""
    x = np.array([0, 1, 2, 3, 5], dtype=dtype)
    func = kernel.__wrapped__
    try:  # NumPy scalars: `array ** 2` would be np.square(array), and bool squares to int8
        expected = np.array([quiet(func, v) for v in x])
    except TypeError:  # NumPy refuses the operation for this dtype
        with pytest.raises(lj.LoopjitError):
            kernel(x)
        return
    assert_identical(quiet(kernel, x), expected, x)


MIXED = [("int8", "uint8"), ("int16", "float32"), ("int32", "float32"), ("int64", "uint64"),
         ("uint8", "int64"), ("float16", "int8"), ("complex64", "float64"), ("bool", "int8"),
         ("bool", "float16"), ("uint32", "int32"), ("float32", "complex64"), ("bool", "bool"),
         ("uint16", "float16"), ("int64", "float32")]


@pytest.mark.parametrize("dx, dy", MIXED)
def test_two_dtypes_promote_as_result_type(dx, dy):
    """int8 + uint8 -> int16, int64 + uint64 -> float64, ...: np.result_type, both orders."""
    x = np.array([0, 1, 2, 3], dtype=dx)
    y = np.array([1, 1, 3, 0], dtype=dy)
    for a, b in ((x, y), (y, x)):
        got = add(a, b)
        assert got.dtype == np.result_type(a.dtype, b.dtype)
        assert_identical(got, a + b, a, b)


@lj.vectorize
def mixed_weak(x):
    return (x + 1) * 2.5, x * 2 + 1, -x + 3, (x != 2) + 1, x * 1j + 1


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "float32", "complex64"])
def test_weak_literal_chains(dtype):
    x = np.array([0, 1, 3], dtype=dtype)
    func = mixed_weak.__wrapped__
    try:
        expected = quiet(func, x)
    except TypeError:  # NumPy refuses -bool; so does the kernel
        with pytest.raises(lj.TypingError, match="bool"):
            mixed_weak(x)
        return
    for g, e in zip(quiet(mixed_weak, x), expected):
        assert g.dtype == e.dtype
        assert_identical(g, e, x)


@lj.vectorize
def clip_first(x, y):
    return np.clip(x, 7, y)


@lj.vectorize
def clip_last(x, y):
    return np.clip(y, x, 7)


@lj.vectorize
def where_literal(x, y):
    return np.where(x, 7, y)


@lj.vectorize
def where_float_literal(x, y):
    return np.where(x, y, 2.5)


@pytest.mark.parametrize("dx, dy", [("bool", "int8"), ("bool", "uint16"), ("int8", "int16"),
                                    ("bool", "float32"), ("uint8", "int8")])
@pytest.mark.parametrize("kernel", [clip_first, clip_last, where_literal, where_float_literal],
                         ids=lambda k: k.__name__)
def test_promotion_of_several_operands_ignores_their_order(kernel, dx, dy):
    """NEP 50 with three operands: the dtypes promote together, then the Python number joins
    (np.clip(bool, 7, int8) is int8, not int64)."""
    x, y = np.array([0, 1, 1], dtype=dx), np.array([3, 9, 5], dtype=dy)
    expected = np.array([_as_scalar(kernel.__wrapped__(a, b)) for a, b in zip(x, y)])
    assert_identical(quiet(kernel, x, y), expected, x, y)


def test_clip_accepts_python_int_bounds_outside_the_dtype():
    """np.clip(uint8, -1, 300) is valid NumPy: bounds beyond the dtype clip nothing."""
    k = lj.vectorize(lambda x: np.clip(x, -1, 300))
    x = np.array([0, 7, 255], dtype=np.uint8)
    assert_identical(k(x), np.clip(x, -1, 300), x)


def test_python_scalar_arguments_are_weak():
    x8 = np.array([1, 2, 3], dtype=np.int8)
    f32 = np.array([1.5, 2.5], dtype=np.float32)
    assert add(x8, 1).dtype == np.int8
    assert add(f32, 2.0).dtype == np.float32
    assert add(x8, 2.5).dtype == np.float64
    assert add(f32, 1j).dtype == np.complex64
    assert add(np.float32(1.5), 2).dtype == np.float32


def test_literal_that_does_not_fit_is_an_error():
    """np.uint8(1) + 300 raises OverflowError in NumPy; a kernel does not compile."""
    k = lj.vectorize(lambda x: x + 300)
    with pytest.raises(lj.TypingError, match="Python integer 300 out of bounds for uint8"):
        k(np.array([1], dtype=np.uint8))
    assert k(np.array([1], dtype=np.int16))[0] == 301


@lj.vectorize
def compare_literals(x):
    return x < -1, x > -1, x == 300, x != 300, x >= 300, x <= -129


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint64"])
def test_comparison_with_out_of_range_literals_is_by_value(dtype):
    x = edge_values(dtype)
    expected = quiet(compare_literals.__wrapped__, x)
    for g, e in zip(quiet(compare_literals, x), expected):
        assert_identical(g, e, x)


@lj.vectorize
def compare_runtime_python_int(x):
    n = int(x % 1000.0) - 1  # a Python int known only at run time: -1 for x == 0
    return n < x, n <= x, n == x, n > x


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "uint32", "uint64"])
def test_comparison_with_python_int_values_is_by_value(dtype):
    """Python ints compare with unsigned values by value also when computed at run time."""
    x = np.array([0, 1, 5, 200], dtype=dtype)
    expected = quiet(lambda v: tuple(np.array(e) for e in zip(
        *[compare_runtime_python_int.__wrapped__(e) for e in v])), x)
    for g, e in zip(compare_runtime_python_int(x), expected):
        assert_identical(g, e.astype(bool), x)


@lj.vectorize
def compare_all(x, y):
    return x < y, x <= y, x == y, x != y, x > y, x >= y


@pytest.mark.parametrize("dx, dy", [("int64", "uint64"), ("int32", "uint64"),
                                    ("int8", "uint64"), ("int64", "uint32"),
                                    ("float32", "int64"), ("float64", "uint64")])
def test_mixed_sign_comparisons_are_exact(dx, dy):
    """NumPy compares int64 with uint64 exactly (not through float64)."""
    near = [0, 1, -1, 2**53, 2**53 + 1, 2**62, 2**63 - 2, 2**63 - 1, 2**63, 2**63 + 1,
            2**64 - 1, -2**63, 0.5, 2.0**63, 2.0**64]

    def values(dtype):
        ok = [v for v in near if np.can_cast(np.min_scalar_type(v), dtype, "same_kind")
              and (np.dtype(dtype).kind == "f" or (isinstance(v, int)
                   and np.iinfo(dtype).min <= v <= np.iinfo(dtype).max))]
        return np.concatenate([edge_values(dtype), np.array(ok, dtype=dtype)])

    x, y = (g.ravel() for g in np.meshgrid(values(dx), values(dy)))
    got = quiet(compare_all, x, y)
    for g, ufunc in zip(got, (np.less, np.less_equal, np.equal, np.not_equal, np.greater,
                              np.greater_equal)):
        assert_identical(g, ufunc(x, y), x, y)


# --- bool, truth, and/or ---------------------------------------------------------------------


@lj.vectorize
def bool_ops(x, y):
    return x + y, x * y, x // y, x % y, x ** y, x & y, x | y, x ^ y, ~x, x < y


def test_bool_arithmetic():
    """bool + is logical or, * logical and, // % ** compute in int8, ~ is logical not."""
    x, y = pairs("bool")
    expected = quiet(lambda a, b: (a + b, a * b, a // b, a % b, a ** b, a & b, a | b, a ^ b, ~a,
                                   a < b), x, y)
    for g, e in zip(quiet(bool_ops, x, y), expected):
        assert_identical(g, e, x, y)


@lj.vectorize
def truth(x):
    return (1 if x else 0), (not x), bool(x)


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint64", "float32", "float64",
                                   "complex64", "complex128"])
def test_truth_values(dtype):
    """Nonzero is true, NaN is true, a complex number is true when either part is nonzero."""
    x = edge_values(dtype)
    a, b, c = quiet(truth, x)
    expected = np.array([bool(v) for v in x])
    assert a.tolist() == expected.astype(int).tolist()
    assert_identical(b, ~expected, x)
    assert_identical(c, expected, x)


@lj.vectorize
def value_or(x, y):
    return x or y, x and y


@pytest.mark.parametrize("dx, dy", [("int8", "float32"), ("float64", "float64"),
                                    ("uint8", "int8"), ("complex64", "float32")])
def test_and_or_return_a_value_in_the_common_type(dx, dy):
    x, y = pairs(dx, dy)
    common = np.result_type(x.dtype, y.dtype)
    got_or, got_and = quiet(value_or, x, y)
    assert_identical(got_or, np.array([a or b for a, b in zip(x, y)]).astype(common), x, y)
    assert_identical(got_and, np.array([a and b for a, b in zip(x, y)]).astype(common), x, y)


@lj.vectorize
def chained(x, y, z):
    return x < y < z, x == y != z, x <= y > z


def test_chained_comparisons():
    v = np.array([0.0, 1.0, np.nan, -1.0])
    x, y, z = (g.ravel() for g in np.meshgrid(v, v, v))
    got = quiet(chained, x, y, z)
    expected = ((x < y) & (y < z), (x == y) & (y != z), (x <= y) & (y > z))
    for g, e in zip(got, expected):
        assert_identical(g, e, x, y, z)


@pytest.mark.parametrize("dtype", INTS + ["bool"])
def test_true_division_of_integers_is_float64(dtype):
    x, y = pairs(dtype)
    got = quiet(truediv, x, y)
    assert got.dtype == np.float64
    assert_identical(got, quiet(np.true_divide, x, y), x, y)


# --- loops -----------------------------------------------------------------------------------


@lj.vectorize
def trip_count(start, stop, step):
    n = 0
    for _ in range(start, stop, step):
        n += 1
    return n


def test_range_trip_counts_are_exact():
    lo, hi = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    cases = [(0, 10, 3), (10, 0, -3), (5, 5, 1), (5, 4, 1), (-5, 5, 7), (3, 0, -1),
             (lo, lo + 5, 1), (hi - 5, hi, 2), (hi, hi - 7, -3), (lo, hi, 2**62),
             (hi, lo, -(2**62)), (lo, hi, hi), (hi, lo, lo)]
    start, stop, step = (np.array(c, dtype=np.int64) for c in zip(*cases))
    assert trip_count(start, stop, step).tolist() == [len(range(*c)) for c in cases]


def test_range_with_step_zero_runs_no_iterations():
    """Python raises ValueError; a ufunc loop cannot, so the loop does not run."""
    assert trip_count(np.array([0, 5]), np.array([10, 0]), np.array([0, 0])).tolist() == [0, 0]


@lj.vectorize
def unbound_local(x):
    if x > 0:
        y = x * 2
    return y


def test_variable_read_before_assignment_holds_zero():
    assert unbound_local(np.array([3.0, -1.0])).tolist() == [6.0, 0.0]
