// The generalized-ufunc loop nest behind @guvectorize: a chunk function (loop_args.h) that calls
// the kernel once per iteration of NumPy's outer loop, handing it views of each operand's core
// dimensions. LoopArgs as NumPy passes a gufunc inner loop: dims[0] = outer length, dims[1 + i]
// = size of core dimension i; steps[k] = outer step of operand k, then each operand's core
// strides in order; extra = the call's KernelError (kernel_runtime.h) or null.
#pragma once

#include "ir/types.h"
#include "loopnest/loop_args.h"

#include <llvm/IR/Module.h>
#include <string>
#include <vector>

namespace lj {

struct GufuncOperand {
    Scalar dtype;
    std::vector<int> core_dims; // NumPy's core dimension index of each core dimension
    bool as_scalar = false;     // a () input the kernel takes as a number (declared `T`)
};

// `kernel_any` takes each operand as its value type (a number, or an array of
// max(1, core ndim) dimensions with any layout) then the error record. `kernel_c`, if given,
// is the same kernel compiled for C-contiguous core arrays: the loop calls it when every
// array operand's core dimensions are C-contiguous for the whole call.
llvm::Function *build_gufunc_loop(llvm::Module &m, llvm::Function *kernel_any,
                                  llvm::Function *kernel_c,
                                  const std::vector<GufuncOperand> &ops, const std::string &name);

} // namespace lj
