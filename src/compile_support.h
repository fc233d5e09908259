// Steps every compile pipeline (compiler.cpp, compile_gufunc.cpp) shares: unique symbol
// prefixes, LOOPJIT_DEBUG printing, module text and verification.
#pragma once

#include "compiler.h"

#include <llvm/IR/Module.h>

#include <memory>
#include <string>

namespace lj {

// "lj<N>": unique within the process, so modules never clash in the JIT.
std::string unique_prefix();

// Prints `text` under a header to stderr when `level` > 0 (LOOPJIT_DEBUG).
void debug_print(int level, const char *stage, const std::string &text);

std::string module_text(const llvm::Module &m);

// Throws CompileError(Internal) when LLVM's verifier rejects `m` (a code generator bug).
void verify_or_throw(const llvm::Module &m);

// Whether generated code in `m` may report a run-time error (kernel_runtime.h): bounds or
// neighborhood checks, scratch arrays.
bool module_can_raise(const llvm::Module &m);

// The last steps of a pipeline, for a module holding the loop nest `loop_name`: verify,
// optimize, keep its text (and assembly if asked), hand it to the JIT.
struct FinishedModule {
    std::shared_ptr<CompiledCode> code;
    ChunkFn chunk = nullptr;
    std::string llvm_ir, assembly;
};
FinishedModule finish_module(std::unique_ptr<llvm::LLVMContext> ctx,
                             std::unique_ptr<llvm::Module> mod, const std::string &loop_name,
                             const CompileOptions &opts);

} // namespace lj
