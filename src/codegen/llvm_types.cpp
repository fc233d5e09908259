// LLVM representations of loopjit types, and loads/stores of NumPy elements (see llvm_types.h).
#include "codegen/llvm_types.h"

#include "support/error.h"

namespace lj {

llvm::Type *llvm_value_type(llvm::LLVMContext &ctx, TypeRef t) {
    switch (t->kind) {
    case TypeKind::Scalar:
        if (t->scalar == Scalar::Bool)
            return llvm::Type::getInt1Ty(ctx);
        return llvm_memory_type(ctx, t->scalar);
    case TypeKind::WeakInt:
    case TypeKind::WeakFloat:
    case TypeKind::WeakComplex:
        return llvm_value_type(ctx, materialize(t));
    case TypeKind::None:
        return llvm::StructType::get(ctx);
    case TypeKind::Tuple: {
        std::vector<llvm::Type *> elems;
        for (TypeRef e : t->elems)
            elems.push_back(llvm_value_type(ctx, e));
        return llvm::StructType::get(ctx, elems);
    }
    case TypeKind::Array:
        return llvm_array_type(ctx, t->ndim);
    case TypeKind::Range:
        break;
    }
    throw CompileError(ErrorKind::Internal, "no LLVM value type for " + type_name(t));
}

llvm::StructType *llvm_array_type(llvm::LLVMContext &ctx, int ndim) {
    llvm::Type *dims = llvm::ArrayType::get(llvm::Type::getInt64Ty(ctx), static_cast<uint64_t>(ndim));
    return llvm::StructType::get(ctx, {llvm::PointerType::get(ctx, 0), dims, dims});
}

llvm::Type *llvm_memory_type(llvm::LLVMContext &ctx, Scalar s) {
    switch (s) {
    case Scalar::Bool:
    case Scalar::Int8:
    case Scalar::UInt8:
        return llvm::Type::getInt8Ty(ctx);
    case Scalar::Int16:
    case Scalar::UInt16:
        return llvm::Type::getInt16Ty(ctx);
    case Scalar::Int32:
    case Scalar::UInt32:
        return llvm::Type::getInt32Ty(ctx);
    case Scalar::Int64:
    case Scalar::UInt64:
        return llvm::Type::getInt64Ty(ctx);
    case Scalar::Float16:
        return llvm::Type::getHalfTy(ctx);
    case Scalar::Float32:
        return llvm::Type::getFloatTy(ctx);
    case Scalar::Float64:
        return llvm::Type::getDoubleTy(ctx);
    case Scalar::Complex64: {
        llvm::Type *f = llvm::Type::getFloatTy(ctx);
        return llvm::StructType::get(ctx, {f, f});
    }
    case Scalar::Complex128: {
        llvm::Type *d = llvm::Type::getDoubleTy(ctx);
        return llvm::StructType::get(ctx, {d, d});
    }
    }
    throw CompileError(ErrorKind::Internal, "unknown scalar type");
}

llvm::Value *load_element(llvm::IRBuilder<> &b, llvm::Value *ptr, Scalar s) {
    llvm::LLVMContext &ctx = b.getContext();
    const llvm::Align one(1);
    if (s == Scalar::Bool) {
        llvm::Value *byte = b.CreateAlignedLoad(b.getInt8Ty(), ptr, one);
        return b.CreateICmpNE(byte, b.getInt8(0));
    }
    if (s == Scalar::Complex64 || s == Scalar::Complex128) {
        // Two scalar loads rather than one of the struct: the vectorizer handles these.
        auto *ty = llvm::cast<llvm::StructType>(llvm_memory_type(ctx, s));
        llvm::Type *part = ty->getElementType(0);
        llvm::Value *re = b.CreateAlignedLoad(part, ptr, one);
        llvm::Value *im_ptr = b.CreateConstInBoundsGEP1_64(part, ptr, 1);
        llvm::Value *im = b.CreateAlignedLoad(part, im_ptr, one);
        llvm::Value *z = b.CreateInsertValue(llvm::PoisonValue::get(ty), re, 0);
        return b.CreateInsertValue(z, im, 1);
    }
    return b.CreateAlignedLoad(llvm_memory_type(ctx, s), ptr, one);
}

void store_element(llvm::IRBuilder<> &b, llvm::Value *ptr, llvm::Value *value, Scalar s) {
    const llvm::Align one(1);
    if (s == Scalar::Bool) {
        b.CreateAlignedStore(b.CreateZExt(value, b.getInt8Ty()), ptr, one);
        return;
    }
    if (s == Scalar::Complex64 || s == Scalar::Complex128) {
        llvm::Value *re = b.CreateExtractValue(value, 0);
        llvm::Value *im = b.CreateExtractValue(value, 1);
        b.CreateAlignedStore(re, ptr, one);
        b.CreateAlignedStore(im, b.CreateConstInBoundsGEP1_64(re->getType(), ptr, 1), one);
        return;
    }
    b.CreateAlignedStore(value, ptr, one);
}

} // namespace lj
