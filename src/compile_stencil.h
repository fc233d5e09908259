// Compiling a @stencil kernel for one set of argument types: relative reads become StencilRead
// nodes around hidden center parameters, the neighborhood is inferred from constant indices (or
// given), and the kernel is compiled as interior and border instances inside the stencil loop
// nest (loopnest/stencil.h).
#pragma once

#include "codegen/kernel.h"
#include "compiler.h"
#include "loopnest/stencil.h"

namespace lj {

struct StencilSpec {
    std::vector<StencilOperand::Kind> kinds; // per parameter: relative array, standard, number
    KernelOptions::StencilMode mode = KernelOptions::StencilMode::Constant;
    double cval = 0, cval_imag = 0;
    // Per dimension (lo, hi) relative indices may reach; empty: inferred from constant indices.
    std::vector<std::pair<int64_t, int64_t>> neighborhood;
    TypeRef out = nullptr; // the output's dtype; null: the kernel's result dtype
};

struct CompiledStencil {
    std::vector<StencilOperand> operands;
    int ndim = 0;
    Scalar out = Scalar::Float64;
    std::vector<int64_t> lo, hi; // reads reach i - lo .. i + hi in each dimension
    ChunkFn chunk = nullptr;
    std::shared_ptr<CompiledCode> code;
    std::string typed_ir, llvm_ir, assembly;
    double compile_seconds = 0;
    double cost = 1; // per output point
    bool can_raise = false;
};

// `sig.args`: the kernel's parameter types (arrays for relative and standard parameters, the
// first one relative). Throws CompileError for mistakes in the kernel or its use.
CompiledStencil compile_stencil(const std::string &module_ir, const Signature &sig,
                                const StencilSpec &spec, const CompileOptions &opts);

} // namespace lj
