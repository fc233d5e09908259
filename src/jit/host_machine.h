// The host TargetMachines used by the optimizer, the assembly printer and the JIT's compiler.
// A TargetMachine is not safe to share between threads (it caches subtargets), and creating one
// and its subtarget costs about a millisecond, so each compiling thread keeps its own for its
// lifetime.
#pragma once

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/Target/TargetMachine.h>

namespace lj {

// Initializes LLVM's native target (and nothing else: no other target, no assembly parser)
// and loopjit's code generation options, once per process (thread-safe, idempotent).
void init_native_target();

// Builder for the host configuration: Target::host()'s triple, CPU and features (or
// optimizer_features), aggressive code generation, small code model, PIC (what the JIT linker
// expects).
llvm::orc::JITTargetMachineBuilder host_jtmb(bool for_optimizer = false);

// This thread's host TargetMachine (created on first use): code generation.
llvm::TargetMachine &host_target_machine();

// This thread's TargetMachine for the optimizer (its cost model): Target::host()'s
// optimizer_features. The same object as host_target_machine() when the two feature sets agree.
llvm::TargetMachine &host_optimizer_machine();

// Whether the host target has a subtarget feature, e.g. "avx512f" (after CPU-implied features).
bool host_has_feature(const char *feature);

} // namespace lj
