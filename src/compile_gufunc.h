// Compiling a @guvectorize kernel for one signature: IR text -> typed IR (arrays in the core
// dimensions) -> the gufunc loop nest (loopnest/gufunc.h) -> machine code.
#pragma once

#include "compiler.h"

namespace lj {

// The shape of a gufunc as NumPy numbers it: each operand's core dimensions by their index in
// NumPy's list of distinct dimension names (PyUFuncObject::core_dim_ixs).
struct GufuncSpec {
    int nin = 0;
    std::vector<std::vector<int>> core_dims; // per operand, inputs then outputs
    std::vector<bool> writable;              // per input: the kernel may write to it
};

struct CompiledGufunc {
    std::vector<Scalar> dtypes;   // every operand's dtype, inputs then outputs
    int nin = 0;
    std::vector<bool> written;    // per operand: outputs, and inputs the kernel may write
    ChunkFn chunk = nullptr;      // the loop nest
    std::shared_ptr<CompiledCode> code;
    std::string typed_ir, llvm_ir, assembly;
    double compile_seconds = 0;
    double cost = 1;              // estimated work per core element touched (loopnest/cost.h)
    bool can_raise = false;       // bounds checks or scratch arrays: the call needs an error record
};

// `sig.args`: one type per operand (inputs then outputs): an array type of the core ndim (a
// `()` operand may be a 1-d array: a one-element view), or a scalar for a `()` input; `sig.ret`
// void or not given. Throws CompileError for mistakes in the kernel or the signature.
CompiledGufunc compile_gufunc(const std::string &module_ir, const Signature &sig,
                              const GufuncSpec &spec, const CompileOptions &opts);

} // namespace lj
