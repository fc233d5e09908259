"""@stencil against scipy.ndimage.correlate, NumPy slices of np.pad-extended arrays and the Python
interpreter running the same kernel at each point: the five border modes, 1-d to 3-d kernels,
every number dtype, memory layouts, arrays smaller than the neighborhood, inferred and declared
neighborhoods, several arrays, number arguments, standard_indexing weights, out=,
target='parallel' and compiling once per argument types. Every call goes through `run`, which
also checks that the inputs are left as they were."""

import time

import numpy as np
import pytest
import scipy.ndimage as ndi

import loopjit as lj
from loopjit import _core

MODES = ("constant", "nearest", "reflect", "mirror", "wrap")
# scipy.ndimage's border modes under np.pad's names (the two libraries swap reflect/mirror).
PAD = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "mirror": "reflect",
       "wrap": "wrap"}
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOATS = [np.float16, np.float32, np.float64]
COMPLEX = [np.complex64, np.complex128]
RNG = np.random.default_rng(2024)
# (mode, cval): constant with several cvals; the other modes ignore cval, given or not.
MODE_CVALS = [("constant", 0.0), ("constant", 1.5), ("constant", -3.25), ("nearest", 1.5),
              ("reflect", 0.0), ("mirror", 2.0), ("wrap", -1.0)]


def run(s, *args, **kwargs):
    """s(*args, **kwargs), checking that no argument array (other than out=) was modified."""
    before = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None for a in args]
    result = s(*args, **kwargs)
    out = kwargs.get("out")
    for a, b in zip(args, before):
        if b is not None and not (out is not None and np.may_share_memory(a, out)):
            np.testing.assert_array_equal(a, b, err_msg=f"{s.__name__} modified an input")
    return result


def correlate_weights(taps, ndim):
    """scipy.ndimage.correlate weights for {offset tuple: weight}: odd-sized, centered on 0."""
    r = max(abs(o) for off in taps for o in off)
    w = np.zeros((2 * r + 1,) * ndim)
    for off, v in taps.items():
        w[tuple(r + o for o in off)] += v
    return w


def extend(a, mode, cval, r):
    """`a` extended by r elements past both ends of every axis, as border mode `mode` says."""
    kw = {"constant_values": cval} if mode == "constant" else {}
    return np.pad(a, r, mode=PAD[mode], **kw)


def shifted(ext, r, off, shape):
    """The elements at offset `off` from every point of an array of `shape` extended by r."""
    return ext[tuple(slice(r + o, r + o + n) for o, n in zip(off, shape))]


def sliced(taps, a, mode, cval, dtype=None):
    """sum of weight * a[point + offset] over `taps` by NumPy slicing of the extended array."""
    r = max(abs(o) for off in taps for o in off)
    ext = extend(a, mode, cval, r).astype(dtype or a.dtype)
    total = np.zeros(a.shape, dtype or a.dtype)
    for off, v in taps.items():
        total = total + v * shifted(ext, r, off, a.shape)
    return total


class _Point:
    """An extended array read with indices relative to one point."""

    def __init__(self, ext, r, center):
        self.ext, self.r, self.center = ext, r, center

    def __getitem__(self, idx):
        idx = idx if isinstance(idx, tuple) else (idx,)
        return self.ext[tuple(self.r + c + i for c, i in zip(self.center, idx))]


def interpret(s, args, mode, cval, relative, r=6):
    """The Python interpreter running the kernel at every point of the first argument, the
    arrays at positions `relative` each extended past its own edges as `mode` says."""
    exts = {k: extend(np.asarray(args[k]), mode, cval, r) for k in relative}
    shape = np.shape(args[0])
    out = np.empty(shape, dtype=object)
    for c in np.ndindex(*shape):
        out[c] = s.__wrapped__(*[_Point(exts[k], r, c) if k in relative else a
                                 for k, a in enumerate(args)])
    return out


# Linear kernels, with their taps for the references.
def k1(a):
    return a[-2] - 3 * a[1] + 0.5 * a[0]


def k2(a):
    return 0.5 * a[-1, 0] + 2 * a[1, 1] - a[0, -1] + 0.25 * a[0, 0]


def k3(a):
    return (a[-1, 0, 0] + 2 * a[1, 0, 0] + 3 * a[0, -1, 1] + 4 * a[0, 1, -1] + 5 * a[0, 0, 2]
            + 6 * a[0, 0, 0])


TAPS = {
    k1: {(-2,): 1.0, (1,): -3.0, (0,): 0.5},
    k2: {(-1, 0): 0.5, (1, 1): 2.0, (0, -1): -1.0, (0, 0): 0.25},
    k3: {(-1, 0, 0): 1, (1, 0, 0): 2, (0, -1, 1): 3, (0, 1, -1): 4, (0, 0, 2): 5, (0, 0, 0): 6},
}
SHAPES = {
    k1: [(1,), (2,), (3,), (4,), (17,), (1000,)],
    k2: [(1, 1), (2, 1), (1, 5), (3, 2), (6, 7), (33, 40)],
    k3: [(1, 1, 1), (2, 1, 3), (3, 3, 3), (4, 5, 6), (9, 10, 11)],
}


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
@pytest.mark.parametrize("kernel", [k1, k2, k3], ids=["1d", "2d", "3d"])
def test_linear_kernels_match_scipy_correlate(kernel, mode, cval):
    s = lj.stencil(kernel, mode=mode, cval=cval)
    w = correlate_weights(TAPS[kernel], len(SHAPES[kernel][0]))
    for shape in SHAPES[kernel]:  # the smallest ones are all border
        a = RNG.standard_normal(shape)
        got = run(s, a)
        assert got.shape == shape and got.dtype == np.float64
        np.testing.assert_allclose(got, ndi.correlate(a, w, mode=mode, cval=cval),
                                   rtol=1e-13, atol=1e-13, err_msg=f"shape {shape}")
        np.testing.assert_allclose(got, sliced(TAPS[kernel], a, mode, cval), rtol=1e-13,
                                   atol=1e-13)
    assert len(s._loops) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_dtypes_keep_their_precision(dtype, mode):
    s = lj.stencil(k2, mode=mode, cval=1.5)
    a = RNG.standard_normal((9, 11)).astype(dtype)
    got = run(s, a)
    assert got.dtype == dtype  # float literals do not widen the kernel (NumPy 2's rules)
    want = ndi.correlate(a.astype(np.float64), correlate_weights(TAPS[k2], 2), mode=mode,
                         cval=1.5)
    rtol = {np.float16: 4e-3, np.float32: 1e-6, np.float64: 1e-14}[dtype]
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol, atol=rtol * 8)


def k_int(a):
    return a[-1, 0] + 2 * a[1, 0] - a[0, -1] + 3 * a[0, 1] + a[0, 0]


K_INT_TAPS = {(-1, 0): 1, (1, 0): 2, (0, -1): -1, (0, 1): 3, (0, 0): 1}


@pytest.mark.parametrize("mode,cval", [("constant", 0), ("constant", 7), ("nearest", 0),
                                       ("reflect", 0), ("mirror", 0), ("wrap", 0)])
def test_integer_dtypes_are_exact(mode, cval):
    s = lj.stencil(k_int, mode=mode, cval=cval)
    w = correlate_weights(K_INT_TAPS, 2)
    for dtype in INTS:
        for shape in [(1, 1), (2, 3), (8, 13)]:
            a = RNG.integers(0, 50, shape).astype(dtype)
            got = run(s, a)
            assert got.dtype == dtype
            wide = ndi.correlate(a.astype(np.int64), w, mode=mode, cval=cval)
            # Integer arithmetic wraps around in the array's dtype, as NumPy's does.
            np.testing.assert_array_equal(got, wide.astype(dtype), err_msg=f"{dtype} {shape}")
            np.testing.assert_array_equal(got, sliced(K_INT_TAPS, a, mode, cval, np.int64)
                                          .astype(dtype))
    assert len(s._loops) == len(INTS)


def jacobi(a):
    return 0.25 * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1])


JACOBI_TAPS = {(-1, 0): 0.25, (1, 0): 0.25, (0, -1): 0.25, (0, 1): 0.25}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_with_a_complex_cval(dtype, mode):
    s = lj.stencil(jacobi, mode=mode, cval=1 - 2j)
    a = (RNG.standard_normal((7, 6)) + 1j * RNG.standard_normal((7, 6))).astype(dtype)
    got = run(s, a)
    assert got.dtype == dtype
    rtol = 1e-6 if dtype == np.complex64 else 1e-14
    np.testing.assert_allclose(got, ndi.correlate(a.astype(np.complex128),
                                                  correlate_weights(JACOBI_TAPS, 2), mode=mode,
                                                  cval=1 - 2j), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(got, sliced(JACOBI_TAPS, a.astype(np.complex128), mode, 1 - 2j),
                               rtol=rtol, atol=rtol)


def test_constant_mode_pads_the_input_not_the_output():
    """scipy.ndimage's meaning (Numba's constant mode sets the border outputs to cval instead):
    on ones, a corner averages two padded zeros and two ones."""
    got = run(lj.stencil(jacobi), np.ones((4, 5)))
    want = np.ones((4, 5))
    want[[0, -1], :] = 0.75
    want[:, [0, -1]] = 0.75
    want[[0, 0, -1, -1], [0, -1, 0, -1]] = 0.5
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(run(lj.stencil(jacobi, cval=1.0), np.ones((4, 5))),
                                  np.ones((4, 5)))


def _views(base):
    return {
        "steps": base[::2, ::3],
        "negative": base[::-1, ::-2],
        "fortran": np.asfortranarray(base[:13, :17]),
        "transposed": base[:17, :13].T,
        "column": base[:, 5:6],
        "byteswapped": base[:9, :8].astype(base.dtype.newbyteorder()),
    }


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
def test_non_contiguous_inputs(mode, cval):
    s = lj.stencil(k2, mode=mode, cval=cval)
    w = correlate_weights(TAPS[k2], 2)
    for name, view in _views(RNG.standard_normal((26, 36))).items():
        got = run(s, view)
        contiguous = np.ascontiguousarray(view, dtype=np.float64)
        np.testing.assert_array_equal(got, run(s, contiguous), err_msg=name)
        np.testing.assert_allclose(got, ndi.correlate(contiguous, w, mode=mode, cval=cval),
                                   rtol=1e-13, atol=1e-13, err_msg=name)
    assert len(s._loops) == 1  # layouts are handled at run time


def ahead(a):
    return a[0, 2]


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
def test_asymmetric_neighborhood(mode, cval):
    s = lj.stencil(ahead, mode=mode, cval=cval)
    for shape in [(3, 4), (2, 1), (5, 2), (4, 9)]:
        a = RNG.standard_normal(shape)
        np.testing.assert_array_equal(run(s, a), shifted(extend(a, mode, cval, 2), 2, (0, 2),
                                                         shape))
    (loop,) = s._loops.values()
    assert (loop.lo, loop.hi) == ([0, 0], [0, 2])  # inferred from the constant indices


def constant_expressions(a):
    return a[-1 + 0, 1] + 2 * a[2 * 1 - 1, -(1)] - a[+0, 3 - 5] + a[(1 - 2) * 2, 0]


def test_constant_expressions_in_indices():
    taps = {(-1, 1): 1, (1, -1): 2, (0, -2): -1, (-2, 0): 1}
    for mode in MODES:
        s = lj.stencil(constant_expressions, mode=mode, cval=0.5)
        a = RNG.standard_normal((6, 5))
        np.testing.assert_allclose(run(s, a), sliced(taps, a, mode, 0.5), rtol=1e-14)
        (loop,) = s._loops.values()
        assert (loop.lo, loop.hi) == ([2, 2], [1, 1])


def box5(a):
    s = 0.0
    for k in range(-2, 3):
        s += a[k]
    return s / 5


def weighted(a, w):
    s = 0.0
    for i in range(-1, 2):
        for j in range(-2, 1):
            s += w[i + 1, j + 2] * a[i, j]
    return s


def loop3(a):
    s = 0.0
    for i in range(-1, 2):
        for j in range(0, 2):
            for k in range(-2, 1):
                s += (i + 2 * j + 3 * k) * a[i, j, k]
    return s


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
def test_index_variables_with_a_neighborhood(mode, cval):
    box = lj.stencil(box5, neighborhood=((-2, 2),), mode=mode, cval=cval)
    for n in (1, 2, 4, 50):
        x = RNG.standard_normal(n)
        np.testing.assert_allclose(run(box, x), ndi.correlate(x, np.full(5, 0.2), mode=mode,
                                                              cval=cval), rtol=1e-13, atol=1e-15)
    # Weights indexed normally; the reads reach rows -1..1 and columns -2..0.
    wt = lj.stencil(weighted, neighborhood=((-1, 1), (-2, 0)), standard_indexing="w", mode=mode,
                    cval=cval)
    w = RNG.standard_normal((3, 3))
    full = np.zeros((3, 5))
    full[:, :3] = w
    for shape in [(1, 1), (3, 2), (10, 12)]:
        a = RNG.standard_normal(shape)
        np.testing.assert_allclose(run(wt, a, w), ndi.correlate(a, full, mode=mode, cval=cval),
                                   rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(run(wt, a, np.asfortranarray(w)), run(wt, a, w), rtol=1e-15)
    l3 = lj.stencil(loop3, neighborhood=((-1, 1), (0, 1), (-2, 0)), mode=mode, cval=cval)
    w3 = np.zeros((3, 3, 5))
    for i, j, k in np.ndindex(3, 2, 3):
        w3[i, j + 1, k] = (i - 1) + 2 * j + 3 * (k - 2)
    a = RNG.standard_normal((4, 5, 6))
    np.testing.assert_allclose(run(l3, a), ndi.correlate(a, w3, mode=mode, cval=cval),
                               rtol=1e-12, atol=1e-12)


def test_a_declared_neighborhood_wider_than_the_reads_changes_nothing():
    for mode in MODES:
        wide = lj.stencil(jacobi, neighborhood=((-3, 2), (-1, 4)), mode=mode)
        a = RNG.standard_normal((9, 10))
        np.testing.assert_array_equal(run(wide, a), run(lj.stencil(jacobi, mode=mode), a))
        (loop,) = wide._loops.values()
        assert (loop.lo, loop.hi) == ([3, 1], [2, 4])


def standard_weights(a, w):
    s = 0.0
    for i in range(3):
        for j in range(3):
            s += w[i, j] * a[i - 1, j - 1]
    return s


@pytest.mark.parametrize("mode", MODES)
def test_standard_indexing_weights_match_correlate(mode):
    s = lj.stencil(standard_weights, neighborhood=((-1, 1), (-1, 1)),
                   standard_indexing=("w",), mode=mode, cval=0.75)
    a = RNG.standard_normal((12, 9))
    for w in [RNG.standard_normal((3, 3)), RNG.standard_normal((6, 6))[::2, ::-2]]:
        np.testing.assert_allclose(run(s, a, w), ndi.correlate(a, w, mode=mode, cval=0.75),
                                   rtol=1e-12, atol=1e-13)
    # a weights array larger than the neighborhood is fine: only its corner is read
    big = RNG.standard_normal((5, 5))
    np.testing.assert_allclose(run(s, a, big), ndi.correlate(a, big[:3, :3], mode=mode,
                                                             cval=0.75), rtol=1e-12, atol=1e-13)


def two_arrays(a, b):
    return a[0, 1] - 2 * b[1, 0] * a[-1, 0] + b[-1, -1]


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
def test_several_relative_arrays_each_extended_past_its_own_edges(mode, cval):
    s = lj.stencil(two_arrays, mode=mode, cval=cval)
    for sa, sb in [((6, 7), (6, 7)), ((6, 7), (8, 9)), ((1, 2), (3, 2)), ((5, 4), (5, 30))]:
        a, b = RNG.standard_normal(sa), RNG.standard_normal(sb)
        want = interpret(s, [a, b], mode, cval, relative=(0, 1)).astype(np.float64)
        assert run(s, a, b).shape == sa
        np.testing.assert_allclose(run(s, a, b), want, rtol=1e-13, atol=1e-13,
                                   err_msg=f"{sa} {sb}")


def test_relative_arrays_of_different_dtypes_promote():
    s = lj.stencil(two_arrays)
    a = RNG.standard_normal((5, 6)).astype(np.float32)
    b = RNG.integers(-9, 9, (5, 6)).astype(np.int16)
    got = run(s, a, b)
    assert got.dtype == np.float32
    want = interpret(s, [a.astype(np.float64), b.astype(np.float64)], "constant", 0, (0, 1))
    np.testing.assert_allclose(got, want.astype(np.float64), rtol=1e-5, atol=1e-5)


def conditional(a, b):
    if a[0, 0] > 0.5:
        return a[-1, 0] - b[0, 2]
    t = 0.0
    for k in range(-2, 1):
        t += b[k, 1] * a[0, k]
    return t


@pytest.mark.parametrize("mode,cval", MODE_CVALS)
def test_branches_and_loops_against_the_interpreter(mode, cval):
    s = lj.stencil(conditional, mode=mode, cval=cval, neighborhood=((-2, 0), (-2, 2)))
    for sa, sb in [((6, 7), (6, 7)), ((1, 2), (1, 3)), ((9, 3), (12, 3))]:
        a, b = RNG.random(sa), RNG.random(sb)
        want = interpret(s, [a, b], mode, cval, relative=(0, 1)).astype(np.float64)
        np.testing.assert_allclose(run(s, a, b), want, rtol=1e-13, atol=1e-13)


def scaled(a, k, f):
    return a[0, 1] * k + f


def test_number_arguments():
    s = lj.stencil(scaled, mode="wrap")
    a = RNG.standard_normal((4, 6))
    want = np.roll(a, -1, axis=1)
    np.testing.assert_allclose(run(s, a, 3, 0.5), want * 3 + 0.5, rtol=1e-15)
    np.testing.assert_allclose(run(s, a, -2, np.float32(1.25)), want * -2 + 1.25, rtol=1e-15)
    i = RNG.integers(-100, 100, (4, 6)).astype(np.int16)
    got = run(s, i, 3, 7)
    assert got.dtype == np.int64  # Python ints are passed as int64, as in Numba
    np.testing.assert_array_equal(got, np.roll(i, -1, axis=1).astype(np.int64) * 3 + 7)
    got = run(s, i, np.int16(3), np.int16(7))
    assert got.dtype == np.int16
    assert run(s, i, 2, 0.5).dtype == np.float64
    assert run(s, a.astype(np.float32), np.float32(2), np.float32(1)).dtype == np.float32
    # each combination of number types compiles once
    assert len(s._loops) == 6


def either(a):
    return a[-1] or a[1]


def test_bool_arrays():
    x = np.array([True, False, False, True, False])
    for cval, mode in [(0, "constant"), (1, "constant"), (0, "wrap"), (0, "reflect")]:
        ext = extend(x, mode, bool(cval), 1)
        got = run(lj.stencil(either, cval=cval, mode=mode), x)
        assert got.dtype == np.bool_
        np.testing.assert_array_equal(got, ext[:-2] | ext[2:])


def test_lists_and_empty_arrays():
    s = lj.stencil(k1)
    np.testing.assert_allclose(run(s, [1.0, 2.0, 3.0]), ndi.correlate(
        np.array([1.0, 2.0, 3.0]), correlate_weights(TAPS[k1], 1), mode="constant"))
    assert run(s, np.zeros(0)).shape == (0,)
    j = lj.stencil(jacobi)
    for shape in [(0, 3), (3, 0), (0, 0)]:
        got = run(j, np.zeros(shape, np.float32))
        assert got.shape == shape and got.dtype == np.float32


class TestOut:
    def test_out_is_filled_and_returned(self):
        s = lj.stencil(k2, mode="reflect")
        a = RNG.standard_normal((8, 9))
        want = run(s, a)
        for out in [np.empty((8, 9)), np.empty((8, 9), order="F"),
                    np.empty((16, 27))[::2, ::-3], np.empty((8, 9), ">f8")]:
            assert run(s, a, out=out) is out
            np.testing.assert_array_equal(out, want)
        assert len(s._loops) == 1

    @pytest.mark.parametrize("mode", MODES)
    def test_out_overlapping_an_input(self, mode):
        s = lj.stencil(two_arrays, mode=mode, cval=0.5)
        a, b = RNG.standard_normal((7, 8)), RNG.standard_normal((7, 8))
        want = run(s, a, b)
        for view in [lambda x: x, lambda x: x[::-1], lambda x: x[:, ::-1]]:
            for which in (0, 1):
                args = [a.copy(), b.copy()]
                out = view(args[which])
                assert run(s, *args, out=out) is out
                np.testing.assert_array_equal(out, want)
        # out shares memory with a larger second array
        big = RNG.standard_normal((9, 10))
        want = run(s, a, big)
        big2 = big.copy()
        out = big2[1:8, 2:]
        run(s, a, big2, out=out)
        np.testing.assert_array_equal(out, want)

    def test_out_of_another_dtype_is_cast_same_kind(self):
        s = lj.stencil(jacobi, mode="nearest")
        a = RNG.standard_normal((6, 7))
        want = run(s, a)
        out = np.empty((6, 7), np.float32)
        run(s, a, out=out)
        np.testing.assert_array_equal(out, want.astype(np.float32))
        out = np.empty((6, 7), np.complex128)
        run(s, a, out=out)
        np.testing.assert_array_equal(out, want)
        si = lj.stencil(k_int, mode="wrap")
        i = RNG.integers(0, 100, (6, 7))
        want = run(si, i)
        for dtype in (np.int8, np.int32, np.float64):
            out = np.empty((6, 7), dtype)
            run(si, i, out=out)
            np.testing.assert_array_equal(out, want.astype(dtype))  # int8 wraps around


@pytest.mark.parametrize("mode", MODES)
def test_parallel_is_bit_identical_to_serial(mode):
    a = RNG.standard_normal((1000, 1000))
    serial = lj.stencil(k2, mode=mode, cval=0.5)
    parallel = lj.stencil(k2, mode=mode, cval=0.5, target="parallel")
    want = run(serial, a)
    np.testing.assert_array_equal(run(parallel, a), want)
    out = np.empty_like(a)
    run(parallel, a, out=out)
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(run(parallel, a[::-1, ::2]), run(serial, a[::-1, ::2]))
    i = RNG.integers(-1000, 1000, (600, 700)).astype(np.int32)
    np.testing.assert_array_equal(run(lj.stencil(k_int, mode=mode, target="parallel"), i),
                                  run(lj.stencil(k_int, mode=mode), i))
    c = RNG.standard_normal((40, 50, 60))
    np.testing.assert_array_equal(run(lj.stencil(k3, mode=mode, target="parallel"), c),
                                  run(lj.stencil(k3, mode=mode), c))
    small = RNG.standard_normal((1, 3))
    np.testing.assert_array_equal(run(parallel, small), run(serial, small))


@lj.stencil(mode="wrap")
def life(b):
    n = (b[-1, -1] + b[-1, 0] + b[-1, 1] + b[0, -1] + b[0, 1] + b[1, -1] + b[1, 0] + b[1, 1])
    if n == 3 or (n == 2 and b[0, 0] == 1):
        return 1
    return 0


def numpy_life(b):
    n = sum(np.roll(b, (i, j), axis=(0, 1)) for i in (-1, 0, 1) for j in (-1, 0, 1)
            if (i, j) != (0, 0))
    return ((n == 3) | ((n == 2) & (b == 1))).astype(b.dtype)


def test_game_of_life_on_a_torus():
    board = np.zeros((20, 20), np.int8)
    board[[1, 2, 3, 3, 3], [2, 3, 1, 2, 3]] = 1  # a glider
    start, ref, cur = board.copy(), board.copy(), board.copy()
    nxt = np.empty_like(board)
    for generation in range(80):
        run(life, cur, out=nxt)
        cur, nxt = nxt, cur
        if generation < 50:
            ref = numpy_life(ref)
            np.testing.assert_array_equal(cur, ref, err_msg=f"generation {generation + 1}")
    # a glider moves one cell diagonally every 4 generations: after 80 it is back, on 20x20
    np.testing.assert_array_equal(cur, start)
    assert cur.sum() == 5
    assert run(life, start).dtype == np.int64  # the literals 1 and 0 are int64


def test_compiled_once_per_argument_types(monkeypatch):
    compiles = []
    real = _core.compile_stencil

    def counting(*args, **kwargs):
        compiles.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(_core, "compile_stencil", counting)
    s = lj.stencil(k2, mode="mirror")
    a = RNG.standard_normal((8, 8))
    t0 = time.perf_counter()
    first = run(s, a)
    first_seconds = time.perf_counter() - t0
    later = []
    for view in [a, a.copy(), a[::-1], np.asfortranarray(a), a[:3, :5]]:
        t0 = time.perf_counter()
        run(s, view)
        later.append(time.perf_counter() - t0)
    np.testing.assert_array_equal(run(s, a), first)
    assert len(compiles) == 1 and len(s._loops) == 1
    assert min(later) < first_seconds / 4  # a call costs its run time only
    run(s, a.astype(np.float32))
    assert len(compiles) == 2 and len(s._loops) == 2
