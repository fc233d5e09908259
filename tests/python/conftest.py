"""Test-session set-up: a private disk cache, and the known gaps of loopjit.ufuncs.

The suite compiles thousands of loops: they go to a temporary cache directory (removed at the
end), not the user's ~/.cache/loopjit. Set LOOPJIT_CACHE_DIR to keep them.

Known gaps of loopjit.ufuncs (issue: drop-in parallel NumPy ufuncs, still open).

Each test listed here fails today because loopjit is wrong, not the test; it is marked
xfail(strict=True), so the day it passes the suite fails until the entry is removed. The list
is the to-do list of that issue, not a place to hide new failures.
"""

import atexit
import os
import shutil
import tempfile

import pytest

if "LOOPJIT_CACHE_DIR" not in os.environ:  # before loopjit compiles anything
    _cache = tempfile.mkdtemp(prefix="loopjit-test-cache-")
    os.environ["LOOPJIT_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)

_FP_FLAGS = (
    "floating-point flags differ from NumPy's: complex kernels raise spurious flags (log1p and "
    "sign of zero or infinite parts), and integer floor_divide/remainder/reciprocal by zero "
    "raise none where NumPy warns"
)

KNOWN_FAILURES = {
    "test_every_loop_matches_numpy_on_special_values[multiply]":
        "complex multiply with an infinite part gives nan where NumPy gives inf",
}
for _name in ("floor_divide", "log1p", "reciprocal", "remainder", "sign"):
    KNOWN_FAILURES[f"test_floating_point_warnings_match_numpy[{_name}]"] = _FP_FLAGS


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.endswith("test_ufuncs") and item.name in KNOWN_FAILURES:
            item.add_marker(pytest.mark.xfail(reason=KNOWN_FAILURES[item.name], strict=True))
