// Run-time support that compiled kernels call: the error record of one call (an IndexError from
// a bounds check, a MemoryError from a scratch array, a ValueError), and scratch-array memory.
// Generated code reaches these through the JIT's symbols (jit/engine.cpp); the error record is
// the LoopArgs::extra of gufunc loops, so every thread of a parallel call shares it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace lj {

// Neighborhood: a stencil's non-constant relative index outside its neighborhood (an IndexError).
enum class KernelErrorKind : int32_t { None = 0, Index = 1, Memory = 2, Value = 3, Neighborhood = 4 };

struct KernelError {
    // Read by generated loops (an i32 at offset 0) to stop early: nonzero once raised.
    std::atomic<int32_t> raised{0};
    KernelErrorKind kind = KernelErrorKind::None;
    std::string message; // the first error's message
    int32_t line = 0, col = 0; // where in the kernel's source (file line, 0-based column)
};

// Symbol names of the functions below, as generated code calls them.
extern const char *const kKernelErrorSymbol;
extern const char *const kScratchAllocSymbol;
extern const char *const kScratchReleaseSymbol;

extern "C" {
// Records an error (the first one of a call wins). `what` is a static string of the module:
// the array's name for index errors. `a`, `b`, `c` depend on the kind: Index: index, axis,
// size; Memory: bytes requested; Value: unused. `line`/`col`: the kernel source position.
void loopjit_kernel_error(KernelError *err, int32_t kind, const char *what, int64_t a,
                          int64_t b, int64_t c, int32_t line, int32_t col);

// Scratch arrays live until the kernel function that made them returns: each allocation is
// pushed on the list `*head` (a local of that function), released all at once on return.
// Returns 64-byte aligned memory (zeroed when `zero`), or null after recording a MemoryError.
void *loopjit_scratch_alloc(void **head, int64_t nbytes, int32_t zero, KernelError *err,
                            int32_t line, int32_t col);
void loopjit_scratch_release(void *head);
}

} // namespace lj
