"""Distinct kernels for the compile-latency benchmark. Each template is a small, typical
@vectorize body; every generated copy gets fresh random constants and a fresh name, so no
compiler (in memory or on disk) can have seen its source or its IR before. loopjit reads a
kernel's source, so the kernels are written to a module file and imported."""

import importlib
import random
import sys
from pathlib import Path

# (signature, parameters, body). {k} is a float constant, {i} an integer one.
TEMPLATES = [
    ("float64(float64, float64)", "x, y", "return x * y + {k}"),
    ("float64(float64, float64)", "x, y", "return 2.0 * (x - y) / (x + y + {k})"),
    ("float64(float64)", "x", "return math.exp(-x * x * {k}) * math.cos(x)"),
    ("float64(float64)", "x", "return math.sin(x) * math.cos(x) + {k}"),
    ("float64(float64, float64)", "x, y", "return math.hypot(x, y) * {k}"),
    ("float64(float64, float64)", "x, y", "return math.atan2(y, x + {k})"),
    ("float64(float64)", "x", "if x > {k}:\n    return x * x\nreturn -x"),
    ("float64(float64, float64, float64)", "a, b, c", "return a * b + c * {k}"),
    ("float64(float64)", "x", "return math.log1p(abs(x) + {k})"),
    ("float64(float64)", "x",
     "acc = 0.0\nfor i in range(8):\n    acc = acc * x + {k} * i\nreturn acc"),
    ("float64(float64)", "x", "return 1.0 / (1.0 + math.exp(-x * {k}))"),
    ("float64(float64, float64)", "x, y", "return max(x, y) - min(x, y) * {k}"),
    ("float64(float64)", "x", "return math.sqrt(x * x + {k}) - x"),
    ("float64(float64)", "x", "return math.tanh(x * {k})"),
    ("float64(float64, float64, float64)", "x, y, z", "return (x + y + z) / 3.0 + {k}"),
    ("float64(float64)", "x", "return 0.5 * (1.0 + math.erf(x / {k}))"),
    ("float64(float64)", "x",
     "n = 0\nv = abs(x) + {k}\nwhile v > 1.0 and n < 64:\n    v = v * 0.5\n    n += 1\n"
     "return v + n"),
    ("float64(float64, float64)", "x, y", "d = x - y\nreturn math.exp(-d * d / {k})"),
    ("float32(float32, float32)", "x, y", "return x * y - {k} * x"),
    ("int64(int64, int64)", "i, j", "return (i * {i} + j) % 1000003"),
]


def _source(name, params, body, rng):
    k = repr(round(rng.uniform(0.5, 2.0), 6))
    i = str(rng.randrange(3, 10_000))
    lines = body.format(k=k, i=i).splitlines()
    return f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in lines)


def write_module(directory, module_name, count=None, seed=None):
    """Write `module_name`.py into `directory` with one kernel per template (the first `count`),
    and return [(function name, signature)]."""
    rng = random.Random(seed)
    tag = f"{rng.getrandbits(32):08x}"
    templates = TEMPLATES[: count or len(TEMPLATES)]
    kernels, parts = [], ["import math\n"]
    for index, (sig, params, body) in enumerate(templates):
        name = f"k{index:02d}_{tag}"
        parts.append(_source(name, params, body, rng))
        kernels.append((name, sig))
    Path(directory, module_name + ".py").write_text("\n\n".join(parts))
    return kernels


def load_module(directory, module_name):
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    return importlib.import_module(module_name)


def sample_inputs(np, sig, size=16):
    """Small inputs a kernel of signature `sig` is defined on (for checking the two compilers
    agree)."""
    args = sig[sig.index("(") + 1 : -1].split(", ")
    rng = np.random.default_rng(0)
    return tuple(
        rng.integers(1, 1000, size) if t == "int64" else rng.uniform(0.5, 2.0, size).astype(t)
        for t in args
    )
