"""The on-disk cache of compiled machine code.

Loops of ``@vectorize(..., cache=True)`` functions and of ``loopjit.ufuncs`` are stored as
object files the first time they are compiled and loaded, not compiled, by later processes.
A file's name is the SHA-256 of everything that determines the machine code: the kernel (the
front end's IR of it), the signature, the options, the host CPU and its features, and the
loopjit build, LLVM version and cache format. A changed kernel or a new loopjit build simply
misses and compiles; nothing stale is ever loaded.

Where: ``LOOPJIT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/loopjit``, else
``~/.cache/loopjit`` (created with mode 0700). ``LOOPJIT_CACHE=0`` turns the cache off. Both
are read once, when the first loop is compiled. Files are a few kilobytes each and never
evicted; ``clear()`` (or deleting the directory) empties the cache.
"""

from . import _core

__all__ = ["directory", "enabled", "stats", "clear"]


def directory():
    """The cache directory ('' when none could be named: no HOME and no LOOPJIT_CACHE_DIR)."""
    return _core.cache_info()["directory"]


def enabled():
    """Whether compiled loops are stored and loaded (False with LOOPJIT_CACHE=0)."""
    return _core.cache_info()["enabled"]


def stats():
    """This process's counters, as a dict: ``hits`` (loops loaded from disk), ``misses``
    (compiled: not on disk), ``shared`` (reused from a live loop of this process compiled the
    same way), ``stores`` (files written), ``rejected`` (files found unusable — truncated,
    corrupt, not this user's — and ignored) and ``write_failures``."""
    info = _core.cache_info()
    return {k: info[k] for k in ("hits", "misses", "shared", "stores", "rejected",
                                 "write_failures")}


def clear():
    """Delete the cache's files (only those; the directory stays). Returns how many. Loops
    already loaded keep working."""
    return _core.cache_clear()
