"""The demo's second part: a @guvectorize moving mean (NaN-aware, numbagg's hot path) and a
@stencil heat-diffusion step, each checked against NumPy and timed, on one thread and on all."""

import time

import numpy as np

import loopjit as lj


def _moving_mean(x, window, out):
    total = 0.0
    count = 0
    for i in range(x.shape[0]):
        v = x[i]
        if not np.isnan(v):
            total += v
            count += 1
        if i >= window:
            old = x[i - window]
            if not np.isnan(old):
                total -= old
                count -= 1
        out[i] = total / count if count > 0 else np.nan


def _moving_mean_numpy(x, window):
    valid = ~np.isnan(x)
    sums = np.cumsum(np.where(valid, x, 0.0), axis=-1)
    counts = np.cumsum(valid, axis=-1)
    sums[..., window:] -= sums[..., :-window].copy()
    counts[..., window:] -= counts[..., :-window].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def _heat(u, k):
    return u[0, 0] + k * (u[-1, 0] + u[1, 0] + u[0, -1] + u[0, 1] - 4 * u[0, 0])


def _heat_numpy(u, k):
    p = np.pad(u, 1, mode="edge")
    return u + k * (p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * u)


def _best(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _compiled(make):
    t = time.perf_counter()
    f = make()
    return f, time.perf_counter() - t


def run(rng):
    """Prints one table row per kernel and target; raises AssertionError on a wrong result."""
    x = rng.random((1000, 10_000))
    x[rng.random(x.shape) < 0.05] = np.nan
    u = rng.random((2048, 2048))
    want_mm = _moving_mean_numpy(x, 20)
    want_heat = _heat_numpy(u, 0.1)
    t_np_mm = _best(lambda: _moving_mean_numpy(x, 20), repeat=3)
    t_np_heat = _best(lambda: _heat_numpy(u, 0.1), repeat=3)
    head = f"{'kernel':<30}{'compile ms':>11}{'run ms':>10}{'NumPy ms':>10}{'vs NumPy':>10}"
    print(head)
    print("-" * len(head))
    for target in ("cpu", "parallel"):
        mm, t_c = _compiled(lambda: lj.guvectorize(
            ["void(float64[:], int64, float64[:])"], "(n),()->(n)", target=target)(_moving_mean))
        got = mm(x, 20)
        np.testing.assert_allclose(got, want_mm, rtol=1e-9, atol=1e-12)
        t = _best(lambda: mm(x, 20))
        print(f"{'moving mean gufunc, ' + target:<30}{t_c * 1e3:>11.1f}{t * 1e3:>10.1f}"
              f"{t_np_mm * 1e3:>10.1f}{t_np_mm / t:>9.1f}x")
    for target in ("cpu", "parallel"):
        heat = lj.stencil(mode="nearest", target=target)(_heat)
        t0 = time.perf_counter()
        got = heat(u, 0.1)
        t_c = time.perf_counter() - t0
        np.testing.assert_allclose(got, want_heat, rtol=1e-12)
        t = _best(lambda: heat(u, 0.1))
        print(f"{'heat step stencil, ' + target:<30}{t_c * 1e3:>11.1f}{t * 1e3:>10.1f}"
              f"{t_np_heat * 1e3:>10.1f}{t_np_heat / t:>9.1f}x")
