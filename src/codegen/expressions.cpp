// Expression codegen: literals in their typed-IR type, locals, operators (arith.cpp), short-
// circuit and/or and conditional expressions (selects where that is safe), calls, tuples.
#include "codegen/function_emitter.h"

#include "codegen/llvm_types.h"
#include "typing/builtins.h"

namespace lj::codegen {
namespace {

// Whether evaluating `n` when its value is not needed is harmless and cheap enough to prefer a
// select: no stores to locals (walrus) and no calls of loopjit functions (they may loop, even
// forever for arguments the program never passes). Everything else here is pure and total:
// integer division is guarded, float ops do not trap.
bool speculatable(const Node &n) {
    if (n.kind == NodeKind::SetExpr)
        return false;
    if (n.kind == NodeKind::Call && !n.name.empty() && n.name[0] == '@')
        return false;
    for (const auto &k : n.kids)
        if (!speculatable(*k))
            return false;
    return true;
}

} // namespace

llvm::Value *FunctionEmitter::literal(const Node &n) {
    // The constant in its natural type, converted by the (constant-folding) cast.
    llvm::LLVMContext &ctx = cx_.llvm();
    llvm::Value *v;
    TypeRef from;
    switch (n.kind) {
    case NodeKind::Int:
        v = llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), static_cast<uint64_t>(n.ival),
                                   true);
        from = scalar_type(Scalar::Int64);
        break;
    case NodeKind::Bool:
        v = llvm::ConstantInt::getBool(ctx, n.ival != 0);
        from = scalar_type(Scalar::Bool);
        break;
    case NodeKind::Float:
        v = llvm::ConstantFP::get(llvm::Type::getDoubleTy(ctx), n.fval);
        from = scalar_type(Scalar::Float64);
        break;
    default: { // Complex
        from = scalar_type(Scalar::Complex128);
        llvm::Type *d = llvm::Type::getDoubleTy(ctx);
        v = cx_.make_complex(llvm::ConstantFP::get(d, n.fval), llvm::ConstantFP::get(d, n.fimag),
                             from);
        break;
    }
    }
    return cx_.cast(v, from, n.type);
}

llvm::Value *FunctionEmitter::unary(const Node &n) {
    llvm::Value *x = expr(*n.kid(0));
    TypeRef t = n.kid(0)->type;
    switch (n.op) {
    case Op::Not:
        return b_.CreateNot(cx_.truth(x, t));
    case Op::Pos:
        return x;
    case Op::Invert:
        return b_.CreateNot(x); // on bool (i1): logical not, as NumPy's ~
    case Op::Neg:
        if (t->is_scalar()) {
            switch (scalar_class(t->scalar)) {
            case ScalarClass::Float:
                return b_.CreateFNeg(x);
            case ScalarClass::Complex:
                return cx_.make_complex(b_.CreateFNeg(cx_.real(x)), b_.CreateFNeg(cx_.imag(x)), t);
            case ScalarClass::Signed:
            case ScalarClass::Unsigned:
                return b_.CreateSub(llvm::Constant::getNullValue(x->getType()), x);
            default:
                break;
            }
        }
        break;
    default:
        break;
    }
    throw CompileError(
        ErrorKind::Internal,
        std::string("unary ") + op_text(n.op) + " reached codegen for " + type_name(t), n.loc);
}

llvm::Value *FunctionEmitter::compare(const Node &n) {
    if (n.op == Op::Is || n.op == Op::IsNot) {
        // Only comparisons with None get here: the answer is in the types.
        bool same =
            n.kid(0)->type->kind == TypeKind::None && n.kid(1)->type->kind == TypeKind::None;
        expr(*n.kid(0));
        expr(*n.kid(1));
        return b_.getInt1(n.op == Op::Is ? same : !same);
    }
    llvm::Value *a = expr(*n.kid(0));
    llvm::Value *b = expr(*n.kid(1));
    return emit_compare(cx_, n.op, a, n.kid(0)->type, b, n.kid(1)->type, n.loc);
}

llvm::Value *FunctionEmitter::choose(llvm::Value *cond, Arm x, Arm y) {
    bool cheap = (!x.node || speculatable(*x.node)) && (!y.node || speculatable(*y.node));
    if (cheap) {
        llvm::Value *xv = x.value ? x.value : expr(*x.node);
        llvm::Value *yv = y.value ? y.value : expr(*y.node);
        return b_.CreateSelect(cond, xv, yv);
    }
    llvm::BasicBlock *x_bb = new_block("sel.true"), *y_bb = new_block("sel.false");
    llvm::BasicBlock *merge = new_block("sel.end");
    b_.CreateCondBr(cond, x_bb, y_bb);
    b_.SetInsertPoint(x_bb);
    llvm::Value *xv = x.value ? x.value : expr(*x.node);
    llvm::BasicBlock *x_end = b_.GetInsertBlock();
    b_.CreateBr(merge);
    b_.SetInsertPoint(y_bb);
    llvm::Value *yv = y.value ? y.value : expr(*y.node);
    llvm::BasicBlock *y_end = b_.GetInsertBlock();
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
    llvm::PHINode *phi = b_.CreatePHI(xv->getType(), 2);
    phi->addIncoming(xv, x_end);
    phi->addIncoming(yv, y_end);
    return phi;
}

llvm::Value *FunctionEmitter::and_or(const Node &n) {
    // `a and b` is b if a is truthy else a; `a or b` is a if a is truthy else b.
    llvm::Value *a = expr(*n.kid(0));
    llvm::Value *c = cx_.truth(a, n.kid(0)->type);
    Arm first{nullptr, a}, second{n.kid(1), nullptr};
    return n.kind == NodeKind::And ? choose(c, second, first) : choose(c, first, second);
}

llvm::Value *FunctionEmitter::if_exp(const Node &n) {
    llvm::Value *c = cx_.truth(expr(*n.kid(0)), n.kid(0)->type);
    return choose(c, Arm{n.kid(1), nullptr}, Arm{n.kid(2), nullptr});
}

llvm::Value *FunctionEmitter::call(const Node &n) {
    if (n.kind == NodeKind::Attr && n.kid(0)->type->kind == TypeKind::Array)
        return array_attr(n);
    if (n.kind == NodeKind::Call && n.type->kind == TypeKind::Array)
        return alloc_array(n);
    if (n.builtin == static_cast<int>(Builtin::Len))
        return length(n);
    std::vector<llvm::Value *> args;
    for (const auto &k : n.kids)
        args.push_back(expr(*k));
    if (n.kind == NodeKind::Call && !n.name.empty() && n.name[0] == '@') {
        args.push_back(error_record());
        llvm::Value *r = b_.CreateCall(fns_[n.slot], args);
        if (prog_.functions[n.slot].ret->kind == TypeKind::None)
            return llvm::Constant::getNullValue(value_type(none_type()));
        return r;
    }
    if (n.builtin < 0)
        throw CompileError(ErrorKind::Internal, "unresolved call of '" + n.name + "'", n.loc);
    return emit_builtin(cx_, n, args);
}

llvm::Value *FunctionEmitter::tuple(const Node &n) {
    llvm::Value *v = llvm::PoisonValue::get(value_type(n.type));
    for (unsigned i = 0; i < n.kids.size(); ++i)
        v = b_.CreateInsertValue(v, expr(*n.kid(i)), i);
    return v;
}

llvm::Value *FunctionEmitter::expr(const Node &n) {
    switch (n.kind) {
    case NodeKind::Int:
    case NodeKind::Float:
    case NodeKind::Complex:
    case NodeKind::Bool:
        return literal(n);
    case NodeKind::NoneLit:
        return llvm::Constant::getNullValue(value_type(none_type()));
    case NodeKind::Name:
        return load_local(n.slot);
    case NodeKind::BinOp: {
        llvm::Value *a = expr(*n.kid(0));
        llvm::Value *b = expr(*n.kid(1));
        return emit_binary(cx_, n.op, a, b, n.type, n.loc);
    }
    case NodeKind::Unary:
        return unary(n);
    case NodeKind::Compare:
        return compare(n);
    case NodeKind::And:
    case NodeKind::Or:
        return and_or(n);
    case NodeKind::IfExp:
        return if_exp(n);
    case NodeKind::Call:
    case NodeKind::Method:
    case NodeKind::Attr:
        return call(n);
    case NodeKind::Tuple:
        return tuple(n);
    case NodeKind::GetItem:
        return get_item(n);
    case NodeKind::SetExpr: {
        llvm::Value *v = expr(*n.kid(0));
        store_local(n.slot, v, n.kid(0)->type);
        return v;
    }
    case NodeKind::StencilRead:
        return stencil_read(n);
    case NodeKind::Cast:
        return cx_.cast(expr(*n.kid(0)), n.kid(0)->type, n.type);
    default:
        throw CompileError(ErrorKind::Internal,
                           std::string("codegen cannot emit expression ") + node_kind_name(n.kind),
                           n.loc);
    }
}

} // namespace lj::codegen
