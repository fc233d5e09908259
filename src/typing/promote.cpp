// NumPy 2 type promotion (NEP 50): the safe-cast relation between dtypes, np.result_type as the
// first dtype (in safe-cast order) both operands cast to safely, and weak Python literals.
#include "typing/promote.h"

namespace lj {
namespace {

// Float (or complex part) precision an integer needs to be held exactly in NumPy's sense:
// 8-bit -> float16, 16-bit -> float32, wider -> float64.
int float_bits_for_int(int int_bits) {
    return int_bits <= 8 ? 16 : int_bits <= 16 ? 32 : 64;
}

int complex_part_bits(Scalar s) {
    return s == Scalar::Complex64 ? 32 : 64;
}

} // namespace

bool can_cast_safely(Scalar from, Scalar to) {
    if (from == to)
        return true;
    ScalarClass fc = scalar_class(from), tc = scalar_class(to);
    int fb = scalar_bits(from), tb = scalar_bits(to);
    switch (fc) {
    case ScalarClass::Bool:
        return true;
    case ScalarClass::Signed:
        switch (tc) {
        case ScalarClass::Signed:
            return tb >= fb;
        case ScalarClass::Float:
            return tb >= float_bits_for_int(fb);
        case ScalarClass::Complex:
            return complex_part_bits(to) >= float_bits_for_int(fb);
        default:
            return false;
        }
    case ScalarClass::Unsigned:
        switch (tc) {
        case ScalarClass::Unsigned:
            return tb >= fb;
        case ScalarClass::Signed:
            return tb > fb;
        case ScalarClass::Float:
            return tb >= float_bits_for_int(fb);
        case ScalarClass::Complex:
            return complex_part_bits(to) >= float_bits_for_int(fb);
        default:
            return false;
        }
    case ScalarClass::Float:
        if (tc == ScalarClass::Float)
            return tb >= fb;
        return tc == ScalarClass::Complex && complex_part_bits(to) >= fb;
    case ScalarClass::Complex:
        return tc == ScalarClass::Complex && tb >= fb;
    }
    return false;
}

namespace {

Scalar result_type(Scalar a, Scalar b) {
    // The enum order is a linear extension of the safe-cast order, so the first dtype both cast
    // to is NumPy's result_type (int8 + uint8 -> int16, int64 + uint64 -> float64, ...).
    for (int i = 0; i < kNumScalars; ++i) {
        auto s = static_cast<Scalar>(i);
        if (can_cast_safely(a, s) && can_cast_safely(b, s))
            return s;
    }
    return Scalar::Complex128; // unreachable: everything casts to complex128
}

int weak_rank(TypeKind k) {
    return k == TypeKind::WeakInt ? 0 : k == TypeKind::WeakFloat ? 1 : 2;
}

// A weak literal meeting a strong dtype (NEP 50): the dtype wins unless the literal's kind is
// higher, then the literal's kind at (at least) the dtype's precision.
TypeRef weak_with_strong(TypeKind weak, Scalar s) {
    ScalarClass c = scalar_class(s);
    switch (weak) {
    case TypeKind::WeakInt:
        return scalar_type(c == ScalarClass::Bool ? Scalar::Int64 : s);
    case TypeKind::WeakFloat:
        if (c == ScalarClass::Float || c == ScalarClass::Complex)
            return scalar_type(s);
        return scalar_type(Scalar::Float64);
    default: // WeakComplex
        if (c == ScalarClass::Complex)
            return scalar_type(s);
        if (s == Scalar::Float16 || s == Scalar::Float32)
            return scalar_type(Scalar::Complex64);
        return scalar_type(Scalar::Complex128);
    }
}

} // namespace

TypeRef promote(TypeRef a, TypeRef b) {
    if (!a || !b || !a->is_number() || !b->is_number())
        return nullptr;
    if (a->is_weak() && b->is_weak())
        return weak_rank(a->kind) >= weak_rank(b->kind) ? a : b;
    if (a->is_weak())
        return weak_with_strong(a->kind, b->scalar);
    if (b->is_weak())
        return weak_with_strong(b->kind, a->scalar);
    return scalar_type(result_type(a->scalar, b->scalar));
}

TypeRef promote_all(const std::vector<TypeRef> &types) {
    TypeRef weak = nullptr;
    std::vector<Scalar> strong;
    for (TypeRef t : types) {
        if (!t || !t->is_number())
            return nullptr;
        if (t->is_weak())
            weak = weak ? promote(weak, t) : t;
        else
            strong.push_back(t->scalar);
    }
    if (strong.empty())
        return weak;
    Scalar common = Scalar::Complex128;
    for (int i = 0; i < kNumScalars; ++i) {
        auto s = static_cast<Scalar>(i);
        bool all = true;
        for (Scalar x : strong)
            all = all && can_cast_safely(x, s);
        if (all) {
            common = s;
            break;
        }
    }
    return weak ? promote(weak, scalar_type(common)) : scalar_type(common);
}

TypeRef true_divide_type(TypeRef t) {
    if (t->kind == TypeKind::WeakInt)
        return weak_float_type(); // Python: 1 / 2 is the float 0.5, still a weak literal
    if (t->is_scalar() && !is_inexact(t->scalar))
        return scalar_type(Scalar::Float64);
    return t;
}

} // namespace lj
