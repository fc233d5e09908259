"""Timing competitors that live in different processes side by side: each is timed in its own
process (bench/parallel_worker.py) and the parent takes one sample of each per round, so load
from elsewhere on the machine hits all of them alike, as timing.interleaved does in-process."""

import json
import os
import subprocess
import sys
import time

from . import env
from .parallel_worker import Session
from .timing import stats


class Local:
    """The Session of this process, driven like a child."""

    def __init__(self, label="this process"):
        self.label = label
        self.session = Session()
        self._reply = None

    def send(self, op, **args):
        self._reply = getattr(self.session, op)(**args)

    def receive(self):
        return self._reply

    def call(self, op, **args):
        self.send(op, **args)
        return self.receive()

    def close(self):
        self.session.release()


class Child(Local):
    """A Session in a fresh interpreter whose environment has `environ` added, importing
    loopjit from `loopjit_path` (as this process does)."""

    def __init__(self, label, environ, loopjit_path):
        self.label = label
        paths = [loopjit_path, str(env.REPO)] + [p for p in [os.environ.get("PYTHONPATH")] if p]
        child_env = dict(os.environ, **environ, PYTHONPATH=os.pathsep.join(paths))
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.parallel_worker"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=child_env, cwd=str(env.REPO))

    def send(self, op, **args):
        self.proc.stdin.write(json.dumps(dict(args, op=op)) + "\n")
        self.proc.stdin.flush()

    def receive(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.label}: worker exited ({self.proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{self.label}: {reply['error']}")
        return reply["result"]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def prepare_all(specs, kernel, n):
    """Prepare every runner of `specs` (key -> (runner, name)) for (kernel, n), the children
    concurrently. Returns (keys that disagreed with NumPy, {key: error} for runners that
    failed, their keys to be left out)."""
    by_runner = {}
    for key, (runner, name) in specs.items():
        by_runner.setdefault(runner, []).append((key, name))
    for runner, entries in by_runner.items():
        if isinstance(runner, Child):
            runner.send("prepare", kernel=kernel, n=n, names=[name for _, name in entries])
    mismatched, failed = [], {}
    for runner, entries in by_runner.items():
        try:
            if isinstance(runner, Child):
                reply = runner.receive()
            else:
                reply = runner.call("prepare", kernel=kernel, n=n,
                                    names=[name for _, name in entries])
        except RuntimeError as e:
            failed.update({key: str(e).strip().splitlines()[-1] for key, _ in entries})
            continue
        mismatched += [key for key, name in entries if name in reply["mismatched"]]
    return mismatched, failed


def release_all(specs):
    for runner in {runner for runner, _ in specs.values()}:
        runner.call("release")


def side_by_side(specs, *, rounds, target, pause=0.0):
    """Seconds per call of each entry of `specs` (key -> (runner, name)), prepared beforehand:
    calls are batched to about `target` seconds a sample, one sample of each per round. A pause
    before each sample lets the threads of the previous sample's pool (OpenMP's spin for
    milliseconds) go idle, so they do not take cores from the next. Returns key -> stats, with
    calls_per_run."""
    numbers = {key: runner.call("calibrate", name=name, target=target)
               for key, (runner, name) in specs.items()}
    samples = {key: [] for key in specs}
    for _ in range(rounds):
        for key, (runner, name) in specs.items():
            if pause:
                time.sleep(pause)
            samples[key].append(runner.call("time", name=name, number=numbers[key]))
    return {key: dict(stats(s), calls_per_run=numbers[key]) for key, s in samples.items()}
