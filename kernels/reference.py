"""Reference workloads: plain Python scalar kernels, each with its NumPy formulation and the
inputs it is measured on. The demo, the benchmarks and the tests compile them with loopjit
(and Numba when installed) and compare against NumPy."""

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

R_EARTH_KM = 6371.0


def fma_kernel(a, b, c):
    return a * b + c


def rel_diff(x, y):
    return 2 * (x - y) / (x + y)


def exp_kernel(x):
    return math.exp(x)


def sincos(x):
    return math.sin(x) * math.cos(x)


def haversine(lat1, lon1, lat2, lon2):
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH_KM * math.asin(math.sqrt(a))


def black_scholes_call(s, k, t, r, v):
    """Price of a European call option (Black-Scholes)."""
    sqrt_t = math.sqrt(t)
    d1 = (math.log(s / k) + (r + 0.5 * v * v) * t) / (v * sqrt_t)
    d2 = d1 - v * sqrt_t
    nd1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    nd2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return s * nd1 - k * math.exp(-r * t) * nd2


def gaussian_wave(x):
    return math.exp(-x * x) * math.cos(x)


def mandelbrot(c, max_iter):
    """Escape time of the point c: iterations before |z| > 2, max_iter if it never escapes."""
    z = 0j
    for i in range(max_iter):
        z = z * z + c
        if z.real * z.real + z.imag * z.imag > 4.0:
            return i
    return max_iter


# ---- NumPy formulations --------------------------------------------------------------------


def np_haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R_EARTH_KM * np.arcsin(np.sqrt(a))


def np_black_scholes_call(s, k, t, r, v):
    from math import sqrt

    try:
        from scipy.special import erf
    except ImportError:  # NumPy has no erf of its own
        erf = np.vectorize(math.erf, otypes=[np.float64])
    sqrt_t = np.sqrt(t)
    d1 = (np.log(s / k) + (r + 0.5 * v * v) * t) / (v * sqrt_t)
    d2 = d1 - v * sqrt_t
    nd1 = 0.5 * (1.0 + erf(d1 / sqrt(2.0)))
    nd2 = 0.5 * (1.0 + erf(d2 / sqrt(2.0)))
    return s * nd1 - k * np.exp(-r * t) * nd2


def np_mandelbrot(c, max_iter):
    z = np.zeros_like(c)
    out = np.full(c.shape, max_iter, dtype=np.int64)
    alive = np.ones(c.shape, dtype=bool)
    for i in range(max_iter):
        z[alive] = z[alive] * z[alive] + c[alive]
        escaped = alive & (z.real * z.real + z.imag * z.imag > 4.0)
        out[escaped] = i
        alive &= ~escaped
    return out


# ---- the table -----------------------------------------------------------------------------


@dataclass
class Workload:
    name: str
    func: Callable
    signatures: list
    numpy: Callable
    inputs: Callable  # n, rng -> tuple of arrays
    rtol: float = 1e-12


def _uniform(lo, hi, count):
    return lambda n, rng: tuple(rng.uniform(lo, hi, n) for _ in range(count))


def _bs_inputs(n, rng):
    return (rng.uniform(10, 100, n), rng.uniform(10, 100, n), rng.uniform(0.1, 2, n),
            np.full(n, 0.03), rng.uniform(0.1, 0.5, n))


def _latlon_inputs(n, rng):
    return (rng.uniform(-90, 90, n), rng.uniform(-180, 180, n),
            rng.uniform(-90, 90, n), rng.uniform(-180, 180, n))


def _mandel_inputs(n, rng):
    return (rng.uniform(-2, 0.5, n) + 1j * rng.uniform(-1.2, 1.2, n), np.int64(100))


WORKLOADS = [
    Workload("a*b+c", fma_kernel, ["float64(float64, float64, float64)"],
             lambda a, b, c: a * b + c, _uniform(-1, 1, 3)),
    Workload("rel_diff", rel_diff, ["float64(float64, float64)"],
             lambda x, y: 2 * (x - y) / (x + y), _uniform(1, 2, 2)),
    Workload("exp", exp_kernel, ["float64(float64)"], np.exp, _uniform(-10, 10, 1), 1e-15),
    Workload("sin*cos", sincos, ["float64(float64)"], lambda x: np.sin(x) * np.cos(x),
             _uniform(-100, 100, 1), 1e-14),
    Workload("gaussian_wave", gaussian_wave, ["float64(float64)"],
             lambda x: np.exp(-x * x) * np.cos(x), _uniform(-5, 5, 1), 1e-14),
    Workload("haversine", haversine, ["float64(float64, float64, float64, float64)"],
             np_haversine, _latlon_inputs, 1e-12),
    Workload("black_scholes", black_scholes_call,
             ["float64(float64, float64, float64, float64, float64)"],
             np_black_scholes_call, _bs_inputs, 1e-10),
    Workload("mandelbrot", mandelbrot, ["int64(complex128, int64)"], np_mandelbrot,
             _mandel_inputs, 0),
]
