"""Speed of loopjit's transcendental functions (src/vmath, within 1 ULP) against NumPy's own
loops and against glibc libmvec's vector functions (what loopjit used before, up to 4 ULP):
each function of tests/python/test_ulp.py, float32 and float64, n = 10^6, one thread, as a
loopjit.ufuncs call and as a target='cpu' @vectorize kernel.

    .venv/bin/python -m bench.ulp_speed                # the whole table (a minute or two)
    .venv/bin/python -m bench.ulp_speed exp sin        # some functions

Each library runs in a child process of its own (LOOPJIT_VECTOR_MATH=libmvec for glibc's, the
disk cache off so every loop is compiled by the library under test); times are the minimum
over repeated calls, in nanoseconds per element."""

import json
import os
import subprocess
import sys
import timeit

import numpy as np

from bench.env import REPO, import_loopjit, package_dir

N = 10**6
# Typical arguments: where results are finite and the fast paths run.
RANGES = {
    "exp": (-50, 50), "exp2": (-50, 50), "expm1": (-5, 5), "log": (0.01, 100),
    "log2": (0.01, 100), "log10": (0.01, 100), "log1p": (-0.5, 10), "sin": (-10, 10),
    "cos": (-10, 10), "tan": (-10, 10), "arcsin": (-1, 1), "arccos": (-1, 1),
    "arctan": (-10, 10), "sinh": (-10, 10), "cosh": (-10, 10), "tanh": (-5, 5),
    "arctan2": (-10, 10), "hypot": (-10, 10), "power": (0.1, 10), "logaddexp": (-10, 10),
}
DTYPES = ("float32", "float64")


def _best(f, number=5, repeat=7):
    f()
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number / N * 1e9


def measure(names):
    """{"name dtype": {"numpy": ns, "lnp": ns, "cpu": ns}} in this process."""
    lj = import_loopjit()
    import loopjit.ufuncs as lnp
    try:
        from loopjit.kernels.ufuncs import KERNELS
    except ImportError:
        sys.path.insert(0, str(REPO))
        from kernels.ufuncs import KERNELS
    lj.set_num_threads(1)
    rng = np.random.default_rng(0)
    out = {}
    for name in names:
        lo, hi = RANGES[name]
        np_f, lnp_f = getattr(np, name), getattr(lnp, name)
        for dt in DTYPES:
            args = [rng.uniform(lo, hi, N).astype(dt) for _ in range(np_f.nin)]
            res = np.empty(N, dt)
            sig = f"{dt}({', '.join([dt] * np_f.nin)})"
            cpu = lj.vectorize([sig], target="cpu")(KERNELS[name])
            with np.errstate(all="ignore"):
                out[f"{name} {dt}"] = {
                    "numpy": _best(lambda: np_f(*args, out=res)),
                    "lnp": _best(lambda: lnp_f(*args, out=res)),
                    "cpu": _best(lambda: cpu(*args, out=res)),
                }
    return out


def _child(names, library):
    lj = import_loopjit()
    code = ("import json, sys; from bench.ulp_speed import measure; "
            f"print(json.dumps(measure({names!r})))")
    env = dict(os.environ, LOOPJIT_VECTOR_MATH=library, LOOPJIT_CACHE="0",
               PYTHONPATH=os.pathsep.join([str(REPO), package_dir(lj),
                                           os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.splitlines()[-1])


def main(argv):
    names = argv or list(RANGES)
    ours = _child(names, "loopjit")
    mvec = _child(names, "libmvec")
    print(f"ns per element, n = {N}, one thread; ratios > 1: loopjit's math is faster")
    print(f"{'function':<10} {'dtype':<8} {'numpy':>7} {'libmvec':>8} {'loopjit':>8} "
          f"{'vs numpy':>9} {'vs libmvec':>11} {'cpu kernel':>11} {'(libmvec)':>10}")
    for key in ours:
        name, dt = key.split()
        o, m = ours[key], mvec[key]
        print(f"{name:<10} {dt:<8} {o['numpy']:7.3f} {m['lnp']:8.3f} {o['lnp']:8.3f} "
              f"{o['numpy'] / o['lnp']:9.2f} {m['lnp'] / o['lnp']:11.2f} {o['cpu']:11.3f} "
              f"{m['cpu']:10.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
