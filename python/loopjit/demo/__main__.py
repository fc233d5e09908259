"""python -m loopjit.demo: compile the reference kernels, check them against NumPy, time them
(against NumPy, and Numba when it is installed), and draw the Mandelbrot set with a @vectorize
kernel; then a @guvectorize moving mean and a @stencil heat step (loopjit.demo.arrays).

    python -m loopjit.demo [--n 1000000] [--out mandelbrot.png] [--no-numba]
"""

import argparse
import math
import sys
import time

import numpy as np

import loopjit as lj
from loopjit.demo import arrays
from loopjit.demo.png import write_png
from loopjit.kernels.reference import WORKLOADS, mandelbrot


def best_time(fn, repeat=5):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def compile_timed(decorator, func):
    t0 = time.perf_counter()
    compiled = decorator(func)
    return compiled, time.perf_counter() - t0


def check(name, got, want, rtol):
    if rtol == 0:
        ok = np.array_equal(got, want)
    else:
        # relative to the largest value: formulations differ by cancellation near zero
        scale = float(np.nanmax(np.abs(want))) if want.size else 0.0
        ok = np.allclose(got, want, rtol=rtol, atol=rtol * scale, equal_nan=True)
    if not ok:
        worst = np.nanmax(np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
        raise SystemExit(f"demo: {name}: loopjit disagrees with NumPy (worst rel. error {worst})")


def fmt_ms(seconds):
    return f"{seconds * 1e3:9.2f}"


@lj.vectorize(["UniTuple(uint8, 3)(int64, int64)"])
def colorize(iterations, max_iter):
    """A smooth blue-gold palette; points inside the set are black."""
    if iterations >= max_iter:
        return 0, 0, 0
    t = iterations / max_iter
    r = 9 * (1 - t) * t * t * t
    g = 15 * (1 - t) * (1 - t) * t * t
    b = 8.5 * (1 - t) * (1 - t) * (1 - t) * t
    return np.uint8(min(255.0, 255 * r)), np.uint8(min(255.0, 255 * g)), np.uint8(
        min(255.0, 255 * b)
    )


def draw_mandelbrot(path, width=900, height=600, max_iter=200):
    escape = lj.vectorize(["int64(complex128, int64)"])(mandelbrot)
    x = np.linspace(-2.2, 0.8, width)
    y = np.linspace(-1.0, 1.0, height)
    c = x[None, :] + 1j * y[:, None]
    t0 = time.perf_counter()
    iterations = escape(c, max_iter)
    seconds = time.perf_counter() - t0
    r, g, b = colorize(iterations, max_iter)
    write_png(path, np.stack([r, g, b], axis=-1))
    return seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="elements per kernel run")
    ap.add_argument("--out", default="mandelbrot.png", help="where to write the picture")
    ap.add_argument("--no-numba", action="store_true", help="do not compare with Numba")
    args = ap.parse_args(argv)

    numba = None
    if not args.no_numba:
        try:
            import numba
        except ImportError:
            pass

    rng = np.random.default_rng(42)
    cpu = lj._core.host_cpu()[1]
    print(f"loopjit {lj.__version__} on {cpu}, NumPy {np.__version__}"
          + (f", Numba {numba.__version__}" if numba else ", Numba not installed"))
    print(f"each kernel on n = {args.n:,} float64 elements; times are the best of 5 runs\n")
    head = f"{'kernel':<15}{'compile ms':>11}{'run ms':>10}{'NumPy ms':>10}{'vs NumPy':>10}"
    if numba:
        head += f"{'Numba compile':>15}{'Numba ms':>10}{'vs Numba':>10}"
    print(head)
    print("-" * len(head))
    for w in WORKLOADS:
        inputs = w.inputs(args.n, rng)
        ufunc, t_compile = compile_timed(lj.vectorize(w.signatures), w.func)
        got = ufunc(*inputs)
        want = w.numpy(*inputs)
        check(w.name, got, want, w.rtol)
        t_lj = best_time(lambda: ufunc(*inputs))
        t_np = best_time(lambda: w.numpy(*inputs), repeat=3)
        row = (f"{w.name:<15}{fmt_ms(t_compile):>11}{fmt_ms(t_lj):>10}{fmt_ms(t_np):>10}"
               f"{t_np / t_lj:>9.1f}x")
        if numba:
            nb, t_nb_compile = compile_timed(numba.vectorize(w.signatures), w.func)
            check(w.name + " (numba)", nb(*inputs), want, max(w.rtol, 1e-12))
            t_nb = best_time(lambda: nb(*inputs))
            row += f"{fmt_ms(t_nb_compile):>15}{fmt_ms(t_nb):>10}{t_nb / t_lj:>9.1f}x"
        print(row)
    print("\narrays: a NaN-aware moving mean (window 20) over 1000 x 10,000 float64, and a heat "
          "step\n(5-point stencil, mode='nearest') over 2048 x 2048; stencil compile is its first "
          "call")
    arrays.run(rng)
    seconds = draw_mandelbrot(args.out)
    print(f"\nall kernels agree with NumPy; Mandelbrot set (900x600, 200 iterations) computed in "
          f"{seconds * 1e3:.1f} ms and written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
