// Type inference of expressions: each node gets its type, operands get the Casts NumPy's
// promotion implies (infer_ops.cpp decides the types), builtins are resolved through
// typing/builtins.h and "@f" calls are specialized.
#include "typing/infer_internal.h"

#include "typing/builtins.h"
#include "typing/cast.h"
#include "typing/promote.h"

#include <limits>

namespace lj::infer {

bool FunctionInferer::type_kids(Node &n, size_t first) {
    bool known = true;
    for (size_t i = first; i < n.kids.size(); ++i)
        known = !is_unknown(expr(n.kids[i])) && known;
    return known;
}

TypeRef FunctionInferer::name(Node &n) {
    auto it = slot_of_.find(n.name);
    if (it == slot_of_.end())
        typing_error(n.loc, "name '" + n.name + "' is not defined");
    n.slot = it->second;
    TypeRef t = locals_[n.slot].type;
    if (!t) {
        note_unknown_read(n);
        return set(n, unknown_type());
    }
    return set(n, t);
}

TypeRef FunctionInferer::binop(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    OpTypes ot = binop_types(n.op, n.kid(0)->type, n.kid(1)->type, n.loc);
    insert_cast(n.kids[0], ot.operand);
    insert_cast(n.kids[1], ot.operand);
    return set(n, ot.result);
}

TypeRef FunctionInferer::compare(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    OpTypes ot = compare_types(n.op, *n.kid(0), *n.kid(1), n.loc);
    if (ot.operand) {
        insert_cast(n.kids[0], ot.operand);
        insert_cast(n.kids[1], ot.rhs_operand ? ot.rhs_operand : ot.operand);
    }
    return set(n, ot.result);
}

TypeRef FunctionInferer::unary(NodePtr &slot) {
    Node &n = *slot;
    TypeRef t = expr(n.kids[0]);
    if (is_unknown(t))
        return set(n, unknown_type());
    Node &x = *n.kid(0);
    // Fold signs into weak literals, as Python users think of -1: tuple indices and NumPy's
    // bounds check of Python ints against small dtypes (np.uint8(1) + -1 is an error) see it.
    bool literal =
        (x.kind == NodeKind::Int || x.kind == NodeKind::Float || x.kind == NodeKind::Complex) &&
        t->is_weak();
    if (literal &&
        (n.op == Op::Pos || (n.op == Op::Neg && (x.kind != NodeKind::Int ||
                                                 x.ival != std::numeric_limits<int64_t>::min())))) {
        if (n.op == Op::Neg) {
            x.ival = -x.ival;
            x.fval = -x.fval;
            x.fimag = -x.fimag;
        }
        x.loc = n.loc;
        NodePtr lit = std::move(n.kids[0]);
        slot = std::move(lit);
        return slot->type;
    }
    return set(n, unary_type(n.op, t, n.loc));
}

TypeRef FunctionInferer::and_or(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    TypeRef a = n.kid(0)->type, b = n.kid(1)->type;
    const char *word = n.kind == NodeKind::And ? "and" : "or";
    for (TypeRef t : {a, b})
        if (!t->is_number())
            typing_error(n.loc,
                         "cannot use " + user_type_name(t) + " with '" + word + "' in kernels");
    TypeRef t = promote(a, b);
    insert_cast(n.kids[0], t);
    insert_cast(n.kids[1], t);
    return set(n, t);
}

TypeRef FunctionInferer::if_exp(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    check_truth_testable(*n.kid(0));
    TypeRef a = n.kid(1)->type, b = n.kid(2)->type;
    TypeRef t = unify(a, b);
    if (!t)
        typing_error(n.loc, "the two branches of this conditional expression have "
                            "incompatible types " +
                                user_type_name(a) + " and " + user_type_name(b));
    insert_cast(n.kids[1], t);
    insert_cast(n.kids[2], t);
    return set(n, t);
}

TypeRef FunctionInferer::user_call(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    std::vector<TypeRef> args;
    for (const auto &k : n.kids)
        args.push_back(k->type);
    TypeRef ret = nullptr;
    n.slot = prog_.specialize(n, args, &ret);
    for (size_t i = 0; i < n.kids.size(); ++i)
        insert_cast(n.kids[i], materialize(args[i]));
    return set(n, ret);
}

TypeRef FunctionInferer::call(Node &n) {
    if (!n.name.empty() && n.name[0] == '@')
        return user_call(n);
    if (is_alloc_call(n.name))
        return alloc_call(n);
    if (!type_kids(n))
        return set(n, unknown_type());
    TypeRef t = type_builtin(n);
    if (!t)
        typing_error(n.loc, "name '" + n.name + "' is not defined");
    if (t->kind == TypeKind::Range)
        typing_error(n.loc, "range() can only be used as the iterable of a for loop");
    return set(n, t);
}

TypeRef FunctionInferer::member(Node &n) {
    if (!type_kids(n))
        return set(n, unknown_type());
    if (n.kid(0)->type->kind == TypeKind::Array)
        return array_member(n, n.kid(0)->type);
    TypeRef t = type_builtin(n);
    if (!t)
        typing_error(n.loc, user_type_name(n.kid(0)->type) + " has no attribute '" + n.name + "'");
    return set(n, t);
}

TypeRef FunctionInferer::get_item(Node &n) {
    TypeRef obj = expr(n.kids[0]);
    if (is_unknown(obj))
        return set(n, unknown_type());
    if (obj->kind == TypeKind::Array)
        return array_index(n, obj);
    if (obj->kind != TypeKind::Tuple)
        typing_error(n.loc, "'" + user_type_name(obj) + "' object is not subscriptable");
    if (n.kid(1)->kind == NodeKind::Slice)
        unsupported(n.kid(1)->loc, "slicing a tuple is not supported in kernels");
    if (is_unknown(expr(n.kids[1])))
        return set(n, unknown_type());
    Node &ix = *n.kid(1);
    if (ix.kind != NodeKind::Int)
        typing_error(ix.loc, "a tuple can only be indexed by a constant integer");
    int64_t size = static_cast<int64_t>(obj->elems.size());
    int64_t i = ix.ival < 0 ? ix.ival + size : ix.ival;
    if (i < 0 || i >= size)
        typing_error(ix.loc, "tuple index out of range");
    ix.ival = i;
    ix.type = scalar_type(Scalar::Int64);
    return set(n, obj->elems[static_cast<size_t>(i)]);
}

TypeRef FunctionInferer::set_expr(Node &n) {
    TypeRef v = expr(n.kids[0]);
    int slot = slot_of_.at(n.name);
    n.slot = slot;
    if (!is_unknown(v)) {
        assign_local(slot, v, n.loc);
        insert_cast(n.kids[0], locals_[slot].type);
    }
    TypeRef t = locals_[slot].type;
    return set(n, t ? t : unknown_type());
}

TypeRef FunctionInferer::expr(NodePtr &slot) {
    Node &n = *slot;
    switch (n.kind) {
    case NodeKind::Int:
        return set(n, weak_int_type());
    case NodeKind::Float:
        return set(n, weak_float_type());
    case NodeKind::Complex:
        return set(n, weak_complex_type());
    case NodeKind::Bool:
        return set(n, scalar_type(Scalar::Bool));
    case NodeKind::NoneLit:
        return set(n, none_type());
    case NodeKind::Name:
        return name(n);
    case NodeKind::BinOp:
        return binop(n);
    case NodeKind::Unary:
        return unary(slot);
    case NodeKind::Compare:
        return compare(n);
    case NodeKind::And:
    case NodeKind::Or:
        return and_or(n);
    case NodeKind::IfExp:
        return if_exp(n);
    case NodeKind::Call:
        return call(n);
    case NodeKind::Method:
    case NodeKind::Attr:
        return member(n);
    case NodeKind::Tuple: {
        if (!type_kids(n))
            return set(n, unknown_type());
        std::vector<TypeRef> elems;
        for (const auto &k : n.kids)
            elems.push_back(k->type);
        return set(n, tuple_type(elems));
    }
    case NodeKind::GetItem:
        return get_item(n);
    case NodeKind::SetExpr:
        return set_expr(n);
    case NodeKind::Slice:
        unsupported(n.loc, "a slice can only be used to index an array");
    case NodeKind::StencilRead:
        return stencil_read(n);
    case NodeKind::DType:
        unsupported(n.loc, "a dtype can only be passed as the dtype= of np.empty, np.zeros, "
                           "np.ones, np.full and their *_like forms");
    default:
        throw CompileError(ErrorKind::Internal,
                           std::string("unexpected ") + node_kind_name(n.kind) +
                               " node where an expression belongs",
                           n.loc);
    }
}

} // namespace lj::infer
