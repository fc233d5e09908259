"""Benchmarks 1 and 2a, in fresh processes: how long `import loopjit` takes (against `import
numpy` alone and `import numba`), and how long the first @vectorize of a process takes from
decoration to a callable ufunc (against Numba's first)."""

import tempfile

from . import kernel_gen
from .timing import run_child, stats

# Each child times its own import (time and sys are loaded before any user code runs), so
# interpreter start-up is left out of "import" but shows in "wall".
_IMPORT_CHILD = """
import sys, time
sys.path.insert(0, {path!r})
t0 = time.perf_counter()
{stmt}
t1 = time.perf_counter()
print('{{"seconds": %r}}' % (t1 - t0))
"""

_FIRST_KERNEL_CHILD = """
import json, sys, time
sys.path[:0] = [{path!r}, {moddir!r}]
import numpy as np
{import_stmt}
from {module} import {name} as kernel
t0 = time.perf_counter()
ufunc = {decorator}([{sig!r}])(kernel)
t1 = time.perf_counter()
assert float(ufunc(np.float64(1.5), np.float64(0.5))) == 1.5 * 0.5 + {constant!r}
print(json.dumps({{"seconds": t1 - t0}}))
"""

IMPORTS = {
    "python (nothing)": "pass",
    "numpy": "import numpy",
    "loopjit": "import loopjit",
    "numba": "import numba",
}


def measure_imports(path, runs, have_numba=True, warmup=2):
    """name -> stats of the import's seconds and of the whole process's wall time, over `runs`
    fresh interpreters per import, interleaved."""
    names = [n for n in IMPORTS if have_numba or n != "numba"]
    codes = {n: _IMPORT_CHILD.format(path=path, stmt=IMPORTS[n]) for n in names}
    for _ in range(warmup):  # bytecode caches and the page cache, as for any later import
        for n in names:
            run_child(codes[n])
    seconds = {n: [] for n in names}
    walls = {n: [] for n in names}
    for _ in range(runs):
        for n in names:
            r = run_child(codes[n])
            seconds[n].append(r["seconds"])
            walls[n].append(r["wall"])
    return {n: {"import": stats(seconds[n]), "wall": stats(walls[n])} for n in names}


def measure_first_kernel(path, runs, have_numba=True):
    """name -> stats of the first @vectorize of a fresh process (one float64(float64, float64)
    kernel, `a * b + k`, with a new constant every run), interleaved loopjit / Numba."""
    compilers = {"loopjit": ("import loopjit", "loopjit.vectorize")}
    if have_numba:
        compilers["numba"] = ("import numba", "numba.vectorize")
    samples = {c: [] for c in compilers}
    with tempfile.TemporaryDirectory(prefix="lj-bench-first-") as moddir:
        for run in range(runs):
            for c, (import_stmt, decorator) in compilers.items():
                module = f"first_{c}_{run}"
                [(name, sig)] = kernel_gen.write_module(moddir, module, count=1)
                constant = _constant_of(moddir, module)
                code = _FIRST_KERNEL_CHILD.format(
                    path=path, moddir=moddir, import_stmt=import_stmt, module=module,
                    name=name, decorator=decorator, sig=sig, constant=constant)
                samples[c].append(run_child(code)["seconds"])
    return {c: stats(s) for c, s in samples.items()}


def _constant_of(moddir, module):
    """The constant `k` of the generated `x * y + k` kernel, read back from its source."""
    with open(f"{moddir}/{module}.py") as f:
        source = f.read()
    return float(source.rsplit("+", 1)[1].strip())

