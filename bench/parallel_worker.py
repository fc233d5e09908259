"""The competitors of the parallel benchmarks, built and timed in the process that runs them:
the benchmark's own, or a child with another threading layer (Numba and OpenMP pick theirs once
per process), which serves them with `python -m bench.parallel_worker`, one JSON object a line
on stdin and stdout."""

import gc
import importlib
import json
import os
import sys
import time
import traceback

import numpy as np

from . import env
from .throughput import _agrees

# The kernels NumExpr can express (it has no erf, so no Black-Scholes), and their argument names.
NUMEXPR = {"gaussian_wave": ("exp(-x*x)*cos(x)", ("x",)), "a*b+c": ("a*b+c", ("a", "b", "c"))}
CHECKED = 10**5  # each result is compared with NumPy's on its first CHECKED elements
SEED = 11


def call_n(fn, number):
    """Seconds per call of `number` calls of fn, the garbage collector off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - t0) / number
    finally:
        if was_enabled:
            gc.enable()


class Session:
    """Named calls on the arrays of one (kernel, n) at a time. Names: numpy (NumPy's formulation,
    its result allocated), numexpr, loopjit_cpu, loopjit_parallel, loopjit_parallel@<threads>,
    numba_parallel; all but numpy write into one preallocated out=."""

    OPS = ("prepare", "calibrate", "time", "release", "info")

    def __init__(self):
        self.reference = env.import_reference()
        self.workloads = {w.name: w for w in self.reference.WORKLOADS}
        self.fns = {}
        self._warm = set()  # names called since they were made
        self._arrays = None
        self._ufuncs = {}

    def _ufunc(self, library, target, w):
        key = (library, target, w.name)
        if key not in self._ufuncs:
            module = importlib.import_module(library)
            self._ufuncs[key] = module.vectorize(w.signatures, target=target)(w.func)
        return self._ufuncs[key]

    def _make(self, name, w, inputs, out):
        if name == "numpy":
            return lambda: w.numpy(*inputs)
        if name == "numexpr":
            ne = importlib.import_module("numexpr")
            # Its default thread count (another benchmark of the run may have changed it).
            default = getattr(ne.utils, "_init_num_threads", ne.detect_number_of_cores)
            ne.set_num_threads(default())
            expr, names = NUMEXPR[w.name]
            local = dict(zip(names, inputs))
            return lambda: ne.evaluate(expr, local_dict=local, out=out)
        library, _, rest = name.partition("_")
        target, _, threads = rest.partition("@")
        ufunc = self._ufunc(library, target, w)
        if not threads:
            return lambda: ufunc(*inputs, out=out)
        lj = importlib.import_module("loopjit")
        count = int(threads)

        def with_threads():
            saved = lj.get_num_threads()
            lj.set_num_threads(count)
            try:
                return ufunc(*inputs, out=out)
            finally:
                lj.set_num_threads(saved)

        return with_threads

    def prepare(self, kernel, n, names):
        """Inputs of `kernel` at size n (the same in every process: one seed) and the named
        calls on them, each called once and checked. Returns the names that disagreed."""
        self.release()
        w = self.workloads[kernel]
        inputs = w.inputs(n, np.random.default_rng(SEED))
        out = np.empty(n)
        m = min(n, CHECKED)
        want = w.numpy(*(a[:m] for a in inputs))
        self._arrays = (inputs, out)
        self.fns = {name: self._make(name, w, inputs, out) for name in names}
        mismatched = [name for name, fn in self.fns.items()
                      if not _agrees(np.asarray(fn())[:m], want, max(w.rtol, 1e-12))]
        self._warm = set(self.fns)
        return {"mismatched": mismatched}

    def use(self, fns):
        """Time these callables (name -> fn) instead of prepared kernels."""
        self.release()
        self.fns = dict(fns)

    def calibrate(self, name, target):
        """How many calls of `name` take about `target` seconds (at least 1). A name not called
        yet is called once first, so a first-call cost (compiling, faulting in the pages of
        out=) stays out of the timing."""
        fn = self.fns[name]
        if name not in self._warm:
            fn()
            self._warm.add(name)
        number, seconds = 1, call_n(fn, 1)
        while seconds < target:
            # the best of three, so that one slow call (a pool waking up) does not set the size
            seconds = min(call_n(fn, number) for _ in range(3))
            if seconds * number >= target / 4:
                break
            number *= 8
        return max(1, round(target / seconds))

    def time(self, name, number):
        return call_n(self.fns[name], number)

    def release(self):
        self.fns, self._arrays, self._warm = {}, None, set()
        gc.collect()

    def info(self):
        """The threading layers and thread counts this process ended up with."""
        out = {"pid": os.getpid()}
        if "loopjit" in sys.modules:
            lj = sys.modules["loopjit"]
            out.update(loopjit_layer=lj.threading_layer(), loopjit_threads=lj.get_num_threads())
        if "numba" in sys.modules:
            numba = sys.modules["numba"]
            try:
                out["numba_layer"] = numba.threading_layer()
            except ValueError:  # no parallel code ran yet
                out["numba_layer"] = None
            out["numba_threads"] = numba.get_num_threads()
        if "numexpr" in sys.modules:
            out["numexpr_threads"] = sys.modules["numexpr"].nthreads
        return out


def main():
    # Replies go to the original stdout; anything else printed (by Python or C) goes to stderr.
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    session = Session()
    for line in sys.stdin:
        message = json.loads(line)
        op = message.pop("op")
        if op == "quit":
            break
        try:
            if op not in Session.OPS:
                raise ValueError(f"unknown operation {op!r}")
            reply = {"result": getattr(session, op)(**message)}
        except Exception:  # reported to the parent, which decides what to leave out
            reply = {"error": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
