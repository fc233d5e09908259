"""Type objects for signatures: ``lj.float64(lj.float64, lj.float64)`` is the same signature
as the string ``"float64(float64, float64)"``. The C++ core owns the type system; these objects
only carry a type's name, checked by the core when created."""

from . import _core
from .errors import SignatureError

__all__ = ["Type", "Signature", "UniTuple", "Tuple", "void"]


class Type:
    """A loopjit type, e.g. ``float64``; call it with argument types to make a signature."""

    __slots__ = ("name",)

    def __init__(self, name):
        try:
            self.name = _core.canonical_type(str(name))
        except _core.CompileError as e:
            raise SignatureError(e.args[1]) from None

    def __call__(self, *args):
        return Signature(self, args)

    def __repr__(self):
        return self.name

    __str__ = __repr__

    def __getitem__(self, dims):
        """Array types as in Numba: ``float64[:]``, ``float32[:, ::1]`` (C), ``f8[::1, :]`` (F)."""
        dims = dims if isinstance(dims, tuple) else (dims,)
        parts = []
        for d in dims:
            if not isinstance(d, slice) or d.start is not None or d.stop is not None:
                raise TypeError(f"array dimensions are written ':' or '::1', not {d!r}")
            if d.step not in (None, 1):
                raise TypeError(f"array dimensions are written ':' or '::1', not {d!r}")
            parts.append("::1" if d.step == 1 else ":")
        return Type(f"{self.name}[{', '.join(parts)}]")

    def __eq__(self, other):
        return isinstance(other, Type) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class Signature:
    """A return type and argument types; ``str()`` gives the signature string."""

    __slots__ = ("return_type", "args")

    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = tuple(args)
        for a in self.args:
            if not isinstance(a, Type):
                raise TypeError(f"signature arguments must be loopjit types, not {a!r}")

    def __str__(self):
        ret = "" if self.return_type is None else str(self.return_type)
        return f"{ret}({', '.join(str(a) for a in self.args)})"

    __repr__ = __str__


def UniTuple(dtype, count):
    """A tuple of ``count`` values of one type, e.g. the return of a two-output ufunc."""
    return Type(f"UniTuple({dtype}, {int(count)})")


def Tuple(*dtypes):
    """A tuple of values of the given types."""
    return Type(f"Tuple({', '.join(str(d) for d in dtypes)})")


class _Void(Type):
    """The return type of kernels that return nothing: ``void(float64[:], float64[:])``."""

    __slots__ = ()

    def __init__(self):
        self.name = "void"


void = _Void()

# The scalar types, and Numba's aliases for them (the core maps each alias to its type).
_ALIASES = (
    "b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 c8 c16 boolean byte uint8 intp uintp intc uintc "
    "float_ double single complex_"
).split()

for _name in list(_core.scalar_type_names) + _ALIASES:
    try:
        globals()[_name] = Type(_name)
    except Exception:  # an alias the core does not know is simply not offered
        continue
    __all__.append(_name)
