"""Parallel benchmarks 1-3 and 5 (4, loopjit.ufuncs against NumPy, is parallel_ufuncs.py): the
STREAM triad per threading layer and thread count, target='parallel' against target='cpu' and
its scaling with threads, loopjit against Numba's parallel target (each threading layer in its
own process) and NumExpr from 10^2 to 10^8 elements, and the C++ scheduler overhead."""

import json
import os
import subprocess
import time
from pathlib import Path

from . import env
from .parallel_load import Settle
from .parallel_runner import Child, Local, prepare_all, release_all, side_by_side
from .parallel_worker import NUMEXPR
from .timing import stats

LAYERS = ("tbb", "omp")
NUMBA_LAYERS = ("workqueue", "omp", "tbb")
SCALING_KERNELS = ("gaussian_wave", "black_scholes", "a*b+c")
VERSUS_KERNELS = ("gaussian_wave", "a*b+c")
COMPUTE_BOUND = ("gaussian_wave", "black_scholes")
# Bytes each element moves (read + written, float64): streaming kernels are put against the
# triad, which counts its own 2 reads and 1 write the same way (no write-allocate traffic).
BYTES_PER_ELEMENT = {"a*b+c": 4 * 8, "gaussian_wave": 2 * 8, "black_scholes": 6 * 8}
TRIAD_N = 20_000_000


# ---- 1. triad -----------------------------------------------------------------------------


def measure_triad(lj, *, rounds, pause, n=TRIAD_N, repetitions=5, threads=None, quiet=None):
    """Bandwidth (bytes/s) of a STREAM triad on every layer and thread count 1..N, and on the
    calling thread alone: `rounds` interleaved samples, each the best of `repetitions` triads
    (STREAM's convention: a busy machine only ever slows a triad down)."""
    quiet = quiet or Settle()
    threads = threads or list(range(1, lj.get_num_threads() + 1))
    configs = [("serial", 1)] + [(layer, t) for layer in LAYERS for t in threads]

    def one_round():
        sample = {}
        for layer, t in configs:
            time.sleep(pause)
            sample[(layer, t)] = lj._core.triad_bandwidth(
                n, repetitions, "" if layer == "serial" else layer, t)
        return sample

    samples, groups = {c: [] for c in configs}, []
    for _ in range(rounds):
        quiet()
        sample, disturbed = quiet.measure(one_round)
        groups.append(disturbed)
        for c, bandwidth in sample.items():
            samples[c].append(bandwidth)
    out = {"n": n, "repetitions": repetitions, "bytes_per_element": 3 * 8, "bandwidth": {},
           "rounds": groups}
    for (layer, t), s in samples.items():
        # stats() of bandwidths: "min" is the slowest sample; "best" the fastest.
        out["bandwidth"].setdefault(layer, {})[str(t)] = dict(stats(s), best=max(s))
    return out


def triad_at(triad, layer, threads):
    """Median triad bandwidth of `layer` at `threads` threads (bytes/s)."""
    return triad["bandwidth"][layer][str(threads)]["median"]


def _layer_runners(lj, local, stack):
    """A runner per threading layer: `local` for this process's own layer, children for the
    others."""
    runners = {}
    for layer in LAYERS:
        if layer == lj.threading_layer():
            runners[layer] = local
        else:
            runners[layer] = Child(f"loopjit {layer}", {"LOOPJIT_THREADING_LAYER": layer},
                                   env.package_dir(lj))
            stack.append(runners[layer])
    return runners


def _close(stack):
    for runner in stack:
        runner.close()


# ---- 2. scaling ---------------------------------------------------------------------------


def _pids(specs):
    return [r.proc.pid for r in {r for r, _ in specs.values()} if isinstance(r, Child)]


def measure_scaling(lj, *, n, rounds, target, pause, triad, quiet=None):
    """target='parallel' on each layer with 1..N threads (lj.set_num_threads) against
    target='cpu', at n elements, writing into out=. Streaming kernels get their bandwidth as a
    fraction of the triad at the same layer and thread count. `quiet` (a Settle) waits for and
    retries around other processes' load."""
    quiet = quiet or Settle()
    threads = list(range(1, lj.get_num_threads() + 1))
    local = Local()
    stack = [local]
    try:
        runners = _layer_runners(lj, local, stack)
        specs = {"cpu": (local, "loopjit_cpu")}
        for layer, runner in runners.items():
            for t in threads:
                specs[f"{layer} {t}"] = (runner, f"loopjit_parallel@{t}")
        rows = []
        for kernel in SCALING_KERNELS:
            mismatched, failed = prepare_all(specs, kernel, n)
            if failed:
                raise RuntimeError(f"{kernel}: {failed}")
            quiet()
            times, disturbed = quiet.measure(
                lambda: side_by_side(specs, rounds=rounds, target=target, pause=pause),
                _pids(specs))
            release_all(specs)
            for key, s in times.items():
                s["bytes_per_second"] = BYTES_PER_ELEMENT[kernel] * n / s["median"]
                if key != "cpu":
                    layer, t = key.split()
                    s["fraction_of_triad"] = s["bytes_per_second"] / triad_at(triad, layer, t)
            rows.append({"kernel": kernel, "times": times, "mismatched": mismatched,
                         **disturbed})
        info = {layer: runner.call("info") for layer, runner in runners.items()}
    finally:
        _close(stack)
    return {"n": n, "threads": threads, "layers": list(LAYERS), "layer": lj.threading_layer(),
            "rows": rows, "info": info,
            "triad": {layer: {str(t): triad_at(triad, layer, t) for t in threads}
                      for layer in LAYERS}}


# ---- 3. loopjit, Numba's layers, NumExpr, by size -----------------------------------------


def measure_versus(lj, numba, numexpr, *, sizes, rounds, target, pause, numpy_up_to,
                   quiet=None):
    """Each competitor at each size: `rounds(n)` samples of about `target` seconds each,
    interleaved across this process (NumPy up to `numpy_up_to` elements, NumExpr, loopjit) and
    one child per Numba threading layer. A layer that cannot start (tbb not installed) is left
    out with its reason."""
    quiet = quiet or Settle()
    stack = []
    try:
        local = Local()
        stack.append(local)
        specs = {"numpy": (local, "numpy")}
        if numexpr is not None:
            specs["numexpr"] = (local, "numexpr")
        specs["loopjit cpu"] = (local, "loopjit_cpu")
        specs["loopjit parallel"] = (local, "loopjit_parallel")
        if numba is not None:
            for layer in NUMBA_LAYERS:
                child = Child(f"numba {layer}", {"NUMBA_THREADING_LAYER": layer},
                              env.package_dir(lj))
                stack.append(child)
                specs[f"numba {layer}"] = (child, "numba_parallel")
        rows, left_out = [], {}
        for kernel in VERSUS_KERNELS:
            for n in sizes:
                these = {k: v for k, v in specs.items()
                         if k not in left_out and (k != "numexpr" or kernel in NUMEXPR)
                         and (k != "numpy" or n <= numpy_up_to)}
                mismatched, failed = prepare_all(these, kernel, n)
                left_out.update(failed)
                these = {k: v for k, v in these.items() if k not in failed}
                quiet()
                times, disturbed = quiet.measure(
                    lambda: side_by_side(these, rounds=rounds(n), target=target, pause=pause),
                    _pids(these))
                release_all(these)
                for s in times.values():
                    s["per_element"] = s["median"] / n
                rows.append({"kernel": kernel, "n": n, "times": times,
                             "mismatched": mismatched, **disturbed})
                print(".", end="", flush=True)
        info = {key: runner.call("info") for key, (runner, _) in specs.items()
                if key.startswith("numba") and key not in left_out}
        info["this process"] = local.call("info")
    finally:
        _close(stack)
    return {"rows": rows, "left_out": left_out, "info": info, "numpy_up_to": numpy_up_to}


# ---- 5. the C++ scheduler overhead --------------------------------------------------------


def find_cpp_bench(path=None):
    """The loopjit_bench binary: `path`, $LOOPJIT_BENCH_BINARY, or the newest build/*/."""
    path = path or os.environ.get("LOOPJIT_BENCH_BINARY")
    if path:
        return Path(path)
    found = sorted((env.REPO / "build").glob("*/loopjit_bench"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def measure_scheduler(binary, *, min_time, repetitions, quiet=None):
    """Google Benchmark's Overhead/<layer>/<n> cases (bench/cpp/scheduler_bench.cpp): one
    scheduler run of an empty chunk over n iterations. Medians of `repetitions` runs,
    interleaved at random. Returns the reason instead when the binary is not built."""
    if binary is None or not Path(binary).exists():
        return {"skipped": "loopjit_bench not built (cmake -DLOOPJIT_BUILD_BENCH=ON, then "
                           "ninja loopjit_bench; or name it with --cpp-bench)"}
    quiet = quiet or Settle()
    command = [str(binary), "--benchmark_filter=^Overhead/", f"--benchmark_min_time={min_time}",
               f"--benchmark_repetitions={repetitions}",
               "--benchmark_enable_random_interleaving=true", "--benchmark_format=json"]
    proc, disturbed = quiet.measure(lambda: subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=300))
    report = json.loads(proc.stdout)
    rows = {}
    for b in report["benchmarks"]:
        if b.get("run_type") != "aggregate" or b["aggregate_name"] not in ("median", "cv"):
            continue
        _, layer, n = b["run_name"].split("/")
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        entry = rows.setdefault(layer, {}).setdefault(n, {})
        if b["aggregate_name"] == "median":
            entry["seconds"] = b["real_time"] * scale
        else:
            entry["cv"] = b["real_time"]
    return {"binary": str(binary), "repetitions": repetitions, "min_time": min_time,
            "benchmark_library_build": report["context"].get("library_build_type"),
            "rows": rows, **disturbed}
