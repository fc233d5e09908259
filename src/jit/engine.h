// The process-wide ORC LLJIT for the host CPU. Each added module gets its own ResourceTracker,
// owned by the returned CompiledCode: the machine code lives exactly as long as that object (and
// so as long as the ufuncs that hold it). Thread-safe.
#pragma once

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <string>

namespace lj {

class CompiledCode {
public:
    virtual ~CompiledCode() = default;
    // Address of a function defined in the module; throws CompileError(Internal) if absent.
    virtual void *lookup(const std::string &name) = 0;
};

struct OptimizeOptions {
    int opt_level = 3; // 3: loopjit's lean pipeline (optimize.cpp); 0-2: LLVM's O0-O2
    bool fastmath = false;
    bool llvm_o3 = false; // at level 3, LLVM's full O3 pipeline instead (LOOPJIT_OPT=3: always)
};

// Creates a fresh context + module set up for the host target (triple, data layout).
std::pair<std::unique_ptr<llvm::LLVMContext>, std::unique_ptr<llvm::Module>>
new_host_module(const std::string &name);

// Optimizes for the host CPU, with libmvec vector math (vector-function-abi-variant attributes
// on scalar math calls, see jit/vector_math.h).
void optimize_module(llvm::Module &m, const OptimizeOptions &opts);

// Machine code of an (optimized) module as assembly text, for inspect_asm.
std::string emit_assembly(llvm::Module &m);

// Hands the module to the JIT and materializes its symbols.
std::shared_ptr<CompiledCode> jit_add_module(std::unique_ptr<llvm::LLVMContext> ctx,
                                             std::unique_ptr<llvm::Module> m);

// The machine code jit_add_module would link for an (optimized) module, as a relocatable object
// file, for the disk cache (jit/object_cache.h). Code generation rewrites `m`: discard it after.
std::unique_ptr<llvm::MemoryBuffer> emit_object(llvm::Module &m);

// Links an object file from emit_object, of this process or an earlier one (same compiler and
// host, see make_cache_key), and materializes its symbols. Objects cannot be renamed: throws
// CompileError(Internal) if a live module defines one of its symbols, or if it does not link.
std::shared_ptr<CompiledCode> jit_add_object(std::unique_ptr<llvm::MemoryBuffer> object);

// The environment settings optimize_module follows (LOOPJIT_OPT, LOOPJIT_PREFER_VECTOR_WIDTH)
// as text, for cache keys.
std::string optimizer_settings();

} // namespace lj
