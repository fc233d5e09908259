// Implicit conversions during type inference: weak literals are retyped in place (codegen makes
// the constant directly in the target type), tuple displays element-wise, anything else gets a
// Cast node.
#include "typing/cast.h"

#include <string>

namespace lj {
namespace {

// A still-weak literal whose value the target type can take without a conversion that would
// need code (an int literal into any number, a float literal into a float or complex type, ...).
bool retypes_in_place(const Node &n, TypeRef to) {
    if (n.type && !n.type->is_weak())
        return false;
    if (!to->is_number())
        return false;
    auto cls = to->is_scalar() ? scalar_class(to->scalar) : ScalarClass::Bool;
    bool to_float = to->kind == TypeKind::WeakFloat || cls == ScalarClass::Float;
    bool to_complex = to->kind == TypeKind::WeakComplex || cls == ScalarClass::Complex;
    switch (n.kind) {
    case NodeKind::Int:
        return true;
    case NodeKind::Float:
        return to_float || to_complex;
    case NodeKind::Complex:
        return to_complex;
    default:
        return false;
    }
}

// NumPy 2 refuses Python ints that do not fit the other operand's integer dtype
// (np.uint8(5) + 300 is an OverflowError); an int literal here is such an operand.
void check_int_literal_fits(const Node &n, TypeRef to) {
    if (n.kind != NodeKind::Int || !to->is_scalar() || !is_integer(to->scalar))
        return;
    int bits = scalar_bits(to->scalar);
    bool is_unsigned = scalar_class(to->scalar) == ScalarClass::Unsigned;
    int64_t v = n.ival;
    bool fits;
    if (is_unsigned)
        fits = v >= 0 && (bits == 64 || v < (int64_t(1) << bits));
    else
        fits = bits == 64 || (v >= -(int64_t(1) << (bits - 1)) && v < (int64_t(1) << (bits - 1)));
    if (!fits)
        typing_error(n.loc,
                     "Python integer " + std::to_string(v) + " out of bounds for " + type_name(to));
}

} // namespace

void insert_cast(NodePtr &slot, TypeRef to) {
    Node &n = *slot;
    if (n.type == to)
        return;
    if (retypes_in_place(n, to)) {
        check_int_literal_fits(n, to);
        n.type = to;
        return;
    }
    if (n.kind == NodeKind::Tuple && to->kind == TypeKind::Tuple &&
        to->elems.size() == n.kids.size()) {
        for (size_t i = 0; i < n.kids.size(); ++i)
            insert_cast(n.kids[i], to->elems[i]);
        n.type = to;
        return;
    }
    NodePtr cast = make_node(NodeKind::Cast, n.loc);
    cast->type = to;
    cast->kids.push_back(std::move(slot));
    slot = std::move(cast);
}

} // namespace lj
