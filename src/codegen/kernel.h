// Kernel codegen: typed IR (typing/infer.h) -> LLVM IR functions. Each function of the program
// becomes an internal function marked alwaysinline, so loop nests fold the kernel in and LLVM
// vectorizes across it. Parameters and the return value are passed by value in their
// llvm_value_type; a none-returning function returns void. Every function takes one more
// parameter, last: the call's error record (loopnest/kernel_runtime.h, may be null), where a
// failed bounds check or scratch allocation is reported before the function returns early.
#pragma once

#include "codegen/target.h"
#include "typing/infer.h"

#include <llvm/IR/Module.h>

#include <utility>
#include <vector>

namespace lj {

struct KernelOptions {
    bool fastmath = false; // fast-math flags on float ops (reassociation, no NaN/inf checks)
    bool boundscheck = false; // array indices checked: IndexError instead of any memory access
    // Stencil kernels (StencilRead nodes): whether this instance runs at border points, where
    // reads outside the array follow `stencil_mode` (else every read is inside: interior), the
    // constant of mode Constant, and the neighborhood non-constant offsets are checked against.
    enum class StencilMode { Constant, Nearest, Reflect, Mirror, Wrap };
    bool stencil_border = false;
    StencilMode stencil_mode = StencilMode::Constant;
    double stencil_cval = 0, stencil_cval_imag = 0;
    std::vector<std::pair<int64_t, int64_t>> stencil_neighborhood; // per dimension [lo, hi]
};

// Emits all functions of `prog` into `m` and returns the entry function (functions[0]).
// `prefix` makes the symbol names unique within the module.
llvm::Function *emit_kernel(llvm::Module &m, const TypedProgram &prog, const Target &target,
                            const KernelOptions &opts, const std::string &prefix);

} // namespace lj
