// Test helpers for type inference: run it on IR text, find nodes, catch its errors.
#pragma once

#include "kernel_text.h"
#include "typing/infer.h"
#include "typing/signature.h"

#include <gtest/gtest.h>

#include <functional>

namespace lj::test {

inline TypeRef T(const std::string &name) {
    return parse_type(name);
}

inline std::vector<TypeRef> Ts(const std::string &list) {
    return parse_signature("(" + list + ")").args;
}

inline TypedProgram infer(const NodePtr &module, const std::string &params,
                          const std::string &ret = "") {
    return infer_types(*module, Ts(params), ret.empty() ? nullptr : T(ret));
}

// The first node (pre-order) of `kind` satisfying `pred`.
inline const Node *find(const Node &n, NodeKind kind,
                        const std::function<bool(const Node &)> &pred = nullptr) {
    if (n.kind == kind && (!pred || pred(n)))
        return &n;
    for (const auto &k : n.kids)
        if (const Node *f = find(*k, kind, pred))
            return f;
    return nullptr;
}

inline const Node *find_name(const Node &n, const std::string &name) {
    return find(n, NodeKind::Name, [&](const Node &x) { return x.name == name; });
}

// Checks the typed-IR contract: every expression typed, no weak type left, locals resolved.
inline void expect_concrete(const Node &n) {
    if (n.type) {
        EXPECT_FALSE(n.type->is_weak()) << print_ir(n, true);
        for (TypeRef e : n.type->elems)
            EXPECT_FALSE(e->is_weak()) << print_ir(n, true);
    }
    switch (n.kind) {
    case NodeKind::Int:
    case NodeKind::Float:
    case NodeKind::Complex:
    case NodeKind::Bool:
    case NodeKind::NoneLit:
    case NodeKind::BinOp:
    case NodeKind::Unary:
    case NodeKind::Compare:
    case NodeKind::And:
    case NodeKind::Or:
    case NodeKind::IfExp:
    case NodeKind::Call:
    case NodeKind::Tuple:
    case NodeKind::GetItem:
    case NodeKind::Cast:
    case NodeKind::Method:
    case NodeKind::Attr:
        EXPECT_NE(n.type, nullptr) << print_ir(n);
        break;
    case NodeKind::Name:
    case NodeKind::SetExpr:
        EXPECT_NE(n.type, nullptr) << print_ir(n);
        EXPECT_GE(n.slot, 0) << print_ir(n);
        break;
    default:
        break;
    }
    for (const auto &k : n.kids)
        expect_concrete(*k);
}

inline TypeRef local_type(const TypedFunction &f, const std::string &name) {
    for (const auto &l : f.locals)
        if (l.name == name)
            return l.type;
    ADD_FAILURE() << "no local " << name;
    return nullptr;
}

// The CompileError inference raises (a test failure if none).
inline CompileError infer_error(const NodePtr &module, const std::string &params,
                                const std::string &ret = "") {
    try {
        infer(module, params, ret);
    } catch (const CompileError &e) {
        return e;
    }
    ADD_FAILURE() << "inference did not fail";
    return CompileError(ErrorKind::Internal, "");
}

} // namespace lj::test
