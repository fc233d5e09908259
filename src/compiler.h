// The whole pipeline for one kernel and one signature: IR text -> typed IR -> LLVM IR ->
// optimized -> machine code, behind one call. Used by the Python bindings and by C++ tests.
#pragma once

#include "jit/engine.h"
#include "loopnest/loop_args.h"
#include "typing/signature.h"

#include <memory>
#include <string>
#include <vector>

namespace lj {

struct CompileOptions {
    bool fastmath = false;
    bool boundscheck = false;   // array indices checked (gufunc kernels): IndexError on failure
    bool keep_assembly = false; // also produce machine code text (costs a second codegen)
    int debug = 0;              // LOOPJIT_DEBUG: 1 prints the IR after each stage to stderr
    // Through the disk cache (jit/object_cache.h): machine code an earlier process compiled for
    // the same kernel, signature, options and host is loaded instead of compiled. Ignored with
    // keep_assembly (inspection always compiles).
    bool cache = false;
};

// An elementwise (ufunc) loop nest compiled for one signature.
struct CompiledLoop {
    std::vector<Scalar> ins, outs; // outs: one per element of a tuple return
    ChunkFn chunk = nullptr;       // the loop nest (loopnest/elementwise.h)
    std::shared_ptr<CompiledCode> code; // owns the machine code `chunk` points into
    std::string typed_ir;          // typed IR text (inspect_types)
    std::string llvm_ir;           // optimized LLVM IR (inspect_llvm)
    std::string assembly;          // only with keep_assembly (inspect_asm)
    double compile_seconds = 0;
    double cost = 1;               // estimated work per element (loopnest/cost.h)
    // Machine code from the cache (disk, or a live loop of this process compiled the same way):
    // nothing was compiled, so typed_ir and llvm_ir are empty.
    bool cached = false;
};

// `module_ir` is the front end's Module text (ir/text.h). `sig.args` are the input dtypes;
// `sig.ret` the output dtype (a tuple of dtypes for several outputs), or nullptr to infer it.
// Throws CompileError for errors in the user's program (func set to the function's name).
CompiledLoop compile_elementwise(const std::string &module_ir, const Signature &sig,
                                 const CompileOptions &opts);

} // namespace lj
