"""Goal verdicts, markdown tables and the size plot of the parallel benchmarks (bench/parallel.py,
bench/parallel_ufuncs.py), pasted into docs/benchmarks.md. Ratios are of medians."""

import statistics
from pathlib import Path

from .env import REPO
from .parallel import COMPUTE_BOUND, LAYERS, VERSUS_KERNELS
from .report import _n, _table, _x, header
from .timing import ms, ratio

PLOT = REPO / "docs" / "images" / "parallel_vs_n.png"
VERSUS_ORDER = ("loopjit parallel", "loopjit cpu", "numba workqueue", "numba omp", "numba tbb",
                "numexpr", "numpy")
VERSUS_NAMES = {"loopjit parallel": "loopjit parallel", "loopjit cpu": "loopjit cpu",
                "numba workqueue": "Numba workqueue", "numba omp": "Numba omp",
                "numba tbb": "Numba tbb", "numexpr": "NumExpr", "numpy": "NumPy"}
SMALL = 10**4  # "small n" of the goals


def _sig(x, digits=3):
    """x with `digits` significant digits, never in exponent notation."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - int(f"{abs(x):e}".split("e")[1]))
    return f"{x:.{decimals}f}"


def _gb(bytes_per_second):
    return f"{bytes_per_second / 1e9:.1f}"


def _numba_best(times):
    layers = [k for k in times if k.startswith("numba")]
    return min(layers, key=lambda k: times[k]["median"]) if layers else None


def _load(r, key, rows=()):
    """What the rest of the machine was doing during benchmark `key` (its groups of
    measurements: `rows`)."""
    load = r.get("loads", {}).get(key)
    if not load:
        return ""
    cores = r["machine"]["cores"]
    text = f"load average {'/'.join(map(str, load['load_average']))} at its start"
    groups = [row["others_cores"] for row in rows if row.get("others_cores") is not None]
    if groups:
        retried = sum(row.get("attempts", 1) > 1 for row in rows)
        text += (f"; other processes used {statistics.median(groups):.2f} of the {cores} cores "
                 f"(median over its {len(groups)} groups of measurements, at most "
                 f"{max(groups):.2f})")
        if retried:
            text += (f"; {retried} groups were measured again after such a disturbance, "
                     f"keeping the least disturbed attempt")
    elif load.get("others_cores") is not None:
        text += (f"; other processes used {load['others_cores']:.2f} of the {cores} cores on "
                 f"average while it ran")
    waited = load.get("waited", 0) + load.get("waited_between_groups", 0)
    if waited > 2:
        text += f" ({waited:.0f} s were spent waiting for a quieter machine)"
    return f" During this table: {text}."


def _others(row):
    """The cores other processes used while a row was measured (column "others' cores")."""
    cores = row.get("others_cores")
    return "-" if cores is None else f"{cores:.2f}"


# ---- goals --------------------------------------------------------------------------------


def goals(r):
    """[(goal, measured, met)] for the parallel benchmarks that ran."""
    out = []
    if "scaling" in r:
        s = r["scaling"]
        own = s["layer"] if s["layer"] in s["layers"] else s["layers"][0]  # the default's
        top = s["threads"][-1]
        rows = {row["kernel"]: row["times"] for row in s["rows"]}
        for kernel in COMPUTE_BOUND:
            t = rows[kernel]
            xs = {layer: ratio(t["cpu"]["median"], t[f"{layer} {top}"]["median"])
                  for layer in s["layers"]}
            out.append((f"`{kernel}`: target='parallel' >= 1.85x target='cpu' ({top} threads, "
                        f"n = {_n(s['n'])})",
                        ", ".join(f"{_x(x)} ({layer})" for layer, x in xs.items()),
                        xs[own] >= 1.85))
        t = rows["a*b+c"]
        fr = {layer: t[f"{layer} {top}"]["fraction_of_triad"] for layer in s["layers"]}
        out.append((f"`a*b+c` >= 90% of the triad bandwidth ({top} threads, same layer)",
                    ", ".join(f"{f:.0%} ({layer})" for layer, f in fr.items()), fr[own] >= 0.9))
    if "versus" in r:
        rows = [row for row in r["versus"]["rows"] if _numba_best(row["times"])]
        xs = [(ratio(row["times"][_numba_best(row["times"])]["median"],
                     row["times"]["loopjit parallel"]["median"]), row) for row in rows]
        if xs:
            low, row = min(xs, key=lambda p: p[0])
            out.append(("loopjit parallel at no size slower than Numba's best layer",
                        f"{sum(x >= 1.0 for x, _ in xs)} of {len(xs)} sizes; lowest {_x(low)} "
                        f"(`{row['kernel']}`, n = {_n(row['n'])}, vs "
                        f"{_numba_best(row['times'])})", all(x >= 1.0 for x, _ in xs)))
            small = [(x, row) for x, row in xs if row["n"] <= SMALL]
            if small:
                low, row = min(small, key=lambda p: p[0])
                out.append((f"n <= {_n(SMALL)}: loopjit parallel >= 5x Numba's parallel target "
                            f"(its best layer)",
                            f"{sum(x >= 5.0 for x, _ in small)} of {len(small)}; lowest "
                            f"{_x(low)} (`{row['kernel']}`, n = {_n(row['n'])})",
                            all(x >= 5.0 for x, _ in small)))
    if "ufuncs" in r:
        u = r["ufuncs"]
        xs = [(ratio(row["times"]["numpy"]["median"], row["times"]["loopjit"]["median"]), row)
              for row in u["rows"]]
        big = [(x, row) for x, row in xs
               if row["n"] >= 10**6 and row["function"] in u["compute_bound"]]
        if big:
            low, row = min(big, key=lambda p: p[0])
            out.append((f"`loopjit.ufuncs` >= 1.8x NumPy on the {len(u['compute_bound'])} "
                        f"libm functions, n >= 10^6 ({u['threads']} threads)",
                        f"{sum(x >= 1.8 for x, _ in big)} of {len(big)} met; lowest {_x(low)} "
                        f"({row['function']} {row['dtype']}, n = {_n(row['n'])})",
                        all(x >= 1.8 for x, _ in big)))
        small = [(x, row) for x, row in xs if row["n"] <= SMALL]
        if small:
            low, row = min(small, key=lambda p: p[0])
            out.append((f"`loopjit.ufuncs` never slower than NumPy at n <= {_n(SMALL)}",
                        f"{sum(x >= 1.0 for x, _ in small)} of {len(small)} met; lowest "
                        f"{_x(low)} ({row['function']} {row['dtype']}, n = {_n(row['n'])})",
                        all(x >= 1.0 for x, _ in small)))
    return out


# ---- tables -------------------------------------------------------------------------------


def markdown(r):
    parts = [header(r)]
    if r.get("environment"):
        parts[0] += " Environment: " + ", ".join(f"`{k}={v}`" for k, v in
                                                 sorted(r["environment"].items())) + "."
    if "triad" in r:
        parts += _triad_section(r)
    if "scaling" in r:
        parts += _scaling_section(r)
    if "versus" in r:
        parts += _versus_section(r)
    if "ufuncs" in r:
        parts += _ufuncs_section(r)
    if "scheduler" in r:
        parts += _scheduler_section(r)
    g = goals(r)
    if g:
        parts += ["**Goals**", _table(["goal", "measured", "met"],
                                      [(a, b, "yes" if ok else "**no**") for a, b, ok in g])]
    return "\n\n".join(parts) + "\n"


def _triad_section(r):
    t = r["triad"]
    rows = []
    for layer, by_threads in t["bandwidth"].items():
        one = by_threads["1"]["median"]
        for threads, s in by_threads.items():
            rows.append((layer, threads, _gb(s["median"]), _gb(s["best"]), _gb(s["min"]),
                         _x(s["median"] / one)))
    runs = next(iter(t["bandwidth"]["serial"].values()))["runs"]
    return [f"**P1. STREAM triad** `a[i] = b[i] + s * c[i]` (`loopjit._core.triad_bandwidth`), "
            f"n = {t['n']:,} float64 per array, counting 3 x 8 bytes per element (two reads, "
            f"one write); {runs} interleaved samples, each the best of {t['repetitions']} "
            f"triads."
            + _load(r, "triad", t.get("rounds", ())),
            _table(["layer", "threads", "GB/s median", "best", "worst", "vs 1 thread"], rows)]


def _scaling_section(r):
    s = r["scaling"]
    threads, top = s["threads"], s["threads"][-1]
    head = (["kernel", "cpu ms"] + [f"{layer} {t} thread{'s' if t > 1 else ''}"
                                    for layer in s["layers"] for t in threads]
            + ["others' cores"])
    rows, bw = [], []
    for row in s["rows"]:
        t = row["times"]
        cpu = t["cpu"]["median"]
        cells = [f"`{row['kernel']}`", f"{ms(cpu):.2f}"]
        for layer in s["layers"]:
            for n_threads in threads:
                m = t[f"{layer} {n_threads}"]["median"]
                cells.append(f"{ms(m):.2f} ms, {_x(ratio(cpu, m))}")
        rows.append(cells + [_others(row)])
        if row["kernel"] == "a*b+c":
            bw.append(("target='cpu'", "-", _gb(t["cpu"]["bytes_per_second"]), "-", "-"))
            for layer in s["layers"]:
                for n_threads in threads:
                    x = t[f"{layer} {n_threads}"]
                    bw.append((layer, n_threads, _gb(x["bytes_per_second"]),
                               _gb(s["triad"][layer][str(n_threads)]),
                               f"{x['fraction_of_triad']:.0%}"))
    runs = s["rows"][0]["times"]["cpu"]["runs"]
    parts = [f"**P2. target='parallel' against target='cpu'**, n = {_n(s['n'])} float64, each "
             f"ufunc writing into a preallocated `out=`; {runs} interleaved rounds of one call "
             f"each, the {LAYERS[0]} and {LAYERS[1]} layers in separate processes (one is this "
             f"one), thread counts set with `lj.set_num_threads`. Each cell: median time and "
             f"speed-up over target='cpu'." + _load(r, "scaling", s["rows"]),
             _table(head, rows)]
    if bw:
        parts += ["Effective bandwidth of `a*b+c` (bytes read and written: 4 x 8 per element) "
                  "against the triad at the same layer and thread count (table P1's median)",
                  _table(["", "threads", "GB/s", "triad GB/s", "of triad"], bw)]
    bad = [f"{row['kernel']} ({', '.join(row['mismatched'])})"
           for row in s["rows"] if row["mismatched"]]
    if bad:
        parts.append("Disagreed with NumPy's result: " + "; ".join(bad))
    return parts


def _versus_section(r):
    v = r["versus"]
    present = [c for c in VERSUS_ORDER if any(c in row["times"] for row in v["rows"])]
    head = (["kernel", "n"] + [VERSUS_NAMES[c] for c in present]
            + ["vs best Numba", "vs NumExpr", "vs loopjit cpu", "others' cores"])
    rows, bad = [], []
    for row in v["rows"]:
        t = row["times"]
        par = t["loopjit parallel"]["median"]
        best = _numba_best(t)
        cells = [f"`{row['kernel']}`", _n(row["n"])]
        cells += [_sig(t[c]["per_element"] * 1e9) if c in t else "-" for c in present]
        cells += [f"{_x(ratio(t[best]['median'], par))} ({best.split()[1]})" if best else "-",
                  _x(ratio(t["numexpr"]["median"], par)) if "numexpr" in t else "-",
                  _x(ratio(t["loopjit cpu"]["median"], par)), _others(row)]
        rows.append(cells)
        bad += [f"{c} on {row['kernel']} (n = {_n(row['n'])})" for c in row["mismatched"]]
    layers = {k: i.get("numba_layer") for k, i in v["info"].items() if k.startswith("numba")}
    threads = v["info"]["this process"]
    cfg = r["settings"]
    parts = [f"**P3. loopjit against Numba's `@vectorize(target='parallel')` and NumExpr**: "
             f"nanoseconds per element (median), float64. Numba runs in one process per "
             f"threading layer (NUMBA_THREADING_LAYER; each confirmed with "
             f"`numba.threading_layer()`: "
             + ", ".join(f"{k.split()[1]} -> {l}" for k, l in layers.items())
             + f"), all interleaved with this process's loopjit ({threads.get('loopjit_layer')},"
               f" {threads.get('loopjit_threads')} threads), NumExpr "
               f"(`numexpr.evaluate`, {threads.get('numexpr_threads')} threads, its default) and "
               f"NumPy's expression (up to n = {_n(v['numpy_up_to'])}: its temporaries make a "
               f"larger call slow to time). All but NumPy write into a preallocated `out=`. "
               f"Samples "
               f"batch calls to about {ms(cfg['versus_target']):.0f} ms; "
               f"{cfg['versus_rounds'][0]} rounds ({cfg['versus_rounds'][1]} at 10^8). Ratios: "
               f"how many times faster loopjit parallel is." + _load(r, "versus", v["rows"]),
             _table(head, rows), f"![time per element against n]"
             f"({PLOT.relative_to(REPO / 'docs').as_posix()})"]
    if v["left_out"]:
        parts.append("Left out: " + "; ".join(f"{k}: {why}" for k, why in v["left_out"].items()))
    if bad:
        parts.append("Disagreed with NumPy's result: " + ", ".join(bad))
    return parts


def _ufuncs_section(r):
    u = r["ufuncs"]
    sizes, largest = u["sizes"], u["sizes"][-1]
    by_key = {}
    for row in u["rows"]:
        by_key.setdefault((row["function"], row["dtype"]), {})[row["n"]] = row
    head = (["function", "dtype"] + [_n(n) for n in sizes]
            + [f"loopjit GB/s at {_n(largest)} (of triad)", "NumPy GB/s (of triad)",
               "others' cores, worst"])
    rows = []
    for (name, dtype), by_n in by_key.items():
        cells = [f"`{name}`" + (" *" if name in u["compute_bound"] else ""), dtype]
        for n in sizes:
            t = by_n[n]["times"] if n in by_n else None
            cells.append(_x(ratio(t["numpy"]["median"], t["loopjit"]["median"])) if t else "-")
        big = by_n.get(largest)
        for c in ("loopjit", "numpy"):
            x = big["times"][c] if big else None
            cells.append(f"{_gb(x['bytes_per_second'])} ({x['fraction_of_triad']:.0%})"
                         if x else "-")
        others = [row["others_cores"] for row in by_n.values()
                  if row.get("others_cores") is not None]
        cells.append(f"{max(others):.2f}" if others else "-")
        rows.append(cells)
    rounds = "/".join(map(str, r["settings"]["ufunc_rounds"])) + " (up to 10^6/10^7/10^8)"
    parts = [f"**P4. `loopjit.ufuncs` against NumPy**: how many times faster `lnp.f(x, out=o)` "
             f"is than `np.f(x, out=o)` (medians of interleaved samples of about "
             f"{ms(r['settings']['ufunc_target']):.0f} ms, rounds {rounds} by size), "
             f"{u['layer']} layer, {u['threads']} threads. "
             f"* marks the {len(u['compute_bound'])} functions that call libm (compute bound). "
             f"Bandwidth counts the bytes of the inputs and the output per element, against "
             f"the {u['threads']}-thread triad ({_gb(u['triad_bytes_per_second'])} GB/s). The "
             f"last column: the most CPU other processes used (in cores) while one of the "
             f"function's sizes was measured."
             + _load(r, "ufuncs", u["rows"]),
             _table(head, rows)]
    if u["mismatched"]:
        parts.append("Disagreed with NumPy's result: " + ", ".join(u["mismatched"]))
    return parts


def _scheduler_section(r):
    s = r["scheduler"]
    if "skipped" in s:
        return [f"**P5. Scheduler overhead**: not measured: {s['skipped']}."]
    order = ("serial",) + LAYERS
    layers = sorted(s["rows"], key=lambda k: order.index(k) if k in order else len(order))
    sizes = sorted({int(n) for by_n in s["rows"].values() for n in by_n})
    rows = []
    for n in sizes:
        cells = [_n(n) if n > 1 else "1"]
        for layer in layers:
            e = s["rows"][layer].get(str(n))
            cells.append(f"{_sig(e['seconds'] * 1e9)} ({e['cv']:.0%})" if e else "-")
        rows.append(cells)
    return [f"**P5. Scheduler overhead**: one `Scheduler::run` of an empty chunk over n "
            f"iterations, split as finely as allowed (bench/cpp/scheduler_bench.cpp, "
            f"`Overhead/<layer>/<n>`); nanoseconds, median of {s['repetitions']} repetitions "
            f"of at least {s['min_time']} s in random order (coefficient of variation in "
            f"brackets)." + _load(r, "scheduler", [s] if "others_cores" in s else ()),
            _table(["n"] + [f"{layer} ns" for layer in layers], rows)]


# ---- plot ---------------------------------------------------------------------------------


def plot(versus, path=PLOT, disturbed=0.5):
    """Log-log time per element against n, a panel per kernel; points measured while other
    processes used more than `disturbed` cores are drawn hollow. Returns the path, or None
    without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    styles = {"loopjit parallel": ("C3", "o", "-"), "loopjit cpu": ("C3", "o", ":"),
              "numba workqueue": ("C0", "s", "-"), "numba omp": ("C0", "^", "--"),
              "numba tbb": ("C0", "v", ":"), "numexpr": ("C2", "D", "-"),
              "numpy": ("0.4", "x", "-")}
    fig, axes = plt.subplots(1, len(VERSUS_KERNELS), figsize=(10, 4.2), sharey=True)
    any_hollow = False
    for ax, kernel in zip(axes, VERSUS_KERNELS):
        rows = [row for row in versus["rows"] if row["kernel"] == kernel]
        for c in VERSUS_ORDER:
            pts = [(row["n"], row["times"][c]["per_element"] * 1e9,
                    (row.get("others_cores") or 0.0) > disturbed)
                   for row in rows if c in row["times"]]
            if not pts:
                continue
            color, marker, line = styles[c]
            xs, ys, hollow = zip(*pts)
            ax.loglog(xs, ys, color=color, marker=marker, linestyle=line, markersize=4,
                      label=VERSUS_NAMES[c])
            if any(hollow):
                marked = [(x, y) for x, y, h in zip(xs, ys, hollow) if h]
                ax.loglog(*zip(*marked), linestyle="none", marker=marker, markersize=7,
                          color=color, markerfacecolor="white")
                any_hollow = True
        ax.set_title(f"{kernel}, float64")
        ax.set_xlabel("n (elements)")
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("ns per element (median)")
    if any_hollow:
        axes[-1].plot([], [], linestyle="none", marker="o", color="0.3", markerfacecolor="white",
                      label=f"hollow: others used > {disturbed} cores")
    axes[-1].legend(fontsize=8)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
