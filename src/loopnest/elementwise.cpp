// The elementwise loop nest: NumPy's 1-D ufunc inner loop as a chunk function with one fast path
// for contiguous and broadcast operands (vectorized, no runtime alias checks) and a strided path
// that is correct for any strides and any aliasing (see elementwise.h).
//
// The fast path runs whole blocks of one vector each. A broadcast input (step 0) is copied once
// into a block-sized stack buffer, so every operand of the inner loop is contiguous: one
// vectorized loop serves "array op array", "array op scalar" and "scalar op array" alike. That
// keeps compile time down, since each loop is another copy of the kernel for LLVM to optimize.
// The strided loop finishes the last partial block.
//
// Whether a call may take the fast path is decided by elementwise_fast_path, a function of this
// library that the generated code calls: the test is a long chain of comparisons that would
// otherwise cost the optimizer and the code generator more than the rest of the loop.
#include "loopnest/elementwise.h"

#include "codegen/llvm_types.h"
#include "loopnest/loop_args.h"
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
    bool output = false;
    llvm::Value *base = nullptr; // NumPy's data pointer
    llvm::Value *step = nullptr; // NumPy's step, bytes
};

class ElementwiseBuilder {
public:
    ElementwiseBuilder(llvm::Module &m, llvm::Function *kernel, const std::vector<Scalar> &ins,
                       const std::vector<Scalar> &outs, const std::string &name)
        : ctx_(m.getContext()), b_(ctx_), kernel_(kernel), nin_(ins.size()) {
        check_kernel(ins, outs);
        for (Scalar s : ins)
            ops_.push_back({s, scalar_itemsize(s), llvm_memory_type(ctx_, s), false});
        for (Scalar s : outs)
            ops_.push_back({s, scalar_itemsize(s), llvm_memory_type(ctx_, s), true});
        f_ = chunk_function(m, name);
        fast_path_test_ = fast_path_function(m);
        layout_ = operand_layout(m, name);
    }

    llvm::Function *build() {
        begin_ = f_->getArg(0);
        end_ = f_->getArg(1);
        auto *entry = llvm::BasicBlock::Create(ctx_, "entry", f_);
        auto *dispatch = llvm::BasicBlock::Create(ctx_, "dispatch", f_);
        strided_pre_ = llvm::BasicBlock::Create(ctx_, "strided_pre", f_);
        exit_ = llvm::BasicBlock::Create(ctx_, "exit", f_);
        b_.SetInsertPoint(strided_pre_);
        strided_start_ = b_.CreatePHI(b_.getInt64Ty(), 2, "start");

        b_.SetInsertPoint(entry);
        load_operands();
        b_.CreateCondBr(b_.CreateICmpSLT(begin_, end_), dispatch, exit_);

        b_.SetInsertPoint(dispatch);
        llvm::Value *fast =
            b_.CreateICmpNE(b_.CreateCall(fast_path_test_, {begin_, end_, f_->getArg(2), layout_}),
                            b_.getInt32(0), "fast");
        llvm::BasicBlock *fast_entry = emit_fast_loop();
        auto *slow = llvm::BasicBlock::Create(ctx_, "not_fast", f_, strided_pre_);
        b_.SetInsertPoint(dispatch);
        b_.CreateCondBr(fast, fast_entry, slow);
        b_.SetInsertPoint(slow);
        to_strided(begin_);
        emit_strided_loop();

        b_.SetInsertPoint(exit_);
        b_.CreateRetVoid();
        return f_;
    }

private:
    void check_kernel(const std::vector<Scalar> &ins, const std::vector<Scalar> &outs) {
        llvm::FunctionType *kty = kernel_->getFunctionType();
        // Kernels from codegen take the error record last (kernel_runtime.h); elementwise
        // kernels never raise, so the loop passes null. Hand-written test kernels may omit it.
        takes_error_record_ = kty->getNumParams() == ins.size() + 1 &&
                              kty->getParamType(static_cast<unsigned>(ins.size()))->isPointerTy();
        bool ok = (kty->getNumParams() == ins.size() || takes_error_record_) && !outs.empty();
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

    // The chunk function: void (begin, end, args).
    llvm::Function *chunk_function(llvm::Module &m, const std::string &name) {
        auto *fty = llvm::FunctionType::get(
            b_.getVoidTy(), {b_.getInt64Ty(), b_.getInt64Ty(), b_.getPtrTy()}, false);
        llvm::Function *f = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m);
        f->addFnAttr(llvm::Attribute::NoUnwind);
        f->addParamAttr(2, llvm::Attribute::NoCapture);
        f->addParamAttr(2, llvm::Attribute::ReadOnly);
        f->getArg(0)->setName("begin");
        f->getArg(1)->setName("end");
        f->getArg(2)->setName("args");
        return f;
    }

    // int elementwise_fast_path(begin, end, args, layout): reads memory, writes none.
    llvm::Function *fast_path_function(llvm::Module &m) {
        auto *fty = llvm::FunctionType::get(
            b_.getInt32Ty(), {b_.getInt64Ty(), b_.getInt64Ty(), b_.getPtrTy(), b_.getPtrTy()},
            false);
        auto callee = m.getOrInsertFunction(kElementwiseFastPathSymbol, fty);
        auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee());
        if (!f || f->getFunctionType() != fty)
            throw CompileError(ErrorKind::Internal, std::string("the module defines '") +
                                                        kElementwiseFastPathSymbol +
                                                        "' with another type");
        f->addFnAttr(llvm::Attribute::NoUnwind);
        f->addFnAttr(llvm::Attribute::WillReturn);
        f->setOnlyReadsMemory();
        return f;
    }

    // The layout elementwise_fast_path reads: {nin, nout, itemsize of each operand}.
    llvm::Constant *operand_layout(llvm::Module &m, const std::string &name) {
        std::vector<uint64_t> words{nin_, ops_.size() - nin_};
        for (const Operand &op : ops_)
            words.push_back(static_cast<uint64_t>(op.size));
        llvm::Constant *init = llvm::ConstantDataArray::get(ctx_, words);
        auto *g = new llvm::GlobalVariable(
            m, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, name + ".layout");
        g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
        g->setAlignment(llvm::Align(8));
        return g;
    }

    // LoopArgs {data, dims, steps, extra}: data[k] and steps[k] for every operand.
    void load_operands() {
        auto *ptr = b_.getPtrTy();
        auto *i64 = b_.getInt64Ty();
        llvm::Value *args = f_->getArg(2);
        llvm::Value *data = b_.CreateAlignedLoad(ptr, args, llvm::Align(8), "data");
        llvm::Value *steps = b_.CreateAlignedLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, args, 2),
                                                  llvm::Align(8), "steps");
        for (size_t k = 0; k < ops_.size(); ++k) {
            const std::string n = std::to_string(k);
            ops_[k].base = b_.CreateAlignedLoad(ptr, b_.CreateConstInBoundsGEP1_64(ptr, data, k),
                                                llvm::Align(8), "p" + n);
            ops_[k].step = b_.CreateAlignedLoad(i64, b_.CreateConstInBoundsGEP1_64(i64, steps, k),
                                                llvm::Align(8), "s" + n);
        }
    }

    llvm::Value *zero_step(const Operand &op) { return b_.CreateICmpEQ(op.step, b_.getInt64(0)); }

    // Inputs of kernels with several inputs (array op scalar) may be broadcast in the fast path.
    // A single input with step 0 (np.exp(2.0, out=a)) is rare enough for the strided loop.
    bool broadcastable(const Operand &op) const { return !op.output && nin_ >= 2; }

    // Ends the current block with a jump to the strided loop starting at `start`.
    void to_strided(llvm::Value *start) {
        strided_start_->addIncoming(start, b_.GetInsertBlock());
        b_.CreateBr(strided_pre_);
    }

    // Elements per block: one 512-bit vector of the widest element. The inner loop over a block
    // has this constant trip count, which every vector width the vectorizer may pick divides, so
    // it needs no scalar remainder loop (one copy of the kernel less to compile).
    int64_t block_size() const {
        int64_t widest = 1;
        for (const Operand &op : ops_) {
            const bool complex = op.scalar == Scalar::Complex64 || op.scalar == Scalar::Complex128;
            widest = std::max<int64_t>(widest, complex ? op.size / 2 : op.size);
        }
        return 64 / widest;
    }

    // The body of every loop: load the inputs from their element pointers (one per operand),
    // call the kernel, store its outputs.
    void emit_element(const std::vector<llvm::Value *> &element) {
        std::vector<llvm::Value *> args;
        for (size_t k = 0; k < nin_; ++k)
            args.push_back(load_element(b_, element[k], ops_[k].scalar));
        if (takes_error_record_)
            args.push_back(llvm::ConstantPointerNull::get(b_.getPtrTy()));
        llvm::Value *result = b_.CreateCall(kernel_, args);
        const size_t nout = ops_.size() - nin_;
        for (size_t o = 0; o < nout; ++o) {
            llvm::Value *v =
                nout == 1 ? result : b_.CreateExtractValue(result, static_cast<unsigned>(o));
            store_element(b_, element[nin_ + o], v, ops_[nin_ + o].scalar);
        }
    }

    // A block of copies of a broadcast input's element, in a stack buffer allocated once in the
    // entry block: the element's bytes as a vector of words (one word, or 64-bit words for
    // complex), repeated by one shuffle and stored at once, whatever the dtype.
    llvm::Value *broadcast_buffer(const Operand &op, int64_t block) {
        llvm::IRBuilder<> eb(&f_->getEntryBlock(), f_->getEntryBlock().begin());
        llvm::AllocaInst *buffer = eb.CreateAlloca(llvm::ArrayType::get(op.mem, block));
        buffer->setAlignment(llvm::Align(64));
        const bool words = op.size > 8;
        llvm::Type *word =
            words ? b_.getInt64Ty() : b_.getIntNTy(static_cast<unsigned>(op.size * 8));
        const int lanes = words ? static_cast<int>(op.size / 8) : 1;
        llvm::Value *v =
            b_.CreateAlignedLoad(llvm::FixedVectorType::get(word, lanes), op.base, llvm::Align(1));
        std::vector<int> mask;
        for (int64_t j = 0; j < block * lanes; ++j)
            mask.push_back(static_cast<int>(j % lanes));
        b_.CreateAlignedStore(b_.CreateShuffleVector(v, mask), buffer, llvm::Align(64));
        return buffer;
    }

    // The fast path over the whole blocks of [begin, end) (begin < end already checked); returns
    // its first block. Leaves the insertion point unspecified.
    llvm::BasicBlock *emit_fast_loop() {
        const int64_t block = block_size();
        const unsigned shift = llvm::Log2_64(static_cast<uint64_t>(block));
        auto *pre = llvm::BasicBlock::Create(ctx_, "fast_pre", f_, strided_pre_);
        auto *outer = llvm::BasicBlock::Create(ctx_, "fast_blocks", f_, strided_pre_);
        auto *inner = llvm::BasicBlock::Create(ctx_, "fast_loop", f_, strided_pre_);
        auto *latch = llvm::BasicBlock::Create(ctx_, "fast_next_block", f_, strided_pre_);
        auto *done = llvm::BasicBlock::Create(ctx_, "fast_done", f_, strided_pre_);
        auto *i64 = b_.getInt64Ty();

        // Broadcastable inputs: where their first block starts and how far each block moves
        // them (a broadcast input reads its buffer and does not move).
        b_.SetInsertPoint(pre);
        std::vector<llvm::Value *> start(ops_.size()), advance(ops_.size());
        for (size_t k = 0; k < ops_.size(); ++k) {
            const Operand &op = ops_[k];
            if (!broadcastable(op))
                continue;
            auto *fill = llvm::BasicBlock::Create(ctx_, "fast_fill", f_, outer);
            auto *next = llvm::BasicBlock::Create(ctx_, "fast_operand", f_, outer);
            llvm::Value *broadcast = zero_step(op);
            llvm::Value *first = b_.CreateInBoundsGEP(op.mem, op.base, begin_);
            llvm::BasicBlock *from = b_.GetInsertBlock();
            b_.CreateCondBr(broadcast, fill, next);
            b_.SetInsertPoint(fill);
            llvm::Value *buffer = broadcast_buffer(op, block);
            b_.CreateBr(next);
            b_.SetInsertPoint(next);
            llvm::PHINode *ptr = b_.CreatePHI(b_.getPtrTy(), 2);
            ptr->addIncoming(first, from);
            ptr->addIncoming(buffer, fill);
            start[k] = ptr;
            advance[k] = b_.CreateSelect(broadcast, b_.getInt64(0), b_.getInt64(block * op.size));
        }
        llvm::Value *blocks = b_.CreateLShr(b_.CreateSub(end_, begin_), shift, "blocks");
        llvm::BasicBlock *pre_end = b_.GetInsertBlock();
        b_.CreateCondBr(b_.CreateICmpNE(blocks, b_.getInt64(0)), outer, done);

        // The other operands are addressed as base[at] with `at` the block's first element, the
        // form x86 addressing takes as is (base + at * itemsize): pointers advanced separately
        // measured up to 15% slower around a libmvec call. Both loops count down to zero: one
        // value less live across the kernel's calls than a counter and its limit (code
        // generation does not rewrite loops, see host_machine.cpp).
        b_.SetInsertPoint(outer);
        llvm::PHINode *left = b_.CreatePHI(i64, 2, "blocks_left");
        left->addIncoming(blocks, pre_end);
        llvm::PHINode *at = b_.CreatePHI(i64, 2, "at");
        at->addIncoming(begin_, pre_end);
        std::vector<llvm::PHINode *> phis(ops_.size(), nullptr);
        std::vector<llvm::Value *> ptrs;
        for (size_t k = 0; k < ops_.size(); ++k) {
            if (start[k]) {
                phis[k] = b_.CreatePHI(b_.getPtrTy(), 2, "block" + std::to_string(k));
                phis[k]->addIncoming(start[k], pre_end);
                ptrs.push_back(phis[k]);
            } else {
                ptrs.push_back(b_.CreateInBoundsGEP(ops_[k].mem, ops_[k].base, at));
            }
        }
        b_.CreateBr(inner);

        b_.SetInsertPoint(inner);
        llvm::PHINode *j = b_.CreatePHI(i64, 2, "j");
        j->addIncoming(b_.getInt64(0), outer);
        std::vector<llvm::Value *> element;
        for (size_t k = 0; k < ops_.size(); ++k)
            element.push_back(b_.CreateInBoundsGEP(ops_[k].mem, ptrs[k], j));
        emit_element(element);
        llvm::Value *j_next = b_.CreateAdd(j, b_.getInt64(1), "j.next", true, true);
        j->addIncoming(j_next, inner);
        llvm::BranchInst *br =
            b_.CreateCondBr(b_.CreateICmpEQ(j_next, b_.getInt64(block)), latch, inner);
        br->setMetadata(llvm::LLVMContext::MD_loop, parallel_loop_id(inner));

        b_.SetInsertPoint(latch);
        for (size_t k = 0; k < ops_.size(); ++k)
            if (phis[k])
                phis[k]->addIncoming(b_.CreateInBoundsGEP(b_.getInt8Ty(), phis[k], advance[k]),
                                     latch);
        at->addIncoming(b_.CreateAdd(at, b_.getInt64(block), "at.next", true, true), latch);
        llvm::Value *left_next = b_.CreateSub(left, b_.getInt64(1), "blocks_left.next", true, true);
        left->addIncoming(left_next, latch);
        llvm::BranchInst *outer_br =
            b_.CreateCondBr(b_.CreateICmpEQ(left_next, b_.getInt64(0)), done, outer);
        outer_br->setMetadata(llvm::LLVMContext::MD_loop, scalar_loop_id());

        b_.SetInsertPoint(done);
        llvm::Value *rest = b_.CreateAdd(begin_, b_.CreateShl(blocks, shift), "rest", true, true);
        auto *tail = llvm::BasicBlock::Create(ctx_, "fast_tail", f_, strided_pre_);
        b_.CreateCondBr(b_.CreateICmpSLT(rest, end_), tail, exit_);
        b_.SetInsertPoint(tail);
        to_strided(rest);
        return pre;
    }

    // The strided loop over [start, end), start < end. Each operand's pointer moves by its step
    // (the form loop strength reduction would give base + i * step anyway).
    void emit_strided_loop() {
        auto *body = llvm::BasicBlock::Create(ctx_, "strided_loop", f_, exit_);
        b_.SetInsertPoint(strided_pre_);
        std::vector<llvm::Value *> first;
        for (const Operand &op : ops_)
            first.push_back(
                b_.CreateGEP(b_.getInt8Ty(), op.base, b_.CreateMul(strided_start_, op.step)));
        llvm::Value *count = b_.CreateSub(end_, strided_start_, "count", true, true);
        b_.CreateBr(body);
        b_.SetInsertPoint(body);
        llvm::PHINode *left = b_.CreatePHI(b_.getInt64Ty(), 2, "left");
        left->addIncoming(count, strided_pre_);
        std::vector<llvm::Value *> element;
        for (size_t k = 0; k < ops_.size(); ++k) {
            llvm::PHINode *p = b_.CreatePHI(b_.getPtrTy(), 2, "elem" + std::to_string(k));
            p->addIncoming(first[k], strided_pre_);
            element.push_back(p);
        }
        emit_element(element);
        // Not inbounds: the pointers after the last element may point anywhere.
        for (size_t k = 0; k < ops_.size(); ++k)
            llvm::cast<llvm::PHINode>(element[k])
                ->addIncoming(b_.CreateGEP(b_.getInt8Ty(), element[k], ops_[k].step), body);
        llvm::Value *left_next = b_.CreateSub(left, b_.getInt64(1), "left.next", true, true);
        left->addIncoming(left_next, body);
        llvm::BranchInst *br =
            b_.CreateCondBr(b_.CreateICmpEQ(left_next, b_.getInt64(0)), exit_, body);
        br->setMetadata(llvm::LLVMContext::MD_loop, scalar_loop_id());
    }

    // Loop properties: a self-referential node listing hints such as
    // !{"llvm.loop.unroll.disable"} or !{"llvm.loop.vectorize.width", i32 1}.
    llvm::Metadata *hint(const char *name, int value = -1) {
        llvm::Metadata *key = llvm::MDString::get(ctx_, name);
        if (value < 0)
            return llvm::MDNode::get(ctx_, {key});
        return llvm::MDNode::get(ctx_, {key, llvm::ConstantAsMetadata::get(b_.getInt32(value))});
    }
    llvm::MDNode *loop_id(std::vector<llvm::Metadata *> hints) {
        hints.insert(hints.begin(), nullptr);
        llvm::MDNode *id = llvm::MDNode::getDistinct(ctx_, hints);
        id->replaceOperandWith(0, id);
        return id;
    }

    // The fast path's inner loop: the checks proved that no iteration's stores reach another
    // iteration's operands, so every memory access (and, once inlined, the kernel's) goes in one
    // access group the loop declares parallel: the vectorizer needs no runtime alias checks.
    // Not unrolled (that would happen before vectorization and leave the vectorizer the loop over
    // blocks) and not interleaved (unrolled vector bodies measured no faster on these streaming
    // loops, and cost compile time).
    llvm::MDNode *parallel_loop_id(llvm::BasicBlock *body) {
        llvm::MDNode *group = llvm::MDNode::getDistinct(ctx_, {});
        for (llvm::Instruction &inst : *body)
            if (inst.mayReadOrWriteMemory())
                inst.setMetadata(llvm::LLVMContext::MD_access_group, group);
        llvm::Metadata *parallel = llvm::MDNode::get(
            ctx_, {llvm::MDString::get(ctx_, "llvm.loop.parallel_accesses"), group});
        return loop_id(
            {parallel, hint("llvm.loop.unroll.disable"), hint("llvm.loop.interleave.count", 1)});
    }

    // The loop over blocks, and the strided loop: plain scalar loops (vectorizing unknown
    // strides or unrolling only adds code to the slow path).
    llvm::MDNode *scalar_loop_id() {
        return loop_id({hint("llvm.loop.vectorize.width", 1), hint("llvm.loop.interleave.count", 1),
                        hint("llvm.loop.unroll.disable")});
    }

    llvm::LLVMContext &ctx_;
    llvm::IRBuilder<> b_;
    llvm::Function *kernel_;
    bool takes_error_record_ = false;
    size_t nin_;
    std::vector<Operand> ops_;                 // inputs, then outputs
    llvm::Function *f_ = nullptr;              // the chunk function
    llvm::Function *fast_path_test_ = nullptr; // elementwise_fast_path's declaration
    llvm::Constant *layout_ = nullptr;         // its layout argument
    llvm::Value *begin_ = nullptr;             // of the function being emitted
    llvm::Value *end_ = nullptr;
    llvm::BasicBlock *exit_ = nullptr;
    llvm::BasicBlock *strided_pre_ = nullptr;
    llvm::PHINode *strided_start_ = nullptr; // where the strided loop starts
};

// Byte range [lo, hi) that an operand with a non-negative step touches in [begin, end), as
// unsigned addresses.
struct Range {
    uint64_t lo, hi;
};
Range touched(const char *base, int64_t step, int64_t size, int64_t begin, int64_t end) {
    const auto a = reinterpret_cast<uint64_t>(base);
    const auto s = static_cast<uint64_t>(step);
    return {a + static_cast<uint64_t>(begin) * s,
            a + static_cast<uint64_t>(end - 1) * s + static_cast<uint64_t>(size)};
}

} // namespace

const char *const kElementwiseFastPathSymbol = "loopjit_elementwise_fast_path";

// The fast path's condition: unit-step outputs, unit-step inputs (or step 0 for the inputs of
// kernels with several inputs, see ElementwiseBuilder::broadcastable), and every output
// independent of every other operand: their byte ranges are disjoint, or both are unit-step
// views of the same elements (in-place). A broadcast input inside an output's range changes
// during the loop, so it is never exempt.
int elementwise_fast_path(int64_t begin, int64_t end, const LoopArgs *args, const int64_t *layout) {
    const int64_t nin = layout[0], nops = nin + layout[1];
    const int64_t *size = layout + 2;
    const int64_t *steps = args->steps;
    for (int64_t k = 0; k < nops; ++k)
        if (steps[k] != size[k] && !(steps[k] == 0 && k < nin && nin >= 2))
            return 0;
    for (int64_t y = nin; y < nops; ++y) {
        const Range out = touched(args->data[y], steps[y], size[y], begin, end);
        for (int64_t x = 0; x < nops; ++x) {
            if (x == y || (x > y && x >= nin)) // each pair of outputs once
                continue;
            const Range r = touched(args->data[x], steps[x], size[x], begin, end);
            const bool disjoint = out.hi <= r.lo || r.hi <= out.lo;
            const bool in_place = size[x] == size[y] && steps[x] == size[x] && out.lo == r.lo;
            if (!disjoint && !in_place)
                return 0;
        }
    }
    return 1;
}

llvm::Function *build_elementwise_loop(llvm::Module &m, llvm::Function *kernel,
                                       const std::vector<Scalar> &ins,
                                       const std::vector<Scalar> &outs, const std::string &name) {
    return ElementwiseBuilder(m, kernel, ins, outs, name).build();
}

} // namespace lj
