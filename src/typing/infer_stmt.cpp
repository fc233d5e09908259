// Type inference of statements: assignments (which widen locals), control flow, returns.
#include "typing/infer_internal.h"

#include "typing/builtins.h"
#include "typing/cast.h"

namespace lj::infer {

void FunctionInferer::record(const CompileError &e) {
    if (!error_)
        error_ = e;
}

TypeRef FunctionInferer::guarded(NodePtr &slot) {
    try {
        return expr(slot);
    } catch (const CompileError &e) {
        record(e);
        return slot->type = unknown_type();
    }
}

void FunctionInferer::note_unknown_read(const Node &name) {
    if (!unknown_read_)
        unknown_read_ = std::make_pair(name.name, name.loc);
}

void FunctionInferer::check_truth_testable(const Node &cond) {
    TypeRef t = cond.type;
    if (is_unknown(t) || t->is_number() || t->kind == TypeKind::None)
        return;
    typing_error(cond.loc,
                 "the truth value of " + user_type_name(t) + " is not supported in kernels");
}

void FunctionInferer::assign_local(int slot, TypeRef t, SourceLoc loc) {
    TypeRef cur = locals_[slot].type;
    if (!cur) {
        locals_[slot].type = t;
        changed_ = true;
        return;
    }
    TypeRef u = unify(cur, t);
    if (!u)
        typing_error(loc, "variable '" + locals_[slot].name + "' is assigned both " +
                              user_type_name(cur) + " and " + user_type_name(t) +
                              "; a variable must keep one type");
    if (u != cur) {
        locals_[slot].type = u;
        changed_ = true;
    }
}

TypeRef FunctionInferer::bind(Node &target, TypeRef value, SourceLoc loc) {
    switch (target.kind) {
    case NodeKind::Name: {
        int slot = slot_of_.at(target.name);
        target.slot = slot;
        if (!is_unknown(value))
            assign_local(slot, value, loc);
        TypeRef t = locals_[slot].type;
        return target.type = t ? t : unknown_type();
    }
    case NodeKind::Tuple: {
        size_t n = target.kids.size();
        if (is_unknown(value)) {
            for (auto &k : target.kids)
                bind(*k, value, loc);
            return target.type = unknown_type();
        }
        if (value->kind != TypeKind::Tuple)
            typing_error(loc, "cannot unpack non-iterable " + user_type_name(value) + " object");
        if (value->elems.size() > n)
            typing_error(loc, "too many values to unpack (expected " + std::to_string(n) + ")");
        if (value->elems.size() < n)
            typing_error(loc, "not enough values to unpack (expected " + std::to_string(n) +
                                  ", got " + std::to_string(value->elems.size()) + ")");
        std::vector<TypeRef> elems;
        bool unknown = false;
        for (size_t i = 0; i < n; ++i) {
            elems.push_back(bind(*target.kid(i), value->elems[i], loc));
            unknown = unknown || is_unknown(elems.back());
        }
        return target.type = unknown ? unknown_type() : tuple_type(elems);
    }
    case NodeKind::GetItem:
        return store_item(target, value, loc);
    case NodeKind::Attr:
        unsupported(target.loc, "assignment to an attribute is not supported in kernels");
    default:
        throw CompileError(ErrorKind::Internal, "bad assignment target", target.loc);
    }
}

void FunctionInferer::aug_assign(Node &n) {
    Node &target = *n.kid(0);
    if (target.kind == NodeKind::GetItem) {
        // a[i] op= v: computed in the promoted type, stored back in a's dtype (as Numba does).
        TypeRef value = expr(n.kids[1]);
        TypeRef elem = store_item(target, value, n.loc);
        if (is_unknown(elem) || is_unknown(value))
            return;
        if (target.type->kind == TypeKind::Array)
            unsupported(n.loc, "augmented assignment to an array slice is not supported in "
                               "kernels; update its elements in a loop");
        OpTypes ot = binop_types(n.op, elem, value, n.loc);
        insert_cast(n.kids[1], ot.operand);
        n.type = ot.operand;
        return;
    }
    if (target.kind != NodeKind::Name) {
        bind(target, unknown_type(), n.loc); // reports the unsupported target kind
        return;
    }
    int slot = slot_of_.at(target.name);
    target.slot = slot;
    TypeRef local = locals_[slot].type;
    TypeRef value = expr(n.kids[1]);
    if (!local) {
        note_unknown_read(target);
        target.type = unknown_type();
        return;
    }
    target.type = local;
    if (is_unknown(value))
        return;
    OpTypes ot = binop_types(n.op, local, value, n.loc);
    assign_local(slot, ot.result, n.loc);
    insert_cast(n.kids[1], ot.operand);
    n.type = ot.operand;
}

void FunctionInferer::for_stmt(Node &n) {
    TypeRef element = scalar_type(Scalar::Int64);
    if (n.kid(1)->kind != NodeKind::Call || n.kid(1)->name != "range") {
        // for x in a: over the first dimension of an array.
        TypeRef t = guarded(n.kids[1]);
        guard([&] {
            if (is_unknown(t))
                return;
            if (t->kind != TypeKind::Array)
                unsupported(n.kid(1)->loc, "for loops are only supported over range(...) and "
                                           "arrays in kernels, not " + user_type_name(t));
            element = iterated_element(*n.kid(1), t);
        });
        guard([&] { bind(*n.kid(0), is_unknown(t) ? t : element, n.loc); });
        ++loop_depth_;
        block(*n.kid(2));
        --loop_depth_;
        block(*n.kid(3));
        return;
    }
    guard([&] {
        Node &it = *n.kid(1);
        size_t nargs = it.kids.size();
        if (nargs == 0)
            typing_error(it.loc, "range expected at least 1 argument, got 0");
        if (nargs > 3)
            typing_error(it.loc,
                         "range expected at most 3 arguments, got " + std::to_string(nargs));
        for (auto &arg : it.kids) {
            TypeRef t = expr(arg);
            if (is_unknown(t))
                continue;
            bool integral =
                t->kind == TypeKind::WeakInt || (t->is_scalar() && !is_inexact(t->scalar));
            if (!integral)
                typing_error(arg->loc, "'" + user_type_name(t) +
                                           "' object cannot be interpreted as an integer");
            insert_cast(arg, scalar_type(Scalar::Int64));
        }
        it.type = range_type();
        it.builtin = static_cast<int>(Builtin::Range);
    });
    guard([&] { bind(*n.kid(0), scalar_type(Scalar::Int64), n.loc); });
    ++loop_depth_;
    block(*n.kid(2));
    --loop_depth_;
    block(*n.kid(3));
}

void FunctionInferer::return_stmt(Node &n) {
    TypeRef t = n.kids.empty() ? none_type() : guarded(n.kids[0]);
    if (is_unknown(t))
        return;
    if (t->kind == TypeKind::Array) {
        record(CompileError(ErrorKind::Unsupported,
                            "returning an array is not supported in kernels: write results "
                            "into an output array",
                            n.loc));
        return;
    }
    if (!ret_) {
        ret_ = t;
        return;
    }
    TypeRef u = unify(ret_, t);
    if (!u)
        record(CompileError(ErrorKind::Typing,
                            "this return gives " + user_type_name(t) +
                                " but an earlier one gives " + user_type_name(ret_) +
                                "; all returns of '" + src_.name + "' must have compatible types",
                            n.loc));
    else
        ret_ = u;
}

void FunctionInferer::block(Node &n) {
    for (auto &k : n.kids)
        stmt(*k);
}

void FunctionInferer::stmt(Node &n) {
    switch (n.kind) {
    case NodeKind::Block:
        block(n);
        break;
    case NodeKind::Assign: {
        TypeRef v = guarded(n.kids[1]);
        guard([&] {
            TypeRef t = bind(*n.kid(0), v, n.loc);
            if (!is_unknown(t))
                insert_cast(n.kids[1], t);
        });
        break;
    }
    case NodeKind::AugAssign:
        guard([&] { aug_assign(n); });
        break;
    case NodeKind::If:
        guarded(n.kids[0]);
        guard([&] { check_truth_testable(*n.kid(0)); });
        block(*n.kid(1));
        block(*n.kid(2));
        break;
    case NodeKind::While:
        guarded(n.kids[0]);
        guard([&] { check_truth_testable(*n.kid(0)); });
        ++loop_depth_;
        block(*n.kid(1));
        --loop_depth_;
        block(*n.kid(2));
        break;
    case NodeKind::For:
        for_stmt(n);
        break;
    case NodeKind::Break:
    case NodeKind::Continue:
        if (loop_depth_ == 0)
            record(CompileError(ErrorKind::Typing,
                                std::string("'") + node_kind_name(n.kind) + "' outside loop",
                                n.loc));
        break;
    case NodeKind::Pass:
        break;
    case NodeKind::Return:
        return_stmt(n);
        break;
    case NodeKind::ExprStmt:
        guarded(n.kids[0]);
        break;
    case NodeKind::Func:
        record(CompileError(ErrorKind::Unsupported,
                            "nested function definitions are not supported in kernels", n.loc));
        break;
    default:
        throw CompileError(ErrorKind::Internal,
                           std::string("unexpected ") + node_kind_name(n.kind) +
                               " node where a statement belongs",
                           n.loc);
    }
}

} // namespace lj::infer
