"""@vectorize produces real NumPy ufuncs: the NumPy API around them, loop selection, lazy mode,
several outputs, pickling and inspection."""

import math
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import loopjit as lj

FLOAT_SIGS = ["float64(float64, float64)", "float32(float32, float32)"]


@lj.vectorize(FLOAT_SIGS, identity=0)
def add_kernel(x, y):
    """Adds two numbers."""
    return x + y


@lj.vectorize(["int64(int64, int64)", "float64(float64, float64)"], identity=1)
def mul_kernel(x, y):
    return x * y


@lj.vectorize(["UniTuple(float64, 2)(float64, float64)"])
def divmod_kernel(x, y):
    return x // y, x % y


def test_is_a_real_ufunc_named_after_the_function():
    assert isinstance(add_kernel, np.ufunc)
    assert add_kernel.__name__ == "add_kernel"
    assert "Adds two numbers." in add_kernel.__doc__
    assert (add_kernel.nin, add_kernel.nout) == (2, 1)
    assert sorted(add_kernel.types) == ["dd->d", "ff->f"]


def test_broadcasting_out_where_casting_dtype():
    a = np.arange(12.0).reshape(3, 4)
    b = np.arange(4.0)
    np.testing.assert_array_equal(add_kernel(a, b), a + b)
    out = np.full((3, 4), -1.0)
    r = add_kernel(a, b, out=out)
    assert r is out
    np.testing.assert_array_equal(out, a + b)
    out = np.full((3, 4), -1.0)
    mask = a > 5
    add_kernel(a, b, out=out, where=mask)
    np.testing.assert_array_equal(out, np.where(mask, a + b, -1.0))
    i = np.arange(4, dtype=np.int32)
    r = add_kernel(i, i, dtype=np.float32)
    assert r.dtype == np.float32
    np.testing.assert_array_equal(r, 2 * i)
    with pytest.raises(TypeError):
        add_kernel(a, b, out=np.empty((3, 4), dtype=np.int64), casting="same_kind")


def test_exact_dtype_loop_wins_whatever_the_signature_order():
    for sigs in (FLOAT_SIGS, FLOAT_SIGS[::-1]):
        f = lj.vectorize(sigs)(lambda x, y: x + y)
        x32 = np.ones(3, dtype=np.float32)
        assert f(x32, x32).dtype == np.float32
        assert f(x32.astype(np.float64), x32).dtype == np.float64
        # NEP 50: a Python float is weak and does not force the float64 loop
        assert f(x32, 2.0).dtype == np.float32


def test_integer_inputs_use_the_first_safe_loop():
    i8 = np.arange(5, dtype=np.int8)
    assert mul_kernel(i8, i8).dtype == np.int64
    np.testing.assert_array_equal(mul_kernel(i8, i8), i8.astype(np.int64) ** 2)
    assert mul_kernel(np.float32(2), np.float32(3)) == 6.0


def test_reduce_accumulate_reduceat_outer_at():
    x = np.arange(1.0, 11.0)
    assert add_kernel.reduce(x) == x.sum()
    assert add_kernel.identity == 0
    assert add_kernel.reduce(np.array([])) == 0.0
    np.testing.assert_array_equal(add_kernel.accumulate(x), np.cumsum(x))
    np.testing.assert_array_equal(add_kernel.reduceat(x, [0, 3, 7]), np.add.reduceat(x, [0, 3, 7]))
    np.testing.assert_array_equal(add_kernel.outer(x[:3], x[:4]), np.add.outer(x[:3], x[:4]))
    y = np.zeros(5)
    add_kernel.at(y, [0, 0, 2], 1.0)
    np.testing.assert_array_equal(y, [2.0, 0, 1.0, 0, 0])
    assert mul_kernel.reduce(np.arange(1, 6)) == 120
    assert mul_kernel.identity == 1
    m = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(add_kernel.reduce(m, axis=0), m.sum(axis=0))
    np.testing.assert_array_equal(add_kernel.reduce(m, axis=1), m.sum(axis=1))


@pytest.mark.parametrize(
    "identity, expected",
    [(None, None), (0, 0), (1, 1), ("reorderable", None), (-7.5, -7.5)],
)
def test_identity_options(identity, expected):
    f = lj.vectorize(["float64(float64, float64)"], identity=identity)(lambda a, b: a + b)
    assert f.identity == expected
    if identity is None:
        with pytest.raises(ValueError):
            f.reduce(np.array([]))
    if identity == -7.5:
        assert f.reduce(np.array([])) == -7.5
    if identity == "reorderable":
        assert f.reduce(np.ones((2, 3)), axis=None) == 6.0


def test_bad_identity_is_a_clear_error():
    with pytest.raises(ValueError, match="identity"):
        lj.vectorize(["float64(float64, float64)"], identity="zero")(lambda a, b: a + b)


def test_tuple_return_makes_a_ufunc_with_two_outputs():
    assert divmod_kernel.nout == 2
    x = np.array([7.0, -7.0, 7.5])
    q, r = divmod_kernel(x, 2.0)
    np.testing.assert_array_equal(q, np.floor_divide(x, 2.0))
    np.testing.assert_array_equal(r, np.remainder(x, 2.0))
    q2, r2 = np.empty(3), np.empty(3)
    divmod_kernel(x, 2.0, out=(q2, r2))
    np.testing.assert_array_equal(q2, q)


def test_type_object_signatures():
    f = lj.vectorize(lj.float64(lj.float64, lj.float64))(lambda a, b: a - b)
    assert f.types == ["dd->d"]
    g = lj.vectorize([lj.f4(lj.f4), lj.i8(lj.i8)])(lambda a: a * 2)
    assert sorted(g.types) == ["f->f", "l->l"]


def test_lazy_ufunc_compiles_per_dtype_and_is_a_real_ufunc():
    @lj.vectorize
    def lazy(x, y):
        return x * y + 1

    assert isinstance(lazy, np.ufunc)
    assert lazy.types == []
    i = np.arange(5, dtype=np.int32)
    assert lazy(i, i).dtype == np.int32
    f = np.arange(5, dtype=np.float32)
    assert lazy(f, f).dtype == np.float32
    assert lazy(f, 2.0).dtype == np.float32  # weak Python scalar
    np.testing.assert_array_equal(lazy(i, i), i * i + 1)


def test_lazy_methods_work_before_any_call():
    @lj.vectorize(identity=0)
    def plus(x, y):
        return x + y

    x = np.arange(1.0, 6.0)
    assert plus.reduce(x) == 15.0
    np.testing.assert_array_equal(plus.accumulate(x), np.cumsum(x))
    np.testing.assert_array_equal(plus.outer(x[:2], x[:3]), np.add.outer(x[:2], x[:3]))
    y = np.zeros(3, dtype=np.int64)
    plus.at(y, [1, 1], 5)
    np.testing.assert_array_equal(y, [0, 10, 0])


def test_lazy_with_empty_parentheses_and_two_outputs():
    @lj.vectorize()
    def both(x):
        return x + 1, x - 1

    a, b = both(np.arange(3))
    np.testing.assert_array_equal(a, [1, 2, 3])
    np.testing.assert_array_equal(b, [-1, 0, 1])


def test_lazy_wrapper_fallback_for_older_numpy(tmp_path):
    code = textwrap.dedent(
        """
        import numpy as np, loopjit as lj
        @lj.vectorize(identity=0)
        def plus(x, y):
            return x + y
        assert not isinstance(plus, np.ufunc)
        assert plus.reduce(np.arange(5.0)) == 10.0
        assert plus(np.float32(1), 2.0).dtype == np.float32
        assert plus(np.arange(3), 1).tolist() == [1, 2, 3]
        print("ok")
        """
    )
    script = tmp_path / "lazy_wrapper.py"  # kernels need a source file
    script.write_text(code)
    env = dict(os.environ, LOOPJIT_LAZY_WRAPPER="1")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_module_level_ufunc_pickles_to_the_same_object():
    assert pickle.loads(pickle.dumps(add_kernel)) is add_kernel
    assert pickle.loads(pickle.dumps(divmod_kernel)) is divmod_kernel


def test_other_compiled_functions_are_inlined():
    @lj.njit
    def square(x):
        return x * x

    @lj.vectorize(["float64(float64)"])
    def uses_helpers(x):
        return square(x) + add_kernel(x, 1.0)

    x = np.linspace(0, 1, 7)
    np.testing.assert_allclose(uses_helpers(x), x * x + x + 1.0)
    assert square(3.0) == 9.0


def test_inspection():
    typed = lj.inspect_types(add_kernel, "float32(float32, float32)")
    assert "float32" in typed
    llvm = lj.inspect_llvm(add_kernel, "float64(float64, float64)")
    assert "fadd" in llvm
    asm = lj.inspect_asm(add_kernel, "float64(float64, float64)")
    assert "ret" in asm
    assert set(lj.inspect_types(add_kernel)) == set(FLOAT_SIGS)


def test_transcendental_kernels_use_vector_math_when_the_cpu_has_avx512():
    f = lj.vectorize(["float64(float64)"])(lambda x: math.exp(x))
    llvm = lj.inspect_llvm(f, "float64(float64)")
    if "+avx512f" in lj._core.host_cpu()[2]:
        assert "_ZGVeN8v_exp" in llvm or "_ZGVeN8v_loopjit_exp" in llvm
    x = np.linspace(-5, 5, 1001)
    # glibc documents libmvec's vector variants to 4 ULP (scalar libm: 1 ULP)
    np.testing.assert_allclose(f(x), np.exp(x), rtol=4 * np.finfo(np.float64).eps)


def test_call_time_bad_input_is_a_clean_python_error():
    with pytest.raises(TypeError):
        add_kernel(np.array(["a", "b"]), np.array(["c", "d"]))
    with pytest.raises(TypeError):
        add_kernel(np.array([object()]), 1.0)
    with pytest.raises(ValueError):
        add_kernel(np.ones(3), np.ones(4))
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        add_kernel(np.ones(3), np.ones(3), out=ro)
    with pytest.raises(TypeError):
        add_kernel(np.ones(3))


def test_inputs_are_not_modified():
    a = np.arange(5.0)
    b = a.copy()
    add_kernel(a, a)
    np.testing.assert_array_equal(a, b)


def test_unknown_target_and_option_are_clear_errors():
    with pytest.raises(ValueError, match="target"):
        lj.vectorize(["float64(float64)"], target="gpu-please")(lambda x: x)
    with pytest.raises(TypeError, match="unknown option"):
        lj.vectorize(["float64(float64)"], nosuch=1)(lambda x: x)
