// Type inference of arrays in kernels: indexing (integers, negative integers, slices, several
// dimensions at once), views, element and slice assignment, attributes (shape, ndim, size,
// strides), iteration over the first dimension, and scratch arrays (np.empty, np.zeros, ...).
#include "typing/infer_internal.h"

#include "typing/builtins.h"
#include "typing/cast.h"
#include "typing/promote.h"
#include "typing/signature.h"

#include <array>

namespace lj::infer {
namespace {

TypeRef int64_type() { return scalar_type(Scalar::Int64); }

bool is_index_type(TypeRef t) {
    return t->kind == TypeKind::WeakInt || (t->is_scalar() && is_integer(t->scalar));
}

// The name an array is called in messages: the variable, else "array".
std::string array_label(const Node &obj) {
    return obj.kind == NodeKind::Name ? "'" + obj.name + "'" : "the array";
}

// Whether `n` (an index part) is a slice with no start, stop or step: `:`.
bool is_full_slice(const Node &n) {
    if (n.kind != NodeKind::Slice)
        return false;
    for (const auto &k : n.kids)
        if (k->kind != NodeKind::NoneLit)
            return false;
    return true;
}

bool is_unit_step_slice(const Node &n) {
    return n.kind == NodeKind::Slice &&
           (n.kid(2)->kind == NodeKind::NoneLit ||
            (n.kid(2)->kind == NodeKind::Int && n.kid(2)->ival == 1));
}

// The layout of a view: C when the original is C and the view keeps one contiguous block
// (integers first, then at most one unit-step slice, then only full slices); else "any".
Layout view_layout(TypeRef array, const std::vector<const Node *> &idx) {
    if (array->layout != Layout::C)
        return Layout::A;
    size_t i = 0;
    while (i < idx.size() && idx[i]->kind != NodeKind::Slice)
        ++i;
    if (i < idx.size() && !is_unit_step_slice(*idx[i]))
        return Layout::A;
    for (size_t j = i + 1; j < idx.size(); ++j)
        if (!is_full_slice(*idx[j]))
            return Layout::A;
    return Layout::C;
}

struct AllocFn {
    const char *name;
    bool like;     // takes an array whose shape (and dtype) it copies
    bool has_fill; // np.full / np.full_like
};
constexpr std::array<AllocFn, 8> kAllocFns{{{"np.empty", false, false},
                                            {"np.zeros", false, false},
                                            {"np.ones", false, false},
                                            {"np.full", false, true},
                                            {"np.empty_like", true, false},
                                            {"np.zeros_like", true, false},
                                            {"np.ones_like", true, false},
                                            {"np.full_like", true, true}}};

const AllocFn *alloc_fn(const std::string &name) {
    for (const AllocFn &f : kAllocFns)
        if (name == f.name)
            return &f;
    return nullptr;
}

Scalar dtype_of(const Node &n) {
    TypeRef t = nullptr;
    try {
        t = parse_type(n.name);
    } catch (const CompileError &) {
    }
    if (!t || t->kind != TypeKind::Scalar)
        typing_error(n.loc, "data type '" + n.name + "' not understood");
    return t->scalar;
}

} // namespace

bool is_alloc_call(const std::string &name) { return alloc_fn(name) != nullptr; }

// Flattens `a[i, j:k]` into [a, i, slice]: each index part cast to int64 (slice parts too),
// then types the element or the view.
TypeRef FunctionInferer::array_index(Node &n, TypeRef array) {
    if (n.kids.size() == 2 && n.kid(1)->kind == NodeKind::Tuple) {
        NodePtr tuple = std::move(n.kids[1]);
        n.kids.pop_back();
        for (auto &k : tuple->kids)
            n.kids.push_back(std::move(k));
    }
    const size_t nidx = n.kids.size() - 1;
    if (static_cast<int>(nidx) > array->ndim)
        typing_error(n.loc, "too many indices for array " + array_label(*n.kid(0)) +
                                ": array is " + std::to_string(array->ndim) +
                                "-dimensional, but " + std::to_string(nidx) +
                                " were indexed");
    bool known = true;
    int kept = 0;
    std::vector<const Node *> parts;
    for (size_t i = 1; i < n.kids.size(); ++i) {
        Node &ix = *n.kid(i);
        parts.push_back(&ix);
        if (ix.kind == NodeKind::Slice) {
            ++kept;
            for (auto &p : ix.kids) {
                if (p->kind == NodeKind::NoneLit) {
                    p->type = none_type();
                    continue;
                }
                TypeRef t = expr(p);
                if (is_unknown(t)) {
                    known = false;
                    continue;
                }
                if (!is_index_type(t))
                    typing_error(p->loc, "slice indices must be integers, not " +
                                             user_type_name(t));
                insert_cast(p, int64_type());
            }
            if (ix.kid(2)->kind == NodeKind::Int && ix.kid(2)->ival == 0)
                typing_error(ix.kid(2)->loc, "slice step cannot be zero");
            ix.type = none_type();
            continue;
        }
        TypeRef t = expr(n.kids[i]);
        if (is_unknown(t)) {
            known = false;
            continue;
        }
        if (t->is_scalar() && t->scalar == Scalar::Bool)
            unsupported(n.kid(i)->loc, "boolean indexes (masks) are not supported in kernels");
        if (!is_index_type(t))
            typing_error(n.kid(i)->loc, "only integers and slices (`:`) are valid indices, not " +
                                            user_type_name(t));
        insert_cast(n.kids[i], int64_type());
    }
    if (!known)
        return set(n, unknown_type());
    const int ndim = array->ndim - static_cast<int>(nidx) + kept;
    if (ndim == 0)
        return set(n, scalar_type(array->scalar));
    return set(n, array_type(array->scalar, ndim, view_layout(array, parts), array->readonly));
}

TypeRef FunctionInferer::array_member(Node &n, TypeRef array) {
    if (n.kind == NodeKind::Method)
        unsupported(n.loc, "array methods (." + n.name + "()) are not supported in kernels");
    if (n.name == "shape" || n.name == "strides")
        return set(n, tuple_type(std::vector<TypeRef>(array->ndim, int64_type())));
    if (n.name == "ndim" || n.name == "size" || n.name == "itemsize" || n.name == "nbytes")
        return set(n, int64_type());
    typing_error(n.loc, "array attribute '" + n.name + "' is not supported in kernels");
}

// An assignment target `a[...]`: the element type the value is cast to. A view target
// (a[:] = v, a[i, :] = v) takes a number, which fills it.
TypeRef FunctionInferer::store_item(Node &target, TypeRef value, SourceLoc loc) {
    TypeRef obj = expr(target.kids[0]);
    if (is_unknown(obj))
        return target.type = unknown_type();
    if (obj->kind != TypeKind::Array)
        typing_error(target.loc, "'" + user_type_name(obj) +
                                     "' object does not support item assignment");
    if (obj->readonly)
        typing_error(target.loc, "array " + array_label(*target.kid(0)) +
                                     " is read-only: kernels may not write to their inputs "
                                     "(outputs and scratch arrays are writable)");
    TypeRef t = array_index(target, obj);
    if (is_unknown(t) || is_unknown(value))
        return unknown_type();
    if (t->kind == TypeKind::Array && !value->is_number())
        unsupported(loc, "only a number can be assigned to an array slice in kernels (it fills "
                         "the slice); copy arrays element by element");
    if (!value->is_number())
        typing_error(loc, "cannot store " + user_type_name(value) + " in an element of " +
                              type_name(obj));
    return scalar_type(obj->scalar);
}

TypeRef FunctionInferer::alloc_call(Node &n) {
    const AllocFn &f = *alloc_fn(n.name);
    const std::string fname = n.name;
    // Arguments: shape-or-array, [fill], [dtype].
    NodePtr dtype;
    if (!n.kids.empty() && n.kids.back()->kind == NodeKind::DType) {
        dtype = std::move(n.kids.back());
        n.kids.pop_back();
    }
    const size_t want = 1 + (f.has_fill ? 1 : 0);
    if (n.kids.size() != want)
        typing_error(n.loc, fname + "() takes " + std::to_string(want) + " argument" +
                                (want > 1 ? "s" : "") + " (and dtype=) in kernels, got " +
                                std::to_string(n.kids.size()));
    if (!type_kids(n))
        return set(n, unknown_type());
    Scalar dt = Scalar::Float64;
    int ndim = 0;
    Node &shape = *n.kid(0);
    if (f.like) {
        if (shape.type->kind != TypeKind::Array)
            typing_error(shape.loc, fname + "() takes an array, not " + user_type_name(shape.type));
        dt = shape.type->scalar;
        ndim = shape.type->ndim;
    } else {
        // An integer or a tuple of integers, made a tuple of int64.
        if (shape.type->kind != TypeKind::Tuple) {
            const SourceLoc loc = n.kid(0)->loc;
            std::vector<NodePtr> one;
            one.push_back(std::move(n.kids[0]));
            NodePtr tuple = make_node(NodeKind::Tuple, loc, std::move(one));
            tuple->type = tuple_type({tuple->kid(0)->type});
            n.kids[0] = std::move(tuple);
        }
        Node &dims = *n.kid(0);
        std::vector<TypeRef> elems;
        for (auto &d : dims.kids) {
            if (!is_index_type(d->type))
                typing_error(d->loc, "'" + user_type_name(d->type) +
                                         "' object cannot be interpreted as an integer");
            insert_cast(d, int64_type());
            elems.push_back(int64_type());
        }
        dims.type = tuple_type(elems);
        ndim = static_cast<int>(elems.size());
        if (f.has_fill) {
            TypeRef fill = n.kid(1)->type;
            if (!fill->is_number())
                typing_error(n.kid(1)->loc, "the fill value must be a number");
            dt = materialize(fill)->scalar;
        }
    }
    if (dtype)
        dt = dtype_of(*dtype);
    if (f.has_fill)
        insert_cast(n.kids[1], scalar_type(dt));
    return set(n, array_type(dt, ndim, Layout::C));
}

// A relative read of a stencil kernel: one int64 offset and one center per dimension.
TypeRef FunctionInferer::stencil_read(Node &n) {
    TypeRef array = expr(n.kids[0]);
    if (is_unknown(array))
        return set(n, unknown_type());
    const size_t nidx = (n.kids.size() - 1) / 2;
    if (array->kind != TypeKind::Array || static_cast<int>(nidx) != array->ndim)
        typing_error(n.loc, "a stencil kernel indexes " + array_label(*n.kid(0)) + " (" +
                                user_type_name(array) + ") with " + std::to_string(nidx) +
                                " relative indices; it needs one per dimension");
    for (size_t i = 1; i < n.kids.size(); ++i) {
        TypeRef t = expr(n.kids[i]);
        if (is_unknown(t))
            return set(n, unknown_type());
        if (!is_index_type(t))
            typing_error(n.kid(i)->loc, "stencil indices must be integers, not " +
                                            user_type_name(t));
        insert_cast(n.kids[i], int64_type());
    }
    return set(n, scalar_type(array->scalar));
}

// The element a `for x in a` loop binds: a[i] for i over the first dimension.
TypeRef FunctionInferer::iterated_element(Node &iterable, TypeRef array) {
    if (array->ndim == 0)
        typing_error(iterable.loc, "iteration over a 0-d array");
    if (array->ndim == 1)
        return scalar_type(array->scalar);
    return array_type(array->scalar, array->ndim - 1, array->layout == Layout::C ? Layout::C
                                                                               : Layout::A,
                      array->readonly);
}

} // namespace lj::infer
