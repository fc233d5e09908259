// Vectorized math from glibc's libmvec. LLVM's own libmvec table knows six functions at SSE/AVX2
// widths; glibc ships about 25 at every x86 width up to AVX-512. We tell the loop vectorizer
// about all of them through the `vector-function-abi-variant` attribute (VFABI names such as
// `_ZGV_LLVM_N8v_exp(_ZGVeN8v_exp)`), so a loop calling exp gets 8 lanes per call on AVX-512.
#pragma once

#include <llvm/IR/Module.h>

namespace lj {

// Whether libmvec is loadable in this process and the host is x86-64 with vector math enabled
// (Target::host().vector_math). When false the functions below change nothing.
bool vector_math_available();

// Before optimization: gives every declared scalar libm function (exp, expf, atan2, ...) and LLVM
// math intrinsic (llvm.exp.f64, ...) in `m` the vector variants libmvec has for the host's vector
// ISAs (SSE, AVX2, AVX-512), declares those variants in `m`, and marks the scalar libm
// declarations as not touching memory (loopjit never reads errno). Returns how many scalar
// functions got variants.
int add_vector_math_variants(llvm::Module &m);

// After optimization: drops the mapping attributes and the declarations of vector variants
// nothing calls, so the optimized IR users inspect shows only what runs.
void strip_vector_math_annotations(llvm::Module &m);

} // namespace lj
