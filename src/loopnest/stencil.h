// The stencil loop nest behind @stencil: a chunk function (loop_args.h) that computes every
// output point of an N-d array from a kernel written for one point with relative indices.
// Iterations [begin, end) are rows of the first dimension. LoopArgs: data[k] = operand k's data
// (for a number, a pointer to it), then the output's; dims = each array operand's shape, then
// the output's, concatenated; steps = their strides in bytes, in the same order; extra = the
// call's KernelError or null.
//
// The nest peels the border: along each dimension the points whose reads all fall inside the
// arrays (lo <= i < n - hi) call the interior kernel, which has no mode logic and no checks, so
// LLVM vectorizes the innermost loop; the other points call the border kernel.
#pragma once

#include "ir/types.h"

#include <llvm/IR/Module.h>
#include <string>
#include <vector>

namespace lj {

struct StencilOperand {
    enum class Kind { Relative, Standard, Number } kind;
    Scalar dtype;
    int ndim = 0; // arrays
};

struct StencilLoopSpec {
    std::vector<StencilOperand> operands;
    int ndim = 0;                // of the output (the first operand's)
    Scalar out;                  // the kernel's return dtype: the output array's
    std::vector<int64_t> lo, hi; // per dimension: reads reach i - lo .. i + hi
};

// Kernels take the operands (arrays by value as llvm_types.h says, numbers by value), then one
// int64 center per dimension, then the error record, and return the point's value.
// `interior_c` (may be null) is the interior kernel compiled for C-contiguous arrays, called
// when the relatively indexed arrays and the output are all C-contiguous.
llvm::Function *build_stencil_loop(llvm::Module &m, llvm::Function *interior,
                                   llvm::Function *interior_c, llvm::Function *border,
                                   const StencilLoopSpec &spec, const std::string &name);

} // namespace lj
