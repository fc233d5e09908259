"""python -m bench.stencil: @stencil side by side with Numba's @stencil (called from Python, and
inside @njit(parallel=True)), a hand-written Numba loop, scipy.ndimage.correlate and NumPy
slicing, in one run: a 5-point Jacobi sweep (float64) and a 3x3 blur (float32) on 4096^2
arrays, loopjit serial and parallel, with and without out=; the Jacobi sweep's bandwidth against
the STREAM triad; the first stencil of a fresh process, each further one, and the cost of a call
on a small array. Prints the tables; a full run (or --save) writes bench/results/stencil.{json,md}.
Also a step of `python -m bench.run` (suite `stencil`).

    python -m bench.stencil [--quick] [--inplace] [--save]
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import env
from .parallel_load import OtherLoad, wait_for_quiet
from .report import _t, _table, _x, header
from .timing import interleaved, per_call, ratio, run_child, stats

# name -> (full run, --quick run)
SETTINGS = {
    "n": (4096, 2048),               # the arrays are n x n
    "budget": (8.0, 1.0),            # seconds per interleaved measurement
    "min_rounds": (9, 3),
    "triad_repeats": (5, 2),         # triad measurements; the best is the machine's bandwidth
    "first_runs": (9, 3),            # fresh processes per compiler
    "further_kernels": (10, 4),      # distinct stencils compiled in a warm process
    "small_n": (16, 16),             # the array of the per-call measurement
    "small_repeat": (7, 3),
    "quiet_wait": (30, 5),           # seconds to wait for a quieter machine before each group
    "quiet_cores": (0.3, 0.3),
}


def jacobi(a):
    return 0.25 * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1])


def blur(a):
    return (a[-1, -1] + a[-1, 0] + a[-1, 1] + a[0, -1] + a[0, 0] + a[0, 1] + a[1, -1]
            + a[1, 0] + a[1, 1]) * np.float32(1.0 / 9.0)


JACOBI_WEIGHTS = np.array([[0, 0.25, 0], [0.25, 0, 0.25], [0, 0.25, 0]])
BLUR_WEIGHTS = np.full((3, 3), 1.0 / 9.0, np.float32)


def numpy_jacobi(a, out):
    """What a NumPy user writes: the interior only, from four shifted views."""
    np.add(a[:-2, 1:-1], a[2:, 1:-1], out=out[1:-1, 1:-1])
    out[1:-1, 1:-1] += a[1:-1, :-2]
    out[1:-1, 1:-1] += a[1:-1, 2:]
    out[1:-1, 1:-1] *= 0.25


def numpy_blur(a, out):
    inner = out[1:-1, 1:-1]
    np.add(a[:-2, :-2], a[:-2, 1:-1], out=inner)
    for di, dj in ((0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)):
        inner += a[di:a.shape[0] - 2 + di, dj:a.shape[1] - 2 + dj]
    inner *= np.float32(1.0 / 9.0)


# Hand-written loops for Numba's @njit: the interior without checks, then the border points,
# with reads outside taken as 0 (scipy's constant mode, as loopjit computes it) and the kernel's
# weights `w` (3 x 3). Arrays are at least 2 x 2.
def _border(a, out, w):
    n, m = a.shape
    for i in range(n):
        step = 1 if i == 0 or i == n - 1 else m - 1  # whole first and last rows, else the ends
        for j in range(0, m, step):
            s = a[0, 0] * 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    if 0 <= i + di < n and 0 <= j + dj < m:
                        s += w[di + 1, dj + 1] * a[i + di, j + dj]
            out[i, j] = s


def _hand_loops(numba):
    """The hand-written loops compiled by Numba's @njit: case -> function(a, out, w)."""
    border = numba.njit(_border)  # closed over: Numba compiles it into the loops

    @numba.njit
    def jacobi_loop(a, out, w):
        n, m = a.shape
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])
        border(a, out, w)

    @numba.njit
    def blur_loop(a, out, w):
        n, m = a.shape
        k = np.float32(1.0 / 9.0)
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                out[i, j] = (a[i - 1, j - 1] + a[i - 1, j] + a[i - 1, j + 1] + a[i, j - 1]
                             + a[i, j] + a[i, j + 1] + a[i + 1, j - 1] + a[i + 1, j]
                             + a[i + 1, j + 1]) * k
        border(a, out, w)

    return {"jacobi": jacobi_loop, "blur": blur_loop}


CASES = {
    # name -> (kernel, dtype, weights (scipy's, and the border of the hand loop), NumPy slicing)
    "jacobi": (jacobi, np.float64, JACOBI_WEIGHTS, numpy_jacobi),
    "blur": (blur, np.float32, BLUR_WEIGHTS, numpy_blur),
}
TITLES = {"jacobi": "5-point Jacobi sweep, float64", "blur": "3x3 blur, float32"}
# competitor -> (label, whether it computes the border points as scipy's constant mode does)
COMPETITORS = {
    "loopjit": ("loopjit serial", True),
    "loopjit out": ("loopjit serial, out=", True),
    "loopjit parallel": ("loopjit parallel", True),
    "loopjit parallel out": ("loopjit parallel, out=", True),
    "numba loop": ("Numba @njit hand-written loop, out=", True),
    "numba stencil": ("Numba @stencil called from Python", False),
    "numba stencil njit": ("Numba @stencil in @njit(parallel=True)", False),
    "numba stencil njit out": ("Numba @stencil in @njit(parallel=True), out=", False),
    "scipy": ("scipy.ndimage.correlate, output=", True),
    "numpy": ("NumPy slicing, out= (interior only)", False),
}


def _numba_calls(numba, case):
    """Numba's competitors for `case`: name -> callable(a, out)."""
    kernel, _, weights, _ = CASES[case]
    nb = numba.stencil(kernel)

    def par(a):
        return nb(a)

    def par_out(a, out):
        nb(a, out=out)

    par = numba.njit(parallel=True)(par)  # Numba freezes the closed-over stencil
    par_out = numba.njit(parallel=True)(par_out)
    loop = _hand_loops(numba)[case]
    return {
        "numba loop": lambda a, out: loop(a, out, weights),
        "numba stencil": lambda a, out: nb(a),
        "numba stencil njit": lambda a, out: par(a),
        "numba stencil njit out": lambda a, out: par_out(a, out),
    }


def _calls(lj, numba, ndi, case):
    kernel, _, weights, numpy_fn = CASES[case]
    serial = lj.stencil(kernel)
    parallel = lj.stencil(kernel, target="parallel")
    fns = {
        "loopjit": lambda a, out: serial(a),
        "loopjit out": lambda a, out: serial(a, out=out),
        "loopjit parallel": lambda a, out: parallel(a),
        "loopjit parallel out": lambda a, out: parallel(a, out=out),
    }
    if numba is not None:
        fns.update(_numba_calls(numba, case))
    if ndi is not None:
        fns["scipy"] = lambda a, out: ndi.correlate(a, weights, mode="constant", output=out)
    fns["numpy"] = numpy_fn
    return fns


def _check(case, fns, a, out):
    """Every competitor agrees with loopjit: on every point where it computes the border as
    scipy's constant mode, on the interior otherwise."""
    want = fns["loopjit"](a, None)
    rtol = 1e-12 if a.dtype == np.float64 else 1e-5
    for name, fn in fns.items():
        out.fill(np.nan)
        got = fn(a, out)
        got = out if got is None else got
        full = COMPETITORS[name][1]
        sl = (slice(None),) * 2 if full else (slice(1, -1),) * 2
        if not np.allclose(got[sl], want[sl], rtol=rtol, atol=rtol):
            raise AssertionError(f"{case}: {name} disagrees with loopjit")


def _triad(lj, repeats):
    """STREAM triad bandwidth (bytes/s), the best of `repeats` measurements, serial and on
    loopjit's threading layer with all its threads."""
    layer, threads = lj.threading_layer(), lj.get_num_threads()
    out = {"serial": max(lj._core.triad_bandwidth(20_000_000, 5, "", 1)
                         for _ in range(repeats))}
    if layer in ("tbb", "omp"):
        out["parallel"] = max(lj._core.triad_bandwidth(20_000_000, 5, layer, threads)
                              for _ in range(repeats))
    out["layer"], out["threads"], out["repeats"] = layer, threads, repeats
    return out


def _reference(triad, key):
    """The triad bandwidth a sweep is measured against: the serial triad for the serial sweep;
    for the parallel one the best triad of any configuration (on a shared machine the threaded
    triad can lose to the serial one while another process holds a core)."""
    if key == "serial":
        return triad["serial"]
    return max(triad[k] for k in ("serial", "parallel") if k in triad)


def measure_throughput(lj, numba, ndi, cfg):
    n = cfg["n"]
    rng = np.random.default_rng(5)
    results = {}
    for case in CASES:
        dtype = CASES[case][1]
        a = rng.random((n, n)).astype(dtype)
        out = np.empty_like(a)
        fns = _calls(lj, numba, ndi, case)
        _check(case, fns, a, out)
        waited, _, _ = wait_for_quiet(cfg["quiet_cores"], cfg["quiet_wait"])
        load = env.load_average()
        meter = OtherLoad().start()
        times = interleaved({k: (lambda fn=fn: fn(a, out)) for k, fn in fns.items()},
                            budget=cfg["budget"], min_rounds=cfg["min_rounds"], max_rounds=200)
        results[case] = {"n": n, "dtype": np.dtype(dtype).name, "times": times,
                         "waited": waited, "load_average": load, "others_cores": meter.stop()}
        print(f"  {case}: done", flush=True)
    return results


_FIRST_CHILD = """
import json, sys, time
sys.path[:0] = [{path!r}, {moddir!r}]
import numpy as np
{import_stmt}
from {module} import kernel
a = np.random.default_rng(0).random((16, 16))
t0 = time.perf_counter()
s = {decorator}(kernel)
r = s(a)
t1 = time.perf_counter()
assert r.shape == a.shape
print(json.dumps({{"seconds": t1 - t0}}))
"""

_KERNEL_SOURCE = """
def {name}(a):
    return {k!r} * (a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1]) - a[0, 0]
"""


def _write_kernels(moddir, module, names, seed):
    source = "".join(_KERNEL_SOURCE.format(name=name, k=0.25 + (seed * 97 + i) * 1e-6)
                     for i, name in enumerate(names))
    (Path(moddir) / f"{module}.py").write_text(source)


def measure_first(lj, numba, cfg):
    """Seconds from decoration to the first result (a 16 x 16 array) of the first stencil of
    a fresh process, loopjit and Numba's @stencil from Python alternately."""
    compilers = {"loopjit": ("import loopjit", "loopjit.stencil")}
    if numba is not None:
        compilers["numba"] = ("import numba", "numba.stencil")
    samples = {c: [] for c in compilers}
    path = env.package_dir(lj)
    with tempfile.TemporaryDirectory(prefix="lj-bench-stencil-") as moddir:
        for run in range(cfg["first_runs"] + 1):  # the first run fills the caches: dropped
            for c, (import_stmt, decorator) in compilers.items():
                module = f"first_{c}_{run}"
                _write_kernels(moddir, module, ["kernel"], run)
                r = run_child(_FIRST_CHILD.format(path=path, moddir=moddir,
                                                  import_stmt=import_stmt, module=module,
                                                  decorator=decorator))
                if run:
                    samples[c].append(r["seconds"])
    return {c: stats(s) for c, s in samples.items()}


def measure_further(lj, cfg):
    """Seconds from decoration to the first result of each further (distinct) stencil in a
    process that has compiled one, and the C++ part of it (StencilLoop.compile_seconds)."""
    a = np.random.default_rng(1).random((16, 16))
    names = [f"further_{i}" for i in range(cfg["further_kernels"] + 1)]
    seconds, core = [], []
    with tempfile.TemporaryDirectory(prefix="lj-bench-stencil-") as moddir:
        _write_kernels(moddir, "further_kernels", names, int(time.time()))
        sys.path.insert(0, moddir)
        try:
            import further_kernels as mod
        finally:
            sys.path.remove(moddir)
        for i, name in enumerate(names):
            t0 = time.perf_counter()
            s = lj.stencil(getattr(mod, name))
            s(a)
            if i:  # the first one of the batch loads the front end's modules
                seconds.append(time.perf_counter() - t0)
                core.append(next(iter(s._loops.values())).compile_seconds)
        sys.modules.pop("further_kernels", None)
    return {"loopjit": stats(seconds), "loopjit_core": stats(core)}


SMALL_LABELS = {
    "loopjit": "loopjit (compiled on the first call)",
    "loopjit out": "loopjit, out=",
    "numba stencil": "Numba @stencil called from Python (compiles on every call)",
    "numba stencil njit": "Numba @stencil called from @njit (the whole call compiled)",
}


def measure_small_calls(lj, numba, cfg):
    """Seconds per call, on a small array, of a compiled stencil: loopjit's, and Numba's
    @stencil called from Python (which compiles again on every call) and inside @njit."""
    k = cfg["small_n"]
    a = np.random.default_rng(3).random((k, k))
    out = np.empty_like(a)
    s = lj.stencil(jacobi)
    calls = {"loopjit": lambda: s(a), "loopjit out": lambda: s(a, out=out)}
    if numba is not None:
        nb = numba.stencil(jacobi)

        def wrapped(x):
            return nb(x)

        wrapped = numba.njit(wrapped)
        calls["numba stencil"] = lambda: nb(a)
        calls["numba stencil njit"] = lambda: wrapped(a)
    for fn in calls.values():
        fn()
    stmts = {name: f"calls[{name!r}]()" for name in calls}
    times = per_call(stmts, {"calls": calls}, repeat=cfg["small_repeat"], target=0.05)
    return {"n": k, "times": times}


def _median(s, case, name):
    t = s["throughput"][case]["times"]
    return t[name]["median"] if name in t else None


def _bandwidth(s, name):
    """Jacobi bytes/s of `name`: one float64 read and one written per point."""
    n = s["throughput"]["jacobi"]["n"]
    return 16 * n * n / _median(s, "jacobi", name)


def goals(r):
    """[(goal, measured, met)] of a run's results (measure()'s under "stencil")."""
    out = []
    s = r.get("stencil", {})
    tp = s.get("throughput", {})
    for case in tp:
        serial = _median(s, case, "loopjit out")
        if _median(s, case, "numba loop"):
            x = ratio(_median(s, case, "numba loop"), serial)
            out.append((f"{case}: serial >= 1.0x the hand-written Numba loop", _x(x), x >= 1.0))
        x = ratio(_median(s, case, "numpy"), serial)
        out.append((f"{case}: serial >= 3x NumPy slicing", _x(x), x >= 3.0))
        x = ratio(serial, _median(s, case, "loopjit parallel out"))
        cores = r["machine"]["usable_cores"]
        out.append((f"{case}: parallel >= 1.8x serial ({cores} cores)", _x(x), x >= 1.8))
    triad = s.get("triad")
    if "jacobi" in tp and triad:
        for name, key in (("loopjit out", "serial"), ("loopjit parallel out", "parallel")):
            ref = _reference(triad, key)
            f = _bandwidth(s, name) / ref
            out.append((f"Jacobi >= 70% of the triad ({key})",
                        f"{f:.0%} ({_bandwidth(s, name) / 1e9:.1f} of {ref / 1e9:.1f} GB/s)",
                        f >= 0.70))
    first = s.get("first")
    if first:
        t = first["loopjit"]["median"]
        out.append(("first stencil of a process <= 30 ms", f"{t * 1e3:.1f} ms", t <= 0.030))
    return out


def _throughput_table(case, row):
    t = row["times"]
    ref = t["loopjit out"]["median"]
    body = []
    for name, (label, _) in COMPETITORS.items():
        if name in t:
            body.append((label, _t(t[name]), _x(ratio(t[name]["median"], ref))))
    return _table(["", "ms (min / median)", "loopjit serial out= faster by"], body)


def markdown(r):
    s = r.get("stencil", {})
    parts = [header(r)]
    threads = s.get("threads", {})
    if threads:
        parts.append(f"Threads: loopjit {threads['loopjit']} ({threads['loopjit_layer']}), "
                     f"Numba {threads.get('numba', '-')}. Ratios are of medians; above 1: "
                     "loopjit's serial call with out= is faster.")
    for case, row in s.get("throughput", {}).items():
        n = row["n"]
        parts += [f"**{TITLES[case]}, {n} x {n}** (mode 'constant'; load average "
                  f"{row['load_average']}, other processes {row['others_cores']} cores)",
                  _throughput_table(case, row)]
    triad = s.get("triad")
    if triad and "jacobi" in s.get("throughput", {}):
        rows = [(COMPETITORS[name][0], f"{_bandwidth(s, name) / 1e9:.2f}",
                 f"{_reference(triad, key) / 1e9:.2f}",
                 f"{_bandwidth(s, name) / _reference(triad, key):.0%}")
                for name, key in (("loopjit out", "serial"), ("loopjit parallel out", "parallel"))]
        par = (f", {triad['layer']} with {triad['threads']} threads "
               f"{triad['parallel'] / 1e9:.2f} GB/s" if "parallel" in triad else "")
        parts += ["**Jacobi bandwidth** (16 bytes per point: one float64 read, one written) "
                  "against the STREAM triad (`loopjit._core.triad_bandwidth`, best of "
                  f"{triad['repeats']} before and after the sweeps: serial "
                  f"{triad['serial'] / 1e9:.2f} GB/s{par}); the serial sweep against the serial "
                  "triad, the parallel one against the better of the two",
                  _table(["", "Jacobi GB/s", "triad GB/s", "fraction"], rows)]
    first, further = s.get("first"), s.get("further")
    if first or further:
        rows = []
        if first:
            nb = first.get("numba")
            rows.append(("first stencil of a fresh process", _t(first["loopjit"], digits=1),
                         _t(nb, digits=1) if nb else "-"))
        if further:
            rows.append(("each further stencil", _t(further["loopjit"], digits=1), "-"))
            rows.append(("... of which the C++ compile", _t(further["loopjit_core"], digits=1),
                         "-"))
        parts += ["**Compile latency**, decoration to the first result on a 16 x 16 array "
                  "(loopjit compiles once per argument types; Numba's @stencil called from "
                  "Python compiles on every call)",
                  _table(["", "loopjit ms", "Numba ms"], rows)]
    small = s.get("small")
    if small:
        t = small["times"]
        rows = [(SMALL_LABELS[name], _t(t[name], scale=lambda x: x * 1e6, digits=1))
                for name in t]
        parts += [f"**Cost of a call** on a {small['n']} x {small['n']} float64 array "
                  "(microseconds, timeit)", _table(["", "us (min / median)"], rows)]
    g = r.get("goals") or [{"goal": a, "measured": b, "met": m} for a, b, m in goals(r)]
    parts += ["**Goals**", _table(["goal", "measured", "met"],
                                  [(x["goal"], x["measured"], "yes" if x["met"] else "**no**")
                                   for x in g])]
    return "\n\n".join(parts) + "\n"


def _threads(lj, numba):
    out = {"loopjit": lj.get_num_threads(), "loopjit_layer": lj.threading_layer()}
    if numba is not None:
        out["numba"] = numba.get_num_threads()
    return out


def config(quick):
    return {key: value[1 if quick else 0] for key, value in SETTINGS.items()}


def measure(lj, numba, cfg):
    """Every measurement of this benchmark (what goals() and markdown() read under
    "stencil"); `cfg`: config()."""
    ndi = env.optional("scipy.ndimage")
    results = {"threads": _threads(lj, numba)}
    print("  first stencil of fresh processes ...", flush=True)
    results["first"] = measure_first(lj, numba, cfg)
    results["further"] = measure_further(lj, cfg)
    print("  calls on a small array ...", flush=True)
    results["small"] = measure_small_calls(lj, numba, cfg)
    before = _triad(lj, cfg["triad_repeats"])
    results["throughput"] = measure_throughput(lj, numba, ndi, cfg)
    after = _triad(lj, cfg["triad_repeats"])
    results["triad"] = dict(after, **{k: max(before[k], after[k])
                                      for k in ("serial", "parallel") if k in after})
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2048^2 and fewer repetitions")
    ap.add_argument("--inplace", action="store_true",
                    help="use the in-place build (python/loopjit) even if loopjit is installed")
    ap.add_argument("--save", action=argparse.BooleanOptionalAction, default=None,
                    help="write bench/results/stencil.{json,md} (default: full runs only)")
    args = ap.parse_args(argv)
    cfg = config(args.quick)
    lj = env.import_loopjit(args.inplace)
    numba = env.optional("numba")
    machine = env.machine(lj)
    results = {"machine": dict(machine, load_at_start=env.load_average()),
               "settings": dict(cfg, quick=args.quick)}
    print(f"loopjit {lj.__version__} from {machine['loopjit_path']}, {machine['cores']} cores, "
          f"load average {results['machine']['load_at_start']}", flush=True)
    results["stencil"] = measure(lj, numba, cfg)
    results["load_at_end"] = env.load_average()
    results["goals"] = [{"goal": g, "measured": m, "met": ok} for g, m, ok in goals(results)]
    text = markdown(results)
    print("\n" + text)
    if args.save if args.save is not None else not args.quick:
        path = env.REPO / "bench" / "results"
        path.mkdir(exist_ok=True)
        (path / "stencil.json").write_text(json.dumps(results, indent=1) + "\n")
        (path / "stencil.md").write_text(text)
        print(f"wrote {path / 'stencil.json'} and {path / 'stencil.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
