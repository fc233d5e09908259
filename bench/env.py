"""Finding loopjit and the reference kernels (installed in the virtualenv, or built in place in
the repository), and describing the machine a run happened on."""

import datetime
import importlib
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def import_loopjit(inplace=False):
    """The loopjit package: the installed one, or the in-place build (python/loopjit, with the
    `_core` extension copied next to it) when none is installed or `inplace` asks for it."""
    if not inplace:
        try:
            return importlib.import_module("loopjit")
        except ImportError:
            pass
    sys.path.insert(0, str(REPO / "python"))
    sys.modules.pop("loopjit", None)
    return importlib.import_module("loopjit")


def import_reference():
    """kernels/reference.py: `loopjit.kernels.reference` in a wheel, `kernels.reference` from
    the repository root in place."""
    try:
        return importlib.import_module("loopjit.kernels.reference")
    except ImportError:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        return importlib.import_module("kernels.reference")


def package_dir(module):
    """The sys.path entry a child process needs to import `module` the way this one did."""
    return str(Path(module.__file__).resolve().parent.parent)


def optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _revision():
    """The repository's commit, marked "+changes" when the tree differs from it (None outside
    a git checkout)."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def machine(lj):
    """What the numbers depend on: CPU, cores, memory, library versions, load."""
    triple, llvm_cpu, features = lj._core.host_cpu()
    versions = {"python": platform.python_version(), "loopjit": lj.__version__}
    for name in ("numpy", "numba", "llvmlite", "numexpr", "scipy"):
        mod = optional(name)
        versions[name] = mod.__version__ if mod else None
    simd = [f for f in ("avx512f", "avx2", "fma") if f"+{f}" in features.split(",")]
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "llvm_cpu": llvm_cpu,
        "simd": simd,
        "triple": triple,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "versions": versions,
        "loopjit_path": str(Path(lj.__file__).resolve().parent),
        "revision": _revision(),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def load_average():
    return [round(x, 2) for x in os.getloadavg()]
