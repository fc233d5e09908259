"""Turning a run's measurements into the goal verdicts and the markdown tables that are printed,
saved next to the JSON and pasted into docs/benchmarks.md. Ratios are of medians; every time is
shown as "min / median" so the spread is visible."""

from .timing import ms, ratio

COMPETITORS = {"numpy": "NumPy", "numba": "Numba", "numexpr": "NumExpr (1 thread)"}


def _t(s, scale=ms, digits=2):
    return f"{scale(s['min']):.{digits}f} / {scale(s['median']):.{digits}f}"


def _us(seconds):
    return seconds * 1e6


def _x(value):
    return f"{value:.2f}x"


def _n(n):
    exp = len(str(n)) - 1
    return f"10^{exp}" if n == 10**exp else f"{n:,}"


def _table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def goals(r):
    """[(goal, measured, met)] for the benchmarks that ran."""
    out = []
    if "imports" in r:
        t = r["imports"]["loopjit"]["import"]["median"]
        t_np = r["imports"]["numpy"]["import"]["median"]
        out.append(("`import loopjit` <= 120 ms, NumPy included",
                    f"{ms(t):.1f} ms (NumPy alone {ms(t_np):.1f} ms)", t <= 0.120))
    if "first_kernel" in r:
        t = r["first_kernel"]["loopjit"]["median"]
        out.append(("first @vectorize of a process <= 20 ms", f"{ms(t):.1f} ms", t <= 0.020))
    if "further_kernels" in r:
        fk = r["further_kernels"]
        t = fk["loopjit"]["median"]
        out.append(("each further @vectorize <= 5 ms", f"{ms(t):.1f} ms", t <= 0.005))
        if "numba" in fk:
            x = ratio(fk["numba"]["median"], t)
            out.append(("further @vectorize ~7x faster than Numba", _x(x), x >= 7.0))
    if "fma" in r:
        alloc, with_out = r["fma"]["allocating"], r["fma"]["out"]
        for c, want in (("numpy", 1.5), ("numba", 1.0)):
            if c in alloc:
                x = ratio(alloc[c]["median"], alloc["loopjit"]["median"])
                x_out = ratio(with_out[c]["median"], with_out["loopjit"]["median"])
                out.append((f"`a * b + c` >= {want}x {COMPETITORS[c]}",
                            f"{_x(x)} (with `out=`: {_x(x_out)})", x >= want))
    if "math" in r:
        for c, want in (("numba", 5.0), ("numpy", 1.0)):
            xs = [(ratio(row["times"][c]["median"], row["times"]["loopjit"]["median"]), row)
                  for row in r["math"] if c in row["times"]]
            if xs:
                met = sum(x >= want for x, _ in xs)
                low, row = min(xs, key=lambda p: p[0])
                out.append((f"exp, sin*cos, haversine, Black-Scholes >= {want}x "
                            f"{COMPETITORS[c]}",
                            f"{met} of {len(xs)} met; lowest {_x(low)} ({row['kernel']}, "
                            f"n = {_n(row['n'])})", met == len(xs)))
    if "overhead" in r:
        xs = [(ratio(row["times"]["loopjit"]["median"], row["times"]["numpy"]["median"]), row)
              for row in r["overhead"]]
        worst, row = max(xs, key=lambda p: p[0])
        out.append(("call overhead <= 1.2x np.add (1 and 100 elements)",
                    f"worst {_x(worst)} (n = {row['n']}, {row['mode']})", worst <= 1.2))
    return out


def header(r):
    """The paragraph that says where and when a run happened: machine, versions, load."""
    m = r["machine"]
    v = m["versions"]
    simd = "AVX-512" if "avx512f" in m["simd"] else ", ".join(m["simd"]) or "no AVX"
    libs = ", ".join(f"{name} {v[key]}" for key, name in (
        ("python", "Python"), ("loopjit", "loopjit"), ("numpy", "NumPy"), ("numba", "Numba"),
        ("llvmlite", "llvmlite"), ("numexpr", "NumExpr"), ("scipy", "SciPy")) if v.get(key))
    if m.get("revision"):
        libs = libs.replace(f"loopjit {v['loopjit']}", f"loopjit {v['loopjit']} "
                            f"(`{m['revision']}`)")
    return (f"Run of {m['date']} on {m['cpu']} (LLVM host CPU `{m['llvm_cpu']}`, {simd}), "
            f"{m['cores']} cores, {m['memory_gib']} GiB; {libs}. Load average (1/5/15 min) "
            f"{'/'.join(map(str, m['load_at_start']))} at the start, "
            f"{'/'.join(map(str, r['load_at_end']))} at the end. Times are min / median; "
            f"ratios are of medians.")


def markdown(r):
    parts = [header(r)]
    if "imports" in r:
        rows = [(f"`import {name}`", _t(s["import"], digits=1),
                 f"{ms(s['wall']['median']):.1f}")
                if name != "python (nothing)" else
                ("nothing (interpreter start-up only)", "-", f"{ms(s['wall']['median']):.1f}")
                for name, s in r["imports"].items()]
        runs = next(iter(r["imports"].values()))["import"]["runs"]
        parts += [f"**1. Import time** (fresh process, {runs} runs each)",
                  _table(["import", "import ms", "whole process ms (median)"], rows)]
    if "first_kernel" in r or "further_kernels" in r:
        rows = []
        for key, what in (("first_kernel", "first kernel of a fresh process"),
                          ("further_kernels", "each further kernel")):
            if key not in r:
                continue
            s = r[key]
            runs = (f"{s['loopjit']['runs']} processes" if key == "first_kernel" else
                    f"{s['kernels']} distinct kernels x {s['rounds']} rounds")
            nb = s.get("numba")
            rows.append((f"{what} ({runs})", _t(s["loopjit"]),
                         _t(nb, digits=1) if nb else "-",
                         _x(ratio(nb["median"], s["loopjit"]["median"])) if nb else "-"))
        parts += ["**2. Compile latency per signature** (decoration to callable ufunc)",
                  _table(["", "loopjit ms", "Numba ms", "loopjit faster by"], rows)]
        if r.get("further_kernels", {}).get("disagreements"):
            parts.append("Kernels where loopjit and Numba disagreed: "
                         + ", ".join(f"`{d}`" for d in r["further_kernels"]["disagreements"]))
    if "reference_compile" in r:
        rows = [(f"`{name}`", f"{ms(c['loopjit']):.1f}",
                 f"{ms(c['numba']):.1f}" if "numba" in c else "-",
                 _x(ratio(c["numba"], c["loopjit"])) if "numba" in c else "-")
                for name, c in r["reference_compile"].items()]
        parts += ["Compile time of the reference kernels (kernels/reference.py; one "
                  "measurement each, warm process)",
                  _table(["kernel", "loopjit ms", "Numba ms", "loopjit faster by"], rows)]
    if "fma" in r:
        parts += _fma_section(r["fma"])
    if "math" in r:
        parts += _math_section(r["math"])
    if "overhead" in r:
        rows = []
        for row in r["overhead"]:
            t = row["times"]
            rows.append((row["n"], "`out=`" if row["mode"] == "out" else "allocated",
                         _t(t["loopjit"], _us, 3), _t(t["numpy"], _us, 3),
                         _t(t["numba"], _us, 3) if "numba" in t else "-",
                         _x(ratio(t["loopjit"]["median"], t["numpy"]["median"]))))
        parts += ["**5. Call overhead** (`add(a, b)` on float64 arrays, timeit)",
                  _table(["n", "output", "loopjit µs", "np.add µs", "Numba µs",
                          "loopjit / np.add"], rows)]
    g = goals(r)
    if g:
        parts += ["**Goals**", _table(["goal", "measured", "met"],
                                      [(a, b, "yes" if ok else "**no**") for a, b, ok in g])]
    return "\n\n".join(parts) + "\n"


def _fma_section(f):
    triad = f["triad_bytes_per_second"]
    rows = []
    for c, s in f["allocating"].items():
        o = f["out"][c]
        rows.append((
            "loopjit" if c == "loopjit" else COMPETITORS[c],
            _t(s), _x(ratio(s["median"], f["allocating"]["loopjit"]["median"])),
            f"{s['bytes_per_second'] / 1e9:.1f} ({s['fraction_of_triad']:.0%})",
            _t(o), _x(ratio(o["median"], f["out"]["loopjit"]["median"])),
            f"{o['bytes_per_second'] / 1e9:.1f} ({o['fraction_of_triad']:.0%})"))
    parts = [f"**3. `a * b + c`**, n = {_n(f['n'])} float64 (result allocated by the call / "
             f"written to a preallocated `out=`). Effective bandwidth counts 4 arrays x 8 bytes "
             f"x n; STREAM triad on one thread in the same run: {triad / 1e9:.1f} GB/s.",
             _table(["", "ms", "loopjit faster by", "GB/s (of triad)", "`out=` ms",
                     "loopjit faster by", "GB/s (of triad)"], rows)]
    if f["mismatched"]:
        parts.append("Disagreed with NumPy's result: " + ", ".join(f["mismatched"]))
    return parts


def _math_section(rows_in):
    rows, bad = [], []
    for row in rows_in:
        t = row["times"]
        lj = t["loopjit"]["median"]
        rows.append((f"`{row['kernel']}`", _n(row["n"]), _t(t["loopjit"]),
                     _t(t["loopjit_out"]) if "loopjit_out" in t else "-", _t(t["numpy"]),
                     _t(t["numba"]) if "numba" in t else "-",
                     _x(ratio(t["numpy"]["median"], lj)),
                     _x(ratio(t["numba"]["median"], lj)) if "numba" in t else "-"))
        bad += [f"{c} on {row['kernel']} (n = {_n(row['n'])})" for c in row["mismatched"]]
    parts = ["**4. Transcendental kernels** (float64; NumPy's formulation from "
             "kernels/reference.py, Black-Scholes with SciPy's `erf`)",
             _table(["kernel", "n", "loopjit ms", "loopjit `out=` ms", "NumPy ms", "Numba ms",
                     "vs NumPy", "vs Numba"], rows)]
    if bad:
        parts.append("Disagreed with NumPy's result: " + ", ".join(bad))
    return parts
