"""Run-time configuration, read once from the environment at import.

LOOPJIT_DEBUG   0 (default), 1: print the IR after each compiler stage to stderr,
                2: also the unoptimized LLVM IR.
LOOPJIT_BOUNDSCHECK  1: guvectorize kernels check array indices (IndexError); default 0.

Read by the compiled core when it first compiles (see loopjit.cache):

LOOPJIT_CACHE      0 turns the disk cache of compiled loops off (default: on).
LOOPJIT_CACHE_DIR  its directory (default: $XDG_CACHE_HOME/loopjit or ~/.cache/loopjit).
"""

import os


def _int_env(name, default):
    raw = os.environ.get(name, "")
    if raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


DEBUG = _int_env("LOOPJIT_DEBUG", 0)
# Default of guvectorize(boundscheck=): 1 checks every array index (IndexError).
BOUNDSCHECK = _int_env("LOOPJIT_BOUNDSCHECK", 0) != 0

# LOOPJIT_LAZY_WRAPPER=1 makes signature-less @vectorize return the LazyUfunc wrapper used on
# NumPy < 2.5 even on newer NumPy (to test that path).
LAZY_WRAPPER = _int_env("LOOPJIT_LAZY_WRAPPER", 0) != 0
