// The typing rules of builtin calls, one function per family of names: Python's builtins, math
// (computes in float64, as Python), cmath (in complex128) and NumPy (its ufunc loop tables).
#include "typing/builtin_typing.h"
#include "typing/cast.h"
#include "typing/promote.h"
#include "typing/ufunc_loops.h"

#include <cstdint>

namespace lj {
namespace {

TypeRef bool_t() {
    return scalar_type(Scalar::Bool);
}

bool is_integral(TypeRef t) {
    return t->kind == TypeKind::WeakInt || (t->is_scalar() && !is_inexact(t->scalar));
}

// The NEP 50 common type of arguments [first, end) (promoted together, whatever their order),
// materialized, cast onto each of them.
TypeRef unify(BuiltinCall &c, size_t first) {
    std::vector<TypeRef> types;
    for (size_t i = first; i < c.size(); ++i)
        types.push_back(c.number(i));
    TypeRef t = materialize(promote_all(types));
    for (size_t i = first; i < c.size(); ++i)
        c.cast(i, t);
    return t;
}

// np.clip(x, lo, hi) with x of an integer dtype ignores a Python int bound at or beyond the
// dtype's limit on its side (np.clip(uint8, -1, 300) is x), which promotion alone would refuse
// as out of bounds. A literal such bound becomes the limit; a Python int computed at run time
// is clamped to the dtype's range as an int64 (np.clip(x, lo, hi) of it), which is what NumPy
// computes wherever it does not raise.
void clip_python_int_bounds(BuiltinCall &c) {
    TypeRef x = c.type(0);
    if (!x->is_scalar() || !is_integer(x->scalar))
        return;
    int bits = scalar_bits(x->scalar);
    bool is_unsigned = scalar_class(x->scalar) == ScalarClass::Unsigned;
    int64_t lo = is_unsigned ? 0 : bits == 64 ? INT64_MIN : -(int64_t(1) << (bits - 1));
    int value_bits = is_unsigned ? bits : bits - 1;
    int64_t hi = value_bits >= 63 ? INT64_MAX : (int64_t(1) << value_bits) - 1;
    for (size_t i = 1; i <= 2; ++i) {
        Node &n = *c.arg(i);
        if (n.type->kind != TypeKind::WeakInt)
            continue;
        if (n.kind == NodeKind::Int) {
            if (i == 1 && n.ival <= lo)
                n.ival = lo;
            if (i == 2 && n.ival >= hi)
                n.ival = hi;
            continue;
        }
        SourceLoc loc = n.loc;
        NodePtr clamp = make_node(NodeKind::Call, loc);
        clamp->name = "np.clip";
        clamp->builtin = static_cast<int>(Builtin::Clip);
        clamp->type = weak_int_type(); // still a Python int: promotes as one
        clamp->kids.push_back(std::move(c.arg(i)));
        insert_cast(clamp->kids[0], i64());
        for (int64_t limit : {lo, hi}) {
            NodePtr k = make_node(NodeKind::Int, loc);
            k->ival = limit;
            k->type = i64();
            clamp->kids.push_back(std::move(k));
        }
        c.arg(i) = std::move(clamp);
    }
}

void cast_all(BuiltinCall &c, TypeRef t) {
    for (size_t i = 0; i < c.size(); ++i)
        c.cast(i, t);
}

[[noreturn]] void internal(const BuiltinCall &c) {
    throw CompileError(ErrorKind::Internal, "no typing rule for " + c.fn, c.node.loc);
}

TypeRef python_builtin_type(BuiltinCall &c, Builtin b) {
    switch (b) {
    case Builtin::Abs:
        c.arity(1, 1);
        return c.by_loop(Builtin::Abs);
    case Builtin::Min:
    case Builtin::Max:
        if (c.size() == 1)
            c.not_supported(c.fn + "() of an iterable");
        c.arity(2, SIZE_MAX);
        for (size_t i = 0; i < c.size(); ++i)
            c.real(i);
        return unify(c, 0);
    case Builtin::Round:
        c.arity(1, 2);
        c.real(0);
        c.materialize_arg(0);
        if (c.size() == 1)
            return i64();
        c.integer(1);
        c.cast(1, i64());
        return c.type(0);
    case Builtin::Int:
    case Builtin::Float:
        c.arity(1, 1);
        c.real(0);
        c.materialize_arg(0);
        return b == Builtin::Int ? i64() : f64();
    case Builtin::BoolCast:
        c.arity(1, 1);
        c.number(0);
        c.materialize_arg(0);
        return bool_t();
    case Builtin::ComplexCtor:
        c.arity(1, 2);
        if (c.size() == 1 && is_complex_type(c.number(0))) {
            c.cast(0, c128());
            return c128();
        }
        for (size_t i = 0; i < c.size(); ++i)
            c.real(i);
        cast_all(c, f64());
        return c128();
    case Builtin::Pow:
        if (c.size() == 3)
            c.not_supported("pow() with a modulus");
        c.arity(2, 2);
        return c.by_loop(Builtin::Pow);
    case Builtin::Divmod: {
        c.arity(2, 2);
        for (size_t i = 0; i < c.size(); ++i)
            c.real(i);
        TypeRef t = c.by_loop(Builtin::Divmod);
        return tuple_type({t, t});
    }
    case Builtin::Len: {
        c.arity(1, 1);
        TypeRef t = c.type(0);
        if (t->kind == TypeKind::Array && t->ndim > 0)
            return i64();
        if (t->kind == TypeKind::Tuple)
            return i64();
        c.fail(t->kind == TypeKind::Array ? "len() of unsized object (a 0-d array)"
                                          : "object of type '" + type_name(t) +
                                                "' has no len()");
    }
    case Builtin::Range:
        c.arity(1, 3);
        for (size_t i = 0; i < c.size(); ++i) {
            c.integer(i);
            c.cast(i, i64());
        }
        return range_type();
    default:
        internal(c);
    }
}

} // namespace

// Python's builtins return Python numbers unless NumPy scalars go in: int(), float(), complex()
// and round(x) always, abs, min, max, pow, divmod and round(x, n) when every argument is a
// literal. Python numbers are weak (NEP 50): float32 * int(y) stays float32.
TypeRef type_python_builtin(BuiltinCall &c, Builtin b) {
    bool all_weak = c.size() > 0;
    for (size_t i = 0; i < c.size(); ++i)
        all_weak = all_weak && c.type(i) && c.type(i)->is_weak();
    TypeRef t = python_builtin_type(c, b);
    switch (b) {
    case Builtin::Int:
    case Builtin::Float:
    case Builtin::ComplexCtor:
        return python_number(t);
    case Builtin::Round:
        return c.size() == 1 || all_weak ? python_number(t) : t;
    case Builtin::Abs:
    case Builtin::Min:
    case Builtin::Max:
    case Builtin::Pow:
    case Builtin::Divmod:
        return all_weak ? python_number(t) : t;
    default:
        return t;
    }
}

TypeRef type_math(BuiltinCall &c, Builtin b) {
    switch (b) {
    case Builtin::Floor:
    case Builtin::Ceil:
    case Builtin::Trunc:
        // Python returns an int; an int argument is already one (no trip through float64).
        c.arity(1, 1);
        c.cast(0, is_integral(c.real(0)) ? i64() : f64());
        return i64();
    case Builtin::IsNan:
    case Builtin::IsInf:
    case Builtin::IsFinite:
        c.arity(1, 1);
        c.real(0);
        c.materialize_arg(0);
        return bool_t();
    case Builtin::Ldexp:
        c.arity(2, 2);
        c.real(0);
        c.cast(0, f64());
        c.integer(1);
        c.cast(1, i64());
        return f64();
    case Builtin::Log:
        c.arity(1, 2);
        break;
    case Builtin::Atan2:
    case Builtin::Hypot:
    case Builtin::Power:
    case Builtin::Copysign:
    case Builtin::Nextafter:
    case Builtin::Fmod:
        c.arity(2, 2);
        break;
    default:
        c.arity(1, 1);
        break;
    }
    for (size_t i = 0; i < c.size(); ++i)
        c.real(i);
    cast_all(c, f64());
    return f64();
}

TypeRef type_cmath(BuiltinCall &c, Builtin b) {
    switch (b) {
    case Builtin::Angle:
        c.arity(1, 1);
        c.number(0);
        c.cast(0, c128());
        return f64();
    case Builtin::Polar:
        c.arity(1, 1);
        c.number(0);
        c.cast(0, c128());
        return tuple_type({f64(), f64()});
    case Builtin::Rect:
        c.arity(2, 2);
        c.real(0);
        c.real(1);
        cast_all(c, f64());
        return c128();
    case Builtin::IsNan:
    case Builtin::IsInf:
    case Builtin::IsFinite:
        c.arity(1, 1);
        c.number(0);
        c.materialize_arg(0);
        return bool_t();
    case Builtin::Log:
        c.arity(1, 2);
        break;
    default:
        c.arity(1, 1);
        break;
    }
    for (size_t i = 0; i < c.size(); ++i)
        c.number(i);
    cast_all(c, c128());
    return c128();
}

TypeRef type_numpy(BuiltinCall &c, Builtin b) {
    switch (b) {
    case Builtin::Round:
        c.arity(1, 2);
        c.number(0);
        c.materialize_arg(0);
        if (c.size() == 2) {
            c.integer(1);
            c.cast(1, i64());
        }
        if (c.type(0) == bool_t()) // NumPy rounds booleans through rint's float16 loop
            c.cast(0, scalar_type(Scalar::Float16));
        return c.type(0);
    case Builtin::Where:
        if (c.size() == 1)
            c.not_supported("np.where() with one argument");
        c.arity(3, 3);
        c.number(0);
        c.cast(0, bool_t());
        return unify(c, 1);
    case Builtin::Clip:
        c.arity(3, 3);
        for (size_t i = 0; i < c.size(); ++i)
            if (is_complex_type(c.number(i)))
                c.not_supported("np.clip() on complex numbers");
        c.materialize_arg(0); // np.clip makes an array of x: a Python int is int64
        clip_python_int_bounds(c);
        return unify(c, 0);
    case Builtin::Angle: {
        c.arity(1, 1);
        TypeRef t = c.number(0);
        c.materialize_arg(0);
        if (is_complex_type(t))
            return scalar_type(complex_part(c.type(0)->scalar));
        // NumPy computes arctan2(0, x) for a real x: the float type of that loop.
        const UfuncLoop *loop = resolve_ufunc_loop(Builtin::Atan2, {weak_int_type(), c.type(0)});
        c.cast(0, scalar_type(loop->out));
        return c.type(0);
    }
    case Builtin::Real:
    case Builtin::Imag:
        c.arity(1, 1);
        c.number(0);
        c.materialize_arg(0);
        if (is_complex_type(c.type(0)))
            return scalar_type(complex_part(c.type(0)->scalar));
        return c.type(0);
    case Builtin::LogicalAnd:
    case Builtin::LogicalOr:
    case Builtin::LogicalXor:
    case Builtin::LogicalNot:
        c.arity(b == Builtin::LogicalNot ? 1 : 2, b == Builtin::LogicalNot ? 1 : 2);
        for (size_t i = 0; i < c.size(); ++i)
            c.number(i);
        cast_all(c, bool_t());
        return bool_t();
    case Builtin::Negative:
        c.arity(1, 1);
        if (c.number(0) == bool_t())
            c.fail("the boolean negative (np.negative, the - operator) is not supported; use "
                   "the ~ operator or np.logical_not instead");
        return c.by_loop(b);
    case Builtin::TrueDivide:
        // NumPy divides two integers in float64, whatever their size (np.int8(1) / np.int8(2)).
        c.arity(2, 2);
        if (is_integral(c.number(0)) && is_integral(c.number(1))) {
            cast_all(c, f64());
            return f64();
        }
        return c.by_loop(b);
    case Builtin::Subtract:
        c.arity(2, 2);
        if (c.number(0) == bool_t() && c.number(1) == bool_t())
            c.fail("the boolean subtract (np.subtract, the - operator) is not supported; use "
                   "the ^ operator or np.logical_xor instead");
        return c.by_loop(b);
    case Builtin::Sign:
    case Builtin::Positive:
        c.arity(1, 1);
        if (c.number(0) == bool_t())
            c.fail(c.fn + "() does not support arguments of type (bool)");
        return c.by_loop(b);
    default: {
        const std::vector<UfuncLoop> &loops = ufunc_loops(b);
        if (loops.empty())
            internal(c);
        size_t nin = loops.front().ins.size();
        c.arity(nin, nin);
        return c.by_loop(b);
    }
    }
}

} // namespace lj
