// How loopjit types are represented in LLVM IR, shared by kernel codegen and loop nests.
// Values: bool -> i1, ints -> iN, float16/32/64 -> half/float/double, complex -> {f, f},
// tuples -> literal structs, none -> {}, arrays -> {ptr data, [ndim x i64] shape,
// [ndim x i64] strides in bytes} (a view: the struct is copied, the elements are not).
// In memory (NumPy buffers): bool is one byte (i8).
#pragma once

#include "ir/types.h"

#include <llvm/IR/IRBuilder.h>

namespace lj {

llvm::Type *llvm_value_type(llvm::LLVMContext &ctx, TypeRef t);
llvm::StructType *llvm_array_type(llvm::LLVMContext &ctx, int ndim);
// The in-memory type of a scalar element (bool -> i8; else as llvm_value_type).
llvm::Type *llvm_memory_type(llvm::LLVMContext &ctx, Scalar s);

// Load/store one NumPy element at `ptr` (may be unaligned: NumPy guarantees alignment only for
// aligned arrays, and we register loops that accept any).
llvm::Value *load_element(llvm::IRBuilder<> &b, llvm::Value *ptr, Scalar s);
void store_element(llvm::IRBuilder<> &b, llvm::Value *ptr, llvm::Value *value, Scalar s);

} // namespace lj
