"""python -m bench.run: loopjit side by side with NumPy, Numba and NumExpr, in one run
(`make bench`). Suites: `vectorize` (one thread: import, compile, fma, math, overhead),
`parallel` (triad, scaling, versus, ufuncs, scheduler), `guvectorize` and `stencil`. Prints the tables, and
after a full run of a suite writes bench/results/<suite>.json and .md (the tables pasted into
docs/benchmarks.md), and for `parallel` the plot docs/images/parallel_vs_n.png.

    python -m bench.run [--quick] [--only vectorize|parallel|fma,versus,...] [--inplace]
"""

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import compile_latency, env, overhead, parallel, parallel_report, parallel_ufuncs, report
from . import startup, throughput
from . import guvectorize as guvectorize_bench
from . import stencil as stencil_bench
from .parallel_load import OtherLoad, Settle, wait_for_quiet

SUITES = {
    "vectorize": ("import", "compile", "fma", "math", "overhead"),
    "parallel": ("triad", "scaling", "versus", "ufuncs", "scheduler"),
    "guvectorize": ("guvectorize",),  # bench/guvectorize.py, its own settings
    "stencil": ("stencil",),  # bench/stencil.py, its own settings
}
BENCHMARKS = sum(SUITES.values(), ())

# name -> (full run, --quick run)
SETTINGS = {
    "import_runs": (15, 5),          # fresh interpreters per import
    "first_kernel_runs": (11, 3),    # fresh interpreters per compiler
    "kernels": (20, 20),             # distinct kernels per round
    "kernel_rounds": (3, 1),         # rounds, each with newly generated kernels
    "fma_n": (10**7, 10**7),
    "fma_budget": (4.0, 0.5),        # seconds per interleaved measurement
    "fma_min_rounds": (15, 3),
    "math_sizes": ((10**6, 10**7), (10**6,)),
    "math_budget": (2.0, 0.3),
    "math_min_rounds": (7, 3),
    "overhead_sizes": ((1, 100), (1, 100)),
    "overhead_repeat": (21, 5),      # interleaved timeit runs of about 0.05 s each
    # parallel: samples are interleaved rounds; a pause before each lets the previous pool idle
    "pause": (0.02, 0.02),
    "triad_rounds": (7, 3),
    "scaling_n": (10**7, 10**7),
    "scaling_rounds": (9, 3),
    "versus_sizes": (tuple(10**k for k in range(2, 9)), (10**2, 10**4, 10**6)),
    "versus_rounds": ((7, 3), (3, 3)),   # (rounds below 10^8, rounds at 10^8)
    "versus_target": (0.02, 0.02),     # seconds per sample
    "versus_numpy_up_to": (10**7, 10**7),  # NumPy's temporaries make a call at 10^8 take ~10 s
    "ufunc_sizes": (tuple(10**k for k in range(3, 9)), (10**3, 10**5, 10**7)),
    "ufunc_rounds": ((5, 3, 2), (3, 3, 2)),  # (n <= 10^6, 10^7, 10^8)
    "ufunc_target": (0.01, 0.01),
    "scheduler_min_time": (0.05, 0.02),  # Google Benchmark seconds per repetition
    "scheduler_repetitions": (5, 3),
    # before each parallel benchmark, wait this long at most for other processes to use fewer
    # than quiet_cores cores, and group_wait before each group of its measurements
    "quiet_wait": (60, 10),
    "group_wait": (30, 0),
    "quiet_cores": (0.3, 0.3),
    # a group of measurements during which others used more than retry_cores cores is
    # measured again (at most `retries` times), keeping the least disturbed attempt
    "retry_cores": (0.5, 0.5),
    "retries": (2, 0),
}

RESULTS = Path(__file__).resolve().parent / "results"
# Environment variables that change what is measured (threading layers, thread counts, the
# vector math library), recorded with the results.
ENVIRONMENT = ("LOOPJIT_", "NUMBA_", "NUMEXPR_", "OMP_", "GOMP_", "KMP_", "TBB_")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="fewer repetitions and sizes (a minute for vectorize, three for parallel)")
    ap.add_argument("--only", default=",".join(SUITES),
                    help=f"comma-separated suites ({', '.join(SUITES)}) or benchmarks "
                         f"({','.join(BENCHMARKS)})")
    ap.add_argument("--inplace", action="store_true",
                    help="use the in-place build (python/loopjit) even if loopjit is installed")
    ap.add_argument("--cpp-bench", default=None,
                    help="the loopjit_bench binary for the scheduler benchmark (default: "
                         "$LOOPJIT_BENCH_BINARY or the newest build/*/loopjit_bench)")
    ap.add_argument("--save", action=argparse.BooleanOptionalAction, default=None,
                    help="write bench/results/<suite>.{json,md} for each suite that ran "
                         "(default: only for suites run in full, without --quick)")
    args = ap.parse_args(argv)
    only = []
    for name in (b.strip() for b in args.only.split(",") if b.strip()):
        only += SUITES.get(name, (name,))
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from "
                 f"{', '.join(SUITES)} or {', '.join(BENCHMARKS)}")
    args.only = [b for b in BENCHMARKS if b in only]
    ran = [suite for suite, names in SUITES.items() if set(names) & set(args.only)]
    if args.save is None:
        args.save = [suite for suite in ran
                     if not args.quick and set(SUITES[suite]) <= set(args.only)]
    else:
        args.save = ran if args.save else []
    return args


def vectorize_steps(args, cfg, lj, reference, numba, numexpr):
    libdir = env.package_dir(lj)
    steps = []
    if "import" in args.only:
        steps.append(("imports", "1. import time (fresh processes)",
                      lambda: startup.measure_imports(libdir, cfg["import_runs"],
                                                      have_numba=numba is not None)))
    if "compile" in args.only:
        steps += [
            ("first_kernel", "2. first @vectorize of a fresh process",
             lambda: startup.measure_first_kernel(libdir, cfg["first_kernel_runs"],
                                                  have_numba=numba is not None)),
            ("further_kernels", "2. each further @vectorize",
             lambda: compile_latency.measure_further(lj, numba, kernels=cfg["kernels"],
                                                     rounds=cfg["kernel_rounds"])),
            ("reference_compile", "2. compile time of the reference kernels",
             lambda: compile_latency.measure_reference(lj, numba, reference.WORKLOADS)),
        ]
    if "fma" in args.only:
        steps.append(("fma", "3. a * b + c", lambda: throughput.measure_fma(
            lj, numba, numexpr, reference, n=cfg["fma_n"], budget=cfg["fma_budget"],
            min_rounds=cfg["fma_min_rounds"])))
    if "math" in args.only:
        steps.append(("math", "4. transcendental kernels", lambda: throughput.measure_math(
            lj, numba, reference, sizes=cfg["math_sizes"], budget=cfg["math_budget"],
            min_rounds=cfg["math_min_rounds"])))
    if "overhead" in args.only:
        steps.append(("overhead", "5. call overhead", lambda: overhead.measure(
            lj, numba, sizes=cfg["overhead_sizes"], repeat=cfg["overhead_repeat"])))
    return steps


def parallel_steps(args, cfg, lj, numba, numexpr, results, quiet):
    pause = cfg["pause"]

    def triad():  # the reference of 2 and 4: table 1's, or measured now if it did not run
        if "triad" not in results:
            results["triad"] = parallel.measure_triad(lj, rounds=3, pause=pause, quiet=quiet)
        return results["triad"]

    def versus_rounds(n):
        below, largest = cfg["versus_rounds"]
        return largest if n >= 10**8 else below

    def ufunc_rounds(n):
        small, medium, large = cfg["ufunc_rounds"]
        return small if n <= 10**6 else medium if n <= 10**7 else large

    def ufuncs():
        layer = lj.threading_layer()
        threads = lj.get_num_threads() if layer in parallel.LAYERS else 1
        return parallel_ufuncs.measure(
            lj, sizes=cfg["ufunc_sizes"], rounds=ufunc_rounds, target=cfg["ufunc_target"],
            triad_bytes_per_second=parallel.triad_at(
                triad(), layer if layer in parallel.LAYERS else "serial", threads),
            quiet=quiet)

    steps = []
    if "triad" in args.only:
        steps.append(("triad", "P1. STREAM triad per layer and thread count",
                      lambda: parallel.measure_triad(lj, rounds=cfg["triad_rounds"],
                                                     pause=pause, quiet=quiet)))
    if "scaling" in args.only:
        steps.append(("scaling", "P2. target='parallel' against target='cpu'",
                      lambda: parallel.measure_scaling(
                          lj, n=cfg["scaling_n"], rounds=cfg["scaling_rounds"], target=0.0,
                          pause=pause, triad=triad(), quiet=quiet)))
    if "versus" in args.only:
        steps.append(("versus", "P3. loopjit, Numba's layers and NumExpr by size",
                      lambda: parallel.measure_versus(
                          lj, numba, numexpr, sizes=cfg["versus_sizes"], rounds=versus_rounds,
                          target=cfg["versus_target"], pause=pause,
                          numpy_up_to=cfg["versus_numpy_up_to"], quiet=quiet)))
    if "ufuncs" in args.only:
        steps.append(("ufuncs", "P4. loopjit.ufuncs against NumPy", ufuncs))
    if "scheduler" in args.only:
        steps.append(("scheduler", "P5. C++ scheduler overhead",
                      lambda: parallel.measure_scheduler(
                          parallel.find_cpp_bench(args.cpp_bench),
                          min_time=cfg["scheduler_min_time"],
                          repetitions=cfg["scheduler_repetitions"], quiet=quiet)))
    return steps


def run_steps(steps, results, cfg, *, quiet=None):
    """Runs each step, keeping what works; returns the keys of those that failed. With
    `quiet` (a Settle), first waits for a quieter machine (and the step may wait between its
    groups of measurements)."""
    failed = []
    for key, title, fn in steps:
        loads = {"load_average": env.load_average()}
        if quiet:
            quiet.reset()
            loads["waited"], loads["others_before"], _ = wait_for_quiet(cfg["quiet_cores"],
                                                                        cfg["quiet_wait"])
            loads["load_average"] = env.load_average()
        print(f"running {title} ...", end=" ", flush=True)
        t0 = time.perf_counter()
        meter = OtherLoad().start()
        try:
            results[key] = fn()
            print(f"{time.perf_counter() - t0:.0f} s", flush=True)
        except Exception:  # measure what works; report what does not
            print("FAILED", flush=True)
            traceback.print_exc()
            results.setdefault("errors", {})[key] = traceback.format_exc()
            failed.append(key)
        seconds, cores = time.perf_counter() - t0, meter.stop()
        loads["seconds"] = round(seconds, 1)
        if quiet and quiet.waited and cores is not None:
            # other processes' use while measuring, not while waiting for them between groups
            cores = round(max(0.0, cores * seconds - quiet.others_cpu)
                          / (seconds - quiet.waited), 2)
            loads["waited_between_groups"] = round(quiet.waited, 1)
        loads["others_cores"] = cores
        results.setdefault("loads", {})[key] = loads
    return failed


SUITE_REPORTS = {"vectorize": report, "parallel": parallel_report,
                 "guvectorize": guvectorize_bench, "stencil": stencil_bench}


def save(suite, results, text):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{suite}.json").write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / f"{suite}.md").write_text(text)
    print(f"wrote {RESULTS / (suite + '.json')} and {RESULTS / (suite + '.md')}")
    if suite == "parallel" and "versus" in results:
        path = parallel_report.plot(results["versus"])
        if path:
            print(f"wrote {path}")


def main(argv=None):
    args = parse_args(argv)
    cfg = {key: value[1 if args.quick else 0] for key, value in SETTINGS.items()}
    lj = env.import_loopjit(args.inplace)
    reference = env.import_reference()
    numba, numexpr = env.optional("numba"), env.optional("numexpr")
    machine = env.machine(lj)
    m = machine
    print(f"loopjit {lj.__version__} from {m['loopjit_path']}\n{m['cpu']} ({m['llvm_cpu']}), "
          f"{m['cores']} cores, load average {m['load_at_start']}; NumPy "
          f"{m['versions']['numpy']}, Numba {m['versions']['numba']}, NumExpr "
          f"{m['versions']['numexpr']}\n", flush=True)

    status = 0
    for suite, names in SUITES.items():
        if not set(names) & set(args.only):
            continue
        results = {"machine": dict(machine, load_at_start=env.load_average()),
                   "settings": dict(cfg, quick=args.quick),
                   "environment": {k: v for k, v in os.environ.items()
                                   if k.startswith(ENVIRONMENT)}}
        quiet = None
        if suite == "guvectorize":
            steps = [("guvectorize", "G. @guvectorize", lambda: guvectorize_bench.measure(
                lj, numba, guvectorize_bench.config(args.quick)))]
        elif suite == "stencil":
            steps = [("stencil", "S. @stencil", lambda: stencil_bench.measure(
                lj, numba, stencil_bench.config(args.quick)))]
        elif suite == "vectorize":
            steps = vectorize_steps(args, cfg, lj, reference, numba, numexpr)
        else:
            quiet = Settle(cfg["quiet_cores"], cfg["group_wait"],
                            retry_cores=cfg["retry_cores"], retries=cfg["retries"])
            steps = parallel_steps(args, cfg, lj, numba, numexpr, results, quiet)
        failed = run_steps(steps, results, cfg, quiet=quiet)
        results["load_at_end"] = env.load_average()
        module = SUITE_REPORTS[suite]
        results["goals"] = [{"goal": g, "measured": v, "met": ok}
                            for g, v, ok in module.goals(results)]
        text = module.markdown(results)
        print("\n" + text)
        if suite in args.save:
            save(suite, results, text)
        if failed:
            print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
