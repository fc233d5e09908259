// Type inference of one function for given argument types: passes over its body until its
// locals' types reach a fixed point, then the result made concrete (casts on returns, weak
// literal types materialized) as typing/infer.h promises. Also the helpers all passes share.
#include "typing/infer_internal.h"

#include "typing/cast.h"
#include "typing/promote.h"

namespace lj::infer {

TypeRef unknown_type() {
    static const Type *t = [] {
        auto *u = new Type();
        u->kind = TypeKind::None; // never compared by kind: identified by its address
        return u;
    }();
    return t;
}

std::string user_type_name(TypeRef t) {
    switch (t->kind) {
    case TypeKind::WeakInt:
        return "int";
    case TypeKind::WeakFloat:
        return "float";
    case TypeKind::WeakComplex:
        return "complex";
    case TypeKind::None:
        return "None";
    case TypeKind::Tuple: {
        std::string s = "Tuple(";
        for (size_t i = 0; i < t->elems.size(); ++i)
            s += (i ? ", " : "") + user_type_name(t->elems[i]);
        return s + ")";
    }
    default:
        return type_name(t);
    }
}

TypeRef unify(TypeRef a, TypeRef b) {
    if (a == b)
        return a;
    if (a->is_number() && b->is_number())
        return promote(a, b);
    if (a->kind == TypeKind::Tuple && b->kind == TypeKind::Tuple &&
        a->elems.size() == b->elems.size()) {
        std::vector<TypeRef> elems;
        for (size_t i = 0; i < a->elems.size(); ++i) {
            TypeRef e = unify(a->elems[i], b->elems[i]);
            if (!e)
                return nullptr;
            elems.push_back(e);
        }
        return tuple_type(elems);
    }
    // Views of one dtype and ndim share a local: the layout becomes "any" if they differ, and
    // a read-only view makes the local read-only.
    if (a->kind == TypeKind::Array && b->kind == TypeKind::Array && a->scalar == b->scalar &&
        a->ndim == b->ndim)
        return array_type(a->scalar, a->ndim, a->layout == b->layout ? a->layout : Layout::A,
                          a->readonly || b->readonly);
    return nullptr;
}

namespace {

bool constant_truthy(const Node &n) {
    switch (n.kind) {
    case NodeKind::Bool:
    case NodeKind::Int:
        return n.ival != 0;
    case NodeKind::Float:
        return n.fval != 0;
    default:
        return false;
    }
}

bool has_break(const Node &n) {
    if (n.kind == NodeKind::Break)
        return true;
    // A break inside a nested loop's body belongs to that loop (its else block is ours).
    if (n.kind == NodeKind::While)
        return has_break(*n.kid(2));
    if (n.kind == NodeKind::For)
        return has_break(*n.kid(3));
    for (const auto &k : n.kids)
        if (has_break(*k))
            return true;
    return false;
}

// Whether control can run past the end of a statement. Conservative in the usual direction for
// a "missing return" check: only constant conditions are evaluated. Codegen treats the same
// constant `while` conditions as always true, so the two agree.
bool falls_through(const Node &n) {
    switch (n.kind) {
    case NodeKind::Return:
    case NodeKind::Break:
    case NodeKind::Continue:
        return false;
    case NodeKind::Block:
        for (const auto &k : n.kids)
            if (!falls_through(*k))
                return false;
        return true;
    case NodeKind::If:
        return falls_through(*n.kid(1)) || falls_through(*n.kid(2));
    case NodeKind::While:
        if (constant_truthy(*n.kid(0)))
            return has_break(*n.kid(1));
        return has_break(*n.kid(1)) || falls_through(*n.kid(2));
    case NodeKind::For:
        return has_break(*n.kid(2)) || falls_through(*n.kid(3));
    default:
        return true;
    }
}

} // namespace

// ---- one function ------------------------------------------------------------------------------

FunctionInferer::FunctionInferer(ProgramInferer &prog, const Node &func,
                                 std::vector<TypeRef> arg_types, TypeRef declared_ret)
    : prog_(prog), src_(func), args_(std::move(arg_types)), declared_ret_(declared_ret) {}

int FunctionInferer::add_local(const std::string &name) {
    auto it = slot_of_.find(name);
    if (it != slot_of_.end())
        return it->second;
    int slot = static_cast<int>(locals_.size());
    locals_.push_back({name, nullptr});
    slot_of_.emplace(name, slot);
    return slot;
}

namespace {

// The number of kids a node of each kind must have (-1: any), so malformed IR is an internal
// error here rather than a crash in a later stage.
int expected_kids(NodeKind k) {
    switch (k) {
    case NodeKind::Name:
    case NodeKind::Int:
    case NodeKind::Float:
    case NodeKind::Complex:
    case NodeKind::Bool:
    case NodeKind::NoneLit:
    case NodeKind::Break:
    case NodeKind::Continue:
    case NodeKind::Pass:
        return 0;
    case NodeKind::Unary:
    case NodeKind::SetExpr:
    case NodeKind::Cast:
    case NodeKind::ExprStmt:
    case NodeKind::Attr:
        return 1;
    case NodeKind::BinOp:
    case NodeKind::Compare:
    case NodeKind::And:
    case NodeKind::Or:
    case NodeKind::GetItem:
    case NodeKind::Assign:
    case NodeKind::AugAssign:
    case NodeKind::Func:
        return 2;
    case NodeKind::IfExp:
    case NodeKind::If:
    case NodeKind::While:
        return 3;
    case NodeKind::For:
        return 4;
    default:
        return -1;
    }
}

void check_shape(const Node &n) {
    int want = expected_kids(n.kind);
    bool ok = want < 0 || n.kids.size() == static_cast<size_t>(want);
    if (n.kind == NodeKind::Return)
        ok = n.kids.size() <= 1;
    if (n.kind == NodeKind::Method)
        ok = !n.kids.empty();
    if (!ok)
        throw CompileError(ErrorKind::Internal,
                           std::string("malformed IR: '") + node_kind_name(n.kind) + "' with " +
                               std::to_string(n.kids.size()) + " children",
                           n.loc);
}

} // namespace

void FunctionInferer::collect_locals(const Node &n) {
    check_shape(n);
    auto targets = [&](const Node &t, auto &self) -> void {
        if (t.kind == NodeKind::Name)
            add_local(t.name);
        else if (t.kind == NodeKind::Tuple)
            for (const auto &k : t.kids)
                self(*k, self);
    };
    switch (n.kind) {
    case NodeKind::Assign:
    case NodeKind::AugAssign:
    case NodeKind::For:
        targets(*n.kid(0), targets);
        break;
    case NodeKind::SetExpr:
        add_local(n.name);
        break;
    default:
        break;
    }
    for (const auto &k : n.kids)
        collect_locals(*k);
}

void FunctionInferer::run_pass() {
    func_ = src_.clone();
    changed_ = false;
    error_.reset();
    unknown_read_.reset();
    ret_ = nullptr;
    loop_depth_ = 0;
    Node &params = *func_->kid(0);
    for (size_t i = 0; i < params.kids.size(); ++i) {
        params.kid(i)->slot = static_cast<int>(i);
        params.kid(i)->type = locals_[i].type;
    }
    block(*func_->kid(1));
}

TypedFunction FunctionInferer::run(TypeRef *weak_ret) {
    try {
        const Node &params = *src_.kid(0);
        for (size_t i = 0; i < params.kids.size(); ++i) {
            const Node &p = *params.kid(i);
            if (slot_of_.count(p.name))
                typing_error(p.loc, "duplicate argument '" + p.name + "' in function definition");
            add_local(p.name);
            locals_[i].type = args_[i];
        }
        collect_locals(*src_.kid(1));
        // Local types only widen, along a lattice of finite height; the bound is a safety net.
        for (int pass = 0;; ++pass) {
            run_pass();
            if (!changed_)
                break;
            if (pass == 100)
                throw CompileError(ErrorKind::Internal, "type inference did not converge",
                                   src_.loc);
        }
        if (error_)
            throw *error_;
        if (unknown_read_)
            typing_error(unknown_read_->second, "local variable '" + unknown_read_->first +
                                                    "' is used before it is assigned a value");
        TypedFunction out;
        finish(out);
        if (weak_ret)
            *weak_ret = ret_;
        return out;
    } catch (CompileError &e) {
        if (e.func.empty())
            e.func = src_.name;
        throw;
    }
}

namespace {

// Types every node of a finished function concretely and casts return values to `ret`.
void finalize(Node &n, const std::vector<Local> &locals, TypeRef ret) {
    if (n.kind == NodeKind::Return && !n.kids.empty() && ret->kind != TypeKind::None)
        insert_cast(n.kids[0], ret);
    if ((n.kind == NodeKind::Name || n.kind == NodeKind::SetExpr) && n.slot >= 0)
        n.type = materialize(locals[n.slot].type);
    else if (n.type && n.kind != NodeKind::Func)
        n.type = materialize(n.type);
    for (auto &k : n.kids)
        finalize(*k, locals, ret);
}

bool castable_return(TypeRef from, TypeRef to) {
    if (from->is_number() && to->is_number())
        return true;
    if (from->kind == TypeKind::Tuple && to->kind == TypeKind::Tuple &&
        from->elems.size() == to->elems.size()) {
        for (size_t i = 0; i < from->elems.size(); ++i)
            if (!castable_return(from->elems[i], to->elems[i]))
                return false;
        return true;
    }
    return from == to;
}

void check_declared_returns(const Node &n, TypeRef declared, const std::string &fname) {
    if (n.kind == NodeKind::Return) {
        TypeRef t = n.kids.empty() ? none_type() : n.kid(0)->type;
        if (declared->kind == TypeKind::None && t->kind != TypeKind::None)
            typing_error(n.loc,
                         "'" + fname + "' is declared void but returns " + user_type_name(t));
        if (declared->kind != TypeKind::None && !castable_return(t, declared))
            typing_error(n.loc, "cannot return " + user_type_name(t) + " from '" + fname +
                                    "', whose signature returns " + type_name(declared));
        return;
    }
    for (const auto &k : n.kids)
        check_declared_returns(*k, declared, fname);
}

} // namespace

void FunctionInferer::finish(TypedFunction &out) {
    TypeRef ret = ret_ ? ret_ : none_type();
    if (declared_ret_) {
        check_declared_returns(*func_->kid(1), declared_ret_, src_.name);
        ret = declared_ret_;
        ret_ = declared_ret_;
    }
    if (ret->kind != TypeKind::None && falls_through(*func_->kid(1)))
        typing_error(src_.loc, "function '" + src_.name +
                                   "' can reach its end without returning a value; every path "
                                   "must return " +
                                   user_type_name(ret));
    finalize(*func_, locals_, ret);
    out.ret = materialize(ret);
    func_->type = out.ret;
    for (TypeRef a : args_)
        out.params.push_back(materialize(a));
    for (const Local &l : locals_)
        out.locals.push_back({l.name, l.type ? materialize(l.type) : none_type()});
    out.func = std::move(func_);
}

} // namespace lj::infer
