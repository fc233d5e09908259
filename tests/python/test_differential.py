"""Differential tests: each compiled kernel against the same Python function run by the
interpreter on NumPy scalars of the signature's types, so that NumPy's own scalar rules are the
reference. Generated expression kernels (fixed seed) cover every dtype; hand-written kernels
cover statements. Integer results must match exactly, float results bit for bit (NaN matches
any NaN, signed zeros must match), transcendental functions within 2 ULP of the exact value
(4 ULP of the interpreter's)."""

import importlib.util
import math
import random
import types
import warnings

import numpy as np
import pytest

import loopjit as lj

SEED = 20250101
ARGS = ("a", "b", "c")
# Kernels whose result is a transcendental function: each side may be 2 ULP from the exact
# result (glibc's scalar cbrt is, for one), so they may differ by 4.
ULPS = 4

# --- input values -----------------------------------------------------------------------------


def _pool(dtype):
    """Values of one dtype that reach the edges of its arithmetic: zeros of both signs, NaN,
    infinities, the largest and smallest magnitudes, integer extremes, shift counts around the
    bit width, and some random values."""
    rng = np.random.default_rng(SEED + dtype.num)
    kind = dtype.kind
    if kind == "b":
        return [False, True]
    if kind in "iu":
        info = np.iinfo(dtype)
        bits = dtype.itemsize * 8
        vals = [0, 1, 2, 3, 5, 7, bits - 1, bits, bits + 1, info.max, info.max - 1,
                1 << (bits - 1) if kind == "u" else info.min + 1]
        if kind == "i":
            vals += [-1, -2, -3, -7, info.min, -bits]
        vals += rng.integers(info.min, info.max, 6, dtype=dtype, endpoint=True).tolist()
        vals += rng.integers(max(info.min, -20), 21, 4).tolist()
        return [dtype.type(v) for v in vals]
    if kind == "f":
        info = np.finfo(dtype)
        vals = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, -7.0, 10.0, math.pi, 0.1, np.nan, np.inf,
                -np.inf, info.max, -info.max, info.smallest_subnormal, -info.smallest_subnormal,
                info.smallest_normal, 1e30 if dtype.itemsize == 4 else 1e300]
        vals += (rng.standard_normal(6) * 100).tolist()
        vals += (rng.standard_normal(3) * 10.0 ** rng.integers(-30, 30, 3)).tolist()
        return [dtype.type(v) for v in vals]
    parts = _pool(np.dtype(f"f{dtype.itemsize // 2}"))
    special = [complex(0.0, 0.0), complex(-0.0, 0.0), complex(0.0, -0.0), complex(1, 2),
               complex(-1.5, 0.5), complex(np.inf, 1), complex(1, -np.inf),
               complex(np.nan, 0), complex(0, np.nan), complex(np.inf, np.inf)]
    vals = special + [complex(parts[i], parts[(i * 7 + 3) % len(parts)])
                      for i in range(len(parts))]
    return [dtype.type(v) for v in vals]


def _rows(dtypes, rng):
    """Input rows: the whole pool for one argument; for more, pool values paired off in
    several rotations (so equal values and zero divisors meet) plus random combinations."""
    pools = [_pool(dt) for dt in dtypes]
    if len(pools) == 1:
        return [(v,) for v in pools[0]]
    longest = max(len(p) for p in pools)
    rows = [tuple(p[(k * (j + 1)) % len(p)] for j, p in enumerate(pools))
            for k in range(longest)]
    rows += [tuple(p[(k + j * 3) % len(p)] for j, p in enumerate(pools)) for k in range(longest)]
    rows += [tuple(rng.choice(p) for p in pools) for _ in range(80)]
    return rows


# --- comparison ------------------------------------------------------------------------------


def _as_scalar(v):
    return v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v


def _dtype_of(v):
    """The dtype a kernel returns for an interpreter result `v`: a NumPy scalar's own dtype,
    a Python number's default dtype (they are weak literals that materialize)."""
    v = _as_scalar(v)
    if isinstance(v, np.generic):
        return v.dtype
    for pytype, name in ((bool, "bool"), (int, "int64"), (float, "float64"),
                         (complex, "complex128")):
        if isinstance(v, pytype):
            return np.dtype(name)
    return None


def _ordinal(x):
    """Float bits as an integer that counts ULPs monotonically across zero."""
    n = x.dtype.itemsize * 8
    bits = int(x.view(np.dtype(f"u{x.dtype.itemsize}")))
    mag = bits & ((1 << (n - 1)) - 1)
    return -mag if bits >> (n - 1) else mag


def _float_equal(got, exp, ulps):
    if np.isnan(exp) or np.isnan(got):
        return bool(np.isnan(exp) and np.isnan(got))
    if ulps == 0:
        return got.tobytes() == exp.tobytes()
    if np.isinf(exp) or np.isinf(got):
        return bool(got == exp)
    return abs(_ordinal(got) - _ordinal(exp)) <= ulps


def values_equal(got, exp, ulps=0):
    """`got` and `exp` are NumPy scalars of one dtype."""
    kind = got.dtype.kind
    if kind == "c":
        if _float_equal(got.real, exp.real, ulps) and _float_equal(got.imag, exp.imag, ulps):
            return True
        if ulps and np.all(np.isfinite([got, exp])):  # a part much smaller than |z|
            scale = np.spacing(max(abs(exp.real), abs(exp.imag)))
            return bool(abs(got.real - exp.real) <= ulps * scale
                        and abs(got.imag - exp.imag) <= ulps * scale)
        return False
    if kind == "f":
        return _float_equal(got, exp, ulps)
    return bool(got == exp)


def reference(func, args):
    """`func(*args)` as the interpreter computes it, as a tuple; None where the interpreter
    raises (Python ints dividing by zero, math domain errors, NumPy refusing a negative
    integer power or a Python int out of an integer type's range)."""
    try:
        with np.errstate(all="ignore"):
            result = func(*args)
    except (ArithmeticError, ValueError):
        return None
    return result if isinstance(result, tuple) else (result,)


def compare(func, ufunc, rows, dtypes, ulps=0, out_dtypes=None):
    """Run `ufunc` on the rows as arrays and `func` row by row. Returns (rows compared, first
    mismatch as text or None). Output dtypes must be those of the interpreter's results
    (`out_dtypes`, when given, instead: kernels whose returns the compiler unifies)."""
    cols = [np.array([r[k] for r in rows], dtype=dt) for k, dt in enumerate(dtypes)]
    before = [c.copy() for c in cols]
    with np.errstate(all="ignore"):
        got = ufunc(*cols)
    got = got if isinstance(got, tuple) else (got,)
    compared = 0
    for r in range(len(rows)):
        args = tuple(c[r] for c in cols)
        ref = reference(func, args)
        if ref is None:
            continue
        if len(ref) != len(got):
            return compared, f"{len(got)} outputs, the interpreter returns {len(ref)} values"
        for j, (g, e) in enumerate(zip(got, ref)):
            want = np.dtype(out_dtypes[j]) if out_dtypes else _dtype_of(e)
            if g.dtype != want:
                return compared, (f"output {j} has dtype {g.dtype}, the interpreter's result "
                                  f"is {want} ({e!r}) for inputs {args}")
            try:
                exp = np.array(_as_scalar(e)).astype(want)[()]
            except OverflowError:  # a Python int beyond int64: not comparable
                continue
            if not values_equal(g[r], exp, ulps):
                return compared, (f"inputs {args}: output {j} is {g[r]!r}, the interpreter "
                                  f"gives {exp!r}")
        compared += 1
    for c, b in zip(cols, before):
        assert c.tobytes() == b.tobytes(), "the kernel modified an input"
    return compared, None


# --- expression generator --------------------------------------------------------------------

EVAL_GLOBALS = {"math": math, "np": np}

# Harmless values: a candidate expression that raises on them or whose type depends on the
# values is dropped (it is a type error, or its Python semantics differ from typed code).
BENIGN = {
    "b": [(True, False, True), (False, True, True)],
    "i": [(3, 2, 5), (6, 1, 4)],
    "u": [(3, 2, 5), (6, 1, 4)],
    "f": [(1.5, 2.25, 3.0), (-0.75, 5.0, 2.0)],
    "c": [(1.5 + 0.5j, 2 - 1j, 0.5 + 2j), (-0.75 + 1j, 3 + 0j, 1 - 2j)],
}

INT_LITERALS = ["0", "1", "2", "3", "5", "7", "100", "127", "-1", "-3"]
FLOAT_LITERALS = ["0.5", "2.5", "-1.5", "0.0", "-0.0", "3.0", "0.1", "1e10"]
COMPLEX_LITERALS = ["1j", "(0.5-2j)", "(1+0j)"]
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>"]
COMPARE = ["<", "<=", ">", ">=", "==", "!="]
ORDERING = {"<", "<=", ">", ">="}
# What the interpreter computes on two Python numbers exactly as typed code does on weak
# literals (Python ints beyond int64 and Python bool arithmetic are left out).
WEAK_PAIR_OPS = {
    ("I", "I"): {"+", "-", "//", "%", "&", "|", "^"},
    ("F", "F"): {"+", "-", "*", "/", "//", "%"},
    ("I", "F"): {"+", "-", "*", "/"},
    ("F", "I"): {"+", "-", "*", "/"},
    ("B", "B"): {"&", "|", "^"},
}
EXACT_NP_UNARY = ["np.sqrt", "np.floor", "np.ceil", "np.trunc", "np.rint", "np.fabs",
                  "np.square", "np.negative", "np.positive", "np.absolute", "np.sign",
                  "np.isnan", "np.isinf", "np.isfinite", "np.signbit", "np.logical_not",
                  "np.reciprocal", "np.conjugate", "np.real", "np.imag", "math.fabs",
                  "math.isnan", "math.isinf", "math.isfinite"]
EXACT_NP_BINARY = ["np.maximum", "np.minimum", "np.fmax", "np.fmin", "np.copysign", "np.fmod",
                   "np.remainder", "np.floor_divide", "np.true_divide", "np.add",
                   "np.subtract", "np.multiply", "np.logical_and", "np.logical_or",
                   "np.logical_xor", "np.heaviside", "np.nextafter", "np.ldexp",
                   "math.copysign", "math.fmod"]
# Not exact operations on complex numbers (sqrt, abs, sign), or ones whose result NumPy's own
# complex loops compute differently from its scalar arithmetic (they contract to fused
# multiply-adds; np.where returns 0-d arrays, whose arithmetic runs those loops).
NOT_ON_COMPLEX = {"np.sqrt", "np.absolute", "np.sign", "np.square", "np.reciprocal",
                  "np.multiply", "np.true_divide", "np.where"}
# Not ufuncs: their Python-number arguments are not weak scalars (np.real(True) is int 0).
STRONG_ONLY = {"np.real", "np.imag"}
APPROX_UNARY = ["math.sin", "math.cos", "math.tan", "math.exp", "math.exp2", "math.expm1",
                "math.log", "math.log2", "math.log10", "math.log1p", "math.asin", "math.acos",
                "math.atan", "math.sinh", "math.cosh", "math.tanh", "math.asinh",
                "math.acosh", "math.atanh", "math.erf", "math.erfc", "math.cbrt",
                "math.degrees", "math.radians", "np.sin", "np.cos", "np.tan", "np.exp",
                "np.exp2", "np.expm1", "np.log", "np.log2", "np.log10", "np.log1p", "np.arcsin",
                "np.arccos", "np.arctan", "np.sinh", "np.cosh", "np.tanh", "np.arcsinh",
                "np.arccosh", "np.arctanh", "np.cbrt", "np.degrees", "np.radians"]
APPROX_BINARY = ["math.atan2", "math.hypot", "math.pow", "np.arctan2", "np.hypot", "np.power",
                 "np.logaddexp", "np.logaddexp2", "np.float_power", "**"]
APPROX_COMPLEX = ["np.exp", "np.log", "np.log10", "np.sqrt", "np.sin", "np.cos", "np.tanh",
                  "np.sinh", "abs", "np.absolute", "cmath.exp", "cmath.log", "cmath.sqrt",
                  "cmath.sin", "cmath.cos", "cmath.tanh"]


class Node:
    """A generated expression: its source, its type in the interpreter (a dtype, or the name
    of a Python number type for weak values), and whether it reads an argument."""

    __slots__ = ("src", "kind", "var")

    def __init__(self, src, kind, var):
        self.src, self.kind, self.var = src, kind, var

    @property
    def cat(self):
        """Kind letter: a dtype's kind ('b', 'i', 'u', 'f', 'c'), or for Python numbers
        (weak) 'B' bool, 'I' int, 'F' float, 'C' complex."""
        if isinstance(self.kind, np.dtype):
            return self.kind.kind
        return {"bool": "B", "int": "I", "float": "F", "complex": "C"}[self.kind]

    @property
    def weak(self):
        return not isinstance(self.kind, np.dtype)

    @property
    def key(self):
        """For comparing kinds: a dtype equals its name and Python's type (float64 == float),
        but a NumPy float64 and a Python float follow different rules."""
        return self.weak, str(self.kind)


class ExprGen:
    """Random expressions over the arguments of one signature. Each candidate is evaluated
    on harmless inputs to learn its type (the interpreter's NumPy-scalar type) and dropped
    when the interpreter rejects it, so only well-typed kernels come out."""

    def __init__(self, rng, dtypes):
        self.rng = rng
        self.dtypes = dtypes
        self.names = ARGS[:len(dtypes)]
        self.complex = any(dt.kind == "c" for dt in dtypes)
        self.envs = [{n: dt.type(BENIGN[dt.kind][r][i])
                      for i, (n, dt) in enumerate(zip(self.names, dtypes))} for r in range(2)]
        self.builders = [self.binop] * 5 + [self.unary, self.compare, self.compare, self.boolop,
                                             self.ifexp, self.minmax, self.npcall, self.npcall,
                                             self.convert]

    def typed(self, src, var=True):
        kinds = set()
        for env in self.envs:
            try:  # a warning (complex to real, ...) rejects the candidate like an error
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("error")
                    value = _as_scalar(eval(src, EVAL_GLOBALS, dict(env)))
            except Exception:
                return None
            if isinstance(value, np.generic):
                kinds.add((False, value.dtype.name))
            elif isinstance(value, (bool, int, float, complex)):
                kinds.add((True, type(value).__name__))
            else:
                return None
        if len(kinds) != 1:
            return None
        weak, name = kinds.pop()
        return Node(src, name if weak else np.dtype(name), var)

    def leaf(self):
        r = self.rng.random()
        if r < 0.75:
            name = self.rng.randrange(len(self.names))
            return Node(self.names[name], self.dtypes[name], True)
        if r < 0.9:
            lit = self.rng.choice(INT_LITERALS)
        elif r < 0.97:
            lit = self.rng.choice(COMPLEX_LITERALS if self.complex and r < 0.93
                                  else FLOAT_LITERALS)
        else:
            lit = self.rng.choice(["True", "False"])
        return self.typed(lit, var=False)

    def expr(self, depth):
        if depth <= 0 or self.rng.random() < 0.2:
            return self.leaf()
        for _ in range(10):
            node = self.rng.choice(self.builders)(depth - 1)
            if node is not None:
                return node
        return self.leaf()

    def var_expr(self, depth):
        """An expression that reads an argument (no literal-only subexpressions)."""
        for _ in range(10):
            node = self.expr(depth)
            if node is not None and node.var:
                return node
        name = self.rng.randrange(len(self.names))
        return Node(self.names[name], self.dtypes[name], True)

    def same_kind(self, depth, count):
        first = self.var_expr(depth)
        nodes = [first]
        for _ in range(count - 1):
            for _ in range(10):
                node = self.expr(depth)
                if node is not None and node.key == first.key:
                    nodes.append(node)
                    break
            else:
                return None
        return nodes

    def binop(self, depth):
        op = self.rng.choice(BINOPS)
        a = self.expr(depth)
        if a is None:
            return None
        if op == "**":
            if a.cat in "fF":
                b = self.typed(self.rng.choice(["0", "1", "2"]), var=False)
            elif a.cat == "c":
                b = self.typed(self.rng.choice(["-2", "-1", "0", "1", "2", "3", "4"]), False)
            elif a.cat in "biuI":
                b = self.expr(depth)
                if b is None or b.cat not in "biuBI" or (b.weak and a.weak):
                    return None
            else:
                return None
        else:
            b = self.expr(depth)
        if b is None or not (a.var or b.var):
            return None
        if a.weak and b.weak and op not in WEAK_PAIR_OPS.get((a.cat, b.cat), ()):
            return None
        return self.typed(f"({a.src} {op} {b.src})")

    def unary(self, depth):
        a = self.var_expr(depth)
        op = self.rng.choice(["-", "+", "~", "not ", "abs"])
        if op != "not " and a.cat == "B":  # -True is the Python int -1
            return None
        if op == "abs":
            return None if a.cat in "cC" else self.typed(f"abs({a.src})")
        return self.typed(f"({op}{a.src})")

    def compare(self, depth):
        nodes = [self.expr(depth) for _ in range(self.rng.choice([2, 2, 2, 3]))]
        if any(n is None for n in nodes) or not any(n.var for n in nodes):
            return None
        ops = [self.rng.choice(COMPARE) for _ in nodes[1:]]
        if any(n.cat in "cC" for n in nodes) and ORDERING.intersection(ops):
            return None  # NumPy orders complex numbers; kernels do not
        src = nodes[0].src + "".join(f" {op} {n.src}" for op, n in zip(ops, nodes[1:]))
        return self.typed(f"({src})")

    def boolop(self, depth):
        nodes = self.same_kind(depth, self.rng.choice([2, 2, 3]))
        if nodes is None:
            return None
        op = self.rng.choice([" and ", " or "])
        return self.typed("(" + op.join(n.src for n in nodes) + ")")

    def ifexp(self, depth):
        nodes = self.same_kind(depth, 2)
        cond = self.expr(depth)
        if nodes is None or cond is None:
            return None
        return self.typed(f"({nodes[0].src} if {cond.src} else {nodes[1].src})")

    def minmax(self, depth):
        nodes = self.same_kind(depth, self.rng.choice([2, 2, 3]))
        if nodes is None or nodes[0].cat in "cC":
            return None
        return self.typed(f"{self.rng.choice(['min', 'max'])}({', '.join(n.src for n in nodes)})")

    def npcall(self, depth):
        r = self.rng.random()
        if r < 0.45:
            f = self.rng.choice(EXACT_NP_UNARY)
            a = self.var_expr(depth)
            if (f in NOT_ON_COMPLEX and a.cat in "cC") or (f in STRONG_ONLY and a.weak):
                return None
            return self.typed(f"{f}({a.src})")
        if r < 0.85:
            args = [self.expr(depth), self.expr(depth)]
            f = self.rng.choice(EXACT_NP_BINARY)
        else:
            args = [self.expr(depth) for _ in range(3)]
            f = self.rng.choice(["np.where", "np.clip"])
        if any(a is None for a in args) or not any(a.var for a in args):
            return None
        if f in NOT_ON_COMPLEX and any(a.cat in "cC" for a in args):
            return None
        # np.clip is a Python function: a Python number as its first argument becomes an
        # int64/float64 array, not a weak scalar; that is not what a ufunc does.
        if f == "np.clip" and (args[0].weak or any(a.cat in "cC" for a in args)):
            return None
        return self.typed(f"{f}({', '.join(a.src for a in args)})")

    def convert(self, depth):
        """Python's conversions, which give weak Python numbers; int() only of a bounded
        float, so that no conversion saturates."""
        a = self.var_expr(depth)
        if a.cat in "cC":
            return None
        r = self.rng.random()
        if r < 0.3:
            return self.typed(f"float({a.src})")
        if r < 0.45:
            return self.typed(f"bool({a.src})")
        if r < 0.6 and a.cat == "f":  # np.round's rule; Python rounds its floats exactly
            return self.typed(f"round({a.src}, {self.rng.choice(['1', '2', '-1', '0'])})")
        f = self.rng.choice(["int", "round", "math.floor", "math.ceil", "math.trunc"])
        return self.typed(f"{f}({a.src} % 1000.0)")

    def exact(self, depth=4):
        return self.var_expr(depth)

    def number(self, depth):
        """An expression of the arguments that is not a bool."""
        for _ in range(10):
            node = self.var_expr(depth)
            if node.cat not in "bB":
                return node
        return None

    def approx(self):
        """A transcendental function of exact subexpressions, so that only the function's
        own rounding can differ."""
        a = self.number(2)
        if a is None:
            return None
        if any(dt.kind == "c" for dt in self.dtypes):
            return self.typed(f"{self.rng.choice(APPROX_COMPLEX)}({a.src})")
        if self.rng.random() < 0.6:
            return self.typed(f"{self.rng.choice(APPROX_UNARY)}({a.src})")
        f = self.rng.choice(APPROX_BINARY)
        b = self.number(2) if self.rng.random() < 0.7 else self.expr(2)
        if b is None or (f == "**" and (a.cat not in "fF" or a.weak and b.weak)):
            return None
        if f == "**":
            return self.typed(f"({a.src} ** {b.src})")
        return self.typed(f"{f}({a.src}, {b.src})")


def generate(rng, dtypes, count, approx=False):
    """`count` kernel bodies (expression sources) for one signature; about one in five
    returns two values (a ufunc with two outputs)."""
    gen = ExprGen(rng, dtypes)
    make = gen.approx if approx else gen.exact
    bodies = []
    while len(bodies) < count:
        parts = [make() for _ in range(2 if rng.random() < 0.2 else 1)]
        if any(p is None for p in parts):
            continue
        bodies.append(", ".join(p.src for p in parts))
    return bodies


def import_kernels(tmp_path, tag, dtypes, bodies):
    """Write the kernels to a module of their own (loopjit reads their source) and import
    it."""
    params = ", ".join(ARGS[:len(dtypes)])
    text = "import cmath\nimport math\n\nimport numpy as np\n"
    for i, body in enumerate(bodies):
        text += f"\n\ndef k{i}({params}):\n    return {body}\n"
    path = tmp_path / f"gen_{tag}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"loopjit_generated_{tag}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [getattr(module, f"k{i}") for i in range(len(bodies))]


def check_generated(tmp_path, tag, dtypes, count, approx):
    rng = random.Random(f"{SEED}-{tag}-{approx}")
    dtypes = [np.dtype(d) for d in dtypes]
    bodies = generate(rng, dtypes, count, approx)
    kernels = import_kernels(tmp_path, tag + ("_approx" if approx else ""), dtypes, bodies)
    rows = _rows(dtypes, rng)
    sig = "(" + ", ".join(dt.name for dt in dtypes) + ")"
    failures, vacuous = [], 0
    for body, func in zip(bodies, kernels):
        where = f"{sig}: return {body}"
        try:
            ufunc = lj.vectorize([sig])(func)
        except lj.LoopjitError as e:
            failures.append(f"{where}\n  does not compile: {e}")
            continue
        compared, problem = compare(func, ufunc, rows, dtypes, ulps=ULPS if approx else 0)
        if problem:
            failures.append(f"{where}\n  {problem}")
        vacuous += compared == 0
    assert not failures, f"{len(failures)} of {count} kernels differ:\n" + "\n".join(failures)
    # Rows where the interpreter raises are skipped; nearly every kernel must still be tested.
    assert vacuous <= count // 10, f"{vacuous} of {count} kernels had no comparable input"


SIGNATURES = [
    ("bool",), ("bool", "bool"), ("int8", "int8"), ("int16", "int16"), ("int32", "int32"),
    ("int64", "int64"), ("uint8", "uint8"), ("uint16", "uint16"), ("uint32", "uint32"),
    ("uint64", "uint64"), ("float32", "float32"), ("float64", "float64"),
    ("complex64", "complex64"), ("complex128", "complex128"), ("int8",), ("uint64",),
    ("float32",), ("float64",), ("complex128",), ("int32", "int32", "int32"),
    ("float64", "float64", "float64"), ("int8", "uint8"), ("int64", "uint64"),
    ("int32", "float32"), ("float32", "float64"), ("int16", "float32"),
    ("complex64", "float64"), ("bool", "int8"), ("uint32", "int64"), ("uint8", "float32"),
]
APPROX_SIGNATURES = [
    ("float32",), ("float64",), ("float32", "float32"), ("float64", "float64"),
    ("int32", "float64"), ("int16", "float32"), ("complex64",), ("complex128",),
]


def _tag(dtypes):
    return "_".join(dtypes)


@pytest.mark.parametrize("dtypes", SIGNATURES, ids=_tag)
def test_generated_exact_expressions(dtypes, tmp_path):
    check_generated(tmp_path, _tag(dtypes), dtypes, count=30, approx=False)


@pytest.mark.parametrize("dtypes", APPROX_SIGNATURES, ids=_tag)
def test_generated_transcendental_expressions(dtypes, tmp_path):
    check_generated(tmp_path, _tag(dtypes), dtypes, count=20, approx=True)


# --- statements ------------------------------------------------------------------------------
# Hand-written kernels, each run against the interpreter on the same NumPy scalars. A kernel
# that calls @njit helpers is interpreted with the helpers' Python functions, so that NumPy
# scalars flow through them as they do through the compiled code. Range loop variables are
# int64 in kernels and Python ints in the interpreter, so these kernels mix them only with
# int64 and float64 values, where both rules agree.


@lj.njit
def clamp(v, lo, hi):
    return min(max(v, lo), hi)


@lj.njit
def poly(x):
    return (x * 0.5 + 1.25) * x - 3.0


@lj.njit
def sum_and_diff(x, y):
    return x + y, x - y


def range_steps(start, stop, step):
    acc = start
    for i in range(start, stop, step):
        acc = acc * 3 + i
    return acc


def range_forms(n, x):
    s = x
    for i in range(n):
        s = s * 0.5 + i
    for j in range(n, 0, -2):
        s -= j
    for k in range(-3, n):
        if k % 3 == 0:
            continue
        s += k * 0.25
    return s


def collatz_steps(n):
    steps = 0
    while n != 1:
        if steps >= 200:
            break
        steps += 1
        if n % 2 == 0:
            n //= 2
            continue
        n = 3 * n + 1
    return steps


def smallest_factor(n):
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return d
    else:
        return -1
    return n


def while_else(x):
    i = 0
    while i < 5:
        if x < i:
            break
        i += 1
    else:
        return -1.0
    return x * i


def gcd_swap(a, b):
    a, b = abs(a), abs(b)
    if a < b:
        a, b = b, a
    while b:
        a, b = b, a % b
    return a


def mixed_returns(x):
    if x > 100:
        return 1
    if x < -100:
        return x / 4
    if x == 0:
        return True
    return x * 2.5


def int_then_float(x, y):
    acc = 0
    if x > y:
        acc = x - y
    else:
        acc = 2
    acc = acc * 3
    return acc


def counter_to_float(n):
    t = 1
    for _ in range(n):
        t = t * 2
    if n > 10:
        t = 0.5 * t
    return t


def walrus(x, y):
    if (d := x - y) > 0:
        return d * (s := x + y) + s
    return (m := d * d) + m


def calls_njit(x, lo):
    return clamp(x, lo, lo + 1.0) + poly(x)


def calls_njit_tuple(x, y):
    s, d = sum_and_diff(x, y)
    return s * d


def nested_loops(n, x):
    total = x
    for i in range(n):
        j = 0
        while True:
            j += 1
            if j > i:
                break
            if (i + j) % 3 == 0:
                continue
            total = total + x * j
    return total


def augmented(a, b):
    c = a
    c += b
    c -= 3
    c *= b
    c //= 7
    c %= 11 if b > 0 else -5
    c <<= 2
    c |= a
    c ^= b
    c &= a | b
    c >>= 1
    return c


def divmod_unpack(a, b):
    q, r = divmod(a, b)
    return q * b + r, r


def tuple_swap_outputs(x, y):
    t = (x, y)
    a, b = t
    a, b = b, a
    return a, a * b + b


def branches(x, y):
    if x < y <= 2 * x:
        r = x + y
    elif x == y or x != x:
        r = x
    elif not (x > 0 and y > 0):
        r = -y if y else x
    else:
        r = y - x
    return r


def newton_sqrt(x):
    g = x if x > 1.0 else 1.0
    for _ in range(30):
        g = 0.5 * (g + x / g)
    return g


INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float32", "float64"]
SMALL_INTS = list(range(-25, 26))

# (kernel, argument dtypes, output dtypes (None: the interpreter's), argument values or None
# for each dtype's edge values)
STATEMENT_CASES = [
    (range_steps, ["int64"] * 3, None, [SMALL_INTS, SMALL_INTS, [-4, -3, -1, 0, 1, 2, 5]]),
    (range_forms, ["int64", "float64"], None, [list(range(-4, 21)), None]),
    (collatz_steps, ["int64"], None, [list(range(-10, 120))]),
    (smallest_factor, ["int64"], None, [list(range(-3, 200))]),
    (while_else, ["float64"], ["float64"], [None]),
    (while_else, ["int64"], ["float64"], [SMALL_INTS]),
    (mixed_returns, ["int32"], ["float64"], [None]),
    (mixed_returns, ["float32"], ["float32"], [None]),
    (int_then_float, ["float32", "float32"], ["float32"], [None, None]),
    (int_then_float, ["int16", "int16"], ["int16"], [None, None]),
    (counter_to_float, ["int64"], ["float64"], [list(range(-3, 61))]),
    (nested_loops, ["int64", "float64"], None, [list(range(-2, 15)), None]),
    (newton_sqrt, ["float64"], None, [None]),
] + [
    (gcd_swap, [dt, dt], None, [None, None]) for dt in INT_DTYPES
] + [
    (walrus, [dt, dt], None, [None, None]) for dt in INT_DTYPES + FLOAT_DTYPES
] + [
    (calls_njit, [dt, dt], None, [None, None]) for dt in FLOAT_DTYPES + ["int32"]
] + [
    (calls_njit_tuple, [dt, dt], None, [None, None]) for dt in ["int8", "uint16"] + FLOAT_DTYPES
] + [
    (augmented, [dt, dt], None, [None, None]) for dt in INT_DTYPES
] + [
    (divmod_unpack, [dt, dt], None, [None, None]) for dt in INT_DTYPES + FLOAT_DTYPES
] + [
    (tuple_swap_outputs, [dt, dt], None, [None, None])
    for dt in ["bool", "int8", "uint64", "float32", "complex64"]
] + [
    (branches, [dt, dt], None, [None, None]) for dt in INT_DTYPES + FLOAT_DTYPES
]


def interpreted(func):
    """`func` with the @njit functions it calls replaced by their Python functions."""
    names = func.__code__.co_names
    env = dict(func.__globals__)
    for name in names:
        helper = env.get(name)
        if hasattr(helper, "py_func"):
            env[name] = helper.py_func
    return types.FunctionType(func.__code__, env, func.__name__)


def _statement_id(case):
    func, dtypes = case[0], case[1]
    return f"{func.__name__}-{'_'.join(dtypes)}"


@pytest.mark.parametrize("case", STATEMENT_CASES, ids=map(_statement_id, STATEMENT_CASES))
def test_statement_kernels(case):
    func, names, out_dtypes, values = case
    dtypes = [np.dtype(n) for n in names]
    rng = random.Random(f"{SEED}-{_statement_id(case)}")
    pools = [_pool(dt) if v is None else [dt.type(x) for x in v]
             for dt, v in zip(dtypes, values)]
    if len(pools) == 1:
        rows = [(v,) for v in pools[0]]
    else:
        rows = [tuple(rng.choice(p) for p in pools) for _ in range(300)]
    ufunc = lj.vectorize(["(" + ", ".join(names) + ")"])(func)
    compared, problem = compare(interpreted(func), ufunc, rows, dtypes, out_dtypes=out_dtypes)
    assert problem is None, problem
    assert compared >= len(rows) // 2
