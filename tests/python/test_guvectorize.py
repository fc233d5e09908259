"""@guvectorize against NumPy and against the Python interpreter running the same kernel on each
core slice: NEP 20 layouts, dtypes, memory layouts, NumPy's gufunc API (broadcasting, out=,
axes=, axis=, keepdims=), targets, lazy mode, writable inputs, scratch arrays, bounds checks and
the array features kernels may use."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import loopjit as lj

FLOATS = [np.float32, np.float64]
INTS = [np.int32, np.int64]
RNG = np.random.default_rng(20)


def sigs(template, dtypes):
    """One signature per dtype: template uses T, e.g. "void(T[:], T[:], T[:])"."""
    return [template.replace("T", np.dtype(d).name) for d in dtypes]


def interpret(gufunc, ins, core_ndims, outs, array_scalars=()):
    """The reference: gufunc.__wrapped__ (the Python kernel) run by the interpreter on each core
    slice. `core_ndims`: per input; `outs`: per output, (core shape, dtype); `array_scalars`:
    indices of `()` inputs the kernel takes as one-element arrays (declared T[:])."""
    func = gufunc.__wrapped__
    ins = [np.asarray(a) for a in ins]
    loop = np.broadcast_shapes(*[a.shape[:a.ndim - k] for a, k in zip(ins, core_ndims)])
    views = [np.broadcast_to(a, loop + a.shape[a.ndim - k:]) for a, k in zip(ins, core_ndims)]
    results = [np.zeros(loop + tuple(shape), dtype) for shape, dtype in outs]
    for idx in np.ndindex(*loop):
        args = []
        for i, v in enumerate(views):
            args.append(v[idx].reshape(1) if i in array_scalars else v[idx])
        for r, (shape, _) in zip(results, outs):
            args.append(r[idx] if shape else r.reshape(loop + (1,))[idx])
        func(*args)
    return results


def rand(shape, dtype, low=-4, high=5):
    """Random values exact in every dtype (small integers, or multiples of 1/8 for floats)."""
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(max(low, 0) if np.dtype(dtype).kind == "u" else low, high,
                            size=shape).astype(dtype)
    return (RNG.integers(8 * low, 8 * high, size=shape) / 8).astype(dtype)


def tol(dtype):
    return dict(rtol=2e-5, atol=1e-5) if np.dtype(dtype) == np.float32 else dict(rtol=1e-12,
                                                                                  atol=1e-12)


def variants(x):
    """The same values in other memory layouts: C, Fortran, strided core, reversed core."""
    wide = np.repeat(x, 2, axis=-1)
    return {
        "C": x,
        "F": np.asfortranarray(x),
        "strided": wide[..., ::2],
        "reversed": np.ascontiguousarray(x[..., ::-1])[..., ::-1],
    }


# --- kernels ---------------------------------------------------------------------------------


def dot_kernel(x, y, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    out[0] = s


DOT_TYPES = FLOATS + INTS
dot = lj.guvectorize(sigs("void(T[:], T[:], T[:])", DOT_TYPES), "(n),(n)->()")(dot_kernel)
dot_lazy = lj.guvectorize("(n),(n)->()")(dot_kernel)
dot_par = lj.guvectorize(sigs("void(T[:], T[:], T[:])", DOT_TYPES), "(n),(n)->()",
                         target="parallel")(dot_kernel)
dot_par_lazy = lj.guvectorize("(n),(n)->()", target="parallel")(dot_kernel)


def matmul_kernel(a, b, c):
    m, n = a.shape
    p = b.shape[1]
    for i in range(m):
        for j in range(p):
            s = 0.0
            for k in range(n):
                s += a[i, k] * b[k, j]
            c[i, j] = s


matmul = lj.guvectorize(sigs("void(T[:, :], T[:, :], T[:, :])", FLOATS + [np.int64]),
                        "(m,n),(n,p)->(m,p)")(matmul_kernel)
matmul_opt = lj.guvectorize("(m,n),(n,p?)->(m,p?)")(matmul_kernel)


def move_mean_kernel(a, window, out):
    asum = 0.0
    count = 0
    for i in range(len(a)):
        ai = a[i]
        if not np.isnan(ai):
            asum += ai
            count += 1
        if i >= window:
            aold = a[i - window]
            if not np.isnan(aold):
                asum -= aold
                count -= 1
        if count > 0:
            out[i] = asum / count
        else:
            out[i] = np.nan


def move_sum_kernel(a, window, out):
    asum = 0.0
    count = 0
    for i in range(len(a)):
        if not np.isnan(a[i]):
            asum += a[i]
            count += 1
        if i >= window and not np.isnan(a[i - window]):
            asum -= a[i - window]
            count -= 1
        out[i] = asum if count > 0 else np.nan


def move_std_kernel(a, window, out):
    asum = 0.0
    asumsq = 0.0
    count = 0
    for i in range(len(a)):
        ai = a[i]
        if ai == ai:
            asum += ai
            asumsq += ai * ai
            count += 1
        if i >= window:
            aold = a[i - window]
            if aold == aold:
                asum -= aold
                asumsq -= aold * aold
                count -= 1
        if count > 0:
            mean = asum / count
            var = asumsq / count - mean * mean
            if var > 0:  # not a conditional expression: both arms would run (semantics.md)
                out[i] = np.sqrt(var)
            else:
                out[i] = 0.0
        else:
            out[i] = np.nan


MOVING = {
    name: (lj.guvectorize(sigs("void(T[:], int64, T[:])", FLOATS), "(n),()->(n)")(k),
           lj.guvectorize("(n),()->(n)")(k))
    for name, k in [("mean", move_mean_kernel), ("sum", move_sum_kernel),
                    ("std", move_std_kernel)]
}


def moving_reference(name, a, window):
    """NumPy's formulation: windows of the NaN-padded array."""
    pad = np.full(a.shape[:-1] + (window - 1,), np.nan, dtype=np.float64)
    w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, a], axis=-1), window,
                                                 axis=-1)
    count = (~np.isnan(w)).sum(-1)
    total = np.nansum(w, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        std = np.sqrt(np.nansum((w - mean[..., None]) ** 2, axis=-1) / count)
    result = {"mean": mean, "sum": total, "std": std}[name]
    return np.where(count > 0, result, np.nan)


def cumsum_kernel(x, out):
    acc = 0
    for i in range(len(x)):
        acc += x[i]
        out[i] = acc


def cummax_kernel(x, out):
    for i in range(len(x)):
        if i == 0 or x[i] > out[i - 1]:
            out[i] = x[i]
        else:
            out[i] = out[i - 1]


cumsum = lj.guvectorize(sigs("void(T[:], T[:])", FLOATS + INTS), "(n)->(n)")(cumsum_kernel)
cummax = lj.guvectorize(sigs("void(T[:], T[:])", FLOATS + INTS), "(n)->(n)")(cummax_kernel)


def minmax_kernel(x, lo, hi):
    lo[0] = x[0]
    hi[0] = x[0]
    for v in x:
        if v < lo[0]:
            lo[0] = v
        if v > hi[0]:
            hi[0] = v


minmax = lj.guvectorize(sigs("void(T[:], T[:], T[:])", FLOATS + INTS), "(n)->(),()")(
    minmax_kernel)


def cross_kernel(a, b, c):
    c[0] = a[1] * b[2] - a[2] * b[1]
    c[1] = a[2] * b[0] - a[0] * b[2]
    c[2] = a[0] * b[1] - a[1] * b[0]


cross = lj.guvectorize(sigs("void(T[:], T[:], T[:])", FLOATS + INTS), "(3),(3)->(3)")(
    cross_kernel)


def ramp_kernel(k, out):
    for i in range(out.shape[0]):
        out[i] = k * i


def diff_kernel(x, out):
    for i in range(out.shape[0]):
        out[i] = x[i + 1] - x[i]


def scale_number_kernel(x, a, out):
    for i in range(len(x)):
        out[i] = x[i] * a


def scale_array_kernel(x, a, out):
    for i in range(len(x)):
        out[i] = x[i] * a[0]


def total_kernel(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s


total = lj.guvectorize(sigs("void(T[:], T[:])", FLOATS), "(n)->()")(total_kernel)


# --- the kernels, each dtype, each memory layout -----------------------------------------


@pytest.mark.parametrize("dtype", DOT_TYPES)
@pytest.mark.parametrize("gufunc", [dot, dot_lazy], ids=["eager", "lazy"])
def test_dot(gufunc, dtype):
    x, y = rand((6, 7), dtype), rand((6, 7), dtype)
    ref = interpret(gufunc, [x, y], [1, 1], [((), dtype)])[0]
    np.testing.assert_allclose(ref, np.einsum("ij,ij->i", x, y), **tol(dtype))
    yv = variants(y)
    for name, xv in variants(x).items():
        got = gufunc(xv, yv["reversed" if name == "C" else "C"])
        assert got.dtype == dtype, name
        np.testing.assert_allclose(got, ref, err_msg=name, **tol(dtype))


@pytest.mark.parametrize("dtype", FLOATS + [np.int64])
@pytest.mark.parametrize("gufunc", [matmul, matmul_opt], ids=["eager", "optional"])
def test_matmul(gufunc, dtype):
    a, b = rand((4, 3, 5), dtype), rand((4, 5, 2), dtype)
    ref = interpret(gufunc, [a, b], [2, 2], [((3, 2), dtype)])[0]
    np.testing.assert_allclose(ref, a @ b, **tol(dtype))
    for name, av in variants(a).items():
        for bname, bv in variants(b).items():
            got = gufunc(av, bv)
            assert got.dtype == dtype
            np.testing.assert_allclose(got, ref, err_msg=f"{name} @ {bname}", **tol(dtype))
    # core dimensions transposed in memory, and placed by axes=
    got = gufunc(np.moveaxis(a, 0, -1), np.moveaxis(b, 0, -1), axes=[(0, 1), (0, 1), (0, 1)])
    np.testing.assert_allclose(np.moveaxis(got, -1, 0), ref, **tol(dtype))


def test_optional_dimension_can_be_missing():
    a, b = rand((3, 4), np.float64), rand((4, 2), np.float64)
    np.testing.assert_allclose(matmul_opt(a, b), a @ b)
    np.testing.assert_allclose(matmul_opt(a, b[:, 1]), a @ b[:, 1])
    assert matmul_opt(a, b[:, 1]).shape == (3,)
    stack = rand((5, 4, 2), np.float64)
    np.testing.assert_allclose(matmul_opt(a, stack), a @ stack)
    with pytest.raises(ValueError):
        matmul(a, b[:, 1])  # not optional there


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["mean", "sum", "std"])
@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
def test_moving_window_with_nans(name, dtype, lazy):
    gufunc = MOVING[name][lazy]
    a = RNG.random((9, 40)).astype(dtype)
    a[RNG.random(a.shape) < 0.2] = np.nan
    a[3, 5:20] = np.nan  # a window with no valid value
    for window in (1, 4, 40, 60):
        got = gufunc(a, window)
        assert got.dtype == dtype
        # running sums of squares cancel: the std of a constant window is sqrt(rounding error)
        loose = dict(rtol=1e-3, atol=3e-3 if dtype == np.float32 else 1e-6)
        np.testing.assert_allclose(got, moving_reference(name, a.astype(np.float64), window),
                                   equal_nan=True, **(loose if name == "std" else tol(dtype)))
        ref = interpret(gufunc, [a[:3], window], [1, 0], [((40,), dtype)])[0]
        np.testing.assert_allclose(got[:3], ref, equal_nan=True, **tol(dtype))
    for lname, av in variants(a).items():
        np.testing.assert_array_equal(gufunc(av, 5), gufunc(a, 5), err_msg=lname)
    # the window broadcasts as a loop dimension: one per row
    windows = np.arange(1, 10)
    got = gufunc(a, windows)
    for row, w in enumerate(windows):
        np.testing.assert_array_equal(got[row], gufunc(a[row], w))


def test_moving_mean_integer_window_types_and_scalar_row():
    a = np.array([1.0, np.nan, 3, 4, np.nan, np.nan, np.nan, 5])
    expect = [1, 1, 2, 3.5, 3.5, 4, np.nan, 5]
    for window in (3, np.int32(3), np.int8(3)):
        np.testing.assert_array_equal(MOVING["mean"][1](a, window), expect)
    np.testing.assert_array_equal(MOVING["mean"][0](a, 3), expect)


@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_cumulative(dtype):
    x = rand((5, 9), dtype)
    for gufunc, ref in [(cumsum, np.cumsum(x, axis=-1)), (cummax, np.maximum.accumulate(x, -1))]:
        interp = interpret(gufunc, [x], [1], [((9,), dtype)])[0]
        np.testing.assert_allclose(interp, ref.astype(dtype), **tol(dtype))
        for name, xv in variants(x).items():
            got = gufunc(xv)
            assert got.dtype == dtype
            np.testing.assert_allclose(got, interp, err_msg=name, **tol(dtype))


@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_several_outputs(dtype):
    x = rand((4, 3, 6), dtype)
    lo, hi = minmax(x)
    assert lo.dtype == hi.dtype == dtype and lo.shape == (4, 3)
    np.testing.assert_array_equal(lo, x.min(-1))
    np.testing.assert_array_equal(hi, x.max(-1))
    ilo, ihi = interpret(minmax, [x], [1], [((), dtype), ((), dtype)])
    np.testing.assert_array_equal(lo, ilo)
    np.testing.assert_array_equal(hi, ihi)
    outs = (np.empty((4, 3), dtype), np.empty((4, 3), dtype))
    r = minmax(x[:, :, ::-1], out=outs)
    assert r[0] is outs[0] and r[1] is outs[1]
    np.testing.assert_array_equal(outs[1], x.max(-1))
    # a strided out= is written in place
    wide = np.zeros((4, 6), dtype)
    minmax(x, out=(wide[:, ::2], wide[:, 1::2]))
    np.testing.assert_array_equal(wide[:, 1::2], x.max(-1))


@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_frozen_dimensions_cross_product(dtype):
    u, v = rand((7, 3), dtype), rand((7, 3), dtype)
    for name, uv in variants(u).items():
        np.testing.assert_array_equal(cross(uv, v), np.cross(u, v), err_msg=name)
    np.testing.assert_array_equal(cross(u, v), interpret(cross, [u, v], [1, 1],
                                                         [((3,), dtype)])[0])
    np.testing.assert_array_equal(cross(u[:, None, :], v[None, :2, :]),
                                  np.cross(u[:, None, :], v[None, :2, :]))
    with pytest.raises(ValueError, match="core dimension"):
        cross(rand((2, 4), dtype), rand((2, 4), dtype))


def test_output_only_dimension_from_out_and_sizes():
    ramp_out = lj.guvectorize(["void(int64, float64[:])"], "()->(n)")(ramp_kernel)
    k = np.arange(3)
    out = np.full((3, 5), -1.0)
    assert ramp_out(k, out=out) is out
    np.testing.assert_array_equal(out, k[:, None] * np.arange(5))
    ramp_sized = lj.guvectorize(["void(int64, float64[:])"], "()->(n)",
                                sizes=lambda dims: {"n": 4})(ramp_kernel)
    np.testing.assert_array_equal(ramp_sized(k), k[:, None] * np.arange(4.0))
    assert ramp_sized(2).shape == (4,)  # 0-d loop shape
    ramp_lazy = lj.guvectorize("()->(n)", sizes=lambda dims: {"n": 2})(ramp_kernel)
    np.testing.assert_array_equal(ramp_lazy(np.array([1.5, 2.0])), [[0, 1.5], [0, 2.0]])
    np.testing.assert_array_equal(ramp_lazy(k, out=np.empty((3, 6))), k[:, None] * np.arange(6))


def test_output_dimension_computed_from_inputs():
    seen = []

    def sizes(dims):
        seen.append(dict(dims))
        return {"k": max(dims["n"] - 1, 0)}

    diff = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->(k)", sizes=sizes)(diff_kernel)
    x = rand((4, 7), np.float64)
    np.testing.assert_array_equal(diff(x), np.diff(x, axis=-1))
    assert seen[-1] == {"n": 7}
    np.testing.assert_array_equal(diff(x[:, ::-2]), np.diff(x[:, ::-2], axis=-1))
    assert diff(np.zeros((4, 0))).shape == (4, 0)
    negative = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->(k)",
                              sizes=lambda d: {"k": -1})(diff_kernel)
    with pytest.raises(ValueError, match="negative size"):
        negative(x)


def test_scalar_inputs_as_number_and_as_array():
    by_number = lj.guvectorize(sigs("void(T[:], T, T[:])", FLOATS), "(n),()->(n)")(
        scale_number_kernel)
    by_array = lj.guvectorize(sigs("void(T[:], T[:], T[:])", FLOATS), "(n),()->(n)")(
        scale_array_kernel)
    lazy = lj.guvectorize("(n),()->(n)")(scale_number_kernel)
    x = rand((5, 4), np.float64)
    factors = rand((5,), np.float64)
    for f in (by_number, by_array, lazy):
        np.testing.assert_array_equal(f(x, 2.5), x * 2.5)
        np.testing.assert_array_equal(f(x, factors), x * factors[:, None])
        np.testing.assert_array_equal(f(x[0], factors[:, None]), (x[0] * factors[:, None])[:, None])
        assert f(x.astype(np.float32), np.float32(2)).dtype == np.float32
    np.testing.assert_array_equal(
        by_array(x, factors), interpret(by_array, [x, factors], [1, 0], [((4,), np.float64)],
                                        array_scalars=(1,))[0])
    np.testing.assert_array_equal(
        by_number(x, factors), interpret(by_number, [x, factors], [1, 0], [((4,), np.float64)])[0])


# --- shapes: broadcasting, empty and 0-d loops, zero-size core ---------------------------


def test_broadcasting_of_loop_dimensions():
    x, y = rand((4, 1, 6), np.float64), rand((3, 6), np.float64)
    got = dot(x, y)
    assert got.shape == (4, 3)
    np.testing.assert_array_equal(got, interpret(dot, [x, y], [1, 1], [((), np.float64)])[0])
    np.testing.assert_array_equal(dot(x, y[0]), dot(x, np.broadcast_to(y[0], (4, 1, 6))))


@pytest.mark.parametrize("gufunc", [dot, dot_lazy, dot_par], ids=["eager", "lazy", "parallel"])
def test_empty_and_zero_size(gufunc):
    assert gufunc(np.zeros((0, 5)), np.zeros((0, 5))).shape == (0,)
    assert gufunc(np.zeros((2, 0, 5)), np.zeros((0, 5))).shape == (2, 0)
    np.testing.assert_array_equal(gufunc(np.zeros((4, 0)), np.zeros((4, 0))), np.zeros(4))
    assert cumsum(np.zeros((3, 0))).shape == (3, 0)
    assert MOVING["mean"][1](np.zeros((3, 0)), 4).shape == (3, 0)


def test_zero_dimensional_loop():
    x, y = rand(6, np.float64), rand(6, np.float64)
    r = dot(x, y)
    assert np.ndim(r) == 0 and r == interpret(dot, [x, y], [1, 1], [((), np.float64)])[0]
    lo, hi = minmax(x)
    assert (lo, hi) == (x.min(), x.max())
    np.testing.assert_array_equal(cross(x[:3], y[:3]), np.cross(x[:3], y[:3]))
    np.testing.assert_array_equal(cumsum(x), np.cumsum(x))


def test_axis_axes_keepdims():
    a = rand((3, 4, 5), np.float64)
    for axis in (0, 1, 2, -1):
        np.testing.assert_array_equal(total(a, axis=axis), a.sum(axis))
        np.testing.assert_array_equal(total(a, axis=axis, keepdims=True),
                                      a.sum(axis, keepdims=True))
    np.testing.assert_array_equal(total(a, axes=[(0,), ()]), a.sum(0))
    np.testing.assert_array_equal(total(a, axes=[(1,), (1,)], keepdims=True),
                                  a.sum(1, keepdims=True))
    np.testing.assert_array_equal(cumsum(a, axes=[(1,), (1,)]), np.cumsum(a, axis=1))
    np.testing.assert_array_equal(cumsum(a, axis=0), np.cumsum(a, axis=0))


# --- outputs, dtypes and loop selection ----------------------------------------------------


def test_out_allocation_and_out_argument():
    x = rand((6, 5), np.float64)
    r1, r2 = cumsum(x), cumsum(x)
    assert r1 is not r2 and r1.flags.c_contiguous and r1.flags.writeable
    out = np.zeros((6, 5))
    assert cumsum(x, out=out) is out
    np.testing.assert_array_equal(out, np.cumsum(x, -1))
    out = np.zeros((5, 6)).T
    cumsum(x, out=out)
    np.testing.assert_array_equal(out, np.cumsum(x, -1))
    out = np.zeros((6, 5), np.float32)  # same_kind cast of the float64 loop's result
    cumsum(x, out=out)
    np.testing.assert_array_equal(out, np.cumsum(x, -1).astype(np.float32))
    with pytest.raises(TypeError):
        cumsum(x, out=np.zeros((6, 5), np.int64))


@pytest.mark.parametrize("order", ["float64 first", "float32 first"])
def test_exact_dtype_loop_wins(order):
    types = [np.float64, np.float32] if order == "float64 first" else [np.float32, np.float64]
    f = lj.guvectorize(sigs("void(T[:], T[:])", types), "(n)->()")(total_kernel)
    x = np.full((2, 3), 0.1)
    assert f(x.astype(np.float32)).dtype == np.float32
    assert f(x.astype(np.float32))[0] == np.float32(0.1) + np.float32(0.1) + np.float32(0.1)
    assert f(x).dtype == np.float64
    assert f(np.ones((2, 3), np.int16)).dtype == np.float32   # casts safely to float32
    assert f(np.ones((2, 3), np.int32)).dtype == np.float64   # does not
    np.testing.assert_array_equal(f(np.ones((2, 3), np.int32)), [3, 3])


def test_lazy_mode_compiles_per_dtype():
    for dtype in [np.float32, np.float64, np.int8, np.int32, np.uint16, np.int64]:
        x = rand((3, 4), dtype)
        got = dot_lazy(x, x)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, interpret(dot_lazy, [x, x], [1, 1],
                                                     [((), dtype)])[0])
    loops = lj._core.gufunc_loops(dot_lazy)
    assert ["int8", "int8", "int8"] in [loop.dtypes for loop in loops]
    # mixed inputs: the loop runs in their common dtype
    assert dot_lazy(np.ones(3, np.float32), np.ones(3)).dtype == np.float64


# --- targets ----------------------------------------------------------------------------------


def test_parallel_equals_cpu_bit_for_bit():
    x, y = RNG.random((10**5, 16)), RNG.random((10**5, 16))
    ref = dot(x, y)
    np.testing.assert_array_equal(dot_par(x, y), ref)
    np.testing.assert_array_equal(dot_par_lazy(x, y), ref)
    np.testing.assert_array_equal(dot_lazy(x, y), ref)
    np.testing.assert_array_equal(dot_par(x[:, ::-2], y[:, 1::2]), dot(x[:, ::-2], y[:, 1::2]))
    xs = x.astype(np.float32)
    np.testing.assert_array_equal(dot_par_lazy(xs, xs), dot(xs, xs))
    a = RNG.random((10**5, 30))
    a[a < 0.05] = np.nan
    par = lj.guvectorize(sigs("void(T[:], int64, T[:])", FLOATS), "(n),()->(n)",
                         target="parallel")(move_mean_kernel)
    par_lazy = lj.guvectorize("(n),()->(n)", target="parallel")(move_mean_kernel)
    ref = MOVING["mean"][0](a, 7)
    np.testing.assert_array_equal(par(a, 7), ref)
    np.testing.assert_array_equal(par_lazy(a, 7), ref)
    np.testing.assert_array_equal(par(np.asfortranarray(a), 7), ref)
    A, B = RNG.random((10**4, 3, 4)), RNG.random((10**4, 4, 2))
    mpar = lj.guvectorize("(m,n),(n,p)->(m,p)", target="parallel")(matmul_kernel)
    np.testing.assert_array_equal(mpar(A, B), matmul(A, B))


# --- writable inputs, untouched inputs ---------------------------------------------------


def normalize_kernel(x, out):
    s = 0.0
    for v in x:
        s += v
    for i in range(len(x)):
        x[i] /= s
    out[0] = s


@pytest.mark.parametrize("which", ["x", 0, -1], ids=["by name", "by index", "by -1"])
def test_writable_args(which):
    f = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->()", writable_args=(which,))(
        normalize_kernel)
    x = RNG.random((3, 5)) + 1
    before = x.copy()
    sums = f(x)
    np.testing.assert_allclose(sums, before.sum(1), rtol=1e-12)
    np.testing.assert_allclose(x, before / before.sum(1, keepdims=True), rtol=1e-12)
    wide = 1 + RNG.random((3, 10))
    before = wide.copy()
    f(wide[::-1, ::2])  # strided, reversed: written through the view
    np.testing.assert_allclose(wide[:, ::2], before[:, ::2] / before[:, ::2].sum(1,
                                                                            keepdims=True))
    np.testing.assert_array_equal(wide[:, 1::2], before[:, 1::2])
    for other in (np.float32, np.int64):
        y = np.ones((3, 5), other)
        with pytest.raises(TypeError, match="writable_args"):
            f(y)  # a cast copy would be updated instead of y
        np.testing.assert_array_equal(y, 1)


def test_inputs_are_not_modified():
    cases = [
        (dot, [rand((5, 4), np.float64), rand((5, 4), np.float64)]),
        (matmul, [rand((2, 3, 4), np.float32), rand((4, 2), np.float32)]),
        (MOVING["std"][1], [rand((3, 20), np.float64), np.array([2, 3, 4])]),
        (cumsum, [rand((5, 4), np.int32)]),
        (minmax, [rand((5, 4), np.int64)]),
        (cross, [rand((5, 3), np.float64), rand((3,), np.float64)]),
    ]
    for f, args in cases:
        copies = [a.copy() for a in args]
        f(*args)
        f(*[a[..., ::-1] for a in args])
        for a, c in zip(args, copies):
            np.testing.assert_array_equal(a, c, err_msg=f.__name__)


# --- scratch arrays, bounds checks -----------------------------------------------------------


def scratch_kernel(x, out):
    tmp = np.empty(x.shape[0])
    z = np.zeros_like(x)
    for i in range(len(x)):
        tmp[i] = x[i] * 2
        z[i] = tmp[i] + 1
    for i in range(len(x)):
        out[i] = z[len(x) - 1 - i]


def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_scratch_arrays_do_not_leak(target):
    f = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", target=target)(
        scratch_kernel)
    x = RNG.random((10**5, 16))
    out = np.empty_like(x)
    np.testing.assert_array_equal(f(x, out=out), (2 * x + 1)[:, ::-1])
    np.testing.assert_array_equal(f(x[:3]), interpret(f, [x[:3]], [1], [((16,), float)])[0])
    before = _rss()
    for _ in range(20):  # 2 * 10^6 kernel calls, 2 scratch arrays of 128 bytes each
        f(x, out=out)
    grown = _rss() - before
    assert grown < 8 * 2**20, f"RSS grew by {grown / 2**20:.1f} MiB"


def oob_kernel(x, out):
    for i in range(len(x) + 1):
        out[i] = x[i]


def oob_2d_kernel(a, out):
    out[0] = a[0, -4]


@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_boundscheck_raises_index_error(target):
    f = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)", boundscheck=True,
                       target=target)(oob_kernel)
    line = oob_kernel.__code__.co_firstlineno + 2
    with pytest.raises(IndexError) as e:
        f(np.zeros((10**4, 3)), out=np.zeros((10**4, 4))[:, :3])
    msg = str(e.value)
    assert "index 3" in msg and "size 3" in msg and "'x'" in msg, msg
    assert f"line {line}" in msg and "oob_kernel" in msg, msg
    g = lj.guvectorize("(m,n)->()", boundscheck=True, target=target)(oob_2d_kernel)
    with pytest.raises(IndexError, match=r"index -4 .* axis 1 .* size 3 .*'a'"):
        g(np.zeros((5, 2, 3)))
    np.testing.assert_array_equal(g(np.arange(8.0).reshape(2, 4)), 0.0)  # in bounds


def test_boundscheck_from_environment(tmp_path):
    script = tmp_path / "oob.py"
    script.write_text(textwrap.dedent("""
        import numpy as np, loopjit as lj

        @lj.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
        def f(x, out):
            for i in range(len(x) + 1):
                out[i] = x[i]

        try:
            f(np.zeros((2, 3)))
        except IndexError as e:
            print("IndexError:", e)
    """))
    env = dict(os.environ, LOOPJIT_BOUNDSCHECK="1", PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "IndexError: index 3 is out of bounds" in proc.stdout, proc.stdout
    assert "array 'x'" in proc.stdout and "line 7" in proc.stdout, proc.stdout


# --- the array features of kernels ---------------------------------------------------------


def k_negative_index(x, out):
    out[0] = x[-1] + 10 * x[-2]


def k_index_2d(a, out):
    out[0] = a[1, 2] + 100 * a[1][2] + 10000 * a[-1, -1]


def k_slices(x, out):
    tail = x[1:]
    even = x[::2]
    back = x[::-1]
    out[0] = tail[0] + 10 * even[1] + 100 * len(even) + 1000 * len(tail) + 1e4 * back[0]


def k_column_row(a, out):
    s = 0.0
    for v in a[:, 0]:
        s += v
    for v in a[1]:
        s += 100 * v
    for v in a[1:, 1:][0]:
        s += 1e4 * v
    out[0] = s


def k_attributes(a, k, out):
    out[0] = a.shape[0]
    out[1] = a.shape[1]
    out[2] = a.ndim
    out[3] = a.size
    out[4] = a.strides[0]
    out[5] = a.strides[1]
    out[6] = len(a)


def k_iterate(a, out):
    s = 0.0
    for row in a:
        for v in row:
            s = 2 * s + v
    out[0] = s


def k_augmented(x, out):
    for i in range(len(x)):
        out[i] = x[i]
        out[i] *= 3
        out[i] += 1
        out[i] -= x[i]
        out[i] /= 2


def k_fill_nan(x, out):
    out[:] = np.nan
    for i in range(len(x)):
        if not np.isnan(x[i]) and x[i] > 0:
            out[i] = x[i]


def k_fill_slice(x, out):
    out[:] = 0
    out[1:] = 5.0
    out[::3] = x[0]


def k_shape_unpack(a, out):
    m, n = a.shape
    for i in range(m):
        for j in range(n):
            out[j, i] = a[i, j]


def k_scratch_2d(x, out):
    t = np.zeros((3, len(x)))
    for i in range(len(x)):
        t[i % 3, i] = x[i]
    for i in range(len(x)):
        out[i] = t[0, i] + 2 * t[1, i] + 4 * t[2, i]


X1 = np.array([1.5, -2.0, np.nan, 4.0, 0.25, 7.0])
A2 = np.arange(12.0).reshape(3, 4) - 5
FEATURES = [
    (k_negative_index, "(n)->()", [X1[[0, 1, 3, 4, 5]]], [1], [()]),
    (k_index_2d, "(m,n)->()", [A2], [2], [()]),
    (k_slices, "(n)->()", [X1[[0, 1, 3, 4, 5]]], [1], [()]),
    (k_column_row, "(m,n)->()", [A2], [2], [()]),
    (k_attributes, "(m,n),(k)->(k)", [A2, np.zeros(7)], [2, 1], [(7,)]),
    (k_iterate, "(m,n)->()", [A2], [2], [()]),
    (k_augmented, "(n)->(n)", [X1], [1], [(6,)]),
    (k_fill_nan, "(n)->(n)", [X1], [1], [(6,)]),
    (k_fill_slice, "(n)->(n)", [X1], [1], [(6,)]),
    (k_shape_unpack, "(m,n)->(n,m)", [A2], [2], [(4, 3)]),
    (k_scratch_2d, "(n)->(n)", [X1], [1], [(6,)]),
]


@pytest.mark.parametrize("kernel,layout,ins,core_ndims,out_shapes", FEATURES,
                         ids=[f[0].__name__ for f in FEATURES])
def test_array_features_in_kernels(kernel, layout, ins, core_ndims, out_shapes):
    f = lj.guvectorize(layout)(kernel)
    stacked = [np.stack([a, 2 * a]) for a in ins]
    outs = [(shape, np.float64) for shape in out_shapes]
    want = interpret(f, stacked, core_ndims, outs)
    got = f(*stacked)
    got = got if isinstance(got, tuple) else (got,)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    if kernel is k_attributes:  # the strides are those of the caller's array
        strided = np.repeat(stacked[0], 2, axis=-1)[..., ::2]
        np.testing.assert_array_equal(f(strided, stacked[1])[0, 4:6], strided.strides[1:])
        return
    for name in ("F", "strided", "reversed"):
        np.testing.assert_array_equal(f(*[variants(a)[name] for a in stacked]), want[0],
                                      err_msg=name)


# --- unusual operands ----------------------------------------------------------------------


@pytest.mark.parametrize("gufunc", [cumsum, lj.guvectorize("(n)->(n)")(cumsum_kernel)],
                         ids=["eager", "lazy"])
def test_aliased_unaligned_byteswapped_and_list_operands(gufunc):
    x = rand((3, 6), np.float64)
    ref = np.cumsum(x, -1)
    y = x.copy()
    assert gufunc(y, out=y) is y  # NumPy copies what overlaps
    np.testing.assert_array_equal(y, ref)
    y = x.copy()
    gufunc(y[:, ::-1], out=y)
    np.testing.assert_array_equal(y, np.cumsum(x[:, ::-1], -1))
    raw = np.zeros(x.nbytes + 1, np.uint8)[1:].view(np.float64).reshape(x.shape)
    raw[...] = x
    assert not raw.flags.aligned
    np.testing.assert_array_equal(gufunc(raw), ref)
    np.testing.assert_array_equal(gufunc(x.astype(">f8")), ref)
    np.testing.assert_array_equal(gufunc(x.tolist()), ref)


# --- output dtypes and writable inputs ------------------------------------------------


def half_kernel(a, out):
    for i in range(len(a)):
        out[i] = a[i] / 2


def test_lazy_loop_is_chosen_by_the_inputs_and_cast_into_out():
    """As for every NumPy ufunc, out= does not choose the loop: the int64 loop computes
    (storing a[i] / 2 in int64) and NumPy casts its result into the float64 out."""
    half = lj.guvectorize("(n)->(n)")(half_kernel)
    out = np.empty(4)
    half(np.arange(4), out=out)
    np.testing.assert_array_equal(out, [0, 0, 1, 1])


def test_lazy_dtype_argument_on_first_call():
    half = lj.guvectorize("(n)->(n)")(half_kernel)
    np.testing.assert_array_equal(half(np.arange(4), dtype=np.float64), [0, 0.5, 1, 1.5])


def test_dtype_argument_selects_the_loop():
    f = lj.guvectorize(sigs("void(T[:], T[:], T[:])", FLOATS), "(n),(n)->()")(dot_kernel)
    x = np.ones((2, 3), np.float32)
    assert f(x, x, dtype=np.float64).dtype == np.float64  # as np.add(x, x, dtype=np.float64)


def test_writable_args_refuse_read_only_arrays():
    f = lj.guvectorize(["void(float64[:], float64[:])"], "(n)->()", writable_args=(0,))(
        normalize_kernel)
    x = np.ones((2, 3))
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        f(x)
