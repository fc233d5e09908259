"""loopjit.ufuncs against NumPy: each drop-in has NumPy's attributes and loop table, gives
NumPy's output dtypes and values (bit for bit for exact operations, within 4 ULP of a
long-double reference for transcendental ones, NumPy's own NaN/infinity/signed-zero results on
special values), NumPy's floating-point warnings, out=/where=/reduce/accumulate, mixed and bad
inputs as NumPy, and pickles by name. test_accuracy_sweep prints the worst-ULP table
(pytest -s shows it)."""

import itertools
import pickle
import time

import numpy as np
import pytest

import loopjit.ufuncs as lnp

NAMES = lnp.__all__
LD, CLD = np.longdouble, np.clongdouble
SUPPORTED_CHARS = set("?bBhHiIlLefdFD")  # the type characters of the dtypes loopjit compiles

# Results that are transcendental functions of the inputs: rounded from a libm (or libmvec)
# approximation, so they are measured in ULP against a long-double reference rather than
# compared bit for bit. Everything else is exact in IEEE arithmetic and must equal NumPy.
TRANSCENDENTAL = {"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
                  "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "hypot",
                  "power", "logaddexp"}
# On complex numbers these are also computed through hypot or with fused rounding, where NumPy's
# build may use FMA instructions and loopjit does not: close, not identical.
COMPLEX_INEXACT = TRANSCENDENTAL | {"absolute", "sign", "sqrt", "multiply"}
# Composed of several roundings (max(x, y) + log1p(exp(-|x - y|))): near its zero the result
# cancels, so its error is measured in ULPs of the largest of |x|, |y| and |result|.
COMPOSITE = {"logaddexp"}
# NumPy's own signed zero from these depends on the code path (fmax(0.0, -0.0) is -0.0 for
# scalars and 0.0 for arrays): any zero is right.
ZERO_SIGN_FREE = {"maximum", "minimum", "fmax", "fmin"}
# glibc documents at most 4 ULP for its libmvec vector functions (and less for scalar libm).
MAX_ULP = 4
# float16 loops compute in float32 and round once: at most one float16 ULP from the exact value.
MAX_ULP_HALF = 1

assert np.finfo(LD).nmant >= 63, "the ULP reference needs an extended-precision np.longdouble"


def ufunc_pair(name):
    return getattr(lnp, name), getattr(np, name)


def loop_dtypes(typestr):
    ins, outs = typestr.split("->")
    return [np.dtype(c) for c in ins], [np.dtype(c) for c in outs]


# --- input values -----------------------------------------------------------------------------


def specials(dtype, name=None):
    """Values of one dtype at the edges: signed zeros, NaN, infinities, subnormals, the largest
    magnitudes, the overflow thresholds of exp/sinh, integer extremes."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.array([False, True])
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        vals = [0, 1, 2, 3, 7, 100, info.max, info.max - 1, info.min, info.min + 1]
        if dtype.kind == "i":
            vals += [-1, -2, -7, -100]
        return np.array(sorted(set(vals)), dtype=dtype)
    if dtype.kind == "f":
        fi = np.finfo(dtype)
        vals = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 0.1, 10.0, -10.0, np.pi, -np.pi / 2,
                100.0, -100.0, 1e4, 88.72, -103.9, 709.78, 710.5, -745.2, 1e-8, 1e30, -1e300,
                float(fi.eps), 1 - float(fi.epsneg), float(fi.tiny), -float(fi.tiny),
                float(fi.smallest_subnormal), -float(fi.smallest_subnormal),
                float(fi.tiny) / 3, float(fi.max), -float(fi.max), np.inf, -np.inf, np.nan]
        with np.errstate(all="ignore"):
            return np.array(vals).astype(dtype)
    fi = np.finfo(np.dtype(f"f{dtype.itemsize // 2}"))
    part = [0.0, -0.0, 1.0, -1.0, 0.5, -10.0, 88.72, float(fi.tiny), float(fi.smallest_subnormal),
            -float(fi.max), np.inf, -np.inf, np.nan]
    return np.array([complex(a, b) for a in part for b in part], dtype=dtype)


def loop_inputs(name, typestr):
    """The operands to check one loop on: specials, and for two inputs every pair of them."""
    ins, _ = loop_dtypes(typestr)
    vals = [specials(dt) for dt in ins]
    if name == "power" and ins[1].kind in "iu":
        vals[1] = vals[1][vals[1] >= 0]  # NumPy raises on negative integer powers
    if len(vals) == 1:
        return vals
    return [vals[0][:, None], vals[1][None, :]]


# --- comparisons ------------------------------------------------------------------------------


def same_values(got, want, zero_sign=True):
    """Bit-for-bit equality up to NaN payloads: signed zeros must match unless not zero_sign."""
    if got.dtype.kind == "c":
        return (same_values(got.real, want.real, zero_sign)
                & same_values(got.imag, want.imag, zero_sign))
    if got.dtype.kind == "f":
        both_nan = np.isnan(got) & np.isnan(want)
        sign_ok = (np.signbit(got) == np.signbit(want)) if zero_sign else True
        return both_nan | ((got == want) & sign_ok)
    return got == want


def ulp_of(mag, dtype):
    """The ULP of `dtype` at each exact magnitude (long double), subnormals included."""
    fi = np.finfo(dtype)
    _, e = np.frexp(np.asarray(mag, LD))
    return np.ldexp(LD(1), np.maximum(e - fi.nmant - 1, fi.minexp - fi.nmant).astype(np.int32))


def ulp_error(got, ref, dtype, scale=None):
    """|got - ref| in ULPs of the exact result `ref` (long double), or of `scale` where given;
    complex results normwise. NaN where the reference is NaN is 0, as is an infinity the exact
    result rounds to."""
    got = np.asarray(got)
    ref = np.asarray(ref)
    with np.errstate(all="ignore"):
        if scale is None:
            scale = np.abs(ref)
        if got.dtype.kind == "c":
            err = np.abs(got.astype(CLD) - ref) / ulp_of(scale, got.real.dtype)
            ok = np.isnan(got) & np.isnan(ref) | (same_values(got, ref.astype(got.dtype))
                                                  & ~np.isfinite(ref))
        else:
            err = np.abs(got.astype(LD) - ref) / ulp_of(scale, dtype)
            rounded = ref.astype(dtype)
            ok = (np.isnan(got) & np.isnan(ref)) | (np.isinf(got) & (got == rounded))
        err = np.where(ok, 0, err)
        return np.where(np.isnan(err), np.inf, err).astype(np.float64)


def reference(name, args):
    """The exact result, to extended precision: NumPy's function on long doubles, except where
    NumPy's complex algorithm cancels (log1p and expm1 near 0 compute log(1 + z), exp(z) - 1)."""
    wide = [a.astype(CLD if a.dtype.kind == "c" else LD) for a in args]
    with np.errstate(all="ignore"):
        ref = getattr(np, name)(*wide)
        if wide[0].dtype == CLD and name in ("log1p", "expm1"):
            z = wide[0]
            x, y = z.real, z.imag
            if name == "log1p":
                near = (1 + x) ** 2 + y * y
                re = np.where(near < 0.5, np.log(near) / 2, np.log1p(x * (2 + x) + y * y) / 2)
                exact = re + 1j * np.arctan2(y, 1 + x)
            else:
                exact = (np.expm1(x) * np.cos(y) - 2 * np.sin(y / 2) ** 2
                         + 1j * np.exp(x) * np.sin(y))
            ref = np.where(np.isfinite(z), exact, ref)
        return ref


def error_scale(name, args, ref):
    if name not in COMPOSITE:
        return None
    with np.errstate(all="ignore"):
        return np.maximum(np.abs(ref), np.maximum(*(np.abs(a.astype(LD)) for a in args)))


def check_against_numpy(name, typestr, args):
    """lnp.name(*args) against np.name(*args): same dtype; exact ops bit for bit. Inexact ones:
    NaN, infinities and zeros where NumPy and the exact result agree on one, and elsewhere
    within MAX_ULP of the exact result; complex ones within MAX_ULP or NumPy's own worst error
    on the same inputs, whichever is larger (NumPy's complex functions exceed 4 ULP)."""
    ours, theirs = ufunc_pair(name)
    with np.errstate(all="ignore"):
        got, want = ours(*args), theirs(*args)
    assert got.dtype == want.dtype, (name, typestr)
    ins, _ = loop_dtypes(typestr)
    kind = ins[0].kind
    inexact = name in (COMPLEX_INEXACT if kind == "c" else TRANSCENDENTAL)
    if kind not in "fc" or not inexact:
        bad = ~same_values(got, want, zero_sign=name not in ZERO_SIGN_FREE)
    else:
        ref = reference(name, args)
        dtype = want.real.dtype
        with np.errstate(all="ignore"):
            special = (~np.isfinite(want) | (want == 0)) & same_values(want, ref.astype(want.dtype))
        bound = MAX_ULP_HALF if ins[0] == np.float16 else MAX_ULP
        err = ulp_error(got, ref, dtype, error_scale(name, args, ref))
        if kind == "c":
            bound = max(bound, ulp_error(want, ref, dtype)[~special].max(initial=0))
        bad = np.where(special, ~same_values(got, want), err > bound)
    if bad.any():
        where = tuple(np.argwhere(bad)[0])
        ops = [np.broadcast_to(a, bad.shape)[where] for a in args]
        raise AssertionError(f"lnp.{name} loop {typestr}: {int(bad.sum())} of {bad.size} differ "
                             f"from NumPy, e.g. {name}{tuple(ops)} = {got[where]!r}, NumPy "
                             f"{want[where]!r}")


# --- attributes and loops ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_attributes_match_numpy(name):
    ours, theirs = ufunc_pair(name)
    assert isinstance(ours, np.ufunc)
    assert ours.__name__ == name  # (np.true_divide is np.divide, named 'divide')
    assert (ours.nin, ours.nout, ours.nargs) == (theirs.nin, theirs.nout, theirs.nargs)
    assert ours.identity == theirs.identity or (ours.identity is theirs.identity is None)
    assert ours.signature is None
    expected = {t for t in theirs.types if set(t) - {"-", ">"} <= SUPPORTED_CHARS}
    assert set(ours.types) == expected


def test_names_cover_the_numeric_ufuncs():
    assert len(NAMES) == len(set(NAMES)) >= 40
    assert all(isinstance(getattr(np, n), np.ufunc) for n in NAMES)
    with pytest.raises(AttributeError):
        lnp.not_a_ufunc  # noqa: B018


@pytest.mark.parametrize("name", NAMES)
def test_every_loop_matches_numpy_on_special_values(name):
    ours, _ = ufunc_pair(name)
    for typestr in ours.types:
        if name == "power" and typestr[0] in "FD":
            continue  # documented to differ: test_complex_power_as_documented
        check_against_numpy(name, typestr, loop_inputs(name, typestr))


@pytest.mark.parametrize("name", NAMES)
def test_random_values_in_every_loop(name):
    """Large random arrays (so the parallel path runs) in every loop."""
    ours, _ = ufunc_pair(name)
    rng = np.random.default_rng(sum(map(ord, name)))
    for typestr in ours.types:
        if name == "power" and typestr[0] in "FD":
            continue  # documented to differ: test_complex_power_as_documented
        ins, _ = loop_dtypes(typestr)
        args = []
        for i, dt in enumerate(ins):
            if dt.kind == "b":
                a = rng.integers(0, 2, 100_003).astype(bool)
            elif dt.kind in "iu":
                lo = 0 if (name == "power" and i == 1) or dt.kind == "u" else -50
                a = rng.integers(lo, 50, 100_003).astype(dt)
            elif dt.kind == "f":
                a = (rng.standard_normal(100_003) * 4).astype(dt)
            else:
                a = (rng.standard_normal(100_003) * 2 + 2j * rng.standard_normal(100_003))
                a = a.astype(dt)
            args.append(a)
        check_against_numpy(name, typestr, args)


# NumPy's complex absolute returns inf for |max + max*j| without the overflow flag that hypot
# (and np.hypot) raise; loopjit's reports it. Every other difference is a wrong warning.
ALLOWED_EXTRA_FLAGS = {("absolute", "F->f"): {"overflow"}, ("absolute", "D->d"): {"overflow"}}


def raised_flags(ufunc, args):
    seen = set()

    def record(kind, _flag):
        seen.add(kind)

    # (underflow is not compared: NumPy ignores it by default and its SIMD loops differ)
    with np.errstate(divide="call", over="call", invalid="call", under="ignore", call=record):
        ufunc(*args)
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_floating_point_warnings_match_numpy(name):
    """Each loop, on the special values, raises the same FP exceptions as NumPy's (divide by
    zero, overflow, invalid value), so np.errstate and RuntimeWarnings behave the same."""
    ours, theirs = ufunc_pair(name)
    diffs = []
    for typestr in ours.types:
        args = loop_inputs(name, typestr)
        got, want = raised_flags(ours, args), raised_flags(theirs, args)
        got -= ALLOWED_EXTRA_FLAGS.get((name, typestr), set()) - want
        if got != want:
            diffs.append(f"{typestr}: loopjit {sorted(got)}, NumPy {sorted(want)} "
                         f"(e.g. {flag_culprits(ours, theirs, args)})")
    assert not diffs, f"lnp.{name}: " + "; ".join(diffs)


def flag_culprits(ours, theirs, args):
    """Up to three input values on which the flags differ, each repeated 67 times so that the
    vectorized loop body and its scalar remainder both run."""
    shape = np.broadcast_shapes(*(a.shape for a in args))
    found = []
    for idx in np.ndindex(shape):
        one = [np.full(67, np.broadcast_to(a, shape)[idx]) for a in args]
        got, want = raised_flags(ours, one), raised_flags(theirs, one)
        if got != want:
            found.append(f"{tuple(a[0] for a in one)}: {sorted(got)} vs {sorted(want)}")
            if len(found) == 3:
                break
    return "; ".join(found) or "only in combination"


def test_complex_power_as_documented():
    """docs/semantics.md: a real integer exponent with |n| < 100 gives exactly NumPy's result;
    other exponents compute exp(w * log(z)): a few ULP, growing with |w * log(z)|."""
    rng = np.random.default_rng(5)
    for dtype in (np.complex64, np.complex128):
        z = (rng.standard_normal(20_000) + 1j * rng.standard_normal(20_000)).astype(dtype)
        n = rng.integers(-99, 100, 20_000).astype(dtype)
        with np.errstate(all="ignore"):
            got, want = lnp.power(z, n), np.power(z, n)
        assert same_values(got, want).all()
        w = (rng.uniform(-4, 4, 20_000) + 1j * rng.uniform(-4, 4, 20_000)).astype(dtype)
        ref = reference("power", [z, w])
        with np.errstate(all="ignore"):
            got = lnp.power(z, w)
            growth = np.abs(w.astype(CLD) * np.log(z.astype(CLD))).astype(np.float64)
        finite = np.isfinite(ref.astype(dtype))
        err = ulp_error(got, ref, got.real.dtype)
        assert (err[finite] <= 2 * MAX_ULP * (1 + growth[finite])).all()


# --- the ufunc API --------------------------------------------------------------------------


def first_float_loop(name):
    ours, _ = ufunc_pair(name)
    for pref in ("d", "f", "l"):
        for t in ours.types:
            if t.startswith(pref * ours.nin):
                return t
    return ours.types[0]


@pytest.mark.parametrize("name", NAMES)
def test_out_and_where(name):
    ours, theirs = ufunc_pair(name)
    typestr = first_float_loop(name)
    ins, outs = loop_dtypes(typestr)
    rng = np.random.default_rng(7)
    args = [(rng.uniform(0.1, 3, (300, 401)) * 10).astype(dt) for dt in ins]
    mask = rng.integers(0, 2, (300, 401)).astype(bool)
    with np.errstate(all="ignore"):
        for kwargs in ({}, {"where": mask}):
            got = np.full((300, 401), 7, dtype=outs[0])
            want = got.copy()
            r = ours(*args, out=got, **kwargs)
            theirs(*args, out=want, **kwargs)
            assert r is got
            assert close_to_numpy(name, got, want).all(), (name, kwargs)
            if kwargs:
                assert (got[~mask] == np.array(7, dtype=outs[0])).all()
        # a non-contiguous output view
        got = np.zeros((300, 802), dtype=outs[0])[:, ::2]
        ours(*args, out=got)
        assert close_to_numpy(name, got, theirs(*args)).all()


def close_to_numpy(name, got, want):
    if name not in TRANSCENDENTAL:
        return same_values(got, want, zero_sign=name not in ZERO_SIGN_FREE)
    return np.isclose(got, want, rtol=8 * np.finfo(got.dtype).eps, atol=0, equal_nan=True)


BINARY = [n for n in NAMES if getattr(np, n).nin == 2]
WITH_IDENTITY = [n for n in BINARY if getattr(np, n).identity is not None]


def left_fold(ufunc, a, axis):
    """accumulate as its definition: r[0] = a[0], r[k] = f(r[k-1], a[k]) along axis, each
    step one elementwise NumPy call."""
    a = np.moveaxis(a, axis, 0)
    out = [a[0]]
    for row in a[1:]:
        out.append(ufunc(out[-1], row))
    return np.moveaxis(np.stack(out), 0, axis)


@pytest.mark.parametrize("name", BINARY)
def test_reduce_and_accumulate(name):
    """Against the left fold of NumPy's elementwise function (NumPy's own add.reduce sums
    floats pairwise, and its reduce of non-reorderable functions along the last axis of a C
    array does not always follow the fold): exact ops bit for bit."""
    ours, theirs = ufunc_pair(name)
    rng = np.random.default_rng(3)
    for dt in {loop_dtypes(first_float_loop(name))[0][0], np.dtype(np.int64)}:
        if not any(t.startswith(dt.char * 2) for t in ours.types):
            continue
        if dt.kind == "f":
            a = rng.uniform(0.5, 1.5, (64, 301)).astype(dt)
        else:
            a = rng.integers(0 if name == "power" else -100, 5 if name == "power" else 100,
                             (64, 301)).astype(dt)
        with np.errstate(all="ignore"):
            for axis in (0, 1, -1):
                fold = left_fold(theirs, a, axis)
                last = np.take(fold, -1, axis=axis)
                for method, want in (("reduce", last), ("accumulate", fold)):
                    got = getattr(ours, method)(a, axis=axis)
                    assert got.dtype == getattr(theirs, method)(a, axis=axis).dtype
                    assert got.shape == want.shape
                    if name in TRANSCENDENTAL and dt.kind == "f":
                        ok = np.isclose(got, want, rtol=1e-9, atol=0)
                    else:
                        ok = same_values(got, want, zero_sign=name not in ZERO_SIGN_FREE)
                    assert ok.all(), (name, dt, method, axis)


@pytest.mark.parametrize("name", BINARY)
def test_reduce_over_several_axes_as_numpy(name):
    """NumPy's reorderable ufuncs (add, maximum, ...) reduce over several axes at once."""
    ours, theirs = ufunc_pair(name)
    a = np.arange(1.0, 7.0).reshape(2, 3) / 4
    try:
        want = theirs.reduce(a, axis=None)
    except ValueError as e:
        with pytest.raises(ValueError, match="reorderable"):
            ours.reduce(a, axis=None)
        assert "reorderable" in str(e)
        return
    np.testing.assert_allclose(ours.reduce(a, axis=None), want, rtol=1e-15)


@pytest.mark.parametrize("name", WITH_IDENTITY)
def test_reduce_of_empty_gives_the_identity(name):
    ours, theirs = ufunc_pair(name)
    for dt in (np.float64, np.float32):
        got = ours.reduce(np.zeros(0, dt))
        want = theirs.reduce(np.zeros(0, dt))
        assert got == want and np.asarray(got).dtype == np.asarray(want).dtype


def test_reduce_of_empty_without_identity_raises_as_numpy():
    with pytest.raises(ValueError):
        np.maximum.reduce(np.zeros(0))
    with pytest.raises(ValueError):
        lnp.maximum.reduce(np.zeros(0))


def test_reduce_of_integers_and_bools_is_exact():
    rng = np.random.default_rng(11)
    i = rng.integers(-1000, 1000, 200_000)
    assert lnp.add.reduce(i) == np.add.reduce(i)
    np.testing.assert_array_equal(lnp.add.accumulate(i), np.add.accumulate(i))
    np.testing.assert_array_equal(lnp.multiply.reduce(i.reshape(-1, 4) % 7, axis=1),
                                  np.multiply.reduce(i.reshape(-1, 4) % 7, axis=1))
    b = rng.integers(0, 2, 1000).astype(bool)
    assert lnp.add.reduce(b) == np.add.reduce(b)
    assert lnp.maximum.reduce(b) == np.maximum.reduce(b)


# --- mixed and bad inputs -------------------------------------------------------------------

MIXED = [
    (np.int8, np.float32), (np.int8, np.uint8), (np.int32, np.float32), (np.int64, np.uint64),
    (np.float16, np.int8), (np.float32, np.float64), (np.bool_, np.int16),
    (np.complex64, np.float64), (np.uint16, np.int16),
]
SCALARS = [2, 2.5, True, -3, 1.5j]


def mixed_operands(dt):
    return (np.arange(1, 13) % 5 + 1).astype(dt)


@pytest.mark.parametrize("name", NAMES)
def test_mixed_dtypes_and_python_scalars_resolve_as_numpy(name):
    ours, theirs = ufunc_pair(name)
    cases = []
    if ours.nin == 1:
        cases = [(mixed_operands(dt),) for dt in (np.int8, np.uint16, np.int32, np.bool_)]
        cases += [(3,), (2.5,), (np.float32(0.5),)]
    else:
        cases = [(mixed_operands(a), mixed_operands(b)) for a, b in MIXED]
        cases += [(mixed_operands(np.float32), s) for s in SCALARS]
        cases += [(s, mixed_operands(np.int8)) for s in SCALARS]
        cases += [(mixed_operands(np.uint8), 300)]  # NEP 50: out of range for uint8
    for args in cases:
        try:
            with np.errstate(all="ignore"):
                want = theirs(*args)
        except Exception as e:  # noqa: BLE001 - whatever NumPy raises, we must raise too
            with pytest.raises(type(e)):
                with np.errstate(all="ignore"):
                    ours(*args)
            continue
        with np.errstate(all="ignore"):
            got = ours(*args)
        want, got = np.asarray(want), np.asarray(got)
        assert got.dtype == want.dtype, (name, args)
        assert got.shape == want.shape
        close = np.isclose(got, want, rtol=8 * np.finfo(np.float16).eps, equal_nan=True)
        exact = same_values(got, want)
        ok = close if name in TRANSCENDENTAL or got.dtype.kind == "c" else exact
        assert np.all(ok), (name, args, got, want)


@pytest.mark.parametrize("dtype", [np.longlong, np.ulonglong])
def test_longlong_arrays_work_as_in_numpy(dtype):
    """np.longlong is a dtype of its own ('q') beside int64 ('l') on Linux; NumPy's ufuncs take
    it (np.array(..., dtype=np.longlong), data from C extensions)."""
    a = np.arange(1, 11, dtype=dtype)
    for name in ("add", "multiply", "maximum", "floor_divide", "absolute", "sqrt", "isnan"):
        ours, theirs = ufunc_pair(name)
        args = [a] * ours.nin
        want = theirs(*args)
        got = ours(*args)
        assert got.dtype == want.dtype, name
        assert same_values(got, want).all(), name


def test_strings_and_unsupported_dtypes_are_type_errors():
    for name in NAMES:
        ours, _ = ufunc_pair(name)
        args = [np.array(["a", "b"])] * ours.nin
        with pytest.raises(TypeError):
            ours(*args)
    with pytest.raises(TypeError):  # datetimes are not compiled (NumPy adds them)
        lnp.add(np.array(["2020-01-01"], dtype="M8[D]"), np.array([1], dtype="m8[D]"))


def test_bool_subtract_and_negative_refused_like_numpy():
    b = np.array([True, False])
    for ufunc in (np.subtract, lnp.subtract):
        with pytest.raises(TypeError, match="boolean subtract"):
            ufunc(b, b)
    for ufunc in (np.negative, lnp.negative):
        with pytest.raises(TypeError, match="boolean negative"):
            ufunc(b)


def test_pickles_to_the_same_object():
    for name in NAMES:
        ours, _ = ufunc_pair(name)
        assert pickle.loads(pickle.dumps(ours)) is ours


# --- accuracy sweep -------------------------------------------------------------------------

SWEEP_N = 1_000_000


def _random_finite(rng, dtype, n, positive=False):
    """Random bit patterns of finite values: every binade equally likely."""
    if dtype == np.float64:
        bits = rng.integers(0, 0x7FF0000000000000, n, dtype=np.uint64)
    else:
        bits = rng.integers(0, 0x7F800000, n, dtype=np.uint32)
    x = bits.view(dtype)
    return x if positive else np.where(rng.integers(0, 2, n).astype(bool), -x, x)


def _uniform(rng, lo, hi, n, dtype):
    return rng.uniform(lo, hi, n).astype(dtype)


def sweep_inputs(name, dtype, rng):
    """Inputs spread over each function's domain: a quarter random bit patterns (every
    exponent), the rest uniform over the range where results are finite and interesting."""
    f64 = dtype == np.float64
    n = SWEEP_N
    q = n // 4
    big = 709.7 if f64 else 88.7
    tiny = -745.1 if f64 else -103.9
    if name in ("exp", "expm1"):
        lo = tiny if name == "exp" else -40
        x = np.concatenate([_uniform(rng, lo, big, n - q, dtype),
                            _random_finite(rng, dtype, q)])
        return (np.clip(x, lo, big).astype(dtype),)
    if name == "exp2":
        lim = (-1074.0, 1023.9) if f64 else (-149.0, 127.9)
        x = np.concatenate([_uniform(rng, *lim, n - q, dtype), _random_finite(rng, dtype, q)])
        return (np.clip(x, *lim).astype(dtype),)
    if name in ("log", "log2", "log10"):
        return (np.concatenate([_uniform(rng, 0.5, 2.0, n // 2, dtype),
                                _random_finite(rng, dtype, n - n // 2, positive=True)]),)
    if name == "log1p":
        return (np.concatenate([_uniform(rng, -0.999, 1.0, n // 2, dtype),
                                _random_finite(rng, dtype, n - n // 2, positive=True)]),)
    if name in ("sin", "cos", "tan"):
        return (np.concatenate([_uniform(rng, -10, 10, n // 2, dtype),
                                _uniform(rng, -1e5, 1e5, q, dtype),
                                _random_finite(rng, dtype, n - n // 2 - q)]),)
    if name in ("arcsin", "arccos"):
        return (np.concatenate([_uniform(rng, -1, 1, n - q, dtype),
                                _random_finite(rng, dtype, q, positive=True) % 1]),)
    if name in ("arctan", "tanh"):
        return (np.concatenate([_uniform(rng, -20, 20, n - q, dtype),
                                _random_finite(rng, dtype, q)]),)
    if name in ("sinh", "cosh"):
        lim = 710.4 if f64 else 89.4
        x = np.concatenate([_uniform(rng, -lim, lim, n // 2, dtype),
                            _uniform(rng, -5, 5, n // 4, dtype),
                            _random_finite(rng, dtype, n - n // 2 - n // 4)])
        return (np.clip(x, -lim, lim).astype(dtype),)
    if name in ("arctan2", "hypot"):
        return (np.concatenate([_uniform(rng, -10, 10, n - q, dtype),
                                _random_finite(rng, dtype, q)]),
                np.concatenate([_uniform(rng, -10, 10, n - q, dtype),
                                _random_finite(rng, dtype, q)]))
    if name == "power":
        lo, hi, ey = (1e-10, 1e10, 30.0) if f64 else (1e-3, 1e3, 12.0)
        x = np.exp(rng.uniform(np.log(lo), np.log(hi), n)).astype(dtype)
        y = rng.uniform(-ey, ey, n).astype(dtype)
        neg = rng.integers(0, 4, n) == 0  # negative bases with integer exponents
        x = np.where(neg, -x, x).astype(dtype)
        y = np.where(neg, np.round(y), y).astype(dtype)
        return x, y
    if name == "logaddexp":
        lim = 800 if f64 else 100
        a = _uniform(rng, -lim, lim, n, dtype)
        b = np.where(rng.integers(0, 2, n).astype(bool), _uniform(rng, -lim, lim, n, dtype),
                     a + _uniform(rng, -40, 40, n, dtype)).astype(dtype)
        return a, b
    raise KeyError(name)


SWEPT = sorted(TRANSCENDENTAL)


def test_accuracy_sweep():
    """Worst ULP error of every transcendental drop-in, float32 and float64, over the special
    values and SWEEP_N random inputs spread over its domain, against np.longdouble; NumPy's
    own worst error on the same inputs for comparison. Prints the table. (logaddexp: ULPs of
    the largest of |x|, |y| and |result|, see COMPOSITE.)"""
    rng = np.random.default_rng(2024)
    start = time.perf_counter()
    rows, over = [], []
    for name, dtype in itertools.product(SWEPT, (np.float32, np.float64)):
        ours, theirs = ufunc_pair(name)
        args = sweep_inputs(name, dtype, rng)
        sp = specials(dtype)
        if ours.nin == 1:
            args = (np.concatenate([sp, args[0]]),)
        else:
            pairs = np.meshgrid(sp, sp)
            args = tuple(np.concatenate([p.ravel(), a]) for p, a in zip(pairs, args))
        ref = reference(name, args)
        with np.errstate(all="ignore"):
            got, want = ours(*args), theirs(*args)
        assert got.dtype == dtype
        scale = error_scale(name, args, ref)
        err, np_err = ulp_error(got, ref, dtype, scale), ulp_error(want, ref, dtype, scale)
        worst = int(np.argmax(err))
        at = ", ".join(repr(float(a[worst])) for a in args)
        rows.append((name, np.dtype(dtype).name, err[worst], np_err.max(), at))
        if err[worst] > MAX_ULP:
            over.append(f"{name} {np.dtype(dtype).name}: {err[worst]:.3g} ULP at ({at})")
    elapsed = time.perf_counter() - start
    print(f"\nworst ULP error, loopjit.ufuncs vs NumPy ({SWEEP_N} random inputs + specials "
          f"per function and dtype, {elapsed:.1f} s)")
    print(f"{'function':<10} {'dtype':<8} {'loopjit':>9} {'numpy':>9}  worst input")
    for name, dt, ours_worst, np_worst, at in rows:
        print(f"{name:<10} {dt:<8} {ours_worst:>9.3f} {np_worst:>9.3f}  ({at})")
    assert not over, "beyond the documented bound: " + "; ".join(over)


COMPLEX_SWEPT = ["exp", "log", "log10", "log2", "expm1", "log1p", "sqrt", "sin", "cos", "tan",
                 "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "absolute", "sign",
                 "reciprocal", "multiply", "true_divide", "square"]


def test_complex_accuracy_no_worse_than_numpy():
    """Complex functions, normwise: within MAX_ULP of the exact result, or no worse than NumPy
    (glibc's own complex functions exceed 4 ULP for some, e.g. ctan)."""
    rng = np.random.default_rng(99)
    bad = []
    for name, dtype in itertools.product(COMPLEX_SWEPT, (np.complex64, np.complex128)):
        ours, theirs = ufunc_pair(name)
        n = 100_000
        mag = np.exp(rng.uniform(-20, 4, n))
        z = (mag * np.exp(1j * rng.uniform(-np.pi, np.pi, n))).astype(dtype)
        args = (z,) if ours.nin == 1 else (z, z[::-1].copy())
        ref = reference(name, args)
        with np.errstate(all="ignore"):
            got, want = ours(*args), theirs(*args)
        finite = np.isfinite(ref) & np.isfinite(want)
        real = got.dtype.kind == "f"
        err = ulp_error(got, ref.real if real else ref, got.dtype)[finite]
        np_err = ulp_error(want, ref.real if real else ref, want.dtype)[finite]
        if err.max() > max(MAX_ULP, np_err.max()):
            i = int(np.argmax(err))
            bad.append(f"{name} {np.dtype(dtype).name}: {err.max():.3g} ULP (NumPy "
                       f"{np_err.max():.3g}) at {[a[finite][i] for a in args]}")
    assert not bad, "; ".join(bad)
