// The host TargetMachine used by the optimizer, the assembly printer and the JIT's compiler.
// A TargetMachine is not safe to share between threads (it caches subtargets), and creating one
// costs about a millisecond, so each compiling thread keeps its own for its lifetime.
#pragma once

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/Target/TargetMachine.h>

namespace lj {

// Initializes LLVM's native target once per process (thread-safe, idempotent).
void init_native_target();

// Builder for the host configuration: Target::host()'s triple, CPU and features, aggressive
// code generation, small code model, PIC (what the JIT linker expects).
llvm::orc::JITTargetMachineBuilder host_jtmb();

// This thread's host TargetMachine (created on first use).
llvm::TargetMachine &host_target_machine();

// Whether the host target has a subtarget feature, e.g. "avx512f" (after CPU-implied features).
bool host_has_feature(const char *feature);

} // namespace lj
