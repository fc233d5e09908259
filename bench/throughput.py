"""Benchmarks 3 and 4: run time of compiled kernels on large float64 arrays against NumPy's
formulation, Numba's @vectorize and (for `a * b + c`) NumExpr, all on one thread. Every
competitor's result is checked against NumPy's before it is timed."""

import numpy as np

from .timing import interleaved

MATH_KERNELS = ("exp", "sin*cos", "haversine", "black_scholes")


def _agrees(got, want, rtol):
    # Relative to the largest value, as the demo checks: formulations differ by cancellation
    # near zero.
    scale = float(np.nanmax(np.abs(want))) if want.size else 0.0
    return bool(np.allclose(got, want, rtol=rtol, atol=rtol * scale, equal_nan=True))


def measure_fma(lj, numba, numexpr, reference, *, n, budget, min_rounds):
    """`a * b + c` on n float64 elements: each competitor called as users write it (the result
    freshly allocated) and with a preallocated out=; plus the triad bandwidth of this machine."""
    rng = np.random.default_rng(7)
    a, b, c = (rng.uniform(-1, 1, n) for _ in range(3))
    out = np.empty(n)
    want = a * b + c
    fma = lj.vectorize(["float64(float64, float64, float64)"])(reference.fma_kernel)

    def np_out():
        np.multiply(a, b, out=out)
        np.add(out, c, out=out)

    alloc = {"loopjit": lambda: fma(a, b, c), "numpy": lambda: a * b + c}
    with_out = {"loopjit": lambda: fma(a, b, c, out=out), "numpy": np_out}
    if numba is not None:
        nb = numba.vectorize(["float64(float64, float64, float64)"])(reference.fma_kernel)
        alloc["numba"] = lambda: nb(a, b, c)
        with_out["numba"] = lambda: nb(a, b, c, out=out)
    if numexpr is not None:
        numexpr.set_num_threads(1)
        env = {"a": a, "b": b, "c": c}
        alloc["numexpr"] = lambda: numexpr.evaluate("a*b+c", local_dict=env)
        with_out["numexpr"] = lambda: numexpr.evaluate("a*b+c", local_dict=env, out=out)
    mismatched = [name for name, fn in alloc.items() if not _agrees(fn(), want, 1e-12)]
    for name, fn in with_out.items():
        out.fill(np.nan)
        fn()
        if not _agrees(out, want, 1e-12) and name not in mismatched:
            mismatched.append(name)
    triad = max(lj._core.triad_bandwidth() for _ in range(3))  # the machine's best, not noise
    result = {
        "n": n,
        "triad_bytes_per_second": triad,
        "allocating": interleaved(alloc, budget=budget, min_rounds=min_rounds, max_rounds=200),
        "out": interleaved(with_out, budget=budget, min_rounds=min_rounds, max_rounds=200),
        "mismatched": mismatched,
    }
    for mode in ("allocating", "out"):
        for s in result[mode].values():
            bandwidth = 4 * 8 * n / s["median"]
            s["bytes_per_second"] = bandwidth
            s["fraction_of_triad"] = bandwidth / triad
    return result


def measure_math(lj, numba, reference, *, sizes, budget, min_rounds):
    """The transcendental reference kernels at each size: loopjit, Numba, NumPy, each
    allocating its result, and loopjit writing into a preallocated out= (which shows how much
    of a large call is the kernel and how much the operating system supplying fresh pages)."""
    workloads = {w.name: w for w in reference.WORKLOADS}
    rows = []
    for name in MATH_KERNELS:
        w = workloads[name]
        ufunc = lj.vectorize(w.signatures)(w.func)
        nb = numba.vectorize(w.signatures)(w.func) if numba is not None else None
        for n in sizes:
            inputs = w.inputs(n, np.random.default_rng(11))
            want = w.numpy(*inputs)
            out = np.empty_like(want)
            fns = {"loopjit": lambda: ufunc(*inputs), "numpy": lambda: w.numpy(*inputs),
                   "loopjit_out": lambda: ufunc(*inputs, out=out)}
            if nb is not None:
                fns["numba"] = lambda: nb(*inputs)
            mismatched = [c for c in ("loopjit", "numba")
                          if c in fns and not _agrees(fns[c](), want, max(w.rtol, 1e-12))]
            del want
            times = interleaved(fns, budget=budget, min_rounds=min_rounds, max_rounds=100)
            rows.append({"kernel": name, "n": n, "times": times, "mismatched": mismatched})
            del inputs, out
    return rows
