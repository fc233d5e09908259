// Kernel codegen: each typed function becomes an internal, always-inline LLVM function; locals
// are entry-block allocas; statements and structured control flow lower to basic blocks.
#include "codegen/kernel.h"

#include "codegen/function_emitter.h"
#include "codegen/llvm_types.h"

#include <llvm/IR/CFG.h>
#include <llvm/IR/MDBuilder.h>

namespace lj {
namespace codegen {

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

FunctionEmitter::FunctionEmitter(CodegenCtx &cx, const TypedProgram &prog,
                                 const std::vector<llvm::Function *> &fns, size_t index)
    : cx_(cx), b_(cx.b), prog_(prog), fns_(fns), tf_(prog.functions[index]), fn_(fns[index]) {}

llvm::Type *FunctionEmitter::value_type(TypeRef t) const {
    return llvm_value_type(cx_.llvm(), t);
}

llvm::AllocaInst *FunctionEmitter::entry_alloca(llvm::Type *ty, const std::string &name) {
    llvm::BasicBlock &entry = fn_->getEntryBlock();
    llvm::IRBuilder<> eb(&entry, entry.begin());
    return eb.CreateAlloca(ty, nullptr, name);
}

llvm::BasicBlock *FunctionEmitter::new_block(const char *name) {
    return llvm::BasicBlock::Create(cx_.llvm(), name, fn_);
}

bool FunctionEmitter::terminated() const {
    return b_.GetInsertBlock()->getTerminator();
}

void FunctionEmitter::branch_to(llvm::BasicBlock *bb) {
    if (!terminated())
        b_.CreateBr(bb);
}

void FunctionEmitter::continue_at(llvm::BasicBlock *bb) {
    if (llvm::pred_empty(bb)) {
        // Every path before returned or broke out: leave the builder at the (terminated) block
        // it is in, so the statements after this one are skipped as dead.
        bb->eraseFromParent();
        return;
    }
    b_.SetInsertPoint(bb);
}

llvm::Value *FunctionEmitter::load_local(int slot) {
    llvm::AllocaInst *a = slots_[slot];
    return b_.CreateLoad(a->getAllocatedType(), a, tf_.locals[slot].name);
}

void FunctionEmitter::store_local(int slot, llvm::Value *v, TypeRef t) {
    b_.CreateStore(cx_.cast(v, t, tf_.locals[slot].type), slots_[slot]);
}

namespace {

bool makes_arrays(const Node &n) {
    if (n.kind == NodeKind::Call && n.type && n.type->kind == TypeKind::Array &&
        n.name.rfind("np.", 0) == 0)
        return true;
    for (const auto &k : n.kids)
        if (makes_arrays(*k))
            return true;
    return false;
}

} // namespace

void FunctionEmitter::emit() {
    llvm::BasicBlock *entry = new_block("entry");
    b_.SetInsertPoint(entry);
    if (makes_arrays(*tf_.func)) {
        scratch_head_ = b_.CreateAlloca(b_.getPtrTy(), nullptr, "scratch");
        b_.CreateStore(llvm::ConstantPointerNull::get(b_.getPtrTy()), scratch_head_);
    }
    for (size_t i = 0; i < tf_.locals.size(); ++i)
        slots_.push_back(
            b_.CreateAlloca(value_type(tf_.locals[i].type), nullptr, tf_.locals[i].name + ".addr"));
    for (size_t i = 0; i < tf_.locals.size(); ++i) {
        if (i < tf_.params.size()) {
            store_local(static_cast<int>(i), fn_->getArg(static_cast<unsigned>(i)), tf_.params[i]);
        } else {
            // Python would raise UnboundLocalError on a read before any assignment; a kernel
            // cannot, so such a read sees zero rather than undefined bits.
            b_.CreateStore(llvm::Constant::getNullValue(slots_[i]->getAllocatedType()), slots_[i]);
        }
    }
    block(*tf_.func->kid(1));
    if (terminated())
        return;
    if (tf_.ret->kind == TypeKind::None)
        emit_return(nullptr);
    else if (b_.GetInsertBlock() != entry && llvm::pred_empty(b_.GetInsertBlock()))
        b_.CreateUnreachable();
    else // type inference rejects functions that can end without a value; keep the IR valid
        emit_return(nullptr);
}

void FunctionEmitter::block(const Node &n) {
    for (const auto &k : n.kids) {
        if (terminated())
            return; // after return/break/continue: dead code
        stmt(*k);
    }
}

void FunctionEmitter::assign(const Node &target, llvm::Value *v, TypeRef t) {
    if (target.kind == NodeKind::Name) {
        store_local(target.slot, v, t);
        return;
    }
    if (target.kind == NodeKind::Tuple) {
        for (unsigned i = 0; i < target.kids.size(); ++i)
            assign(*target.kid(i), b_.CreateExtractValue(v, i), t->elems[i]);
        return;
    }
    if (target.kind == NodeKind::GetItem) {
        store_item(target, v, t);
        return;
    }
    throw CompileError(ErrorKind::Internal, "unsupported assignment target", target.loc);
}

void FunctionEmitter::aug_assign(const Node &n) {
    const Node &target = *n.kid(0);
    if (target.kind == NodeKind::GetItem) {
        aug_store_item(n);
        return;
    }
    TypeRef local = tf_.locals[target.slot].type, op_type = n.type;
    llvm::Value *cur = cx_.cast(load_local(target.slot), local, op_type);
    llvm::Value *rhs = expr(*n.kid(1));
    llvm::Value *r = emit_binary(cx_, n.op, cur, rhs, op_type, n.loc);
    store_local(target.slot, r, op_type);
}

void FunctionEmitter::if_stmt(const Node &n) {
    llvm::Value *c = cx_.truth(expr(*n.kid(0)), n.kid(0)->type);
    bool has_else = !n.kid(2)->kids.empty();
    llvm::BasicBlock *then_bb = new_block("if.then");
    llvm::BasicBlock *else_bb = has_else ? new_block("if.else") : nullptr;
    llvm::BasicBlock *merge = new_block("if.end");
    b_.CreateCondBr(c, then_bb, has_else ? else_bb : merge);
    b_.SetInsertPoint(then_bb);
    block(*n.kid(1));
    branch_to(merge);
    if (has_else) {
        b_.SetInsertPoint(else_bb);
        block(*n.kid(2));
        branch_to(merge);
    }
    continue_at(merge);
}

void FunctionEmitter::while_stmt(const Node &n) {
    llvm::BasicBlock *cond_bb = new_block("while.cond");
    llvm::BasicBlock *body_bb = new_block("while.body");
    llvm::BasicBlock *exit_bb = new_block("while.end");
    b_.CreateBr(cond_bb);
    b_.SetInsertPoint(cond_bb);
    llvm::BasicBlock *else_bb = nullptr;
    if (constant_truthy(*n.kid(0))) {
        b_.CreateBr(body_bb); // `while True:` leaves only through break; its else never runs
    } else {
        else_bb = new_block("while.else");
        llvm::Value *c = cx_.truth(expr(*n.kid(0)), n.kid(0)->type);
        b_.CreateCondBr(c, body_bb, else_bb);
    }
    b_.SetInsertPoint(body_bb);
    loops_.push_back({cond_bb, exit_bb});
    block(*n.kid(1));
    loops_.pop_back();
    branch_to(cond_bb);
    if (else_bb) {
        b_.SetInsertPoint(else_bb);
        block(*n.kid(2));
        branch_to(exit_bb);
    }
    continue_at(exit_bb);
}

// Iterations of range(start, stop, step), as an unsigned count (no overflow for any int64
// bounds); 0 for step == 0, where Python would raise.
llvm::Value *FunctionEmitter::trip_count(llvm::Value *start, llvm::Value *stop, llvm::Value *step) {
    llvm::Type *i64 = b_.getInt64Ty();
    llvm::Value *zero = llvm::ConstantInt::get(i64, 0), *one = llvm::ConstantInt::get(i64, 1);
    auto count = [&](llvm::Value *nonempty, llvm::Value *distance, llvm::Value *stride) {
        // distance - 1 cannot wrap where it is used: nonempty means distance > 0.
        llvm::Value *n = b_.CreateSub(distance, one);
        if (!(llvm::isa<llvm::ConstantInt>(stride) &&
              llvm::cast<llvm::ConstantInt>(stride)->isOne()))
            n = b_.CreateUDiv(n, stride);
        return b_.CreateSelect(nonempty, b_.CreateAdd(n, one), zero);
    };
    if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(step)) {
        if (c->isZero())
            return zero;
        if (!c->isNegative())
            return count(b_.CreateICmpSGT(stop, start), b_.CreateSub(stop, start), step);
        return count(b_.CreateICmpSGT(start, stop), b_.CreateSub(start, stop),
                     b_.CreateSub(zero, step));
    }
    llvm::Value *up = b_.CreateICmpSGT(step, zero), *down = b_.CreateICmpSLT(step, zero);
    llvm::Value *nonempty = b_.CreateSelect(up, b_.CreateICmpSGT(stop, start),
                                            b_.CreateAnd(down, b_.CreateICmpSGT(start, stop)));
    llvm::Value *distance =
        b_.CreateSelect(up, b_.CreateSub(stop, start), b_.CreateSub(start, stop));
    llvm::Value *stride =
        b_.CreateSelect(up, step, b_.CreateSelect(down, b_.CreateSub(zero, step), one));
    return count(nonempty, distance, stride);
}

void FunctionEmitter::for_stmt(const Node &n) {
    const Node &iterable = *n.kid(1);
    llvm::Type *i64 = b_.getInt64Ty();
    llvm::Value *start = llvm::ConstantInt::get(i64, 0), *step = llvm::ConstantInt::get(i64, 1);
    llvm::Value *n_iter, *array = nullptr;
    if (iterable.type->kind == TypeKind::Array) { // for x in a: x = a[k], k over a.shape[0]
        array = expr(iterable);
        n_iter = array_shape(array, 0);
    } else {
        std::vector<llvm::Value *> args;
        for (const auto &a : iterable.kids)
            args.push_back(expr(*a));
        start = args.size() > 1 ? args[0] : start;
        llvm::Value *stop = args.size() > 1 ? args[1] : args[0];
        step = args.size() > 2 ? args[2] : step;
        n_iter = trip_count(start, stop, step);
    }

    // A counter 0..n_iter: the canonical loop SCEV and the vectorizer understand. The target is
    // recomputed from it each iteration, so assigning to it in the body does not disturb the loop.
    llvm::AllocaInst *k = entry_alloca(i64, "for.k");
    b_.CreateStore(llvm::ConstantInt::get(i64, 0), k);
    llvm::BasicBlock *cond_bb = new_block("for.cond");
    llvm::BasicBlock *body_bb = new_block("for.body");
    llvm::BasicBlock *latch_bb = new_block("for.inc");
    llvm::BasicBlock *else_bb = new_block("for.else");
    llvm::BasicBlock *exit_bb = new_block("for.end");
    b_.CreateBr(cond_bb);
    b_.SetInsertPoint(cond_bb);
    llvm::Value *kv = b_.CreateLoad(i64, k);
    b_.CreateCondBr(b_.CreateICmpULT(kv, n_iter), body_bb, else_bb);
    b_.SetInsertPoint(body_bb);
    llvm::Value *offset = kv;
    if (!(llvm::isa<llvm::ConstantInt>(step) && llvm::cast<llvm::ConstantInt>(step)->isOne()))
        offset = b_.CreateMul(kv, step);
    llvm::Value *value = offset;
    if (!(llvm::isa<llvm::ConstantInt>(start) && llvm::cast<llvm::ConstantInt>(start)->isZero()))
        value = b_.CreateAdd(start, offset);
    if (array) {
        TypeRef t = iterable.type;
        llvm::Value *p = b_.CreateGEP(b_.getInt8Ty(), array_data(array),
                                      b_.CreateMul(kv, array_stride(array, t, 0)));
        if (t->ndim == 1) {
            assign(*n.kid(0), load_element(b_, p, t->scalar), scalar_type(t->scalar));
        } else {
            TypeRef et = n.kid(0)->type;
            std::vector<llvm::Value *> shape, strides;
            for (int d = 1; d < t->ndim; ++d) {
                shape.push_back(array_shape(array, d));
                strides.push_back(array_stride(array, t, d));
            }
            assign(*n.kid(0), make_array(et, p, shape, strides), et);
        }
    } else {
        assign(*n.kid(0), value, scalar_type(Scalar::Int64));
    }
    loops_.push_back({latch_bb, exit_bb});
    block(*n.kid(2));
    loops_.pop_back();
    branch_to(latch_bb);
    if (llvm::pred_empty(latch_bb)) {
        latch_bb->eraseFromParent(); // the body never comes back around
    } else {
        b_.SetInsertPoint(latch_bb);
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, k), llvm::ConstantInt::get(i64, 1)), k);
        b_.CreateBr(cond_bb);
    }
    b_.SetInsertPoint(else_bb);
    block(*n.kid(3));
    branch_to(exit_bb);
    continue_at(exit_bb);
}

void FunctionEmitter::return_stmt(const Node &n) {
    if (tf_.ret->kind == TypeKind::None) {
        if (!n.kids.empty())
            expr(*n.kid(0)); // `return None` or a none-valued call
        emit_return(nullptr);
        return;
    }
    emit_return(expr(*n.kid(0)));
}

void FunctionEmitter::stmt(const Node &n) {
    switch (n.kind) {
    case NodeKind::Block:
        block(n);
        break;
    case NodeKind::Assign:
        assign(*n.kid(0), expr(*n.kid(1)), n.kid(1)->type);
        break;
    case NodeKind::AugAssign:
        aug_assign(n);
        break;
    case NodeKind::If:
        if_stmt(n);
        break;
    case NodeKind::While:
        while_stmt(n);
        break;
    case NodeKind::For:
        for_stmt(n);
        break;
    case NodeKind::Break:
        b_.CreateBr(loops_.back().brk);
        break;
    case NodeKind::Continue:
        b_.CreateBr(loops_.back().cont);
        break;
    case NodeKind::Pass:
        break;
    case NodeKind::Return:
        return_stmt(n);
        break;
    case NodeKind::ExprStmt:
        expr(*n.kid(0));
        break;
    default:
        throw CompileError(ErrorKind::Internal,
                           std::string("codegen cannot emit statement ") + node_kind_name(n.kind),
                           n.loc);
    }
}

} // namespace codegen

llvm::Function *emit_kernel(llvm::Module &m, const TypedProgram &prog, const Target &target,
                            const KernelOptions &opts, const std::string &prefix) {
    llvm::LLVMContext &ctx = m.getContext();
    llvm::IRBuilder<> b(ctx);
    if (opts.fastmath)
        b.setFastMathFlags(llvm::FastMathFlags::getFast());
    CodegenCtx cx{b, m, target, opts};

    // Declare every function first: "@f" calls may refer to any of them.
    std::vector<llvm::Function *> fns;
    for (size_t i = 0; i < prog.functions.size(); ++i) {
        const TypedFunction &tf = prog.functions[i];
        std::vector<llvm::Type *> params;
        for (TypeRef p : tf.params)
            params.push_back(llvm_value_type(ctx, p));
        params.push_back(llvm::PointerType::get(ctx, 0)); // the error record (kernel.h)
        llvm::Type *ret = tf.ret->kind == TypeKind::None ? llvm::Type::getVoidTy(ctx)
                                                         : llvm_value_type(ctx, tf.ret);
        auto *fty = llvm::FunctionType::get(ret, params, false);
        std::string name = prefix + "." + tf.func->name;
        if (i > 0)
            name += "." + std::to_string(i);
        auto *f = llvm::Function::Create(fty, llvm::Function::InternalLinkage, name, m);
        f->addFnAttr(llvm::Attribute::AlwaysInline);
        f->addFnAttr(llvm::Attribute::NoUnwind);
        const Node &params_node = *tf.func->kid(0);
        for (size_t a = 0; a < params_node.kids.size() && a < tf.params.size(); ++a)
            f->getArg(static_cast<unsigned>(a))->setName(params_node.kid(a)->name);
        f->getArg(static_cast<unsigned>(tf.params.size()))->setName("lj.error");
        fns.push_back(f);
    }
    for (size_t i = 0; i < prog.functions.size(); ++i)
        codegen::FunctionEmitter(cx, prog, fns, i).emit();
    return fns[0];
}

} // namespace lj
