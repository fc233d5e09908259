"""Memory layouts: every kernel shape (1, 2 and 3 inputs, two outputs) on contiguous,
reversed, strided, Fortran-ordered, broadcast, 0-d, empty, byte-swapped and unaligned arrays,
with in-place and overlapping outputs, and reduce/accumulate along each axis, for every dtype.
The expected result is the kernel's own Python function applied to the arrays by NumPy. Values
are small integers, so every dtype computes them exactly."""

import numpy as np
import pytest

import loopjit as lj

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128"]


def one(x):
    return x * x + x


def two(x, y):
    return x * y + x


def three(x, y, z):
    return x * y + z


def pair(x, y):
    return x + y, x * y


def plus(x, y):
    return x + y


def _sigs(nin, nout=1):
    def sig(t):
        ret = t if nout == 1 else f"UniTuple({t}, {nout})"
        return f"{ret}({', '.join([t] * nin)})"

    return [sig(t) for t in DTYPES]


UFUNCS = {
    one: lj.vectorize(_sigs(1))(one),
    two: lj.vectorize(_sigs(2))(two),
    three: lj.vectorize(_sigs(3))(three),
    pair: lj.vectorize(_sigs(2, 2))(pair),
}
plus_ufunc = lj.vectorize(_sigs(2), identity=0)(plus)
two_ufunc = UFUNCS[two]


def values(shape, dtype, seed=0):
    """Small integers (0..4; 0..1 for bool), different for each seed."""
    n = int(np.prod(shape))
    v = (np.arange(n) * (seed * 2 + 3) + seed) % (2 if dtype == "bool" else 5)
    return v.astype(dtype).reshape(shape)


def swapped(a):
    """The same values in the other byte order."""
    return a.astype(a.dtype.newbyteorder())


def unaligned(a):
    """A copy of `a` at an odd address (NumPy copies such inputs into aligned buffers)."""
    buf = np.zeros(a.nbytes + 1, dtype=np.uint8)
    u = np.frombuffer(buf.data, dtype=a.dtype, count=a.size, offset=1).reshape(a.shape)
    u[...] = a
    return u


# Each layout makes the inputs of an n-input kernel from (dtype, n).
LAYOUTS = {
    "contiguous_1d": lambda t, n: [values((7,), t, k) for k in range(n)],
    "contiguous_3d": lambda t, n: [values((2, 3, 4), t, k) for k in range(n)],
    "negative_strides_1d": lambda t, n: [values((9,), t, k)[::-1] for k in range(n)],
    "negative_strides_2d": lambda t, n: [values((4, 6), t, k)[::-1, ::-2] for k in range(n)],
    "non_unit_strides": lambda t, n: [values((21,), t, k)[::3] for k in range(n)],
    "non_unit_strides_2d": lambda t, n: [values((5, 9), t, k)[1:, ::4] for k in range(n)],
    "fortran": lambda t, n: [np.asfortranarray(values((3, 4, 5), t, k)) for k in range(n)],
    "mixed_orders": lambda t, n: [
        values((4, 5), t, 0), np.asfortranarray(values((4, 5), t, 1)),
        values((5, 4), t, 2).T,
    ][:n],
    "row_times_column": lambda t, n: [
        values((1, 5), t, 0), values((4, 1), t, 1), values((5,), t, 2),
    ][:n],
    "stride_zero": lambda t, n: [np.broadcast_to(values((3,), t, k), (4, 3)) for k in range(n)],
    "scalar_and_array": lambda t, n: [values((), t, 1)[()]] + [values((6,), t, k)
                                                               for k in range(1, n)],
    "zero_dim": lambda t, n: [values((), t, k + 1) for k in range(n)],
    "zero_dim_and_array": lambda t, n: [values((), t, 1)] + [values((2, 3), t, k)
                                                             for k in range(1, n)],
    "empty_1d": lambda t, n: [values((0,), t, k) for k in range(n)],
    "empty_2d": lambda t, n: [values((3, 0), t, k) for k in range(n)],
    "empty_broadcast": lambda t, n: [values((0, 1), t, 0)] + [values((4,), t, k)
                                                              for k in range(1, n)],
    "byte_swapped": lambda t, n: [swapped(values((7,), t, k)) for k in range(n)],
    "unaligned": lambda t, n: [unaligned(values((7,), t, k)) for k in range(n)],
    "unaligned_strided": lambda t, n: [unaligned(values((8, 3), t, k))[::-2] for k in range(n)],
}


def assert_same(got, expected):
    """Same dtype, shape and bytes (so also signed zeros), scalars kept as scalars."""
    assert type(got) is type(expected) or (
        isinstance(got, np.ndarray) and isinstance(expected, np.ndarray))
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    assert np.ascontiguousarray(got).tobytes() == np.ascontiguousarray(expected).tobytes()


def _expected(func, args):
    """NumPy's result: the kernel's Python function on the arrays, in native byte order."""
    native = [a.astype(a.dtype.newbyteorder("=")) if isinstance(a, np.ndarray) else a
              for a in args]
    return func(*native)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_kernel_shapes_on_layouts(layout, dtype):
    for func, ufunc in UFUNCS.items():
        args = LAYOUTS[layout](dtype, ufunc.nin)
        before = [np.array(a, copy=True) for a in args]
        got = ufunc(*args)
        expected = _expected(func, args)
        if ufunc.nout == 1:
            assert_same(got, expected)
        else:
            assert len(got) == len(expected) == 2
            for g, e in zip(got, expected):
                assert_same(g, e)
        for a, b in zip(args, before):  # inputs unmodified
            assert_same(np.asarray(a), b)


lazy_two = lj.vectorize(two)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["byte_swapped", "unaligned", "zero_dim", "empty_2d",
                                    "row_times_column", "fortran", "scalar_and_array"])
def test_lazy_ufunc_on_layouts(layout, dtype):
    """A lazy ufunc compiles its loop from the dtypes NumPy hands it, byte-swapped ones
    included."""
    args = LAYOUTS[layout](dtype, 2)
    assert_same(lazy_two(*args), _expected(two, args))


@pytest.mark.parametrize("dtype", DTYPES)
def test_out_aliasing_an_input_exactly(dtype):
    """out= is one of the inputs: each element is read before it is written."""
    for func, ufunc in UFUNCS.items():
        args = [values((3, 4), dtype, k)[:, ::-1] for k in range(ufunc.nin)]
        expected = _expected(func, args)
        if ufunc.nout == 1:
            result = ufunc(*args, out=args[0])
            assert result is args[0]
            assert_same(args[0], expected)
        else:
            x, y = args
            result = ufunc(x, y, out=(y, x))
            assert result[0] is y and result[1] is x
            assert_same(y, expected[0])
            assert_same(x, expected[1])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shift", [1, -1, 2])
def test_partially_overlapping_out(dtype, shift):
    """out= overlaps an input at an offset: NumPy copies, so the result is as without
    aliasing."""
    for func, ufunc in UFUNCS.items():
        if ufunc.nout != 1:
            continue
        buf = values((12,), dtype, 3)
        others = [values((12 - abs(shift),), dtype, k) for k in range(1, ufunc.nin)]
        x = buf[:-abs(shift)] if shift > 0 else buf[abs(shift):]
        out = buf[abs(shift):] if shift > 0 else buf[:-abs(shift)]
        expected = _expected(func, [x.copy()] + others)
        result = ufunc(x, *others, out=out)
        assert result is out
        assert_same(out, expected)


@pytest.mark.parametrize("dtype", DTYPES)
def test_non_contiguous_and_byte_swapped_out(dtype):
    for func, ufunc in UFUNCS.items():
        args = [values((6,), dtype, k) for k in range(ufunc.nin)]
        expected = _expected(func, args)
        expected = expected if ufunc.nout == 2 else (expected,)
        outs = tuple(np.full(12, 1, dtype=dtype)[::-2] for _ in range(ufunc.nout))
        ufunc(*args, out=outs)
        for o, e in zip(outs, expected):
            assert_same(o, e)
        outs = tuple(np.zeros(6, dtype=np.dtype(dtype).newbyteorder())
                     for _ in range(ufunc.nout))
        ufunc(*args, out=outs)
        for o, e in zip(outs, expected):
            assert_same(o.astype(o.dtype.newbyteorder("=")), e)


@pytest.mark.parametrize("dtype", DTYPES)
def test_where_mask_leaves_other_elements(dtype):
    x, y = values((3, 5), dtype, 1), values((3, 5), dtype, 2)[::-1]
    mask = (np.arange(15).reshape(3, 5) % 3 == 0)[:, ::-1]
    out = np.full((3, 5), 1, dtype=dtype)
    two_ufunc(x, y, out=out, where=mask)
    expected = np.where(mask, two(x, y), np.ones((3, 5), dtype=dtype))
    assert_same(out, expected)


def _fold(func, a, axis):
    """reduce by definition: ((a0 op a1) op a2) ... along `axis`, and its running values."""
    parts = np.moveaxis(a, axis, 0)
    acc, running = parts[0], [parts[0]]
    for p in parts[1:]:
        acc = func(acc, p)
        running.append(acc)
    return acc, np.moveaxis(np.stack(running), 0, axis)


def _strided_3d(dtype):
    return values((4, 6, 10), dtype, 1)[:, ::-1, ::2].transpose(2, 0, 1)  # shape (5, 4, 6)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize("func, ufunc", [(plus, plus_ufunc), (two, two_ufunc)],
                         ids=["plus", "two"])
def test_reduce_and_accumulate_along_each_axis(dtype, axis, func, ufunc):
    a = _strided_3d(dtype)
    before = a.copy()
    total, running = _fold(func, a, axis)
    assert_same(ufunc.reduce(a, axis=axis), total)
    assert_same(ufunc.reduce(a, axis=axis, keepdims=True), np.expand_dims(total, axis))
    assert_same(ufunc.accumulate(a, axis=axis), running)
    out = np.zeros(running.shape, dtype=dtype)[::-1]
    ufunc.accumulate(a, axis=axis, out=out)
    assert_same(out, running)
    assert_same(a, before)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduce_over_several_axes_and_empty(dtype):
    """identity=0 makes the reduction reorderable: several axes and empty axes work."""
    a = _strided_3d(dtype)
    expected = _fold(plus, _fold(plus, a, 2)[0], 0)[0]
    assert_same(plus_ufunc.reduce(a, axis=(0, 2)), expected)
    flat = _fold(plus, a.reshape(-1), 0)[0]
    assert_same(plus_ufunc.reduce(a, axis=None), flat)
    empty = np.zeros((3, 0), dtype=dtype)
    assert_same(plus_ufunc.reduce(empty, axis=1), np.zeros(3, dtype=dtype))
    with pytest.raises(ValueError):  # no identity
        two_ufunc.reduce(empty, axis=1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reduceat_and_outer_on_strided_input(dtype):
    a = values((20,), dtype, 2)[::-2]
    idx = [0, 3, 4, 8]
    expected = [_fold(plus, a[i:j], 0)[0] for i, j in zip(idx, idx[1:] + [len(a)])]
    assert_same(plus_ufunc.reduceat(a, idx), np.array(expected, dtype=dtype))
    b = values((4,), dtype, 1)
    assert_same(two_ufunc.outer(a, b), two(a[:, None], b[None, :]))


@pytest.mark.parametrize("dtype", ["int8", "float32", "complex128"])
def test_large_arrays_cross_the_vector_loop_and_its_remainder(dtype):
    """Lengths around the vector width and NumPy's buffer size, contiguous and strided."""
    for n in (1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 8191, 8192, 8193, 20001):
        x = values((n * 2,), dtype, 1)
        y = values((n * 2,), dtype, 2)
        for xs, ys in ((x[:n], y[:n]), (x[::2], y[::-2]), (x[:n], y[1:n + 1])):
            assert_same(UFUNCS[three](xs, ys, xs), three(xs, ys, xs))
