// The elementwise loop nest: NumPy's 1-D ufunc inner loop as a chunk function with a contiguous
// path (vectorized, no runtime alias checks), array-op-scalar broadcast paths, and a strided
// path that is correct for any strides and any aliasing (see elementwise.h).
#include "loopnest/elementwise.h"

#include "codegen/llvm_types.h"
#include "support/error.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Metadata.h>
#include <llvm/Support/MathExtras.h>

#include <algorithm>

namespace lj {
namespace {

struct Operand {
    Scalar scalar;
    int64_t size = 0;          // itemsize in bytes
    llvm::Type *mem = nullptr; // in-memory element type
    llvm::Value *base = nullptr;
    llvm::Value *step = nullptr;
    bool output = false;
};

// How one loop addresses its operands.
enum class Path { Contiguous, Broadcast, Strided };

class ElementwiseBuilder {
public:
    ElementwiseBuilder(llvm::Module &m, llvm::Function *kernel, const std::vector<Scalar> &ins,
                       const std::vector<Scalar> &outs, const std::string &name)
        : m_(m), ctx_(m.getContext()), b_(ctx_), kernel_(kernel), nin_(ins.size()) {
        check_kernel(ins, outs);
        auto *i64 = b_.getInt64Ty();
        auto *ptr = b_.getPtrTy();
        auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {i64, i64, ptr}, false);
        f_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m_);
        f_->addFnAttr(llvm::Attribute::NoUnwind);
        f_->addParamAttr(2, llvm::Attribute::NoCapture);
        f_->addParamAttr(2, llvm::Attribute::ReadOnly);
        begin_ = f_->getArg(0);
        end_ = f_->getArg(1);
        begin_->setName("begin");
        end_->setName("end");
        f_->getArg(2)->setName("args");
        for (Scalar s : ins)
            ops_.push_back({s, scalar_itemsize(s), llvm_memory_type(ctx_, s)});
        for (Scalar s : outs)
            ops_.push_back({s, scalar_itemsize(s), llvm_memory_type(ctx_, s), nullptr, nullptr,
                            true});
    }

    llvm::Function *build() {
        auto *entry = llvm::BasicBlock::Create(ctx_, "entry", f_);
        auto *dispatch = llvm::BasicBlock::Create(ctx_, "dispatch", f_);
        strided_pre_ = llvm::BasicBlock::Create(ctx_, "strided_pre", f_);
        exit_ = llvm::BasicBlock::Create(ctx_, "exit", f_);
        b_.SetInsertPoint(strided_pre_);
        strided_start_ = b_.CreatePHI(b_.getInt64Ty(), 4, "start");

        b_.SetInsertPoint(entry);
        load_operands();
        b_.CreateCondBr(b_.CreateICmpSLT(begin_, end_), dispatch, exit_);

        // Each test falls through to the next; the strided loop is the last resort, and also
        // finishes the fast loops' last partial block.
        b_.SetInsertPoint(dispatch);
        branch_to_loop(contiguous_ok(), Path::Contiguous, -1, "contig");
        if (nin_ == 2 || nin_ == 3)
            for (size_t j = 0; j < nin_; ++j)
                branch_to_loop(broadcast_ok(j), Path::Broadcast, static_cast<int>(j),
                               "bcast" + std::to_string(j));
        to_strided(begin_);
        emit_strided_loop();

        b_.SetInsertPoint(exit_);
        b_.CreateRetVoid();
        return f_;
    }

private:
    void check_kernel(const std::vector<Scalar> &ins, const std::vector<Scalar> &outs) {
        llvm::FunctionType *kty = kernel_->getFunctionType();
        bool ok = kty->getNumParams() == ins.size() && !outs.empty();
        for (size_t i = 0; ok && i < ins.size(); ++i)
            ok = kty->getParamType(static_cast<unsigned>(i)) ==
                 llvm_value_type(ctx_, scalar_type(ins[i]));
        llvm::Type *ret = kty->getReturnType();
        if (ok && outs.size() == 1) {
            ok = ret == llvm_value_type(ctx_, scalar_type(outs[0]));
        } else if (ok) {
            auto *st = llvm::dyn_cast<llvm::StructType>(ret);
            ok = st && st->getNumElements() == outs.size();
            for (size_t i = 0; ok && i < outs.size(); ++i)
                ok = st->getElementType(static_cast<unsigned>(i)) ==
                     llvm_value_type(ctx_, scalar_type(outs[i]));
        }
        if (!ok)
            throw CompileError(ErrorKind::Internal,
                               "kernel '" + kernel_->getName().str() +
                                   "' does not match the loop's operand types");
    }

    // LoopArgs {data, dims, steps, extra}: data[k] and steps[k] for every operand.
    void load_operands() {
        auto *ptr = b_.getPtrTy();
        auto *i64 = b_.getInt64Ty();
        llvm::Value *args = f_->getArg(2);
        llvm::Value *data = b_.CreateAlignedLoad(ptr, args, llvm::Align(8), "data");
        llvm::Value *steps = b_.CreateAlignedLoad(
            ptr, b_.CreateConstInBoundsGEP1_64(ptr, args, 2), llvm::Align(8), "steps");
        for (size_t k = 0; k < ops_.size(); ++k) {
            const std::string n = std::to_string(k);
            ops_[k].base = b_.CreateAlignedLoad(
                ptr, b_.CreateConstInBoundsGEP1_64(ptr, data, k), llvm::Align(8), "p" + n);
            ops_[k].step = b_.CreateAlignedLoad(
                i64, b_.CreateConstInBoundsGEP1_64(i64, steps, k), llvm::Align(8), "s" + n);
        }
    }

    llvm::Value *addr(const Operand &op) { return b_.CreatePtrToInt(op.base, b_.getInt64Ty()); }
    llvm::Value *unit_step(const Operand &op) {
        return b_.CreateICmpEQ(op.step, b_.getInt64(op.size));
    }

    // Byte range [lo, hi) an operand touches in [begin, end): unit step, or one element when
    // `scalar` (step 0).
    std::pair<llvm::Value *, llvm::Value *> range(const Operand &op, bool scalar) {
        llvm::Value *a = addr(op);
        if (scalar)
            return {a, b_.CreateAdd(a, b_.getInt64(op.size))};
        llvm::Value *size = b_.getInt64(op.size);
        return {b_.CreateAdd(a, b_.CreateMul(begin_, size)),
                b_.CreateAdd(a, b_.CreateMul(end_, size))};
    }

    // Whether operands x and y (one an output) may be accessed in any order per element: their
    // ranges are disjoint, or both are unit-step views of the same elements (in-place).
    llvm::Value *independent(size_t x, size_t y, int scalar_input) {
        const bool xs = static_cast<int>(x) == scalar_input;
        const bool ys = static_cast<int>(y) == scalar_input;
        auto [xlo, xhi] = range(ops_[x], xs);
        auto [ylo, yhi] = range(ops_[y], ys);
        llvm::Value *ok = b_.CreateOr(b_.CreateICmpULE(xhi, ylo), b_.CreateICmpULE(yhi, xlo));
        // A broadcast input equal to an output would change during the loop: not exempt.
        if (!xs && !ys && ops_[x].size == ops_[y].size)
            ok = b_.CreateOr(ok, b_.CreateICmpEQ(xlo, ylo));
        return ok;
    }

    llvm::Value *outputs_independent(int scalar_input) {
        llvm::Value *ok = b_.getTrue();
        for (size_t x = 0; x < ops_.size(); ++x)
            for (size_t y = x + 1; y < ops_.size(); ++y)
                if (ops_[x].output || ops_[y].output)
                    ok = b_.CreateAnd(ok, independent(x, y, scalar_input));
        return ok;
    }

    llvm::Value *contiguous_ok() {
        llvm::Value *ok = b_.getTrue();
        for (const Operand &op : ops_)
            ok = b_.CreateAnd(ok, unit_step(op));
        return b_.CreateAnd(ok, outputs_independent(-1), "contiguous");
    }

    llvm::Value *broadcast_ok(size_t j) {
        llvm::Value *ok = b_.CreateICmpEQ(ops_[j].step, b_.getInt64(0));
        for (size_t k = 0; k < ops_.size(); ++k)
            if (k != j)
                ok = b_.CreateAnd(ok, unit_step(ops_[k]));
        return b_.CreateAnd(ok, outputs_independent(static_cast<int>(j)), "broadcast");
    }

    void branch_to_loop(llvm::Value *cond, Path path, int scalar_input, const std::string &tag) {
        llvm::BasicBlock *here = b_.GetInsertBlock();
        llvm::BasicBlock *loop_entry = emit_blocked_loop(path, scalar_input, tag);
        auto *next = llvm::BasicBlock::Create(ctx_, "not_" + tag, f_, strided_pre_);
        b_.SetInsertPoint(here);
        b_.CreateCondBr(cond, loop_entry, next);
        b_.SetInsertPoint(next);
    }

    // Ends the current block with a jump to the strided loop starting at `start`.
    void to_strided(llvm::Value *start) {
        strided_start_->addIncoming(start, b_.GetInsertBlock());
        b_.CreateBr(strided_pre_);
    }

    // Elements per block of a fast loop: one 512-bit vector of the widest element. The inner
    // loop over a block has this constant trip count, which the vectorizer's widths divide, so it
    // vectorizes with no scalar remainder loop (a copy of the kernel less to compile); the last
    // partial block goes to the strided loop.
    int64_t block_size() const {
        int64_t widest = 1;
        for (const Operand &op : ops_) {
            const bool complex = op.scalar == Scalar::Complex64 || op.scalar == Scalar::Complex128;
            widest = std::max<int64_t>(widest, complex ? op.size / 2 : op.size);
        }
        return 64 / widest;
    }

    // The body of every loop: load the inputs of element i, call the kernel, store its outputs.
    void emit_element(Path path, llvm::Value *i, llvm::Value *scalar, int scalar_input) {
        auto element = [&](const Operand &op) -> llvm::Value * {
            if (path == Path::Strided)
                return b_.CreateInBoundsGEP(b_.getInt8Ty(), op.base, b_.CreateMul(i, op.step));
            return b_.CreateInBoundsGEP(op.mem, op.base, i);
        };
        std::vector<llvm::Value *> args;
        for (size_t k = 0; k < nin_; ++k) {
            if (static_cast<int>(k) == scalar_input)
                args.push_back(scalar);
            else
                args.push_back(load_element(b_, element(ops_[k]), ops_[k].scalar));
        }
        llvm::Value *result = b_.CreateCall(kernel_, args);
        const size_t nout = ops_.size() - nin_;
        for (size_t o = 0; o < nout; ++o) {
            const Operand &op = ops_[nin_ + o];
            llvm::Value *v =
                nout == 1 ? result : b_.CreateExtractValue(result, static_cast<unsigned>(o));
            store_element(b_, element(op), v, op.scalar);
        }
    }

    // A contiguous or broadcast loop over the whole blocks of [begin, end) (begin < end already
    // checked); returns its preheader. Leaves the insertion point unspecified.
    llvm::BasicBlock *emit_blocked_loop(Path path, int scalar_input, const std::string &tag) {
        const int64_t block = block_size();
        const int64_t shift = llvm::Log2_64(static_cast<uint64_t>(block));
        auto *pre = llvm::BasicBlock::Create(ctx_, tag + "_pre", f_, strided_pre_);
        auto *outer = llvm::BasicBlock::Create(ctx_, tag + "_blocks", f_, strided_pre_);
        auto *inner = llvm::BasicBlock::Create(ctx_, tag + "_loop", f_, strided_pre_);
        auto *latch = llvm::BasicBlock::Create(ctx_, tag + "_next_block", f_, strided_pre_);
        auto *done = llvm::BasicBlock::Create(ctx_, tag + "_done", f_, strided_pre_);
        auto *i64 = b_.getInt64Ty();

        b_.SetInsertPoint(pre);
        llvm::Value *scalar = nullptr;
        if (scalar_input >= 0) {
            const Operand &op = ops_[static_cast<size_t>(scalar_input)];
            scalar = load_element(b_, op.base, op.scalar);
        }
        llvm::Value *blocks = b_.CreateLShr(b_.CreateSub(end_, begin_), shift, "blocks");
        b_.CreateCondBr(b_.CreateICmpNE(blocks, b_.getInt64(0)), outer, done);

        b_.SetInsertPoint(outer);
        llvm::PHINode *blk = b_.CreatePHI(i64, 2, "blk");
        blk->addIncoming(b_.getInt64(0), pre);
        llvm::Value *first = b_.CreateAdd(begin_, b_.CreateShl(blk, shift), "first", true, true);
        b_.CreateBr(inner);

        b_.SetInsertPoint(inner);
        llvm::PHINode *j = b_.CreatePHI(i64, 2, "j");
        j->addIncoming(b_.getInt64(0), outer);
        emit_element(path, b_.CreateAdd(first, j, "i", true, true), scalar, scalar_input);
        llvm::Value *j_next = b_.CreateAdd(j, b_.getInt64(1), "j.next", true, true);
        j->addIncoming(j_next, inner);
        llvm::BranchInst *br =
            b_.CreateCondBr(b_.CreateICmpEQ(j_next, b_.getInt64(block)), latch, inner);
        br->setMetadata(llvm::LLVMContext::MD_loop, loop_metadata(path, inner));

        b_.SetInsertPoint(latch);
        llvm::Value *blk_next = b_.CreateAdd(blk, b_.getInt64(1), "blk.next", true, true);
        blk->addIncoming(blk_next, latch);
        llvm::BranchInst *outer_br = b_.CreateCondBr(b_.CreateICmpEQ(blk_next, blocks), done, outer);
        outer_br->setMetadata(llvm::LLVMContext::MD_loop, outer_metadata());

        b_.SetInsertPoint(done);
        llvm::Value *rest = b_.CreateAdd(begin_, b_.CreateShl(blocks, shift), "rest", true, true);
        auto *tail = llvm::BasicBlock::Create(ctx_, tag + "_tail", f_, strided_pre_);
        b_.CreateCondBr(b_.CreateICmpSLT(rest, end_), tail, exit_);
        b_.SetInsertPoint(tail);
        to_strided(rest);
        return pre;
    }

    // The strided loop over [start, end), start < end.
    void emit_strided_loop() {
        auto *body = llvm::BasicBlock::Create(ctx_, "strided_loop", f_, exit_);
        b_.SetInsertPoint(strided_pre_);
        b_.CreateBr(body);
        b_.SetInsertPoint(body);
        llvm::PHINode *i = b_.CreatePHI(b_.getInt64Ty(), 2, "i");
        i->addIncoming(strided_start_, strided_pre_);
        emit_element(Path::Strided, i, nullptr, -1);
        llvm::Value *next = b_.CreateAdd(i, b_.getInt64(1), "i.next", true, true);
        i->addIncoming(next, body);
        llvm::BranchInst *br = b_.CreateCondBr(b_.CreateICmpSLT(next, end_), body, exit_);
        br->setMetadata(llvm::LLVMContext::MD_loop, loop_metadata(Path::Strided, body));
    }

    // Contiguous and broadcast loops: the checks proved that no iteration's stores reach another
    // iteration's operands, so every memory access (and, once inlined, the kernel's) goes in one
    // access group the loop declares parallel: the vectorizer needs no runtime alias checks.
    // No interleaving: unrolled vector bodies measured no faster on these streaming loops and
    // cost compile time. Strided loops stay plain scalar loops (vectorizing unknown strides or
    // unrolling only adds code to the slow path).
    llvm::MDNode *outer_metadata() {
        auto prop = [&](const char *name, llvm::Metadata *value = nullptr) -> llvm::Metadata * {
            if (!value)
                return llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, name)});
            return llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, name), value});
        };
        auto i32 = [&](int v) { return llvm::ConstantAsMetadata::get(b_.getInt32(v)); };
        std::vector<llvm::Metadata *> props{nullptr, prop("llvm.loop.interleave.count", i32(1)), prop("llvm.loop.vectorize.width", i32(1)), prop("llvm.loop.unroll.disable")};
        llvm::MDNode *id = llvm::MDNode::getDistinct(ctx_, props);
        id->replaceOperandWith(0, id);
        return id;
    }

    llvm::MDNode *loop_metadata(Path path, llvm::BasicBlock *body) {
        auto prop = [&](const char *name, llvm::Metadata *value = nullptr) -> llvm::Metadata * {
            if (!value)
                return llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, name)});
            return llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, name), value});
        };
        auto i32 = [&](int v) { return llvm::ConstantAsMetadata::get(b_.getInt32(v)); };
        std::vector<llvm::Metadata *> props{nullptr, prop("llvm.loop.interleave.count", i32(1))};
        if (path == Path::Strided) {
            props.push_back(prop("llvm.loop.vectorize.width", i32(1)));
            props.push_back(prop("llvm.loop.unroll.disable"));
        } else {
            llvm::MDNode *group = llvm::MDNode::getDistinct(ctx_, {});
            for (llvm::Instruction &inst : *body)
                if (inst.mayReadOrWriteMemory())
                    inst.setMetadata(llvm::LLVMContext::MD_access_group, group);
            props.push_back(prop("llvm.loop.parallel_accesses", group));
            props.push_back(prop("llvm.loop.unroll.disable"));
        }
        llvm::MDNode *id = llvm::MDNode::getDistinct(ctx_, props);
        id->replaceOperandWith(0, id);
        return id;
    }

    llvm::Module &m_;
    llvm::LLVMContext &ctx_;
    llvm::IRBuilder<> b_;
    llvm::Function *kernel_;
    size_t nin_;
    llvm::Function *f_ = nullptr;
    llvm::Value *begin_ = nullptr;
    llvm::Value *end_ = nullptr;
    llvm::BasicBlock *exit_ = nullptr;
    llvm::BasicBlock *strided_pre_ = nullptr;
    llvm::PHINode *strided_start_ = nullptr; // where the strided loop starts
    std::vector<Operand> ops_;
};

} // namespace

llvm::Function *build_elementwise_loop(llvm::Module &m, llvm::Function *kernel,
                                       const std::vector<Scalar> &ins,
                                       const std::vector<Scalar> &outs, const std::string &name) {
    return ElementwiseBuilder(m, kernel, ins, outs, name).build();
}

} // namespace lj
