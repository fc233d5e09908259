// Kernel codegen: typed IR (typing/infer.h) -> LLVM IR functions. Each function of the program
// becomes an internal function marked alwaysinline, so loop nests fold the kernel in and LLVM
// vectorizes across it. Parameters and the return value are passed by value in their
// llvm_value_type; a none-returning function returns void.
#pragma once

#include "codegen/target.h"
#include "typing/infer.h"

#include <llvm/IR/Module.h>

namespace lj {

struct KernelOptions {
    bool fastmath = false; // fast-math flags on float ops (reassociation, no NaN/inf checks)
};

// Emits all functions of `prog` into `m` and returns the entry function (functions[0]).
// `prefix` makes the symbol names unique within the module.
llvm::Function *emit_kernel(llvm::Module &m, const TypedProgram &prog, const Target &target,
                            const KernelOptions &opts, const std::string &prefix);

} // namespace lj
