"""Parallel benchmark 4: each drop-in `loopjit.ufuncs` function against NumPy's own, float64 (and
float32 for a few), from 10^3 elements up, both writing into a preallocated out=; with each
one's effective bandwidth at the largest size as a fraction of the triad on every core."""

import numpy as np

from .parallel_load import Settle
from .parallel_runner import Local, side_by_side
from .throughput import _agrees

# The functions that call libm / libmvec (those of the accuracy table in
# docs/user-guide/parallel.md): compute bound, where more cores must pay off.
COMPUTE_BOUND = ("arccos", "arcsin", "arctan", "arctan2", "cos", "cosh", "exp", "exp2", "expm1",
                 "hypot", "log", "log10", "log1p", "log2", "logaddexp", "power", "sin", "sinh",
                 "tan", "tanh")
FLOAT32 = ("add", "sqrt", "exp", "log", "sin", "power")
# Inputs where each function is defined and finite; the second argument of every binary
# function is from (0.5, 4) (no division by zero, moderate powers).
DOMAINS = {"unit": (-1.0, 1.0), "positive": (0.01, 100.0), "default": (-10.0, 10.0)}
DOMAIN_OF = {"arccos": "unit", "arcsin": "unit", "log": "positive", "log2": "positive",
             "log10": "positive", "log1p": "positive", "sqrt": "positive", "power": "positive"}
SECOND = (0.5, 4.0)
CHECKED = 10**5


def _inputs(n, dtype):
    rng = np.random.default_rng(5)
    xs = {d: rng.uniform(lo, hi, n).astype(dtype) for d, (lo, hi) in DOMAINS.items()}
    return xs, rng.uniform(*SECOND, n).astype(dtype)


def _check(got, want, dtype):
    if want.dtype.kind in "biu":
        return bool(np.array_equal(got, want))
    return _agrees(got, want, 1e-5 if dtype == np.float32 else 1e-12)


def measure(lj, *, sizes, rounds, target, triad_bytes_per_second, quiet=None):
    """NumPy's and loopjit's function at each size: `rounds(n)` interleaved samples of about
    `target` seconds each. Returns rows of (function, dtype, n, times, bytes per element).
    `quiet` (a Settle) waits for and retries around other processes' load."""
    import loopjit.ufuncs as lnp

    quiet = quiet or Settle()
    session = Local("this process")
    plan = [(name, np.float64) for name in lnp.__all__]
    plan += [(name, np.float32) for name in FLOAT32]
    rows, mismatched = [], []
    for n in sizes:
        for dtype in (np.float64, np.float32):
            xs, y = _inputs(n, dtype)
            quiet()
            for name, dt in plan:
                if dt is not dtype:
                    continue
                np_f, lj_f = getattr(np, name), getattr(lnp, name)
                args = (xs[DOMAIN_OF.get(name, "default")],) + ((y,) if np_f.nin == 2 else ())
                out_dtype = np_f(*(a[:1] for a in args)).dtype
                o_np, o_lj = np.empty(n, out_dtype), np.empty(n, out_dtype)
                session.session.use({"numpy": lambda: np_f(*args, out=o_np),
                                     "loopjit": lambda: lj_f(*args, out=o_lj)})
                specs = {"numpy": (session, "numpy"), "loopjit": (session, "loopjit")}
                times, disturbed = quiet.measure(
                    lambda: side_by_side(specs, rounds=rounds(n), target=target))
                # the outputs hold the last call's results
                if not _check(o_lj[:CHECKED], o_np[:CHECKED], dtype):
                    mismatched.append(f"{name} {np.dtype(dtype).name} n={n}")
                nbytes = (np_f.nin * np.dtype(dtype).itemsize + out_dtype.itemsize)
                for s in times.values():
                    s["bytes_per_second"] = nbytes * n / s["median"]
                    s["fraction_of_triad"] = s["bytes_per_second"] / triad_bytes_per_second
                rows.append({"function": name, "dtype": np.dtype(dtype).name, "n": n,
                             "bytes_per_element": nbytes, "times": times, **disturbed})
                del o_np, o_lj
            del xs, y
            session.close()
        print(".", end="", flush=True)
    return {"sizes": list(sizes), "threads": lj.get_num_threads(), "layer": lj.threading_layer(),
            "triad_bytes_per_second": triad_bytes_per_second, "compute_bound": list(COMPUTE_BOUND),
            "rows": rows, "mismatched": mismatched}
