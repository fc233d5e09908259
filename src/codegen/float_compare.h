// Ordered comparisons of floats (<, <=, >, >=) that raise no floating-point exception on NaN, as
// NumPy's quiet compares: every float comparison codegen emits goes through float_compare.
#pragma once

#include <llvm/IR/IRBuilder.h>

namespace lj {

// `a p b` for two floats (any float type, scalar or vector) as an i1 (or vector of i1). Without
// fast-math flags on the builder, an ordering predicate is computed on integer keys of the bit
// patterns, because LLVM lowers fcmp olt/ole/ogt/oge (and the max/min it pattern-matches from
// compare-and-select) to x86 instructions that signal "invalid" on quiet NaNs. Equality and
// ordered/unordered predicates are quiet already and stay plain fcmp.
llvm::Value *float_compare(llvm::IRBuilder<> &b, llvm::CmpInst::Predicate p, llvm::Value *x,
                           llvm::Value *y);

} // namespace lj
