// Operator typing rules: which type the operands of + - * / // % ** & | ^ << >>, comparisons and
// unary operators are computed in, following NumPy's ufunc loops (NEP 50 promotion, bool quirks).
#include "typing/infer_internal.h"

#include "typing/promote.h"

namespace lj::infer {
namespace {

ScalarClass number_class(TypeRef t) {
    switch (t->kind) {
    case TypeKind::WeakInt:
        return ScalarClass::Signed;
    case TypeKind::WeakFloat:
        return ScalarClass::Float;
    case TypeKind::WeakComplex:
        return ScalarClass::Complex;
    default:
        return scalar_class(t->scalar);
    }
}

bool is_bool(TypeRef t) {
    return t->is_scalar() && t->scalar == Scalar::Bool;
}

[[noreturn]] void bad_operands(Op op, TypeRef a, TypeRef b, SourceLoc loc) {
    std::string x = user_type_name(a), y = user_type_name(b);
    switch (op) {
    case Op::Add:
        typing_error(loc, "cannot add " + x + " and " + y);
    case Op::Sub:
        typing_error(loc, "cannot subtract " + y + " from " + x);
    case Op::Mul:
        typing_error(loc, "cannot multiply " + x + " by " + y);
    case Op::Div:
        typing_error(loc, "cannot divide " + x + " by " + y);
    default:
        typing_error(loc, std::string("unsupported operand types for ") + op_text(op) + ": " + x +
                              " and " + y);
    }
}

bool int_fits(int64_t v, Scalar s) {
    int bits = scalar_bits(s);
    if (scalar_class(s) == ScalarClass::Unsigned)
        return v >= 0 && (bits == 64 || v < (int64_t(1) << bits));
    return bits == 64 || (v >= -(int64_t(1) << (bits - 1)) && v < (int64_t(1) << (bits - 1)));
}

bool is_weak_int_literal(const Node &n) {
    return n.kind == NodeKind::Int && n.type && n.type->kind == TypeKind::WeakInt;
}

bool is_integer_type(TypeRef t) {
    return t->is_scalar() && is_integer(t->scalar);
}

bool is_unsigned(TypeRef t) {
    return t->is_scalar() && scalar_class(t->scalar) == ScalarClass::Unsigned;
}

// The type a Python int operand `n` is compared as against an operand of type `other`: int64
// (exactly its value) when `other` is an integer dtype and `n` is not a literal that fits it.
TypeRef python_int_by_value(const Node &n, TypeRef other) {
    if (n.type->kind != TypeKind::WeakInt || !is_integer_type(other))
        return n.type;
    if (is_weak_int_literal(n) && int_fits(n.ival, other->scalar))
        return n.type;
    return scalar_type(Scalar::Int64);
}

// A signed integer against a uint64: no dtype holds both (NumPy's result_type is float64, which
// would round), so they are compared exactly as int64 and uint64.
bool mixed_sign_64(TypeRef a, TypeRef b) {
    if (!is_integer_type(a) || !is_integer_type(b) || is_unsigned(a) == is_unsigned(b))
        return false;
    return a->scalar == Scalar::UInt64 || b->scalar == Scalar::UInt64;
}

} // namespace

OpTypes binop_types(Op op, TypeRef a, TypeRef b, SourceLoc loc) {
    if (op == Op::MatMul)
        unsupported(loc, "the @ operator is not supported on numbers");
    if (!a->is_number() || !b->is_number())
        bad_operands(op, a, b, loc);
    TypeRef t = promote(a, b);
    ScalarClass cls = number_class(t);
    TypeRef int8 = scalar_type(Scalar::Int8);
    switch (op) {
    case Op::Add:
    case Op::Mul:
        return {t, t}; // on bools: logical or / and, as NumPy
    case Op::Sub:
        if (is_bool(t))
            typing_error(loc, "cannot subtract bool values (NumPy does not support the - "
                              "operator on bools; use ^ or np.logical_xor)");
        return {t, t};
    case Op::Div: {
        TypeRef r = true_divide_type(t);
        return {r, r};
    }
    case Op::FloorDiv:
    case Op::Mod:
        if (cls == ScalarClass::Complex)
            typing_error(loc, std::string("the ") + op_text(op) +
                                  " operator is not supported for complex numbers");
        return is_bool(t) ? OpTypes{int8, int8} : OpTypes{t, t};
    case Op::Pow:
        return is_bool(t) ? OpTypes{int8, int8} : OpTypes{t, t};
    case Op::BitAnd:
    case Op::BitOr:
    case Op::BitXor:
        if (cls == ScalarClass::Float || cls == ScalarClass::Complex)
            bad_operands(op, a, b, loc);
        return {t, t};
    case Op::LShift:
    case Op::RShift:
        if (cls == ScalarClass::Float || cls == ScalarClass::Complex)
            bad_operands(op, a, b, loc);
        return is_bool(t) ? OpTypes{int8, int8} : OpTypes{t, t};
    default:
        throw CompileError(ErrorKind::Internal,
                           std::string("not a binary operator: ") + op_text(op), loc);
    }
}

OpTypes compare_types(Op op, const Node &lhs, const Node &rhs, SourceLoc loc) {
    TypeRef a = lhs.type, b = rhs.type, boolean = scalar_type(Scalar::Bool);
    if (op == Op::Is || op == Op::IsNot) {
        if (a->kind == TypeKind::None || b->kind == TypeKind::None)
            return {nullptr, boolean}; // known from the types alone
        unsupported(loc, "'is' is only supported for comparisons with None in kernels (use ==)");
    }
    if (!a->is_number() || !b->is_number())
        typing_error(loc, std::string("'") + op_text(op) + "' is not supported between " +
                              user_type_name(a) + " and " + user_type_name(b));
    bool ordering = op != Op::Eq && op != Op::Ne;
    if (ordering &&
        (number_class(a) == ScalarClass::Complex || number_class(b) == ScalarClass::Complex))
        typing_error(loc,
                     std::string("'") + op_text(op) + "' is not supported between complex numbers");
    // NumPy 2 compares a Python int with an integer dtype by value (np.uint8(5) < -1 is False):
    // as an int64, unless it is a literal the dtype holds (then in the dtype, as NEP 50 says).
    TypeRef by_value_a = python_int_by_value(lhs, b);
    b = python_int_by_value(rhs, a);
    a = by_value_a;
    if (mixed_sign_64(a, b))
        return {scalar_type(is_unsigned(a) ? Scalar::UInt64 : Scalar::Int64), boolean,
                scalar_type(is_unsigned(b) ? Scalar::UInt64 : Scalar::Int64)};
    return {promote(a, b), boolean};
}

TypeRef unary_type(Op op, TypeRef a, SourceLoc loc) {
    if (op == Op::Not) {
        if (!a->is_number() && a->kind != TypeKind::None)
            typing_error(loc, "the truth value of " + user_type_name(a) +
                                  " is not supported in kernels");
        return scalar_type(Scalar::Bool);
    }
    const char *sym = op == Op::Neg ? "-" : op == Op::Pos ? "+" : "~";
    if (!a->is_number())
        typing_error(loc,
                     std::string("bad operand type for unary ") + sym + ": " + user_type_name(a));
    ScalarClass cls = number_class(a);
    switch (op) {
    case Op::Neg:
    case Op::Pos:
        if (cls == ScalarClass::Bool)
            typing_error(loc, std::string("the unary ") + sym +
                                  " operator is not supported for bool (NumPy refuses it; use "
                                  "~ or not)");
        return a;
    case Op::Invert:
        if (cls == ScalarClass::Float || cls == ScalarClass::Complex)
            typing_error(loc, "bad operand type for unary ~: " + user_type_name(a));
        return a; // on bool: logical not, as NumPy
    default:
        throw CompileError(ErrorKind::Internal, std::string("not a unary operator: ") + op_text(op),
                           loc);
    }
}

} // namespace lj::infer
