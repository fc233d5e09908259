"""Benchmark 2b: compile latency of each further @vectorize in a warm process, decoration to a
callable ufunc, over distinct kernels (bench/kernel_gen.py) compiled by loopjit and by Numba
alternately. Also the compile time of the reference kernels, once each."""

import tempfile
import time

import numpy as np

from . import kernel_gen
from .timing import stats


def _timed(decorator, sig, func):
    t0 = time.perf_counter()
    ufunc = decorator([sig])(func)
    return ufunc, time.perf_counter() - t0


def _agree(got, want):
    if got.dtype.kind in "iub":
        return np.array_equal(got, want)
    rtol = 1e-5 if got.dtype == np.float32 else 1e-12
    return np.allclose(got, want, rtol=rtol, equal_nan=True)


def measure_further(lj, numba, *, kernels, rounds):
    """Per-compiler stats over `rounds` x `kernels` compiles (every round a freshly generated,
    never-seen set), after two warm-up kernels each; also which kernels the two compiled to
    different results (there should be none)."""
    compilers = {"loopjit": lj.vectorize}
    if numba is not None:
        compilers["numba"] = numba.vectorize
    samples = {c: [] for c in compilers}
    per_kernel = {c: [[] for _ in range(kernels)] for c in compilers}
    disagree = set()
    with tempfile.TemporaryDirectory(prefix="lj-bench-compile-") as moddir:
        module, listing = _write(moddir, "warmup", 2)
        warm = kernel_gen.load_module(moddir, module)
        for name, sig in listing:
            for decorator in compilers.values():
                decorator([sig])(getattr(warm, name))
        for r in range(rounds):
            module, listing = _write(moddir, f"round{r}", kernels)
            mod = kernel_gen.load_module(moddir, module)
            for index, (name, sig) in enumerate(listing):
                func = getattr(mod, name)
                inputs = kernel_gen.sample_inputs(np, sig)
                results = {}
                for c, decorator in compilers.items():
                    ufunc, seconds = _timed(decorator, sig, func)
                    samples[c].append(seconds)
                    per_kernel[c][index].append(seconds)
                    results[c] = ufunc(*inputs)
                if "numba" in results and not _agree(results["loopjit"], results["numba"]):
                    disagree.add(kernel_gen.TEMPLATES[index][2].splitlines()[0])
    out = {c: stats(s) for c, s in samples.items()}
    for c in compilers:
        out[c]["per_kernel_min"] = [min(ts) for ts in per_kernel[c]]
    out["kernels"] = kernels
    out["rounds"] = rounds
    out["disagreements"] = sorted(disagree)
    return out


def _write(moddir, module, count):
    # A new module name per call: a rewritten module of the same name would be the old one.
    module = f"{module}_{time.monotonic_ns()}"
    return module, kernel_gen.write_module(moddir, module, count=count)


def measure_reference(lj, numba, workloads):
    """Compile time (seconds, one measurement each) of every reference kernel."""
    out = {}
    for w in workloads:
        row = {}
        t0 = time.perf_counter()
        lj.vectorize(w.signatures)(w.func)
        row["loopjit"] = time.perf_counter() - t0
        if numba is not None:
            t0 = time.perf_counter()
            numba.vectorize(w.signatures)(w.func)
            row["numba"] = time.perf_counter() - t0
        out[w.name] = row
    return out
