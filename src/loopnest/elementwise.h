// The elementwise loop nest behind @vectorize: a chunk function (loop_args.h) that applies a
// scalar kernel to each element of NumPy's 1-D inner loop. Operands: inputs then outputs,
// LoopArgs::data/steps as NumPy passes them to a ufunc inner loop.
//
// Paths, chosen at run time per call:
//  - contiguous/broadcast: every output step == itemsize, every input step == itemsize or, for
//    kernels with 2+ inputs, 0 (array op scalar: that input is read once), no partial overlap
//    between an output and any operand (exact in-place is fine): marked parallel so LLVM
//    vectorizes it with no runtime alias checks. One loop serves any mix of array and scalar
//    inputs;
//  - strided: anything else (negative/non-unit strides, reductions with out aliasing in0),
//    a plain scalar loop, correct for any aliasing.
#pragma once

#include "ir/types.h"
#include "loopnest/loop_args.h"

#include <llvm/IR/Module.h>
#include <string>
#include <vector>

namespace lj {

// `kernel` takes the inputs by value (llvm_value_type of scalar_type(in[i])) and returns the
// output (a struct of the outputs when there are several).
llvm::Function *build_elementwise_loop(llvm::Module &m, llvm::Function *kernel,
                                       const std::vector<Scalar> &ins,
                                       const std::vector<Scalar> &outs, const std::string &name);

// Whether a call of the chunk may take the fast path: a function of this library that every
// elementwise loop calls at run time, as the external symbol kElementwiseFastPathSymbol (the JIT
// defines it, see jit/engine.cpp). `layout` is {nin, nout, itemsize of each operand}. Returns 0
// or 1.
extern const char *const kElementwiseFastPathSymbol;
int elementwise_fast_path(int64_t begin, int64_t end, const LoopArgs *args, const int64_t *layout);

} // namespace lj
