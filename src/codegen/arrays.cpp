// Array codegen: element addresses (negative indices wrap, optional bounds checks), views from
// slices, element and slice stores, attributes, iteration, scratch arrays. An array value is the
// struct {data, shape[ndim], strides[ndim]} of llvm_types.h; a view is a new struct over the
// same elements.
#include "codegen/function_emitter.h"

#include "codegen/llvm_types.h"
#include "loopnest/kernel_runtime.h"

#include <llvm/IR/MDBuilder.h>

namespace lj::codegen {
namespace {

std::string array_name(const Node &obj) {
    return obj.kind == NodeKind::Name ? obj.name : "array";
}

} // namespace

llvm::Value *FunctionEmitter::array_data(llvm::Value *a) { return b_.CreateExtractValue(a, 0); }

llvm::Value *FunctionEmitter::array_shape(llvm::Value *a, int k) {
    return b_.CreateExtractValue(a, {1u, static_cast<unsigned>(k)});
}

// A C-contiguous array's last stride (an F one's first) is its itemsize: a constant LLVM can
// vectorize with, where a stride read from the struct would be a run-time value.
llvm::Value *FunctionEmitter::array_stride(llvm::Value *a, TypeRef t, int k) {
    if ((t->layout == Layout::C && k == t->ndim - 1) || (t->layout == Layout::F && k == 0))
        return b_.getInt64(scalar_itemsize(t->scalar));
    return b_.CreateExtractValue(a, {2u, static_cast<unsigned>(k)});
}

llvm::Value *FunctionEmitter::make_array(TypeRef t, llvm::Value *data,
                                         const std::vector<llvm::Value *> &shape,
                                         const std::vector<llvm::Value *> &strides) {
    llvm::Value *v = llvm::PoisonValue::get(value_type(t));
    v = b_.CreateInsertValue(v, data, 0);
    for (unsigned k = 0; k < shape.size(); ++k) {
        v = b_.CreateInsertValue(v, shape[k], {1u, k});
        v = b_.CreateInsertValue(v, strides[k], {2u, k});
    }
    return v;
}

// Releases this function's scratch arrays and returns `v` (nullptr: void, or the zero value).
void FunctionEmitter::emit_return(llvm::Value *v) {
    if (scratch_head_)
        b_.CreateCall(runtime_fn(kScratchReleaseSymbol,
                                 llvm::FunctionType::get(b_.getVoidTy(), {b_.getPtrTy()}, false)),
                      {b_.CreateLoad(b_.getPtrTy(), scratch_head_)});
    if (fn_->getReturnType()->isVoidTy())
        b_.CreateRetVoid();
    else
        b_.CreateRet(v ? v : llvm::Constant::getNullValue(fn_->getReturnType()));
}

llvm::FunctionCallee FunctionEmitter::runtime_fn(const char *name, llvm::FunctionType *fty) {
    llvm::FunctionCallee f = cx_.m.getOrInsertFunction(name, fty);
    if (auto *fn = llvm::dyn_cast<llvm::Function>(f.getCallee()))
        fn->addFnAttr(llvm::Attribute::NoUnwind);
    return f;
}

llvm::Value *FunctionEmitter::error_record() { return fn_->getArg(fn_->arg_size() - 1); }

// Branches to a block that reports an error and returns when `failed`; continues after.
void FunctionEmitter::fail_if(llvm::Value *failed, KernelErrorKind kind, const std::string &what,
                              llvm::Value *a, llvm::Value *b, llvm::Value *c, SourceLoc loc) {
    llvm::BasicBlock *bad = new_block("error");
    llvm::BasicBlock *ok = new_block("ok");
    b_.CreateCondBr(failed, bad, ok, llvm::MDBuilder(cx_.llvm()).createUnlikelyBranchWeights());
    b_.SetInsertPoint(bad);
    llvm::Type *i64 = b_.getInt64Ty(), *i32 = b_.getInt32Ty(), *ptr = b_.getPtrTy();
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr, i32, ptr, i64, i64, i64, i32, i32},
                                        false);
    llvm::Value *text = b_.CreateGlobalString(what, "lj.what");
    b_.CreateCall(runtime_fn(kKernelErrorSymbol, fty),
                  {error_record(), b_.getInt32(static_cast<int32_t>(kind)), text, a, b, c,
                   b_.getInt32(static_cast<int32_t>(loc.line)),
                   b_.getInt32(static_cast<int32_t>(loc.col))});
    emit_return(nullptr);
    b_.SetInsertPoint(ok);
}

// An integer index into a dimension of `size`: negative counts from the end; checked when
// bounds checking is on (the error names the index as written).
llvm::Value *FunctionEmitter::wrap_index(llvm::Value *i, llvm::Value *size, int axis,
                                         const std::string &array, SourceLoc loc) {
    llvm::Value *wrapped =
        b_.CreateSelect(b_.CreateICmpSLT(i, b_.getInt64(0)), b_.CreateAdd(i, size), i);
    if (cx_.opts.boundscheck)
        fail_if(b_.CreateICmpUGE(wrapped, size), KernelErrorKind::Index, array, i,
                b_.getInt64(axis), size, loc);
    return wrapped;
}

// Python's slice.indices(size): clamped start and step, and the view's length.
FunctionEmitter::SliceBounds FunctionEmitter::slice_bounds(const Node &s, llvm::Value *size) {
    llvm::Type *i64 = b_.getInt64Ty();
    auto part = [&](int k) -> llvm::Value * {
        return s.kid(k)->kind == NodeKind::NoneLit ? nullptr : expr(*s.kid(k));
    };
    llvm::Value *start = part(0), *stop = part(1), *step = part(2);
    llvm::Value *zero = llvm::ConstantInt::get(i64, 0), *one = llvm::ConstantInt::get(i64, 1);
    if (!step)
        step = one;
    else if (!llvm::isa<llvm::ConstantInt>(step))
        fail_if(b_.CreateICmpEQ(step, zero), KernelErrorKind::Value, "slice step cannot be zero",
                zero, zero, zero, s.loc);
    llvm::Value *neg = b_.CreateICmpSLT(step, zero);
    // Bounds for a positive step: [0, size]; for a negative one: [-1, size - 1].
    llvm::Value *lo = b_.CreateSelect(neg, llvm::ConstantInt::getSigned(i64, -1), zero);
    llvm::Value *hi = b_.CreateSelect(neg, b_.CreateSub(size, one), size);
    auto clamp = [&](llvm::Value *v, llvm::Value *deflt) -> llvm::Value * {
        if (!v)
            return deflt;
        llvm::Value *w = b_.CreateSelect(b_.CreateICmpSLT(v, zero), b_.CreateAdd(v, size), v);
        w = b_.CreateSelect(b_.CreateICmpSLT(w, lo), lo, w);
        return b_.CreateSelect(b_.CreateICmpSGT(w, hi), hi, w);
    };
    start = clamp(start, b_.CreateSelect(neg, hi, zero));
    stop = clamp(stop, b_.CreateSelect(neg, lo, size));
    // length = ceil((stop - start) / step) when positive, else 0.
    llvm::Value *dist = b_.CreateSelect(neg, b_.CreateSub(start, stop), b_.CreateSub(stop, start));
    llvm::Value *mag = b_.CreateSelect(neg, b_.CreateSub(zero, step), step);
    llvm::Value *len = b_.CreateSDiv(b_.CreateAdd(dist, b_.CreateSub(mag, one)), mag);
    len = b_.CreateSelect(b_.CreateICmpSGT(dist, zero), len, zero);
    return {start, step, len};
}

// a[idx...] (typed: kids [obj, idx...]): the element's address, or the view when slices or
// missing indices keep dimensions.
FunctionEmitter::Indexed FunctionEmitter::index_array(const Node &n) {
    const Node &obj = *n.kid(0);
    TypeRef t = obj.type;
    llvm::Value *a = expr(obj);
    llvm::Value *ptr = array_data(a);
    std::vector<llvm::Value *> shape, strides;
    const std::string name = array_name(obj);
    int dim = 0;
    for (size_t i = 1; i < n.kids.size(); ++i, ++dim) {
        const Node &ix = *n.kid(i);
        llvm::Value *size = array_shape(a, dim), *stride = array_stride(a, t, dim);
        if (ix.kind == NodeKind::Slice) {
            SliceBounds s = slice_bounds(ix, size);
            ptr = b_.CreateGEP(b_.getInt8Ty(), ptr, b_.CreateMul(s.start, stride));
            shape.push_back(s.length);
            strides.push_back(b_.CreateMul(stride, s.step));
            continue;
        }
        llvm::Value *k = wrap_index(expr(ix), size, dim, name, ix.loc);
        ptr = b_.CreateGEP(b_.getInt8Ty(), ptr, b_.CreateMul(k, stride));
    }
    for (; dim < t->ndim; ++dim) {
        shape.push_back(array_shape(a, dim));
        strides.push_back(array_stride(a, t, dim));
    }
    if (n.type->kind != TypeKind::Array)
        return {ptr, nullptr};
    return {ptr, make_array(n.type, ptr, shape, strides)};
}

llvm::Value *FunctionEmitter::get_item(const Node &n) {
    if (n.kid(0)->type->kind != TypeKind::Array)
        return b_.CreateExtractValue(expr(*n.kid(0)), static_cast<unsigned>(n.kid(1)->ival));
    Indexed r = index_array(n);
    return r.view ? r.view : load_element(b_, r.ptr, n.type->scalar);
}

// Runs `body(element pointer)` over every element of the view `a` of type `t`, last
// dimension innermost.
void FunctionEmitter::for_each_element(llvm::Value *a, TypeRef t,
                                       const std::function<void(llvm::Value *)> &body) {
    std::function<void(int, llvm::Value *)> level = [&](int k, llvm::Value *base) {
        if (k == t->ndim) {
            body(base);
            return;
        }
        llvm::Type *i64 = b_.getInt64Ty();
        llvm::Value *n = array_shape(a, k), *stride = array_stride(a, t, k);
        llvm::BasicBlock *pre = b_.GetInsertBlock();
        llvm::BasicBlock *loop = new_block("each.body"), *done = new_block("each.end");
        b_.CreateCondBr(b_.CreateICmpSGT(n, llvm::ConstantInt::get(i64, 0)), loop, done);
        b_.SetInsertPoint(loop);
        llvm::PHINode *i = b_.CreatePHI(i64, 2, "each.i");
        i->addIncoming(llvm::ConstantInt::get(i64, 0), pre);
        level(k + 1, b_.CreateGEP(b_.getInt8Ty(), base, b_.CreateMul(i, stride)));
        llvm::Value *next = b_.CreateAdd(i, llvm::ConstantInt::get(i64, 1));
        i->addIncoming(next, b_.GetInsertBlock());
        b_.CreateCondBr(b_.CreateICmpSLT(next, n), loop, done);
        b_.SetInsertPoint(done);
    };
    level(0, array_data(a));
}

// `a[...] = v`: one element, or every element of a view (v is then a number filling it).
void FunctionEmitter::store_item(const Node &target, llvm::Value *v, TypeRef vt) {
    Indexed r = index_array(target);
    const Scalar dt = target.kid(0)->type->scalar;
    llvm::Value *x = cx_.cast(v, vt, scalar_type(dt));
    if (!r.view) {
        store_element(b_, r.ptr, x, dt);
        return;
    }
    for_each_element(r.view, target.type, [&](llvm::Value *p) { store_element(b_, p, x, dt); });
}

// `a[i] op= v`: typed with the operation's type in n.type (typing/infer_stmt.cpp).
void FunctionEmitter::aug_store_item(const Node &n) {
    const Node &target = *n.kid(0);
    Indexed r = index_array(target);
    const Scalar dt = target.kid(0)->type->scalar;
    TypeRef elem = scalar_type(dt);
    llvm::Value *cur = cx_.cast(load_element(b_, r.ptr, dt), elem, n.type);
    llvm::Value *res = emit_binary(cx_, n.op, cur, expr(*n.kid(1)), n.type, n.loc);
    store_element(b_, r.ptr, cx_.cast(res, n.type, elem), dt);
}

llvm::Value *FunctionEmitter::array_attr(const Node &n) {
    TypeRef t = n.kid(0)->type;
    llvm::Value *a = expr(*n.kid(0));
    llvm::Type *i64 = b_.getInt64Ty();
    const int64_t itemsize = scalar_itemsize(t->scalar);
    if (n.name == "ndim")
        return llvm::ConstantInt::get(i64, t->ndim);
    if (n.name == "itemsize")
        return llvm::ConstantInt::get(i64, itemsize);
    if (n.name == "size" || n.name == "nbytes") {
        llvm::Value *size = llvm::ConstantInt::get(i64, n.name == "size" ? 1 : itemsize);
        for (int k = 0; k < t->ndim; ++k)
            size = b_.CreateMul(size, array_shape(a, k));
        return size;
    }
    llvm::Value *tuple = llvm::PoisonValue::get(value_type(n.type));
    for (int k = 0; k < t->ndim; ++k)
        tuple = b_.CreateInsertValue(
            tuple, n.name == "shape" ? array_shape(a, k) : array_stride(a, t, k),
            static_cast<unsigned>(k));
    return tuple;
}

llvm::Value *FunctionEmitter::length(const Node &call) {
    TypeRef t = call.kid(0)->type;
    llvm::Value *v = expr(*call.kid(0));
    if (t->kind == TypeKind::Tuple)
        return b_.getInt64(static_cast<int64_t>(t->elems.size()));
    return array_shape(v, 0);
}

// np.empty/zeros/ones/full(shape, ...) and the *_like forms: a C-contiguous scratch array of
// this function (released when it returns).
llvm::Value *FunctionEmitter::alloc_array(const Node &n) {
    TypeRef t = n.type;
    const Scalar dt = t->scalar;
    const int64_t itemsize = scalar_itemsize(dt);
    std::vector<llvm::Value *> shape(static_cast<size_t>(t->ndim));
    const bool like = n.name.size() > 5 && n.name.compare(n.name.size() - 5, 5, "_like") == 0;
    llvm::Value *src = expr(*n.kid(0));
    for (int k = 0; k < t->ndim; ++k)
        shape[k] = like ? array_shape(src, k) : b_.CreateExtractValue(src, static_cast<unsigned>(k));
    std::vector<llvm::Value *> strides(shape.size());
    llvm::Value *bytes = b_.getInt64(itemsize);
    llvm::Value *negative = b_.getFalse();
    for (int k = t->ndim - 1; k >= 0; --k) {
        strides[k] = bytes;
        negative = b_.CreateOr(negative, b_.CreateICmpSLT(shape[k], b_.getInt64(0)));
        bytes = b_.CreateMul(bytes, shape[k]);
    }
    bytes = b_.CreateSelect(negative, b_.getInt64(-1), bytes); // the runtime reports it
    const bool zero = n.name.rfind("np.zeros", 0) == 0;
    llvm::Type *ptr = b_.getPtrTy(), *i32 = b_.getInt32Ty();
    auto *fty = llvm::FunctionType::get(ptr, {ptr, b_.getInt64Ty(), i32, ptr, i32, i32}, false);
    llvm::Value *data = b_.CreateCall(
        runtime_fn(kScratchAllocSymbol, fty),
        {scratch_head_, bytes, b_.getInt32(zero), error_record(),
         b_.getInt32(static_cast<int32_t>(n.loc.line)), b_.getInt32(static_cast<int32_t>(n.loc.col))});
    llvm::Value *z = b_.getInt64(0);
    fail_if(b_.CreateICmpEQ(data, llvm::ConstantPointerNull::get(b_.getPtrTy())),
            KernelErrorKind::Memory, "", z, z, z, n.loc); // already recorded; just return
    llvm::Value *a = make_array(t, data, shape, strides);
    const bool ones = n.name.rfind("np.ones", 0) == 0;
    const bool full = n.name.rfind("np.full", 0) == 0;
    if (ones || full) {
        llvm::Value *x = full ? expr(*n.kid(1))
                              : cx_.cast(b_.getInt64(1), scalar_type(Scalar::Int64),
                                         scalar_type(dt));
        for_each_element(a, t, [&](llvm::Value *p) { store_element(b_, p, x, dt); });
    }
    return a;
}

} // namespace lj::codegen
