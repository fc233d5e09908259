"""@guvectorize gufuncs on chunked data: dask.array.apply_gufunc, a gufunc called on Dask arrays
(NumPy's __array_ufunc__ protocol) and xarray.apply_ufunc(dask="parallelized") give NumPy's
results, on Dask's threads (several calls at once, lazy compiles included) and processes."""

import numpy as np
import pytest

import loopjit as lj

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
xr = pytest.importorskip("xarray")

RNG = np.random.default_rng(7)


# Module-level names equal to the kernels' names: Dask's process scheduler pickles gufuncs by
# reference, as NumPy pickles every ufunc.
@lj.guvectorize(["void(float64[:], float64[:], float64[:])",
                 "void(float32[:], float32[:], float32[:])"], "(n),(n)->()")
def dot(x, y, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    out[0] = s


def _move_mean(a, window, out):
    asum = 0.0
    count = 0
    for i in range(len(a)):
        if not np.isnan(a[i]):
            asum += a[i]
            count += 1
        if i >= window and not np.isnan(a[i - window]):
            asum -= a[i - window]
            count -= 1
        if count > 0:
            out[i] = asum / count
        else:
            out[i] = np.nan


def move_mean_reference(a, window):
    pad = np.full(a.shape[:-1] + (window - 1,), np.nan)
    w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, a], -1), window, axis=-1)
    count = (~np.isnan(w)).sum(-1)
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, np.nansum(w, -1) / count, np.nan)


@lj.guvectorize("(n)->(),()")
def minmax(x, lo, hi):
    lo[0] = x[0]
    hi[0] = x[0]
    for v in x:
        lo[0] = min(lo[0], v)
        hi[0] = max(hi[0], v)


def data(shape, nan_fraction=0.0):
    a = RNG.random(shape)
    a[RNG.random(shape) < nan_fraction] = np.nan
    return a


def test_apply_gufunc():
    x, y = data((1000, 16)), data((1000, 16))
    dx, dy = da.from_array(x, chunks=(128, 16)), da.from_array(y, chunks=(128, 16))
    r = da.apply_gufunc(dot, "(n),(n)->()", dx, dy, output_dtypes=np.float64)
    assert isinstance(r, da.Array) and r.chunks == ((128,) * 7 + (104,),)
    np.testing.assert_allclose(r.compute(), np.einsum("ij,ij->i", x, y), rtol=1e-13)
    inferred = da.apply_gufunc(dot, "(n),(n)->()", dx.astype(np.float32), dy.astype(np.float32))
    assert inferred.dtype == np.float32
    np.testing.assert_allclose(inferred.compute(), np.einsum("ij,ij->i", x, y), rtol=1e-5)


def test_apply_gufunc_axis_and_rechunk():
    x = data((16, 300))
    dx = da.from_array(x, chunks=(4, 100))  # the core dimension is chunked
    with pytest.raises(ValueError, match="(?i)core dimension"):
        da.apply_gufunc(dot, "(n),(n)->()", dx, dx, axes=[(0,), (0,), ()])
    r = da.apply_gufunc(dot, "(n),(n)->()", dx, dx, axes=[(0,), (0,), ()], allow_rechunk=True,
                        output_dtypes=np.float64)
    np.testing.assert_allclose(r.compute(), (x * x).sum(0), rtol=1e-13)


def test_calling_the_gufunc_on_dask_arrays():
    a = data((40, 500), nan_fraction=0.05)
    mm = lj.guvectorize("(n),()->(n)", target="parallel")(_move_mean)
    d = da.from_array(a, chunks=(10, 500))
    r = mm(d, 20)
    assert isinstance(r, da.Array)
    np.testing.assert_allclose(r.compute(), move_mean_reference(a, 20), rtol=1e-12,
                               equal_nan=True)
    b = data((40, 500))
    lo, hi = minmax(da.from_array(b, chunks=(10, 500)))
    assert isinstance(lo, da.Array)
    np.testing.assert_array_equal(lo.compute(), np.min(b, -1))
    np.testing.assert_array_equal(hi.compute(), np.max(b, -1))


@pytest.mark.parametrize("target", ["cpu", "parallel"])
def test_lazy_compiles_under_dask_threads(target):
    # A fresh lazy gufunc: the first calls come from several Dask threads at once.
    mm = lj.guvectorize("(n),()->(n)", target=target)(_move_mean)
    a = data((400, 200), nan_fraction=0.05)
    with dask.config.set(scheduler="threads", num_workers=4):
        for dtype in (np.float64, np.float32):
            d = da.from_array(a.astype(dtype), chunks=(10, 200))
            got = da.map_blocks(mm, d, 7, dtype=dtype).compute()
            assert got.dtype == dtype
            np.testing.assert_allclose(got, move_mean_reference(a.astype(dtype).astype(float), 7),
                                       rtol=1e-5 if dtype == np.float32 else 1e-12,
                                       equal_nan=True)


def test_xarray_apply_ufunc_parallelized():
    a = data((6, 50, 120), nan_fraction=0.05)
    mm = lj.guvectorize("(n),()->(n)")(_move_mean)
    arr = xr.DataArray(a, dims=("run", "time", "x"),
                       coords={"time": np.arange(50)}).chunk({"run": 2, "x": 40})
    rolled = xr.apply_ufunc(mm, arr, 5, input_core_dims=[["time"], []],
                            output_core_dims=[["time"]], dask="parallelized",
                            output_dtypes=[np.float64])
    assert rolled.dims == ("run", "x", "time") and rolled.chunks is not None
    got = rolled.transpose("run", "time", "x").compute()
    want = move_mean_reference(np.moveaxis(a, 1, -1), 5)
    np.testing.assert_allclose(got.values, np.moveaxis(want, -1, 1), rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(got.time, np.arange(50))

    whole_x = arr.chunk({"x": -1})
    reduced = xr.apply_ufunc(dot, whole_x, whole_x, input_core_dims=[["x"], ["x"]],
                             dask="parallelized", output_dtypes=[np.float64])
    np.testing.assert_allclose(reduced.compute().values, (a * a).sum(-1), rtol=1e-13)
    clean = arr.fillna(0.5)
    lo, hi = xr.apply_ufunc(minmax, clean, input_core_dims=[["time"]],
                            output_core_dims=[[], []], dask="parallelized",
                            output_dtypes=[np.float64, np.float64])
    np.testing.assert_array_equal(hi.compute().values, np.nan_to_num(a, nan=0.5).max(1))
    np.testing.assert_array_equal(lo.compute().values, np.nan_to_num(a, nan=0.5).min(1))


def test_xarray_apply_ufunc_on_numpy_data():
    a = data((8, 30))
    arr = xr.DataArray(a, dims=("y", "x"))
    r = xr.apply_ufunc(dot, arr, arr, input_core_dims=[["y"], ["y"]])
    assert r.dims == ("x",)
    np.testing.assert_allclose(r.values, (a * a).sum(0), rtol=1e-13)


# A ufunc has no __module__: pickle finds it by looking through sys.modules, and touching the
# deprecated numpy.core on the way warns.
@pytest.mark.filterwarnings("ignore:numpy.core is deprecated:DeprecationWarning")
def test_dask_process_scheduler():
    # The gufunc travels to worker processes by reference to this module (compiled again there).
    x = data((64, 8))
    dx = da.from_array(x, chunks=(32, 8))
    r = da.apply_gufunc(dot, "(n),(n)->()", dx, dx, output_dtypes=np.float64)
    with dask.config.set(scheduler="processes", num_workers=2):
        got = r.compute()
    np.testing.assert_allclose(got, (x * x).sum(1), rtol=1e-13)
