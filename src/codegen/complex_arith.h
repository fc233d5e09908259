// Complex arithmetic operators for emit_binary (codegen/context.h): + - * / ** on {re, im}
// values of a complex type, with NumPy's semantics.
#pragma once

#include "codegen/context.h"

namespace lj {

llvm::Value *emit_complex_binary(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *b, TypeRef t,
                                 SourceLoc loc);

} // namespace lj
