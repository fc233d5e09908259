"""target='parallel': results bit for bit those of target='cpu' on every threading layer, for
all sizes, layouts, reductions and aliasing; floating-point errors and rounding as on one
thread; thread-count controls; bad configuration; and safety: many calling threads, fork,
spawn and forkserver children, idle pools. Whatever starts threads runs in a subprocess with a
timeout, once per layer (LOOPJIT_THREADING_LAYER), so a deadlock fails the test instead of
hanging the run."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import loopjit as lj

LAYERS = ["tbb", "omp", "serial"]
REPO = Path(__file__).resolve().parents[2]

# The kernels, written to a module in tmp_path so that multiprocessing children can import
# them. Each exists twice, compiled from the same function: *_p with target='parallel' and
# *_c with target='cpu', the reference.
KERNELS = '''
import math

import loopjit as lj

FLOATS = ["float64(float64, float64)", "float32(float32, float32)"]


def both(sigs, func, **options):
    return (lj.vectorize(sigs, target="parallel", **options)(func),
            lj.vectorize(sigs, **options)(func))


def _fma(x, y):
    return x * y + 1.5


def _add(x, y):
    return x + y


def _div(x, y):
    return x / y


def _wave(x):
    return math.exp(-x * x) * math.sin(3 * x) + math.log1p(abs(x))


def _mix(x, y):
    return (x * 7 + y) // 3 % 100 - (x ^ y)


def _cmul(z, w):
    return z * w + 1j * z


def _polar(x, y):
    return math.hypot(x, y), math.atan2(y, x)


def _steps(n):
    steps = 0
    while n > 1 and steps < 500:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


fma_p, fma_c = both(FLOATS, _fma)
add_p, add_c = both(FLOATS + ["int64(int64, int64)"], _add, identity=0)
div_p, div_c = both(FLOATS, _div)
wave_p, wave_c = both(["float64(float64)", "float32(float32)"], _wave)
mix_p, mix_c = both(["int64(int64, int64)", "int32(int32, int32)", "uint8(uint8, uint8)"], _mix)
cmul_p, cmul_c = both(["complex128(complex128, complex128)", "complex64(complex64, complex64)"],
                      _cmul)
polar_p, polar_c = both(["UniTuple(float64, 2)(float64, float64)",
                         "UniTuple(float32, 2)(float32, float32)"], _polar)
steps_p, steps_c = both(["int64(int64)"], _steps)
lazy_p = lj.vectorize(target="parallel", identity=0)(_fma)
lazy_c = lj.vectorize(identity=0)(_fma)
'''

# Every script starts with this: the layer it runs on is the one asked for.
PRELUDE = '''
import os
import sys
import threading
import time
import warnings

import numpy as np

import loopjit as lj
import pkernels as K

LAYER = os.environ["LOOPJIT_THREADING_LAYER"]
assert lj.threading_layer() == LAYER, (lj.threading_layer(), LAYER)
rng = np.random.default_rng(12345)


def same(got, want, what=""):
    """Bit-for-bit equality (the same computation gives the same NaN bits)."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (what, got.dtype, want.dtype)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    if got.size == 0:
        return
    word = np.uint64 if got.itemsize % 8 == 0 else np.dtype(f"u{got.itemsize}")
    g = np.ascontiguousarray(got).reshape(-1).view(word).reshape(got.size, -1)
    w = np.ascontiguousarray(want).reshape(-1).view(word).reshape(want.size, -1)
    if np.array_equal(g, w):
        return
    bad = np.flatnonzero((g != w).any(axis=1))
    assert bad.size == 0, (f"{what}: {bad.size} of {got.size} elements differ, first at flat "
                           f"index {bad[0]}: {got.ravel()[bad[0]]!r} != {want.ravel()[bad[0]]!r}")


def run_threads(target, count):
    """Runs target(i) on `count` threads; re-raises the first failure."""
    errors = []

    def wrapped(i):
        try:
            target(i)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
'''


def run_script(tmp_path, body, layer="tbb", timeout=240, env=None, prelude=True):
    """Runs `body` (after PRELUDE) in a fresh interpreter on `layer`; returns its stdout."""
    (tmp_path / "pkernels.py").write_text(KERNELS)
    script = tmp_path / "case.py"
    script.write_text((PRELUDE if prelude else "") + textwrap.dedent(body))
    # the loopjit this test process imported (installed, or the in-place build), then the repo
    path = [str(tmp_path), str(Path(lj.__file__).resolve().parent.parent), str(REPO),
            os.environ.get("PYTHONPATH", "")]
    full_env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in path if p),
                    LOOPJIT_THREADING_LAYER=layer)
    full_env.pop("LOOPJIT_NUM_THREADS", None)
    full_env.update(env or {})
    try:
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              timeout=timeout, env=full_env, cwd=tmp_path)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"layer {layer}: no result after {timeout} s (deadlock?)\n"
                    f"stdout: {e.stdout}\nstderr: {e.stderr}")
    assert proc.returncode == 0, (f"layer {layer}: exit status {proc.returncode}\n"
                                  f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc.stdout


by_layer = pytest.mark.parametrize("layer", LAYERS)

# --- results: parallel equals cpu -------------------------------------------------------------


@by_layer
def test_results_equal_cpu_bit_for_bit(tmp_path, layer):
    run_script(tmp_path, '''
        for n in [0, 1, 7, 8192, 8193, 10**5, 10**6, 10**6 + 3]:
            for dt in (np.float64, np.float32):
                x = (rng.standard_normal(n) * 3).astype(dt)
                y = (rng.standard_normal(n) * 3).astype(dt)
                for p, c in ((K.fma_p, K.fma_c), (K.div_p, K.div_c), (K.add_p, K.add_c)):
                    want = c(x, y)
                    for _ in range(3):  # a cold pool first, then a warm one
                        same(p(x, y), want, f"{p.__name__} {dt.__name__} n={n}")
            for dt in (np.int64, np.int32, np.uint8):
                a = rng.integers(0, 200, n).astype(dt)
                b = rng.integers(0, 200, n).astype(dt)
                same(K.mix_p(a, b), K.mix_c(a, b), f"mix {dt.__name__} n={n}")
            for dt in (np.complex128, np.complex64):
                z = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
                same(K.cmul_p(z, z[::-1]), K.cmul_c(z, z[::-1]), f"cmul {dt.__name__} n={n}")
            i = rng.integers(1, 10**6, n)
            same(K.steps_p(i), K.steps_c(i), f"steps n={n}")  # uneven cost per element
        ''', layer)


@by_layer
def test_math_function_results_equal_cpu_bit_for_bit(tmp_path, layer):
    """Kernels calling exp, sin, log1p, hypot, atan2 (vectorized with libmvec). Sizes around
    10^5 put the pieces' ends at every offset within a vector."""
    run_script(tmp_path, '''
        for n in [0, 1, 7, 8192, 8193, 10**5, 10**6] + [10**5 + k for k in range(1, 16)]:
            for dt in (np.float64, np.float32):
                x = (rng.standard_normal(n) * 3).astype(dt)
                y = (rng.standard_normal(n) * 3).astype(dt)
                want = K.wave_c(x)
                for _ in range(3):
                    same(K.wave_p(x), want, f"wave {dt.__name__} n={n}")
                for got, want in zip(K.polar_p(x, y), K.polar_c(x, y)):
                    same(got, want, f"polar {dt.__name__} n={n}")
        ''', layer)


LAYOUTS = '''
GROUP = {"arithmetic": [(K.fma_p, K.fma_c, 2), (K.div_p, K.div_c, 2)],
         "math": [(K.wave_p, K.wave_c, 1), (K.polar_p, K.polar_c, 2)]}[os.environ["GROUP"]]


def results(r):
    return r if isinstance(r, tuple) else (r,)


base = rng.standard_normal(3 * 10**6 + 5)
x, y = base[: 10**6], base[10**6 : 2 * 10**6]
cases = {
    "strided": (base[: 3 * 10**6 : 3], base[1 : 3 * 10**6 : 3]),
    "negative": (x[::-1], y),
    "both negative": (x[::-2], y[::-2]),
    "F-order": (np.asfortranarray(x[: 999 * 1001].reshape(999, 1001)),
                np.asfortranarray(y[: 999 * 1001].reshape(999, 1001))),
    "C and F": (x[: 999 * 1001].reshape(999, 1001),
                np.asfortranarray(y[: 999 * 1001].reshape(999, 1001))),
    "transposed 3-d": (x[: 100 * 100 * 100].reshape(100, 100, 100).transpose(2, 0, 1),
                       y[: 100 * 100 * 100].reshape(100, 100, 100)),
    "broadcast row": (x[:1000][:, None], y[:1001][None, :]),
    "scalar": (x, 2.5),
    "0-d": (np.float64(3.0), x),
    "unaligned": (np.frombuffer(base.tobytes()[1 : 8 * 10**6 + 1], dtype=np.float64), y),
}
for p, c, nin in GROUP:
    name = p.__name__
    for what, args in cases.items():
        for got, want in zip(results(p(*args[:nin])), results(c(*args[:nin]))):
            same(got, want, f"{name} {what}")
    # outputs: non-contiguous and Fortran-ordered out=, where=, inputs NumPy casts
    args = (x, y)[:nin]
    nout = len(results(c(*args)))
    outs_p = tuple(np.zeros(2 * 10**6)[::2] for _ in range(nout))
    outs_c = tuple(np.zeros(2 * 10**6)[::2] for _ in range(nout))
    assert results(p(*args, out=outs_p))[0] is outs_p[0]
    c(*args, out=outs_c)
    for got, want in zip(outs_p, outs_c):
        same(got, want, f"{name} strided out")
    a = np.asfortranarray(x[: 999 * 1001].reshape(999, 1001))
    outs_p = tuple(np.empty_like(a, order="F") for _ in range(nout))
    outs_c = tuple(np.empty_like(a, order="F") for _ in range(nout))
    p(*(a,) * nin, out=outs_p)
    c(*(a,) * nin, out=outs_c)
    for got, want in zip(outs_p, outs_c):
        same(got, want, f"{name} F-order out")
    mask = rng.integers(0, 2, 10**6).astype(bool)
    outs_p = tuple(np.full(10**6, -1.0) for _ in range(nout))
    outs_c = tuple(np.full(10**6, -1.0) for _ in range(nout))
    p(*args, out=outs_p, where=mask)
    c(*args, out=outs_c, where=mask)
    for got, want in zip(outs_p, outs_c):
        same(got, want, f"{name} where")
    i = rng.integers(-50, 50, 10**6).astype(np.int32)
    for got, want in zip(results(p(i, *args[1:])), results(c(i, *args[1:]))):
        same(got, want, f"{name} int32 input cast to float64")
'''


@by_layer
@pytest.mark.parametrize("group", ["arithmetic", "math"])
def test_layouts_equal_cpu(tmp_path, layer, group):
    run_script(tmp_path, LAYOUTS, layer, env={"GROUP": group})


@by_layer
def test_lazy_parallel_ufunc(tmp_path, layer):
    run_script(tmp_path, '''
        assert isinstance(K.lazy_p, np.ufunc)
        for dt in (np.float64, np.float32, np.int64, np.int16):
            for n in (0, 1, 8193, 10**6 + 1):
                a = (rng.standard_normal(n) * 100).astype(dt)
                b = (rng.standard_normal(n) * 100).astype(dt)
                want = K.lazy_c(a, b)
                got = K.lazy_p(a, b)
                same(got, want, f"lazy {dt.__name__} n={n}")
        m = rng.standard_normal((1000, 1001))
        same(K.lazy_p.reduce(m, axis=0), K.lazy_c.reduce(m, axis=0), "lazy reduce")
        same(K.lazy_p.accumulate(m, axis=1), K.lazy_c.accumulate(m, axis=1), "lazy accumulate")
        assert sorted(K.lazy_p.types) == sorted(K.lazy_c.types)
        ''', layer)


@by_layer
def test_parallel_equals_one_thread_for_loopjit_ufuncs(tmp_path, layer):
    """loopjit.ufuncs (always target='parallel') give the same bits on all threads as on
    one (set_num_threads(1) runs the loop on the caller)."""
    run_script(tmp_path, '''
        import loopjit.ufuncs as lnp
        for n in (8193, 10**5 + 1, 10**6 + 3):
            for dt in (np.float64, np.float32):
                x = (rng.standard_normal(n) * 10).astype(dt)
                y = (rng.standard_normal(n) * 10).astype(dt)
                for f, args in ((lnp.exp, (x,)), (lnp.sin, (x,)), (lnp.log1p, (abs(x),)),
                                (lnp.arctan2, (x, y)), (lnp.add, (x, y)),
                                (lnp.true_divide, (x, y))):
                    lj.set_num_threads(lj._core.pool_size())
                    many = f(*args)
                    lj.set_num_threads(1)
                    one = f(*args)
                    same(many, one, f"{f.__name__} {dt.__name__} n={n}")
        ''', layer)


# --- reductions and aliasing ------------------------------------------------------------------


@by_layer
def test_reduce_accumulate_at_equal_cpu(tmp_path, layer):
    """NumPy runs reduce and accumulate through the loop with an output that overlaps an input:
    the parallel ufunc must give exactly the cpu ufunc's (sequential) result."""
    run_script(tmp_path, '''
        for dt in (np.float64, np.float32, np.int64):
            for shape in ((10**6,), (1000, 1001), (3, 300001), (300001, 3), (64, 64, 65)):
                a = (rng.standard_normal(shape) * 100).astype(dt)
                for axis in range(len(shape)):
                    what = f"{dt.__name__} {shape} axis {axis}"
                    same(K.add_p.reduce(a, axis=axis), K.add_c.reduce(a, axis=axis),
                         "reduce " + what)
                    same(K.add_p.accumulate(a, axis=axis), K.add_c.accumulate(a, axis=axis),
                         "accumulate " + what)
                if len(shape) > 1:
                    same(K.add_p.reduce(a, axis=None), K.add_c.reduce(a, axis=None),
                         f"reduce all {shape}")
            f = (rng.standard_normal((1001, 999)) * 100).astype(dt).T  # Fortran order
            same(K.add_p.reduce(f, axis=1), K.add_c.reduce(f, axis=1), "reduce F")
            same(K.add_p.accumulate(f, axis=0), K.add_c.accumulate(f, axis=0), "accumulate F")
        x = rng.standard_normal(10**6)
        same(K.fma_p.accumulate(x), K.fma_c.accumulate(x), "accumulate without identity")
        same(K.fma_p.reduceat(x, [0, 10, 5000, 400000]), K.fma_c.reduceat(x, [0, 10, 5000, 400000]),
             "reduceat")
        same(K.fma_p.outer(x[:1000], x[:1001]), K.fma_c.outer(x[:1000], x[:1001]), "outer")
        idx = rng.integers(0, 1000, 10**6)
        acc_p, acc_c = np.zeros(1000), np.zeros(1000)
        K.add_p.at(acc_p, idx, x)
        K.add_c.at(acc_c, idx, x)
        same(acc_p, acc_c, "at with repeated indices")
        ''', layer)


@by_layer
def test_out_aliasing_and_overlap(tmp_path, layer):
    run_script(tmp_path, '''
        n = 10**6
        x0, y0 = rng.standard_normal(n), rng.standard_normal(n)

        def check(what, call_p, call_c):
            x_p, y_p, x_c, y_c = x0.copy(), y0.copy(), x0.copy(), y0.copy()
            call_p(K.fma_p, x_p, y_p)
            call_c(K.fma_c, x_c, y_c)
            same(x_p, x_c, what + " (x)")
            same(y_p, y_c, what + " (y)")

        cases = {
            "out is the first input": lambda f, x, y: f(x, y, out=x),
            "out is the second input": lambda f, x, y: f(x, y, out=y),
            "out is both inputs": lambda f, x, y: f(x, x, out=x),
            "shifted forward": lambda f, x, y: f(x[1:], y[:-1], out=x[:-1]),
            "shifted back": lambda f, x, y: f(x[:-1], y[1:], out=x[1:]),
            "reversed": lambda f, x, y: f(x[::-1], y, out=x),
            "interleaved": lambda f, x, y: f(x[::2], x[1::2], out=x[1 : n // 2 + 1]),
            "half overlap": lambda f, x, y: f(x[: n // 2], x[n // 4 : 3 * n // 4],
                                               out=x[n // 8 : 5 * n // 8]),
        }
        for what, call in cases.items():
            check(what, call, call)
            # and what NumPy promises: as if the inputs were copied first
            x, y = x0.copy(), y0.copy()
            call(K.fma_p, x, y)
            xc, yc = x0.copy(), y0.copy()
            call(lambda a, b, out: out.__setitem__(slice(None), K.fma_c(a.copy(), b.copy())),
                 xc, yc)
            same(x, xc, what + " vs copies")
        # two outputs aliasing the two inputs exactly
        x, y = x0.copy(), y0.copy()
        K.polar_p(x, y, out=(x, y))
        r, t = K.polar_c(x0, y0)
        same(x, r, "polar in place r")
        same(y, t, "polar in place theta")
        ''', layer)


# --- floating point ---------------------------------------------------------------------------


@by_layer
def test_floating_point_errors_reach_the_caller(tmp_path, layer):
    run_script(tmp_path, '''
        n = 10**6
        before = np.geterr()
        for dt in (np.float64, np.float32):
            cases = [("divide by zero", 1.0, 0.0), ("invalid value", 0.0, 0.0),
                     ("overflow", np.finfo(dt).max, 0.25)]
            for msg, xv, yv in cases:
                for pos in (0, n // 2 + 7, n - 1):  # the caller's piece and the workers'
                    x, y = np.ones(n, dt), np.full(n, 2, dt)
                    x[pos], y[pos] = xv, yv
                    for f in (K.div_p, K.div_c):
                        with np.errstate(all="raise"):
                            try:
                                f(x, y)
                            except FloatingPointError as e:
                                assert msg in str(e), (f.__name__, msg, str(e))
                            else:
                                raise AssertionError(f"{f.__name__} {dt.__name__}: no "
                                                     f"FloatingPointError for {msg} at {pos}")
                    for f in (K.div_p, K.div_c):  # the default: one RuntimeWarning
                        with warnings.catch_warnings(record=True) as w:
                            warnings.simplefilter("always")
                            f(x, y)
                        got = [str(m.message) for m in w]
                        assert len(got) == 1 and msg in got[0], (f.__name__, got)
        # clean data after all that: no error, so no flag stuck on a worker thread
        x, y = rng.random(n) + 1, rng.random(n) + 1
        with np.errstate(all="raise"):
            for _ in range(5):
                same(K.div_p(x, y), K.div_c(x, y), "clean")
                same(K.wave_p(x), K.wave_c(x), "clean wave")
        assert np.geterr() == before
        ''', layer)


@by_layer
def test_rounding_mode_reaches_the_workers(tmp_path, layer):
    """Worker threads compute under the caller's rounding mode, and keep none afterwards."""
    run_script(tmp_path, '''
        import ctypes
        import platform

        libm = ctypes.CDLL("libm.so.6")
        modes = {"x86_64": (0, 0x800, 0x400, 0xC00),
                 "aarch64": (0, 0x400000, 0x800000, 0xC00000)}[platform.machine()]
        nearest, others = modes[0], modes[1:]
        assert libm.fegetround() == nearest
        x, y = rng.random(10**6) + 1, rng.random(10**6) * 3 + 1
        near = K.div_c(x, y)
        for mode in others:
            assert libm.fesetround(mode) == 0
            try:
                want = K.div_c(x, y)
                got = [K.div_p(x, y) for _ in range(3)]
                got32 = K.div_p(x.astype(np.float32), y.astype(np.float32))
                want32 = K.div_c(x.astype(np.float32), y.astype(np.float32))
            finally:
                libm.fesetround(nearest)
            assert (want != near).any(), "the rounding mode had no effect"
            for g in got:
                same(g, want, f"mode {mode:#x}")
            same(got32, want32, f"float32 mode {mode:#x}")
        assert libm.fegetround() == nearest
        for _ in range(3):
            same(K.div_p(x, y), near, "round to nearest again")
        ''', layer)


# --- thread counts ----------------------------------------------------------------------------


def test_set_num_threads_rejects_bad_values():
    pool = lj._core.pool_size()
    original = lj.get_num_threads()
    try:
        for bad in (0, -1, pool + 1, 10**9):
            with pytest.raises(ValueError, match=f"from 1 to {pool}"):
                lj.set_num_threads(bad)
        for bad in ("2", 2.0, 1.5, True, None, [2]):
            with pytest.raises(TypeError, match="integer"):
                lj.set_num_threads(bad)
        assert lj.get_num_threads() == original
        lj.set_num_threads(1)
        assert lj.get_num_threads() == 1
        lj.set_num_threads(np.int64(pool))  # NumPy integers are integers
        assert lj.get_num_threads() == pool
    finally:
        lj.set_num_threads(original)


@by_layer
def test_thread_counts_are_per_calling_thread(tmp_path, layer):
    run_script(tmp_path, '''
        assert lj._core.pool_size() == 8
        assert lj.get_num_threads() == 8
        lj.set_num_threads(3)
        assert lj.get_num_threads() == 3
        x, y = rng.standard_normal(10**6), rng.standard_normal(10**6)
        want = K.fma_c(x, y)
        barrier = threading.Barrier(8)

        def worker(i):
            assert lj.get_num_threads() == 8, "a new thread starts with the pool size"
            lj.set_num_threads(i + 1)
            barrier.wait()  # all have set their count before any reads it
            for _ in range(30):
                same(K.fma_p(x, y), want, f"thread {i}")
                assert lj.get_num_threads() == i + 1
            barrier.wait()
            assert lj.get_num_threads() == i + 1

        run_threads(worker, 8)
        assert lj.get_num_threads() == 3
        lj.set_num_threads(1)
        same(K.fma_p(x, y), want, "one thread")
        ''', layer, env={"LOOPJIT_NUM_THREADS": "8"})


@pytest.mark.parametrize("value", ["bogus", "workqueue"])
def test_bad_threading_layer_is_a_clear_error(tmp_path, value):
    out = run_script(tmp_path, '''
        try:
            import numpy as np
            import loopjit as lj
            import pkernels as K
            print("layer", lj.threading_layer())
            K.fma_p(np.ones(10**6), np.ones(10**6))
            print("called")
        except Exception as e:
            print("ERROR", type(e).__name__, e)
        ''', value, prelude=False)
    assert "ERROR ValueError" in out, out
    for word in ("LOOPJIT_THREADING_LAYER", repr(value), "'tbb'", "'omp'", "'serial'"):
        assert word in out, (word, out)


@by_layer
@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5", "100000"])
def test_bad_num_threads_is_a_clear_error(tmp_path, layer, value):
    out = run_script(tmp_path, '''
        try:
            import numpy as np
            import loopjit as lj
            import pkernels as K
            print("threads", lj.get_num_threads())
            K.fma_p(np.ones(10**6), np.ones(10**6))
            print("called")
        except Exception as e:
            print("ERROR", type(e).__name__, e)
        ''', layer, env={"LOOPJIT_NUM_THREADS": value}, prelude=False)
    assert "ERROR ValueError" in out, out
    for word in ("LOOPJIT_NUM_THREADS", repr(value), "integer"):
        assert word in out, (word, out)


def test_threading_layer_defaults_to_tbb_and_num_threads_is_read(tmp_path):
    out = run_script(tmp_path, '''
        import numpy as np
        import loopjit as lj
        print(lj.threading_layer(), lj._core.pool_size(), lj.get_num_threads(),
              lj.parallel.threading_layers())
        ''', "", env={"LOOPJIT_NUM_THREADS": "3"}, prelude=False)
    assert out.strip() == "tbb 3 3 ['tbb', 'omp', 'serial']"


def test_small_work_is_not_split():
    grain = lj._core.grain_for
    # A loop splits only into pieces of at least `grain` iterations, so n < 2 * grain runs on
    # the calling thread. 8192 cheap elements (NumPy's buffer size) is such a case.
    assert 8192 < 2 * grain(8192, 1.0)
    assert 10**6 >= 2 * grain(10**6, 1.0)
    # costly elements split sooner
    assert 8192 >= 2 * grain(8192, 50.0)
    assert grain(8192, 50.0) < grain(8192, 1.0)
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        assert grain(8192, bad) == grain(8192, 1.0)
    assert grain(0, 1.0) >= 1
    # never more pieces than a pool can use
    assert grain(10**9, 1000.0) >= 10**9 // 256


# --- safety -----------------------------------------------------------------------------------


@by_layer
def test_many_threads_call_the_same_ufunc(tmp_path, layer):
    run_script(tmp_path, '''
        THREADS, CALLS = 16, 1000
        x = rng.standard_normal(10**5)
        ys = [rng.standard_normal(10**5) for _ in range(THREADS)]
        big = rng.standard_normal(6 * 10**5)
        wants = [K.fma_c(x, y) for y in ys]
        big_want = K.fma_c(big, big)
        ints = rng.integers(0, 1000, 10**5)
        int_want = K.mix_c(ints, ints)
        start = threading.Barrier(THREADS)

        def worker(t):
            out = np.empty_like(x)
            start.wait()
            for k in range(CALLS):
                if k % 10 == 0:
                    same(K.fma_p(big, big), big_want, f"thread {t} big call {k}")
                elif k % 7 == 0:
                    same(K.mix_p(ints, ints), int_want, f"thread {t} ints call {k}")
                else:
                    r = K.fma_p(x, ys[t], out=out) if k % 2 else K.fma_p(x, ys[t])
                    same(r, wants[t], f"thread {t} call {k}")

        run_threads(worker, THREADS)
        ''', layer, timeout=400)


@by_layer
def test_calls_while_another_thread_runs_a_big_call(tmp_path, layer):
    run_script(tmp_path, '''
        big = rng.standard_normal(4 * 10**6)
        big_want = K.wave_c(big)
        x = rng.standard_normal(10**5)
        want = K.fma_c(x, x)
        done = threading.Event()
        big_calls = []

        def big_worker():
            while not done.is_set() or not big_calls:
                same(K.wave_p(big), big_want, "big call")
                big_calls.append(1)

        def small_worker(i):
            for k in range(200):
                same(K.fma_p(x, x), want, f"small {i} call {k}")
                same(K.add_p.reduce(x), K.add_c.reduce(x), f"small {i} reduce {k}")

        b = threading.Thread(target=big_worker)
        b.start()
        try:
            run_threads(small_worker, 8)
        finally:
            done.set()
            b.join()
        assert big_calls
        ''', layer, timeout=400)


@by_layer
def test_thread_pool_executor(tmp_path, layer):
    run_script(tmp_path, '''
        from concurrent.futures import ThreadPoolExecutor
        import loopjit.ufuncs as lnp

        sizes = [0, 1, 8193, 10**5, 10**6]
        arrays = {n: rng.standard_normal(n) for n in sizes}

        def task(k):
            x = arrays[sizes[k % len(sizes)]]
            same(K.fma_p(x, x), K.fma_c(x, x), f"task {k} fma")
            r_p, t_p = K.polar_p(x, x[::-1])
            r_c, t_c = K.polar_c(x, x[::-1])
            same(r_p, r_c, f"task {k} polar")
            same(t_p, t_c, f"task {k} polar")
            same(K.add_p.accumulate(x), K.add_c.accumulate(x), f"task {k} accumulate")
            np.testing.assert_allclose(lnp.exp(x), np.exp(x), rtol=1e-14)
            return k

        with ThreadPoolExecutor(max_workers=12) as pool:
            assert sorted(pool.map(task, range(120))) == list(range(120))
        ''', layer, timeout=400)


MULTIPROCESSING = '''
import multiprocessing as mp

METHOD = os.environ["START_METHOD"]
CAUGHT = []


def _record(message, category, filename, lineno, file=None, line=None):
    CAUGHT.append((category.__name__, str(message)))


# Installed before any fork, so a fork child records warnings from its very first moment.
warnings.showwarning = _record
warnings.simplefilter("always", RuntimeWarning)


def child(queue):
    x = np.random.default_rng(1).standard_normal(10**6)
    ok = True
    for _ in range(3):
        ok = ok and bool(np.array_equal(K.fma_p(x, x), K.fma_c(x, x)))
        ok = ok and bool(np.array_equal(K.add_p.reduce(x), K.add_c.reduce(x)))
    warned = [m for c, m in CAUGHT if c == "RuntimeWarning"]
    queue.put((ok, lj._core.fell_back_to_serial(), warned))


if __name__ == "__main__":
    x = rng.standard_normal(10**6)
    for _ in range(5):  # the pool has run (and, for omp, holds its threads)
        same(K.fma_p(x, x), K.fma_c(x, x), "parent before")
    assert not CAUGHT, CAUGHT
    ctx = mp.get_context(METHOD)
    queue = ctx.Queue()
    procs = [ctx.Process(target=child, args=(queue,)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0, p.exitcode
    for ok, fell_back, warned in results:
        assert ok, "a child computed a wrong result"
        if fell_back:
            assert LAYER == "omp" and METHOD == "fork", (LAYER, METHOD)
            assert len(warned) == 1 and "omp" in warned[0], warned
        else:
            assert warned == [], warned
        print("fell back" if fell_back else "parallel")
    same(K.fma_p(x, x), K.fma_c(x, x), "parent after")
'''


@by_layer
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_multiprocessing_children_after_the_pool_ran(tmp_path, layer, method):
    """Children started after the parent's pool ran compute correctly; the omp layer in a fork
    child may run serially, and then says so with exactly one RuntimeWarning."""
    out = run_script(tmp_path, MULTIPROCESSING, layer, timeout=300,
                     env={"START_METHOD": method})
    assert out.splitlines() in (["parallel"] * 2, ["fell back"] * 2)


@by_layer
def test_os_fork_child_never_hangs(tmp_path, layer):
    run_script(tmp_path, '''
        caught = []
        # Recorded from before the fork: a warning may come from loopjit's at-fork hook.
        warnings.showwarning = lambda message, category, *rest, **kw: caught.append(
            (category, str(message)))
        warnings.simplefilter("always", RuntimeWarning)
        x = rng.standard_normal(10**6)
        want = K.fma_c(x, x)
        for _ in range(3):
            same(K.fma_p(x, x), want, "parent")
        for generation in range(2):  # a child, and later a second child of the same parent
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    for _ in range(3):
                        same(K.fma_p(x, x), want, "child")
                    runtime = [m for c, m in caught if c is RuntimeWarning]
                    fell_back = lj._core.fell_back_to_serial()
                    assert not fell_back or LAYER == "omp", LAYER
                    assert len(runtime) == (1 if fell_back else 0), (fell_back, runtime)
                    code = 0
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    sys.stderr.flush()
                    os._exit(code)
            deadline = time.monotonic() + 120
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, 9)
                    raise AssertionError("the fork child hung")
                time.sleep(0.05)
            assert os.waitstatus_to_exitcode(status) == 0, status
            same(K.fma_p(x, x), want, "parent after fork")
        assert not [m for c, m in caught if c is RuntimeWarning], caught
        ''', layer)


@by_layer
def test_idle_pauses_between_calls(tmp_path, layer):
    """Pools that spin, doze or sleep between calls (1 s down to 10 us) still answer right."""
    run_script(tmp_path, '''
        x = rng.standard_normal(10**5)
        big = rng.standard_normal(10**6)
        w = rng.standard_normal(20000)
        want, big_want, w_want = K.fma_c(x, x), K.fma_c(big, big), K.wave_c(w)
        for pause in (1.0, 0.1, 0.01, 1e-3, 1e-4, 1e-5):
            for k in range(3):
                time.sleep(pause)
                same(K.fma_p(x, x), want, f"pause {pause} call {k}")
                time.sleep(pause)
                same(K.fma_p(big, big), big_want, f"pause {pause} big call {k}")
                same(K.wave_p(w), w_want, f"pause {pause} wave call {k}")
        ''', layer)
