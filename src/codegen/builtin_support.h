// Shared by the files that emit builtin calls (codegen/builtins*.cpp, codegen/complex_math.cpp):
// math library calls LLVM may vectorize, constants, NaN tests, float16 widening, and the
// emitters of each group of builtins.
#pragma once

#include "codegen/context.h"
#include "typing/builtins.h"

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/IR/Intrinsics.h>

#include <vector>

namespace lj::builtins {

using llvm::Value;
using Args = std::vector<Value *>;

bool is_float(TypeRef t);    // float16/32/64
bool is_complex(TypeRef t);  // complex64/128
bool is_signed(TypeRef t);   // signed integer
bool is_integral(TypeRef t); // bool or integer

llvm::Type *scalar_llvm_type(CodegenCtx &cx, Scalar s);
// A float constant of type `s` (or of a complex type's part), rounded from `v`.
Value *fconst(CodegenCtx &cx, Scalar s, double v);
Value *is_nan(CodegenCtx &cx, Value *x);

// A call to an external function that reads and writes no memory, marked so LLVM may hoist it
// and the loop vectorizer may replace it by a libmvec variant.
Value *pure_call(CodegenCtx &cx, const std::string &name, llvm::Type *ret,
                 llvm::ArrayRef<Value *> args);
// C math function `name` ("exp") on floats of type `s`: "exp" for float64, "expf" for float32;
// float16 is computed in float32 and rounded back, as NumPy's float16 loops do.
Value *libm_call(CodegenCtx &cx, const char *name, Scalar s, llvm::ArrayRef<Value *> args);
// Runs `f` on float16 arguments widened to float32 (its result rounded back to float16); other
// float types unchanged. `f` gets the arguments and the type it computes in.
Value *in_float32_if_half(CodegenCtx &cx, Scalar s, llvm::ArrayRef<Value *> args,
                          llvm::function_ref<Value *(llvm::ArrayRef<Value *>, Scalar)> f);

// NumPy's round(x, decimals) of a float (decimals: int64, or null for plain rint).
Value *round_to_decimals(CodegenCtx &cx, Value *x, Value *decimals);

// The groups of builtins; each returns nullptr for a builtin (or type) it does not handle.
// Real float functions: exp, log, ..., logaddexp, nextafter, ldexp, round, degrees.
Value *emit_real_math(CodegenCtx &cx, Builtin b, const Node &call, const Args &args);
// Per-element choices done with selects: maximum, clip, sign, abs, isnan, min/max, ...
Value *emit_select_builtin(CodegenCtx &cx, Builtin b, const Node &call, const Args &args);
// Builtins on complex numbers (complex_math.cpp).
Value *emit_complex_math(CodegenCtx &cx, Builtin b, const Node &call, const Args &args);

} // namespace lj::builtins
