// The functions a kernel may call, listed once. Type inference maps a Call/Method/Attr node's
// callee name to one of these (Node::builtin), checks and casts its arguments; codegen emits
// each. Callee names are canonical: the front end writes "math.x", "cmath.x", "np.x" (for numpy
// under any alias) or a bare Python builtin name.
#pragma once

#include "ir/types.h"

#include <string>

namespace lj {

// Argument contract after inference: unless the entry's comment says otherwise, every argument
// node has exactly the call's result type (inference inserted the Casts). Exceptions:
//   IsNan IsInf IsFinite Signbit: arg bool/int/float/complex, result bool
//   Abs Absolute on complex: arg complex, result its float part; Real Imag likewise (on a real
//     arg: result = arg type). Angle: arg complex -> its part, or arg real of the result type
//   Int Float BoolCast DtypeCast: one arg of any scalar type; DtypeCast to complex may also take
//     (re, im) of the part type. ComplexCtor: args of result's part, or one arg of the result type
//   Round: (x) or (x, int64 decimals); x any real or complex scalar; result x's type, except
//     Python's one-argument round(x): result int64
//   Floor Ceil Trunc called as math.*: arg float64 or int64, result int64 (np.*: result = arg)
//   Ldexp: (float, int32 or int64) -> float; Where: (bool, T, T) -> T; Logical*: bool args,
//     bool result; Min Max Clip Maximum ...: all args of the result type
//   Log with 2 args (math.log(x, base), cmath.log(z, base)): both of the result type
//   Polar: complex -> Tuple(f, f); Rect: (f, f) -> complex; Divmod: (T, T) -> Tuple(T, T)
//   Conjugate as z.conjugate() on a real: arg = result (identity)
//   Len: array arg -> int64; Range: int64 args, result type range
// Results that are Python numbers (math.*, cmath.*, int(), float(), complex(), round(x), and
// abs/min/max/pow/divmod/round of literals only) are weak literal types during inference, as
// NEP 50 treats Python numbers (float32 * math.sqrt(2) is float32); inference materializes them
// (int64, float64, complex128), and the contract above holds for that materialized type.
//
// X(Enum, "callee name"). One name per entry; several names mapping to one semantics are
// listed in kBuiltinAliases (builtins.cpp). Semantics follow NumPy for np.*, Python for math.*
// and builtins (math.floor returns an int), except that errors Python would raise (math.sqrt(-1))
// give NaN as NumPy does. np.* result types follow the ufunc's loop table as NumPy resolves it
// (np.sqrt(int8) is float16, np.sqrt(int16) float32, np.sqrt(int32) float64; float16 functions
// compute in float32 and round, as NumPy's float16 loops do); math.* functions compute in float64.
#define LJ_BUILTINS(X)                                                                           \
    /* Python builtins */                                                                        \
    X(Abs, "abs")                                                                                \
    X(Min, "min")                   /* 2+ args, Python semantics (first of equals) */            \
    X(Max, "max")                                                                                \
    X(Round, "round")               /* half-even; round(x) -> int64, round(x, n) like np.round */\
    X(Int, "int")                   /* truncation toward zero -> int64 */                        \
    X(Float, "float")               /* -> float64 */                                             \
    X(BoolCast, "bool")                                                                          \
    X(ComplexCtor, "complex")       /* complex(re[, im]) -> complex128 */                        \
    X(Pow, "pow")                                                                                \
    X(Divmod, "divmod")             /* -> Tuple(q, r), floor semantics */                        \
    X(Len, "len")                                                                                \
    X(Range, "range")               /* only as a for-loop iterable */                            \
    /* math / np elementwise functions on real floats (np also on complex where NumPy is) */     \
    X(Sqrt, "np.sqrt")                                                                           \
    X(Cbrt, "np.cbrt")                                                                           \
    X(Exp, "np.exp")                                                                             \
    X(Exp2, "np.exp2")                                                                           \
    X(Expm1, "np.expm1")                                                                         \
    X(Log, "np.log")                                                                             \
    X(Log2, "np.log2")                                                                           \
    X(Log10, "np.log10")                                                                         \
    X(Log1p, "np.log1p")                                                                         \
    X(Sin, "np.sin")                                                                             \
    X(Cos, "np.cos")                                                                             \
    X(Tan, "np.tan")                                                                             \
    X(Asin, "np.arcsin")                                                                         \
    X(Acos, "np.arccos")                                                                         \
    X(Atan, "np.arctan")                                                                         \
    X(Sinh, "np.sinh")                                                                           \
    X(Cosh, "np.cosh")                                                                           \
    X(Tanh, "np.tanh")                                                                           \
    X(Asinh, "np.arcsinh")                                                                       \
    X(Acosh, "np.arccosh")                                                                       \
    X(Atanh, "np.arctanh")                                                                       \
    X(Erf, "math.erf")                                                                           \
    X(Erfc, "math.erfc")                                                                         \
    X(Gamma, "math.gamma")                                                                       \
    X(Lgamma, "math.lgamma")                                                                     \
    X(Floor, "np.floor")            /* np: float result; math.floor: int64 result */             \
    X(Ceil, "np.ceil")                                                                           \
    X(Trunc, "np.trunc")                                                                         \
    X(Rint, "np.rint")                                                                           \
    X(Fabs, "np.fabs")                                                                           \
    X(Degrees, "np.degrees")                                                                     \
    X(Radians, "np.radians")                                                                     \
    X(Atan2, "np.arctan2")                                                                       \
    X(Hypot, "np.hypot")                                                                         \
    X(Power, "np.power")            /* same rules as the ** operator */                          \
    X(Fmod, "np.fmod")              /* C fmod (sign of dividend) */                              \
    X(Remainder, "np.remainder")    /* Python % (sign of divisor) */                             \
    X(FloorDivide, "np.floor_divide")                                                            \
    X(TrueDivide, "np.true_divide")                                                              \
    X(Copysign, "np.copysign")                                                                   \
    X(Nextafter, "np.nextafter")                                                                 \
    X(Ldexp, "np.ldexp")                                                                         \
    X(Logaddexp, "np.logaddexp")                                                                 \
    X(Logaddexp2, "np.logaddexp2")                                                               \
    X(Maximum, "np.maximum")        /* NaN-propagating */                                        \
    X(Minimum, "np.minimum")                                                                     \
    X(Fmax, "np.fmax")              /* NaN-ignoring */                                           \
    X(Fmin, "np.fmin")                                                                           \
    X(Sign, "np.sign")                                                                           \
    X(Square, "np.square")                                                                       \
    X(Reciprocal, "np.reciprocal")                                                               \
    X(Negative, "np.negative")                                                                   \
    X(Absolute, "np.absolute")      /* np.abs */                                                 \
    X(IsNan, "np.isnan")                                                                         \
    X(IsInf, "np.isinf")                                                                         \
    X(IsFinite, "np.isfinite")                                                                   \
    X(Signbit, "np.signbit")                                                                     \
    X(Where, "np.where")            /* np.where(c, a, b) on scalars: a select */                 \
    X(Clip, "np.clip")                                                                           \
    X(LogicalAnd, "np.logical_and")                                                              \
    X(LogicalOr, "np.logical_or")                                                                \
    X(LogicalXor, "np.logical_xor")                                                              \
    X(LogicalNot, "np.logical_not")                                                              \
    /* complex */                                                                                \
    X(Conjugate, "np.conjugate")    /* also z.conjugate() */                                     \
    X(Real, "np.real")              /* also z.real */                                            \
    X(Imag, "np.imag")              /* also z.imag */                                            \
    X(Angle, "np.angle")            /* cmath.phase */                                            \
    X(Polar, "cmath.polar")                                                                      \
    X(Rect, "cmath.rect")                                                                        \
    /* dtype constructors: np.float32(x) etc.; Node::type carries the target */                  \
    X(DtypeCast, "np.<dtype>")                                                                   \
    /* more NumPy ufuncs */                                                                      \
    X(Add, "np.add")                                                                             \
    X(Subtract, "np.subtract")                                                                   \
    X(Multiply, "np.multiply")                                                                   \
    X(Positive, "np.positive")                                                                   \
    X(Heaviside, "np.heaviside")                                                                 \
    X(FloatPower, "np.float_power")  /* power in float64 / complex128 */

enum class Builtin : int {
#define LJ_X(e, name) e,
    LJ_BUILTINS(LJ_X)
#undef LJ_X
};

const char *builtin_name(Builtin b);

struct Node;

// Implemented by typing/builtins.cpp. Resolves the canonical callee name of a Call (or the
// member of a Method/Attr) whose argument nodes are already typed: sets node.builtin, inserts
// Casts on the arguments (typing/cast.h) as the contract above says, and returns the result
// type. Throws CompileError: Unsupported for an unknown function ("np.fft is not supported in
// kernels"), Typing for bad argument types or counts. Returns nullptr if `name` is not a
// builtin at all (so the caller can report an unknown name).
const Type *type_builtin(Node &node);
bool is_builtin_name(const std::string &name);

} // namespace lj
