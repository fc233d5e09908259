"""python -m bench.guvectorize: @guvectorize side by side with Numba's @guvectorize (targets cpu
and parallel) and NumPy's own formulation, in one run: row dot products, a moving mean over rows
with NaNs, small sizes (parallel against serial) and the compile latency of a two-signature
gufunc. Prints the tables; a full run (or --save) writes bench/results/guvectorize.{json,md}.

    python -m bench.guvectorize [--quick] [--inplace] [--save]
"""

import argparse
import json
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

from . import env, kernel_gen
from .parallel_load import OtherLoad, wait_for_quiet
from .report import _n, _t, _table, _x, header
from .timing import interleaved, per_call, ratio, stats

# name -> (full run, --quick run)
SETTINGS = {
    "budget": (3.0, 0.5),            # seconds per interleaved large-size measurement
    "min_rounds": (9, 3),
    "small_repeat": (9, 3),          # interleaved timeit runs for the small sizes
    "compile_kernels": (10, 4),      # fresh kernels per round
    "compile_rounds": (3, 1),
    "quiet_wait": (30, 5),           # seconds to wait for a quieter machine before each group
    "quiet_cores": (0.3, 0.3),
}

DOT_SIGS = ["void(float64[:], float64[:], float64[:])"]
MOVE_SIGS = ["void(float64[:], int64, float64[:])"]
WINDOW = 20
NAN_FRACTION = 0.05


def dot(x, y, out):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    out[0] = s


def move_mean(a, window, out):
    asum = 0.0
    count = 0
    for i in range(len(a)):
        ai = a[i]
        if not np.isnan(ai):
            asum += ai
            count += 1
        if i >= window:
            aold = a[i - window]
            if not np.isnan(aold):
                asum -= aold
                count -= 1
        if count > 0:
            out[i] = asum / count
        else:
            out[i] = np.nan


def numpy_dot(x, y, out):
    return np.einsum("ij,ij->i", x, y, out=out)


def numpy_move_mean(a, window, out):
    """The vectorized formulation: windowed sums and counts from cumulative sums."""
    valid = ~np.isnan(a)
    sums = np.cumsum(np.where(valid, a, 0.0), axis=-1)
    counts = np.cumsum(valid, axis=-1)
    sums[:, window:] -= sums[:, :-window].copy()
    counts[:, window:] -= counts[:, :-window].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(sums, counts, out=out)
    out[counts == 0] = np.nan
    return out


def _compilers(lj, numba):
    """name -> decorator(signatures, layout, target)."""
    out = {"loopjit": lambda sigs, layout, target: lj.guvectorize(sigs, layout, target=target)}
    if numba is not None:
        out["numba"] = lambda sigs, layout, target: numba.guvectorize(sigs, layout,
                                                                      target=target)
    return out


def _gufuncs(lj, numba, kernel, sigs, layout):
    """competitor -> compiled gufunc, for loopjit and Numba on both targets."""
    fns = {}
    for name, decorate in _compilers(lj, numba).items():
        for target in ("cpu", "parallel"):
            fns[f"{name} {target}"] = decorate(sigs, layout, target)(kernel)
    return fns


def _cases(lj, numba):
    rng = np.random.default_rng(1)
    dots = _gufuncs(lj, numba, dot, DOT_SIGS, "(n),(n)->()")
    moves = _gufuncs(lj, numba, move_mean, MOVE_SIGS, "(n),()->(n)")

    def dot_case(rows, n):
        x, y = rng.random((rows, n)), rng.random((rows, n))
        out = np.empty(rows)
        calls = {k: (lambda f=f: f(x, y, out=out)) for k, f in dots.items()}
        calls["numpy einsum"] = lambda: numpy_dot(x, y, out)
        return f"row dot, ({_n(rows)}, {_n(n)})", calls, out

    def move_case(rows, n):
        a = rng.random((rows, n))
        a[rng.random(a.shape) < NAN_FRACTION] = np.nan
        out = np.empty_like(a)
        calls = {k: (lambda f=f: f(a, WINDOW, out=out)) for k, f in moves.items()}
        calls["numpy cumsum"] = lambda: numpy_move_mean(a, WINDOW, out)
        return f"moving mean w={WINDOW}, ({_n(rows)}, {_n(n)})", calls, out

    large = [lambda: dot_case(10**6, 16), lambda: dot_case(10**4, 1000),
             lambda: move_case(1000, 10**4)]
    small = [lambda: dot_case(10, 16), lambda: dot_case(1000, 16), lambda: move_case(4, 100),
             lambda: move_case(100, 1000)]
    return large, small


def _check(name, calls, out):
    """Every competitor computes the same result (to rounding: NumPy sums in another order)."""
    want = None
    for competitor, call in calls.items():
        out[...] = -1.0
        call()
        got = out.copy()
        if want is None:
            want = got
        elif not np.allclose(got, want, rtol=1e-9, atol=1e-12, equal_nan=True):
            raise AssertionError(f"{name}: {competitor} disagrees with the first competitor")


def _quiet(cfg):
    waited, _, _ = wait_for_quiet(cfg["quiet_cores"], cfg["quiet_wait"])
    return waited


def measure_throughput(lj, numba, cfg):
    large, small = _cases(lj, numba)
    out = {"large": [], "small": []}
    for make in large:
        name, calls, result = make()
        _check(name, calls, result)
        waited = _quiet(cfg)
        meter = OtherLoad().start()
        times = interleaved(calls, budget=cfg["budget"], min_rounds=cfg["min_rounds"],
                            max_rounds=1000)
        out["large"].append({"case": name, "times": times, "waited": waited,
                             "others_cores": meter.stop()})
        print(f"  {name}: done", flush=True)
    for make in small:
        name, calls, result = make()
        _check(name, calls, result)
        waited = _quiet(cfg)
        names = list(calls)
        stmts = {k: f"calls[{k!r}]()" for k in names}
        times = per_call(stmts, {"calls": calls}, repeat=cfg["small_repeat"], target=0.05)
        out["small"].append({"case": name, "times": times, "waited": waited})
        print(f"  {name}: done", flush=True)
    return out


def _kernel_source(name, scale):
    """A fresh moving-mean kernel (its own name and constant: nothing can be reused)."""
    body = textwrap.dedent(f"""
        def {name}(a, window, out):
            asum = 0.0
            count = 0
            for i in range(len(a)):
                ai = a[i]
                if not np.isnan(ai):
                    asum += ai
                    count += 1
                if i >= window:
                    aold = a[i - window]
                    if not np.isnan(aold):
                        asum -= aold
                        count -= 1
                if count > 0:
                    out[i] = asum / count * {scale!r}
                else:
                    out[i] = np.nan
    """)
    return body


COMPILE_SIGS = ["void(float64[:], int64, float64[:])", "void(float32[:], int64, float32[:])"]


def measure_compile(lj, numba, cfg):
    """Seconds from decoration to a callable gufunc with two signatures, over fresh kernels
    compiled by each compiler alternately (after two warm-up kernels each)."""
    compilers = _compilers(lj, numba)
    samples = {c: [] for c in compilers}
    a = np.random.default_rng(2).random((4, 50))
    with tempfile.TemporaryDirectory(prefix="lj-bench-gufunc-") as moddir:
        rounds = [("warmup", 2)] + [(f"round{r}", cfg["compile_kernels"])
                                    for r in range(cfg["compile_rounds"])]
        for label, count in rounds:
            module = f"gufunc_{label}_{time.monotonic_ns()}"
            names = [f"mm_{label}_{i}" for i in range(count)]
            source = "import numpy as np\n" + "\n".join(
                _kernel_source(n, 1.0 + i / 8) for i, n in enumerate(names))
            (Path(moddir) / f"{module}.py").write_text(source)
            mod = kernel_gen.load_module(moddir, module)
            for index, n in enumerate(names):
                results = {}
                order = list(compilers) if index % 2 == 0 else list(compilers)[::-1]
                for c in order:
                    t0 = time.perf_counter()
                    g = compilers[c](COMPILE_SIGS, "(n),()->(n)", "cpu")(getattr(mod, n))
                    seconds = time.perf_counter() - t0
                    if label != "warmup":
                        samples[c].append(seconds)
                    results[c] = g(a, 5)
                if "numba" in results and not np.allclose(results["loopjit"], results["numba"],
                                                          equal_nan=True):
                    raise AssertionError(f"{n}: loopjit and Numba disagree")
    out = {c: stats(s) for c, s in samples.items()}
    out["kernels"] = cfg["compile_kernels"]
    out["rounds"] = cfg["compile_rounds"]
    out["signatures"] = len(COMPILE_SIGS)
    return out


def config(quick):
    return {key: value[1 if quick else 0] for key, value in SETTINGS.items()}


def measure(lj, numba, cfg):
    """Every measurement of this benchmark (bench.run keeps them under "guvectorize")."""
    print("  throughput ...", flush=True)
    results = {"throughput": measure_throughput(lj, numba, cfg)}
    print("  compile latency ...", flush=True)
    results["compile"] = measure_compile(lj, numba, cfg)
    results["threads"] = _threads(lj, numba)
    return results


def _flat(r):
    """Results of this module's main() or of bench.run (nested under "guvectorize")."""
    return {**r, **r.get("guvectorize", {})}


def goals(r):
    """[(goal, measured, met)]."""
    r = _flat(r)
    out = []
    large = r.get("throughput", {}).get("large", [])
    for target in ("cpu", "parallel"):
        rows = [(ratio(row["times"][f"numba {target}"]["median"],
                       row["times"][f"loopjit {target}"]["median"]), row["case"])
                for row in large if f"numba {target}" in row["times"]]
        if rows:
            low, case = min(rows)
            met = sum(x >= 1.0 for x, _ in rows)
            out.append((f"target='{target}' >= 1.0x Numba's target='{target}' (large sizes)",
                        f"{met} of {len(rows)} met; lowest {_x(low)} ({case})",
                        met == len(rows)))
    small = r.get("throughput", {}).get("small", [])
    if small:
        rows = [(ratio(row["times"]["loopjit cpu"]["median"],
                       row["times"]["loopjit parallel"]["median"]), row["case"])
                for row in small]
        low, case = min(rows)
        out.append(("target='parallel' no slower than target='cpu' at small sizes (within 5%)",
                    f"lowest {_x(low)} ({case})", low >= 0.95))
    c = r.get("compile")
    if c and "numba" in c:
        x = ratio(c["numba"]["median"], c["loopjit"]["median"])
        out.append(("compile a 2-signature gufunc in <= 1/10 of Numba's time",
                    f"{_x(x)} faster ({c['loopjit']['median'] * 1e3:.1f} ms against "
                    f"{c['numba']['median'] * 1e3:.1f} ms)", x >= 10.0))
    return out


COLUMNS = ["loopjit cpu", "loopjit parallel", "numba cpu", "numba parallel"]


def _throughput_table(rows, reference):
    head = ["case"] + [f"{c} ms" for c in COLUMNS + [reference]] + [
        "vs Numba cpu", "vs Numba parallel", "parallel vs cpu", f"cpu vs {reference}"]
    body = []
    for row in rows:
        t = row["times"]
        ref = next(k for k in t if k.startswith("numpy"))
        cells = [row["case"]] + [_t(t[c], digits=3) if c in t else "-" for c in COLUMNS]
        cells.append(f"{_t(t[ref], digits=3)} ({ref.split()[1]})")

        def x(slow, fast):
            return _x(ratio(t[slow]["median"], t[fast]["median"])) if slow in t else "-"

        cells += [x("numba cpu", "loopjit cpu"), x("numba parallel", "loopjit parallel"),
                  x("loopjit cpu", "loopjit parallel"), x(ref, "loopjit cpu")]
        body.append(cells)
    return _table(head, body)


def markdown(r):
    r = _flat(r)
    threads = r["threads"]
    parts = [header(r),
             f"Threads: loopjit {threads['loopjit']} ({threads['loopjit_layer']}), Numba "
             f"{threads.get('numba', '-')} ({threads.get('numba_layer', '-')}). Ratios "
             "\"vs X\" are X's median time over loopjit's (above 1: loopjit faster)."]
    tp = r.get("throughput")
    if tp:
        parts += ["**Large sizes** (float64, out= given; interleaved rounds)",
                  _throughput_table(tp["large"], "NumPy"),
                  "**Small sizes** (seconds per call, timeit; parallel should not lose)",
                  _throughput_table(tp["small"], "NumPy")]
    c = r.get("compile")
    if c:
        nb = c.get("numba")
        parts += [f"**Compile latency** of a moving-mean gufunc with {c['signatures']} "
                  f"signatures, decoration to callable gufunc ({c['kernels']} fresh kernels x "
                  f"{c['rounds']} rounds, warm process)",
                  _table(["", "loopjit ms", "Numba ms", "loopjit faster by"],
                         [("2-signature @guvectorize", _t(c["loopjit"]),
                           _t(nb, digits=1) if nb else "-",
                           _x(ratio(nb["median"], c["loopjit"]["median"])) if nb else "-")])]
    g = r.get("goals") or [{"goal": a, "measured": b, "met": m} for a, b, m in goals(r)]
    parts += ["**Goals**", _table(["goal", "measured", "met"],
                                  [(x["goal"], x["measured"], "yes" if x["met"] else "**no**")
                                   for x in g])]
    return "\n\n".join(parts) + "\n"


def _threads(lj, numba):
    out = {"loopjit": lj.get_num_threads(), "loopjit_layer": lj.threading_layer()}
    if numba is not None:
        out["numba"] = numba.get_num_threads()
        try:
            out["numba_layer"] = numba.threading_layer()
        except ValueError:  # before Numba's first parallel call
            out["numba_layer"] = "not yet chosen"
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (about a minute)")
    ap.add_argument("--inplace", action="store_true",
                    help="use the in-place build (python/loopjit) even if loopjit is installed")
    ap.add_argument("--save", action=argparse.BooleanOptionalAction, default=None,
                    help="write bench/results/guvectorize.{json,md} (default: full runs only)")
    args = ap.parse_args(argv)
    cfg = config(args.quick)
    lj = env.import_loopjit(args.inplace)
    numba = env.optional("numba")
    machine = env.machine(lj)
    results = {"machine": dict(machine, load_at_start=env.load_average()),
               "settings": dict(cfg, quick=args.quick)}
    print(f"loopjit {lj.__version__} from {machine['loopjit_path']}, {machine['cores']} cores",
          flush=True)
    results.update(measure(lj, numba, cfg))
    results["load_at_end"] = env.load_average()
    results["goals"] = [{"goal": g, "measured": m, "met": ok} for g, m, ok in goals(results)]
    text = markdown(results)
    print("\n" + text)
    if args.save if args.save is not None else not args.quick:
        path = env.REPO / "bench" / "results"
        path.mkdir(exist_ok=True)
        (path / "guvectorize.json").write_text(json.dumps(results, indent=1) + "\n")
        (path / "guvectorize.md").write_text(text)
        print(f"wrote {path / 'guvectorize.json'} and {path / 'guvectorize.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
