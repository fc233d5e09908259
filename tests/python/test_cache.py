"""The disk cache of compiled loops (loopjit.cache): a second process loads what the first
compiled and computes the same results; a changed kernel misses; LOOPJIT_CACHE=0; corrupt files
are ignored and rewritten; an unwritable directory only costs the caching. Each scenario runs
in fresh interpreters, since the cache matters across processes."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import loopjit as lj

REPO = Path(__file__).resolve().parents[2]

# Compiles 6 loops: two eager signatures and one lazy loop of cache=True functions, and three
# loops of loopjit.ufuncs (cached by default); prints the cache's counters and the results.
SCRIPT = '''
import json, sys
import numpy as np
import loopjit as lj
import loopjit.ufuncs as lnp

SCALE = {scale}

@lj.vectorize(["float64(float64, float64)", "float32(float32, float32)"], cache=True)
def rel_diff(x, y):
    return SCALE * (x - y) / (x + y)

@lj.vectorize(cache=True)
def poly(x):
    return 3 * x * x - 2 * x + 1

x = np.linspace(0.5, 9.5, 1001)
y = np.linspace(3.0, -2.0, 1001)
results = [rel_diff(x, y), rel_diff(x.astype(np.float32), y.astype(np.float32)),
           poly(np.arange(-50, 50, dtype=np.int32)), lnp.exp(x), lnp.add(x, y),
           lnp.sqrt(x.astype(np.float32))]
loops = [lj.compiler.Kernel(rel_diff.__wrapped__).compile_loop("float64(float64, float64)",
                                                               cache=True)]
print(json.dumps({{
    "stats": lj.cache.stats(),
    "directory": lj.cache.directory(),
    "enabled": lj.cache.enabled(),
    "results": [r.tobytes().hex() for r in results],
    "loop_cached": loops[0].cached,
    "llvm_ir": len(lj.inspect_llvm(rel_diff, "float64(float64, float64)")),
}}))
'''
LOOPS = 6


def run(cache_dir, scale=2, env=None, script=None, where=None):
    """Runs SCRIPT (or `script`) in a fresh interpreter with the cache in `cache_dir`; returns
    (its last line of output read as JSON, its stderr)."""
    # Kernels need their source in a file: the script goes to `where`, by default next to the
    # cache directory.
    path = Path(where or Path(cache_dir).parent) / "case.py"
    path.write_text(textwrap.dedent(script or SCRIPT.format(scale=scale)))
    # the loopjit this test process imported (installed, or the in-place build), then the repo
    pythonpath = [str(Path(lj.__file__).resolve().parent.parent), str(REPO),
                  os.environ.get("PYTHONPATH", "")]
    full_env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in pythonpath if p),
                    LOOPJIT_CACHE_DIR=str(cache_dir))
    for name in ("LOOPJIT_CACHE", "LOOPJIT_DEBUG"):
        full_env.pop(name, None)
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=600, env=full_env, cwd=str(path.parent))
    assert proc.returncode == 0, f"stdout: {proc.stdout}\nstderr: {proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def cache_files(cache_dir):
    return sorted(p for p in Path(cache_dir).glob("*.ljobj"))


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


def test_second_process_loads_what_the_first_compiled(cache_dir):
    first, _ = run(cache_dir)
    assert first["enabled"] and first["directory"] == str(cache_dir)
    # The explicit compile_loop shares the live loop of rel_diff compiled at decoration.
    assert first["stats"]["hits"] == 0
    assert first["stats"]["misses"] == first["stats"]["stores"] == LOOPS
    assert first["stats"]["shared"] == 1
    assert first["loop_cached"]  # shared: nothing compiled for it
    assert len(cache_files(cache_dir)) == LOOPS

    second, _ = run(cache_dir)
    assert second["stats"]["hits"] == LOOPS
    assert second["stats"]["misses"] == second["stats"]["stores"] == 0
    assert second["stats"]["rejected"] == 0
    assert second["results"] == first["results"]  # bit for bit
    assert second["loop_cached"]
    assert second["llvm_ir"] > 0  # inspection compiles: the text is there
    assert len(cache_files(cache_dir)) == LOOPS


def test_a_changed_kernel_misses(cache_dir):
    first, _ = run(cache_dir, scale=2)
    changed, _ = run(cache_dir, scale=3)  # rel_diff's constant changes; nothing else does
    assert changed["stats"]["misses"] == 2  # its two signatures
    assert changed["stats"]["hits"] == LOOPS - 2
    assert changed["results"][2:] == first["results"][2:]
    expected = 3 * (np.linspace(0.5, 9.5, 1001) - np.linspace(3.0, -2.0, 1001)) / (
        np.linspace(0.5, 9.5, 1001) + np.linspace(3.0, -2.0, 1001))
    np.testing.assert_allclose(np.frombuffer(bytes.fromhex(changed["results"][0])), expected,
                               rtol=1e-15)
    assert len(cache_files(cache_dir)) == LOOPS + 2


def test_cache_off(cache_dir):
    report, _ = run(cache_dir, env={"LOOPJIT_CACHE": "0"})
    assert not report["enabled"]
    assert report["stats"]["hits"] == report["stats"]["stores"] == 0
    assert report["stats"]["misses"] == LOOPS
    assert cache_files(cache_dir) == []
    on, _ = run(cache_dir)
    assert on["results"] == report["results"]


def test_corrupt_files_are_ignored_and_rewritten(cache_dir):
    first, _ = run(cache_dir)
    files = cache_files(cache_dir)
    originals = {f: f.read_bytes() for f in files}
    for i, f in enumerate(files):  # truncated, emptied, garbage, one flipped byte
        data = originals[f]
        f.write_bytes([data[: len(data) // 2], b"", b"\x00" * 4096,
                       data[:-50] + bytes([data[-50] ^ 1]) + data[-49:]][i % 4])
    damaged, _ = run(cache_dir)
    assert damaged["stats"]["rejected"] == LOOPS
    assert damaged["stats"]["misses"] == damaged["stats"]["stores"] == LOOPS
    assert damaged["results"] == first["results"]
    assert {f: f.read_bytes() for f in cache_files(cache_dir)} == originals
    again, _ = run(cache_dir)
    assert again["stats"]["hits"] == LOOPS


def test_unwritable_directory_only_costs_the_caching(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache directory cannot be created under a file")
    report, stderr = run(blocker / "cache", where=tmp_path)
    assert report["stats"]["misses"] == LOOPS
    assert report["stats"]["stores"] == 0
    assert stderr.count("loopjit: warning") == 1, stderr
    reference, _ = run(tmp_path / "ok")
    assert report["results"] == reference["results"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes to read-only directories")
def test_read_only_directory_still_serves(cache_dir):
    first, _ = run(cache_dir)
    cache_dir.chmod(0o500)
    try:
        second, stderr = run(cache_dir)
    finally:
        cache_dir.chmod(0o700)
    assert second["stats"]["hits"] == LOOPS
    assert second["results"] == first["results"]
    assert stderr.count("loopjit: warning") == 0


def test_vectorize_caches_only_when_asked(cache_dir):
    report, _ = run(cache_dir, script='''
        import json
        import numpy as np
        import loopjit as lj

        @lj.vectorize(["float64(float64)"])
        def f(x):
            return x + 1

        f(np.ones(3))
        print(json.dumps({"stats": lj.cache.stats()}))
    ''')
    assert report["stats"]["stores"] == 0
    assert cache_files(cache_dir) == []


def test_clear_removes_the_files(cache_dir):
    run(cache_dir)
    (cache_dir / "not-ours.txt").write_text("kept")
    report, _ = run(cache_dir, script='''
        import json
        import loopjit as lj
        print(json.dumps({"removed": lj.cache.clear()}))
    ''')
    assert report["removed"] == LOOPS
    assert cache_files(cache_dir) == []
    assert (cache_dir / "not-ours.txt").read_text() == "kept"


def test_cache_option_is_checked():
    with pytest.raises(TypeError, match="cache must be True or False"):
        lj.vectorize(["float64(float64)"], cache="yes")(lambda x: x)


def test_stats_in_this_process():
    stats = lj.cache.stats()
    assert set(stats) == {"hits", "misses", "shared", "stores", "rejected", "write_failures"}
    assert all(isinstance(v, int) and v >= 0 for v in stats.values())
