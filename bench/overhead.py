"""Benchmark 5: the cost of one call on tiny arrays, where the loop itself is nothing and what
shows is dispatch (argument parsing, loop selection, output allocation). A loopjit ufunc goes
through NumPy's own machinery, so the reference is np.add on the same arrays."""

import numpy as np

from .timing import per_call


def add(x, y):
    return x + y


def measure(lj, numba, *, sizes, repeat):
    """Seconds per call of loopjit's add, np.add (and Numba's add) on `sizes`-element float64
    arrays, with the output allocated by the call and with a preallocated out=."""
    lj_add = lj.vectorize(["float64(float64, float64)"])(add)
    namespace = {"lj_add": lj_add, "np_add": np.add}
    if numba is not None:
        namespace["nb_add"] = numba.vectorize(["float64(float64, float64)"])(add)
    rows = []
    for n in sizes:
        a, b = np.linspace(0.0, 1.0, n), np.linspace(1.0, 2.0, n)
        if not np.array_equal(lj_add(a, b), a + b):
            raise RuntimeError("loopjit's add disagrees with np.add")
        namespace.update(a=a, b=b, o=np.empty(n))
        for mode, args in (("allocating", "a, b"), ("out", "a, b, out=o")):
            stmts = {"loopjit": f"lj_add({args})", "numpy": f"np_add({args})"}
            if numba is not None:
                stmts["numba"] = f"nb_add({args})"
            rows.append({"n": n, "mode": mode,
                         "times": per_call(stmts, namespace, repeat=repeat, target=0.05)})
    return rows
