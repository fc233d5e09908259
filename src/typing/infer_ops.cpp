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
    TypeRef t = promote(a, b);
    bool ordering = op != Op::Eq && op != Op::Ne;
    if (ordering && number_class(t) == ScalarClass::Complex)
        typing_error(loc,
                     std::string("'") + op_text(op) + "' is not supported between complex numbers");
    // NumPy 2 compares a Python int that does not fit the other side's integer dtype by value
    // (np.uint8(5) < -1 is False); comparing in a wide enough type does the same.
    for (const auto &[lit, other] : {std::pair{&lhs, b}, std::pair{&rhs, a}}) {
        if (is_weak_int_literal(*lit) && other->is_scalar() && is_integer(other->scalar) &&
            !int_fits(lit->ival, other->scalar))
            t = scalar_type(other->scalar == Scalar::UInt64 ? Scalar::Float64 : Scalar::Int64);
    }
    return {t, boolean};
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
