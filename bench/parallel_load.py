"""How busy the rest of the machine was around each benchmark. Parallel timings depend on free
cores more than anything, and the load average (a minute's decaying mean of runnable threads)
cannot tell this run's threads from other programs': /proc/stat and this process tree's own CPU
time can. Linux only; elsewhere the figures are None."""

import os
import time

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _busy_cpu_seconds():
    """CPU-seconds all CPUs spent not idle since boot, or None without /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    # guest time is already part of user time
    return (sum(fields[:8]) - idle) / _TICK


def _own_cpu_seconds(pids=()):
    """This process's CPU time, its reaped children's (workers, benchmark programs) and that
    of the live processes `pids`."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


class OtherLoad:
    """CPU used by other processes while it runs: start() ... stop() -> average cores busy.
    `pids`: live child processes whose CPU time counts as this process's."""

    def __init__(self, pids=()):
        self.pids = tuple(pids)

    def start(self):
        self._busy, self._own, self._wall = (_busy_cpu_seconds(), _own_cpu_seconds(self.pids),
                                             time.perf_counter())
        return self

    def stop(self):
        busy = _busy_cpu_seconds()
        if busy is None or self._busy is None:
            return None
        wall = time.perf_counter() - self._wall
        others = (busy - self._busy) - (_own_cpu_seconds(self.pids) - self._own)
        return round(max(0.0, others) / wall, 2) if wall > 0 else None


def wait_for_quiet(threshold, max_wait, sample=1.0):
    """Wait, at most `max_wait` seconds, until other processes use fewer than `threshold`
    cores over a `sample`-second window. Returns (seconds waited, the last window's cores,
    CPU-seconds other processes used meanwhile)."""
    t0 = time.perf_counter()
    used = 0.0
    while True:
        meter = OtherLoad().start()
        time.sleep(sample)
        cores = meter.stop()
        waited = time.perf_counter() - t0
        used += (cores or 0.0) * sample
        if cores is None or cores < threshold or waited >= max_wait:
            return round(waited, 1), cores, used


class Settle:
    """Keeping other processes out of the measurements: called between groups of
    measurements, waits (at most `max_wait` seconds each time) for them to use fewer than
    `threshold` cores; measure() repeats a group they disturbed (more than `retry_cores`
    cores, at most `retries` times). Counts the seconds spent waiting and the CPU time others
    used meanwhile, to leave both out of the load reported for the measurements."""

    def __init__(self, threshold=0.0, max_wait=0.0, sample=0.5, retry_cores=0.0, retries=0):
        self.threshold, self.max_wait, self.sample = threshold, max_wait, sample
        self.retry_cores, self.retries = retry_cores, retries
        self.waited = self.others_cpu = 0.0

    def reset(self):
        self.waited = self.others_cpu = 0.0

    def __call__(self):
        if self.max_wait > 0:
            waited, _, used = wait_for_quiet(self.threshold, self.max_wait, self.sample)
            self.waited += waited
            self.others_cpu += used

    def measure(self, fn, pids=()):
        """least_disturbed(fn) under these settings."""
        return least_disturbed(fn, self, threshold=self.retry_cores, retries=self.retries,
                               pids=pids)


def least_disturbed(measure, settle, *, threshold, retries, pids=()):
    """measure(), repeated after settle() while other processes used more than `threshold`
    cores during it, at most `retries` times. Returns the result of the attempt they disturbed
    least and {"others_cores": their cores then, "attempts": attempts made}. Competitors measured in
    one attempt are interleaved, so a disturbance never favours one of them; retrying only
    keeps the tables about loopjit rather than about the neighbours."""
    best = None
    for attempt in range(1, retries + 2):
        meter = OtherLoad(pids).start()
        result = measure()
        cores = meter.stop()
        if best is None or (cores is not None and best[0] is not None and cores < best[0]):
            best = (cores, result)
        if cores is None or cores <= threshold or attempt > retries:
            break
        settle()
    cores, result = best
    return result, {"others_cores": cores, "attempts": attempt}
