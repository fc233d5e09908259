// What kernel codegen shares between its files (statements, expressions, arithmetic, casts,
// builtins): the builder, the module, the target, and the conversions every part needs.
#pragma once

#include "codegen/kernel.h"
#include "ir/node.h"

#include <llvm/IR/IRBuilder.h>

#include <vector>

namespace lj {

struct CodegenCtx {
    llvm::IRBuilder<> &b;
    llvm::Module &m;
    const Target &target;
    const KernelOptions &opts;

    llvm::LLVMContext &llvm() const { return m.getContext(); }

    // Converts a value between scalar or tuple types with NumPy's casting semantics (unsafe
    // casting allowed: float -> int truncates toward zero, saturating, never poison; complex ->
    // real drops the imaginary part; anything -> bool is "!= 0"). Identity when from == to.
    llvm::Value *cast(llvm::Value *v, TypeRef from, TypeRef to);

    // Truth value of a scalar (nonzero; NaN is true; complex: either part nonzero) as i1.
    llvm::Value *truth(llvm::Value *v, TypeRef t);

    // Declares (once) and returns an external C function of the math library, e.g. "exp",
    // "expf", "csqrt"; the JIT resolves it from libm/libmvec.
    llvm::FunctionCallee libm(const std::string &name, llvm::FunctionType *fty);

    // Complex helpers: values are {re, im} structs of the complex type's float part.
    llvm::Value *make_complex(llvm::Value *re, llvm::Value *im, TypeRef complex_type);
    llvm::Value *real(llvm::Value *z) { return b.CreateExtractValue(z, 0); }
    llvm::Value *imag(llvm::Value *z) { return b.CreateExtractValue(z, 1); }
};

// Implemented by codegen/builtins.cpp: one Call/Method/Attr node with a resolved `builtin`,
// given its already-emitted arguments (for Method/Attr, args[0] is the object).
llvm::Value *emit_builtin(CodegenCtx &cx, const Node &call, const std::vector<llvm::Value *> &args);

// Implemented by codegen/arith.cpp: a BinOp/AugAssign operator on two values of type `t`
// (Compare: result i1), with NumPy semantics (see docs/semantics.md).
llvm::Value *emit_binary(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *b, TypeRef t,
                         SourceLoc loc);
llvm::Value *emit_compare(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *b, TypeRef t,
                          SourceLoc loc);
// A Compare node's operands of types `ta` and `tb`: equal types as above, or an int64 and a
// uint64 (either order; typing/infer.h), compared exactly by value.
llvm::Value *emit_compare(CodegenCtx &cx, Op op, llvm::Value *a, TypeRef ta, llvm::Value *b,
                          TypeRef tb, SourceLoc loc);

} // namespace lj
