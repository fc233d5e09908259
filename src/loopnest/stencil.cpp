// The stencil loop nest (stencil.h).
#include "loopnest/stencil.h"

#include "codegen/llvm_types.h"
#include "loopnest/nest_support.h"
#include "support/error.h"

#include <llvm/IR/IRBuilder.h>

#include <functional>

namespace lj {
namespace {

class StencilLoopBuilder {
public:
    StencilLoopBuilder(llvm::Module &m, const StencilLoopSpec &spec)
        : m_(m), ctx_(m.getContext()), b_(ctx_), spec_(spec) {}

    llvm::Function *build(llvm::Function *interior, llvm::Function *interior_c,
                          llvm::Function *border, const std::string &name) {
        llvm::Type *i64 = b_.getInt64Ty(), *ptr = b_.getPtrTy();
        auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {i64, i64, ptr}, false);
        f_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m_);
        f_->addFnAttr(llvm::Attribute::NoUnwind);
        begin_ = f_->getArg(0);
        end_ = f_->getArg(1);
        llvm::Value *args = f_->getArg(2);
        b_.SetInsertPoint(block("entry"));
        const LoopArgsFields la = emit_loop_args(b_, args);
        llvm::Value *data = la.data, *dims = la.dims, *steps = la.steps;
        err_ = la.extra;
        size_t dim_at = 0;
        auto next_dims = [&](int nd, std::vector<llvm::Value *> &shape,
                             std::vector<llvm::Value *> &strides) {
            for (int d = 0; d < nd; ++d, ++dim_at) {
                shape.push_back(b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, dims, dim_at)));
                strides.push_back(b_.CreateLoad(i64, b_.CreateConstGEP1_64(i64, steps, dim_at)));
            }
        };
        llvm::Value *contiguous = b_.getTrue();
        for (size_t k = 0; k < spec_.operands.size(); ++k) {
            const StencilOperand &op = spec_.operands[k];
            llvm::Value *p = b_.CreateLoad(ptr, b_.CreateConstGEP1_64(ptr, data, k));
            if (op.kind == StencilOperand::Kind::Number) {
                values_.push_back(load_element(b_, p, op.dtype));
                continue;
            }
            std::vector<llvm::Value *> shape, strides;
            next_dims(op.ndim, shape, strides);
            if (op.kind == StencilOperand::Kind::Relative)
                contiguous = b_.CreateAnd(
                    contiguous, emit_c_contiguous(b_, shape, strides, scalar_itemsize(op.dtype)));
            llvm::Value *a = llvm::PoisonValue::get(llvm_array_type(ctx_, op.ndim));
            a = b_.CreateInsertValue(a, p, 0);
            for (unsigned d = 0; d < static_cast<unsigned>(op.ndim); ++d) {
                a = b_.CreateInsertValue(a, shape[d], {1u, d});
                a = b_.CreateInsertValue(a, strides[d], {2u, d});
            }
            values_.push_back(a);
        }
        out_ = b_.CreateLoad(ptr, b_.CreateConstGEP1_64(ptr, data, spec_.operands.size()));
        next_dims(spec_.ndim, n_, out_strides_);
        contiguous = b_.CreateAnd(
            contiguous, emit_c_contiguous(b_, n_, out_strides_, scalar_itemsize(spec_.out)));

        llvm::BasicBlock *exit = block("exit");
        border_ = border;
        if (interior_c) {
            llvm::BasicBlock *c_bb = block("contiguous"), *any_bb = block("any_layout");
            b_.CreateCondBr(contiguous, c_bb, any_bb);
            b_.SetInsertPoint(c_bb);
            interior_ = interior_c;
            // Contiguous output too: its innermost stride is the itemsize, a constant LLVM
            // vectorizes the stores with.
            llvm::Value *inner = out_strides_.back();
            out_strides_.back() = b_.getInt64(scalar_itemsize(spec_.out));
            level(0, b_.getTrue(), out_, {});
            out_strides_.back() = inner;
            b_.CreateBr(exit);
            b_.SetInsertPoint(any_bb);
            // With run-time strides LLVM would vectorize with gathers and scatters, which cost
            // more compile time than they save at run time.
            vectorize_interior_ = false;
        }
        interior_ = interior;
        level(0, b_.getTrue(), out_, {});
        b_.CreateBr(exit);
        b_.SetInsertPoint(exit);
        b_.CreateRetVoid();
        return f_;
    }

private:
    llvm::Module &m_;
    llvm::LLVMContext &ctx_;
    llvm::IRBuilder<> b_;
    const StencilLoopSpec &spec_;
    llvm::Function *f_ = nullptr, *interior_ = nullptr, *border_ = nullptr;
    bool vectorize_interior_ = true;
    llvm::Value *begin_ = nullptr, *end_ = nullptr, *err_ = nullptr, *out_ = nullptr;
    std::vector<llvm::Value *> values_;           // the kernel's operand arguments
    std::vector<llvm::Value *> n_, out_strides_;  // output shape and strides

    // !{self, !{"llvm.loop.vectorize.enable", false}, !{"llvm.loop.unroll.disable"}}
    llvm::MDNode *plain_loop_metadata() {
        llvm::Metadata *no_vec[] = {llvm::MDString::get(ctx_, "llvm.loop.vectorize.enable"),
                                    llvm::ConstantAsMetadata::get(b_.getFalse())};
        llvm::Metadata *no_unroll[] = {llvm::MDString::get(ctx_, "llvm.loop.unroll.disable")};
        llvm::Metadata *ops[] = {nullptr, llvm::MDNode::get(ctx_, no_vec),
                                 llvm::MDNode::get(ctx_, no_unroll)};
        llvm::MDNode *md = llvm::MDNode::getDistinct(ctx_, ops);
        md->replaceOperandWith(0, md);
        return md;
    }

    llvm::BasicBlock *block(const char *name) {
        return llvm::BasicBlock::Create(ctx_, name, f_);
    }

    // for (i = lo; i < hi; ++i) body(i, out pointer of i): the loop's blocks, left after it.
    // Outer loops stop at the first error the kernels report; innermost ones finish their row
    // (a failed kernel returns at once, and a check per point would keep LLVM from vectorizing).
    // Border loops are short and full of mode logic: `plain` keeps LLVM from spending compile
    // time vectorizing or unrolling them.
    void loop(llvm::Value *lo, llvm::Value *hi, llvm::Value *base, llvm::Value *stride,
              bool check_errors, const std::function<void(llvm::Value *, llvm::Value *)> &body,
              bool plain = false) {
        llvm::Type *i64 = b_.getInt64Ty();
        llvm::BasicBlock *pre = b_.GetInsertBlock();
        llvm::BasicBlock *bb = block("loop"), *latch = block("latch"), *done = block("done");
        b_.CreateCondBr(b_.CreateICmpSLT(lo, hi), bb, done);
        b_.SetInsertPoint(bb);
        llvm::PHINode *i = b_.CreatePHI(i64, 2);
        i->addIncoming(lo, pre);
        body(i, b_.CreateGEP(b_.getInt8Ty(), base, b_.CreateMul(i, stride)));
        llvm::Value *next = b_.CreateAdd(i, b_.getInt64(1));
        if (check_errors) { // KernelError::raised, an i32 at offset 0
            llvm::BasicBlock *check = block("check");
            b_.CreateCondBr(b_.CreateIsNull(err_), latch, check);
            b_.SetInsertPoint(check);
            llvm::LoadInst *raised = b_.CreateAlignedLoad(b_.getInt32Ty(), err_, llvm::Align(4));
            raised->setAtomic(llvm::AtomicOrdering::Monotonic);
            b_.CreateCondBr(b_.CreateICmpNE(raised, b_.getInt32(0)), done, latch);
        } else {
            b_.CreateBr(latch);
        }
        b_.SetInsertPoint(latch);
        i->addIncoming(next, latch);
        llvm::BranchInst *back = b_.CreateCondBr(b_.CreateICmpSLT(next, hi), bb, done);
        if (plain)
            back->setMetadata(llvm::LLVMContext::MD_loop, plain_loop_metadata());
        b_.SetInsertPoint(done);
    }

    void point(llvm::Function *kernel, const std::vector<llvm::Value *> &centers,
               llvm::Value *dst) {
        std::vector<llvm::Value *> args = values_;
        args.insert(args.end(), centers.begin(), centers.end());
        args.push_back(err_);
        store_element(b_, dst, b_.CreateCall(kernel, args), spec_.out);
    }

    // Dimension k: rows [0, n) ([begin, end) for the first), `interior` whether the outer
    // dimensions' indices are all interior.
    void level(int k, llvm::Value *interior, llvm::Value *base,
               std::vector<llvm::Value *> centers) {
        const int nd = spec_.ndim;
        llvm::Value *lo_bound = k == 0 ? begin_ : b_.getInt64(0);
        llvm::Value *hi_bound = k == 0 ? end_ : n_[k];
        if (k < nd - 1) {
            loop(lo_bound, hi_bound, base, out_strides_[k], true, [&](llvm::Value *i,
                                                                        llvm::Value *p) {
                llvm::Value *in = b_.CreateAnd(
                    b_.CreateICmpSGE(i, b_.getInt64(spec_.lo[k])),
                    b_.CreateICmpSLT(i, b_.CreateSub(n_[k], b_.getInt64(spec_.hi[k]))));
                std::vector<llvm::Value *> c = centers;
                c.push_back(i);
                level(k + 1, b_.CreateAnd(interior, in), p, c);
            });
            return;
        }
        // The innermost dimension: [lo, ilo) border, [ilo, ihi) interior, [ihi, hi) border,
        // the bounds clamped so that any of the three may be empty.
        auto clamp = [&](llvm::Value *v, llvm::Value *a, llvm::Value *z) {
            v = b_.CreateSelect(b_.CreateICmpSLT(v, a), a, v);
            return b_.CreateSelect(b_.CreateICmpSGT(v, z), z, v);
        };
        llvm::Value *ilo = clamp(b_.getInt64(spec_.lo[k]), lo_bound, hi_bound);
        llvm::Value *ihi =
            clamp(b_.CreateSub(n_[k], b_.getInt64(spec_.hi[k])), ilo, hi_bound);
        // Rows outside the outer interiors are border points all along.
        ilo = b_.CreateSelect(interior, ilo, hi_bound);
        ihi = b_.CreateSelect(interior, ihi, hi_bound);
        auto run = [&](llvm::Function *kernel) {
            return [&, kernel](llvm::Value *i, llvm::Value *p) {
                std::vector<llvm::Value *> c = centers;
                c.push_back(i);
                point(kernel, c, p);
            };
        };
        loop(lo_bound, ilo, base, out_strides_[k], false, run(border_), true);
        loop(ilo, ihi, base, out_strides_[k], false, run(interior_), !vectorize_interior_);
        loop(ihi, hi_bound, base, out_strides_[k], false, run(border_), true);
    }
};

} // namespace

llvm::Function *build_stencil_loop(llvm::Module &m, llvm::Function *interior,
                                   llvm::Function *interior_c, llvm::Function *border,
                                   const StencilLoopSpec &spec, const std::string &name) {
    if (spec.ndim < 1 || spec.lo.size() != static_cast<size_t>(spec.ndim) ||
        spec.hi.size() != static_cast<size_t>(spec.ndim))
        throw CompileError(ErrorKind::Internal, "bad stencil loop geometry");
    return StencilLoopBuilder(m, spec).build(interior, interior_c, border, name);
}

} // namespace lj
