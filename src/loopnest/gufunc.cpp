// The gufunc loop nest (gufunc.h): views of the core dimensions are built once per call (their
// shape and strides do not change across the outer loop); only the data pointers advance.
#include "loopnest/gufunc.h"

#include "codegen/llvm_types.h"
#include "loopnest/nest_support.h"
#include "support/error.h"

#include <llvm/IR/IRBuilder.h>

namespace lj {
namespace {

struct View {
    std::vector<llvm::Value *> shape, strides; // empty for as_scalar operands
};

class GufuncLoopBuilder {
public:
    GufuncLoopBuilder(llvm::Module &m, const std::vector<GufuncOperand> &ops)
        : m_(m), ctx_(m.getContext()), b_(ctx_), ops_(ops) {}

    llvm::Function *build(llvm::Function *kany, llvm::Function *kc, const std::string &name) {
        llvm::Type *i64 = b_.getInt64Ty(), *ptr = b_.getPtrTy();
        auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {i64, i64, ptr}, false);
        f_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m_);
        f_->addFnAttr(llvm::Attribute::NoUnwind);
        llvm::Value *begin = f_->getArg(0), *end = f_->getArg(1), *args = f_->getArg(2);
        b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", f_));
        const LoopArgsFields la = emit_loop_args(b_, args);
        llvm::Value *data = la.data, *dims = la.dims, *steps = la.steps;
        err_ = la.extra;
        const size_t nops = ops_.size();
        size_t core_step = nops;
        for (size_t k = 0; k < nops; ++k) {
            const GufuncOperand &op = ops_[k];
            base_.push_back(b_.CreateLoad(ptr, b_.CreateConstGEP1_64(ptr, data, k)));
            step_.push_back(b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, steps, k)));
            View v;
            if (!op.as_scalar && op.core_dims.empty()) { // a () operand as a 1-element view
                v.shape.push_back(b_.getInt64(1));
                v.strides.push_back(b_.getInt64(scalar_itemsize(op.dtype)));
            }
            for (int d : op.core_dims) {
                v.shape.push_back(b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, dims, 1 + d)));
                v.strides.push_back(
                    b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, steps, core_step++)));
            }
            views_.push_back(std::move(v));
        }
        llvm::BasicBlock *exit = llvm::BasicBlock::Create(ctx_, "exit", f_);
        if (!kc) {
            emit_loop(kany, begin, end, exit);
        } else {
            llvm::BasicBlock *c_bb = llvm::BasicBlock::Create(ctx_, "contiguous", f_);
            llvm::BasicBlock *any_bb = llvm::BasicBlock::Create(ctx_, "any_layout", f_);
            b_.CreateCondBr(all_c_contiguous(), c_bb, any_bb);
            b_.SetInsertPoint(c_bb);
            emit_loop(kc, begin, end, exit);
            b_.SetInsertPoint(any_bb);
            emit_loop(kany, begin, end, exit);
        }
        b_.SetInsertPoint(exit);
        b_.CreateRetVoid();
        return f_;
    }

private:
    llvm::Module &m_;
    llvm::LLVMContext &ctx_;
    llvm::IRBuilder<> b_;
    const std::vector<GufuncOperand> &ops_;
    llvm::Function *f_ = nullptr;
    llvm::Value *err_ = nullptr;
    std::vector<llvm::Value *> base_, step_;
    std::vector<View> views_;

    llvm::Value *all_c_contiguous() {
        llvm::Value *ok = b_.getTrue();
        for (size_t k = 0; k < ops_.size(); ++k)
            if (!ops_[k].core_dims.empty())
                ok = b_.CreateAnd(ok, emit_c_contiguous(b_, views_[k].shape, views_[k].strides,
                                                        scalar_itemsize(ops_[k].dtype)));
        return ok;
    }

    void emit_loop(llvm::Function *kernel, llvm::Value *begin, llvm::Value *end,
                   llvm::BasicBlock *exit) {
        llvm::Type *i64 = b_.getInt64Ty();
        llvm::BasicBlock *pre = b_.GetInsertBlock();
        llvm::BasicBlock *body = llvm::BasicBlock::Create(ctx_, "outer", f_);
        b_.CreateCondBr(b_.CreateICmpSLT(begin, end), body, exit);
        b_.SetInsertPoint(body);
        llvm::PHINode *i = b_.CreatePHI(i64, 2, "i");
        i->addIncoming(begin, pre);
        std::vector<llvm::Value *> args;
        for (size_t k = 0; k < ops_.size(); ++k) {
            llvm::Value *p = b_.CreateGEP(b_.getInt8Ty(), base_[k], b_.CreateMul(i, step_[k]));
            if (ops_[k].as_scalar) {
                args.push_back(load_element(b_, p, ops_[k].dtype));
                continue;
            }
            const View &v = views_[k];
            llvm::Value *a = llvm::PoisonValue::get(
                llvm_array_type(ctx_, static_cast<int>(v.shape.size())));
            a = b_.CreateInsertValue(a, p, 0);
            for (unsigned d = 0; d < v.shape.size(); ++d) {
                a = b_.CreateInsertValue(a, v.shape[d], {1u, d});
                a = b_.CreateInsertValue(a, v.strides[d], {2u, d});
            }
            args.push_back(a);
        }
        args.push_back(err_);
        b_.CreateCall(kernel, args);
        llvm::Value *next = b_.CreateAdd(i, llvm::ConstantInt::get(i64, 1));
        // Stop at the first error (KernelError::raised, an i32 at offset 0, set by any thread).
        llvm::BasicBlock *check = llvm::BasicBlock::Create(ctx_, "check", f_);
        llvm::BasicBlock *latch = llvm::BasicBlock::Create(ctx_, "latch", f_);
        b_.CreateCondBr(b_.CreateIsNull(err_), latch, check);
        b_.SetInsertPoint(check);
        llvm::LoadInst *raised = b_.CreateAlignedLoad(b_.getInt32Ty(), err_, llvm::Align(4));
        raised->setAtomic(llvm::AtomicOrdering::Monotonic);
        b_.CreateCondBr(b_.CreateICmpNE(raised, b_.getInt32(0)), exit, latch);
        b_.SetInsertPoint(latch);
        i->addIncoming(next, latch);
        b_.CreateCondBr(b_.CreateICmpSLT(next, end), body, exit);
    }
};

} // namespace

llvm::Function *build_gufunc_loop(llvm::Module &m, llvm::Function *kernel_any,
                                  llvm::Function *kernel_c,
                                  const std::vector<GufuncOperand> &ops, const std::string &name) {
    if (kernel_any->arg_size() != ops.size() + 1)
        throw CompileError(ErrorKind::Internal, "gufunc kernel arity does not match its operands");
    return GufuncLoopBuilder(m, ops).build(kernel_any, kernel_c, name);
}

} // namespace lj
