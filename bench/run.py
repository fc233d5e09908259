"""python -m bench.run: loopjit's @vectorize side by side with NumPy, Numba and NumExpr, in one
run (`make bench`). Prints the tables, and after a full run writes bench/results/vectorize.json
and bench/results/vectorize.md (the tables pasted into docs/benchmarks.md).

    python -m bench.run [--quick] [--only import,compile,fma,math,overhead] [--inplace]
"""

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from . import compile_latency, env, overhead, report, startup, throughput

BENCHMARKS = ("import", "compile", "fma", "math", "overhead")

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
}

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="fewer repetitions and only n = 10^6 for the math kernels (a minute)")
    ap.add_argument("--only", default=",".join(BENCHMARKS),
                    help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    ap.add_argument("--inplace", action="store_true",
                    help="use the in-place build (python/loopjit) even if loopjit is installed")
    ap.add_argument("--save", action=argparse.BooleanOptionalAction, default=None,
                    help="write bench/results/vectorize.{json,md} (default: only after a full "
                         "run of every benchmark)")
    args = ap.parse_args(argv)
    args.only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; "
                 f"choose from {', '.join(BENCHMARKS)}")
    if args.save is None:
        args.save = not args.quick and set(args.only) == set(BENCHMARKS)
    return args


def main(argv=None):
    args = parse_args(argv)
    cfg = {key: value[1 if args.quick else 0] for key, value in SETTINGS.items()}
    lj = env.import_loopjit(args.inplace)
    reference = env.import_reference()
    numba, numexpr = env.optional("numba"), env.optional("numexpr")
    libdir = env.package_dir(lj)
    results = {"machine": env.machine(lj), "settings": dict(cfg, quick=args.quick)}
    m = results["machine"]
    print(f"loopjit {lj.__version__} from {m['loopjit_path']}\n{m['cpu']} ({m['llvm_cpu']}), "
          f"{m['cores']} cores, load average {m['load_at_start']}; NumPy "
          f"{m['versions']['numpy']}, Numba {m['versions']['numba']}, NumExpr "
          f"{m['versions']['numexpr']}\n", flush=True)

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

    failed = []
    for key, title, fn in steps:
        t0 = time.perf_counter()
        print(f"running {title} ...", end=" ", flush=True)
        try:
            results[key] = fn()
            print(f"{time.perf_counter() - t0:.0f} s", flush=True)
        except Exception:  # measure what works; report what does not
            print("FAILED", flush=True)
            traceback.print_exc()
            results.setdefault("errors", {})[key] = traceback.format_exc()
            failed.append(key)
    results["load_at_end"] = env.load_average()
    results["goals"] = [{"goal": g, "measured": v, "met": ok} for g, v, ok in report.goals(results)]

    text = report.markdown(results)
    print("\n" + text)
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "vectorize.json").write_text(json.dumps(results, indent=1) + "\n")
        (RESULTS / "vectorize.md").write_text(text)
        print(f"wrote {RESULTS / 'vectorize.json'} and {RESULTS / 'vectorize.md'}")
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
