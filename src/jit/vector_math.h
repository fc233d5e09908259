// Vectorized math for the loop vectorizer: loopjit's own functions (src/vmath/vmath.h: exp, log,
// sin, ... within 1 ULP) where it has them, else glibc's libmvec (about 25 functions at every
// x86 width up to AVX-512; LLVM's own libmvec table knows six at SSE/AVX2 widths). We tell the
// vectorizer about them through the `vector-function-abi-variant` attribute (VFABI names such as
// `_ZGV_LLVM_N8v_exp(_ZGVeN8v_loopjit_exp)`), so a loop calling exp gets 8 lanes per call on
// AVX-512.
#pragma once

#include <llvm/IR/Module.h>

namespace lj {

// Whether libmvec is loadable in this process and the host is x86-64 with vector math enabled
// (Target::host().vector_math). When false, and loopjit's own vector math is not in use either
// (vmath::enabled()), the functions below change nothing.
bool vector_math_available();

// Before optimization: gives every declared scalar libm function (exp, expf, atan2, ...) and
// LLVM math intrinsic (llvm.exp.f64, ...) in `m` the vector variants loopjit or libmvec has for
// the host's vector ISAs (SSE, AVX2, AVX-512), declares those variants in `m`, and marks the
// scalar libm declarations as not touching memory (loopjit never reads errno). Returns how many
// scalar functions got variants.
int add_vector_math_variants(llvm::Module &m);

// After optimization: drops the mapping attributes and the declarations of vector variants
// nothing calls, so the optimized IR users inspect shows only what runs.
void strip_vector_math_annotations(llvm::Module &m);

} // namespace lj
