"""Timing helpers. Competitors are timed interleaved (one call of each per round), so a burst of
load from elsewhere on the machine hits all of them alike instead of skewing one ratio; every
result keeps its min and median so the noise is visible."""

import gc
import json
import statistics
import subprocess
import sys
import time
import timeit


def stats(samples):
    """{min, median, runs} of a list of seconds."""
    return {"min": min(samples), "median": statistics.median(samples), "runs": len(samples)}


def interleaved(fns, *, budget, min_rounds, max_rounds, warmup=1):
    """Time each callable of the dict `fns` once per round until `budget` seconds have been
    spent (at least `min_rounds`, at most `max_rounds` rounds). Returns name -> stats."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples = {name: [] for name in fns}
    start = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for rounds in range(1, max_rounds + 1):
            for name, fn in fns.items():
                t0 = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - t0)
            if rounds >= min_rounds and time.perf_counter() - start >= budget:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: stats(s) for name, s in samples.items()}


def per_call(stmts, namespace, *, repeat, target=0.1):
    """Seconds per call of each statement of the dict `stmts` (timeit, `repeat` interleaved
    rounds of as many calls as take about `target` seconds). Returns name -> stats."""
    timers = {name: timeit.Timer(stmt, globals=namespace) for name, stmt in stmts.items()}
    numbers = {}
    for name, timer in timers.items():
        number, seconds = timer.autorange()
        numbers[name] = max(1, int(number * target / max(seconds, 1e-9)))
    samples = {name: [] for name in stmts}
    for _ in range(repeat):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(numbers[name]) / numbers[name])
    return {name: dict(stats(s), calls_per_run=numbers[name]) for name, s in samples.items()}


def run_child(code, *, timeout=300):
    """Run `code` in a fresh interpreter (this one's executable) and return the JSON object it
    prints as its last line of output, with "wall" (seconds the whole process took) added."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"child process failed ({proc.returncode}):\n{proc.stderr.strip()}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def ms(seconds):
    return seconds * 1e3


def ratio(slow, fast):
    """How many times faster `fast` is than `slow` (both seconds)."""
    return slow / fast if fast > 0 else float("inf")
