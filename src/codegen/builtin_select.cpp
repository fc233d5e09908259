// Builtins on real numbers that choose per element (NumPy's maximum/minimum/fmax/fmin/clip/sign,
// Python's min/max, abs, the isnan family, signbit), written as compares and selects so loops
// around them vectorize. The orders of the compares reproduce NumPy's results exactly, signed
// zeros and NaNs included.
#include "codegen/builtin_support.h"
#include "codegen/float_compare.h"

#include <cmath>

namespace lj::builtins {
namespace {

Value *fcmp(CodegenCtx &cx, llvm::CmpInst::Predicate p, Value *a, Value *b) {
    return float_compare(cx.b, p, a, b);
}

// a > b (or a < b with `less`) for integers of type t (bool compares unsigned).
Value *int_order(CodegenCtx &cx, bool less, Value *a, Value *b, TypeRef t) {
    using P = llvm::CmpInst::Predicate;
    bool sign = is_signed(t);
    P p = less ? (sign ? P::ICMP_SLT : P::ICMP_ULT) : (sign ? P::ICMP_SGT : P::ICMP_UGT);
    return cx.b.CreateICmp(p, a, b);
}

Value *int_max(CodegenCtx &cx, bool min, Value *a, Value *b, TypeRef t) {
    llvm::Intrinsic::ID id = is_signed(t) ? (min ? llvm::Intrinsic::smin : llvm::Intrinsic::smax)
                                          : (min ? llvm::Intrinsic::umin : llvm::Intrinsic::umax);
    return cx.b.CreateBinaryIntrinsic(id, a, b);
}

// np.maximum/minimum/fmax/fmin on floats; NumPy's loops pick `a` when
//   maximum: a > b or isnan(a)  (float16: a >= b or isnan(a))
//   minimum: a < b or isnan(a)  (float16: a <= b or isnan(a))
//   fmax:    a >= b or isnan(b);  fmin: a <= b or isnan(b)
Value *float_max(CodegenCtx &cx, Builtin b, Value *x, Value *y, Scalar s) {
    using P = llvm::CmpInst::Predicate;
    bool half = s == Scalar::Float16;
    Value *take_x = nullptr;
    switch (b) {
    case Builtin::Maximum:
        take_x = cx.b.CreateOr(fcmp(cx, half ? P::FCMP_OGE : P::FCMP_OGT, x, y), is_nan(cx, x));
        break;
    case Builtin::Minimum:
        take_x = cx.b.CreateOr(fcmp(cx, half ? P::FCMP_OLE : P::FCMP_OLT, x, y), is_nan(cx, x));
        break;
    case Builtin::Fmax:
        take_x = cx.b.CreateOr(fcmp(cx, P::FCMP_OGE, x, y), is_nan(cx, y));
        break;
    default: // Fmin
        take_x = cx.b.CreateOr(fcmp(cx, P::FCMP_OLE, x, y), is_nan(cx, y));
        break;
    }
    return cx.b.CreateSelect(take_x, x, y);
}

// np.clip(x, lo, hi) = MIN(MAX(x, lo), hi) where for floats MAX(a, b) is a if isnan(a) or
// a >= b, else b (so x is kept when equal to a bound, and a NaN bound propagates).
Value *clip(CodegenCtx &cx, const Args &args, TypeRef t) {
    Value *x = args[0], *lo = args[1], *hi = args[2];
    if (!is_float(t))
        return int_max(cx, true, int_max(cx, false, x, lo, t), hi, t);
    using P = llvm::CmpInst::Predicate;
    auto pick = [&](P p, Value *a, Value *b) {
        return cx.b.CreateSelect(cx.b.CreateOr(is_nan(cx, a), fcmp(cx, p, a, b)), a, b);
    };
    return pick(P::FCMP_OLE, pick(P::FCMP_OGE, x, lo), hi);
}

// Python's min/max: the first of the smallest (largest); a NaN compares false, so it is kept
// only where it comes first.
Value *python_min_max(CodegenCtx &cx, bool min, const Args &args, TypeRef t) {
    using P = llvm::CmpInst::Predicate;
    Value *r = args[0];
    for (size_t i = 1; i < args.size(); ++i) {
        Value *x = args[i];
        Value *better = is_float(t) ? fcmp(cx, min ? P::FCMP_OLT : P::FCMP_OGT, x, r)
                                    : int_order(cx, min, x, r, t);
        r = cx.b.CreateSelect(better, x, r);
    }
    return r;
}

// np.sign: 1, -1 or 0; for floats 0 for either zero and NaN for NaN.
Value *sign(CodegenCtx &cx, Value *x, TypeRef t) {
    auto &b = cx.b;
    llvm::Type *ty = x->getType();
    if (is_float(t)) {
        using P = llvm::CmpInst::Predicate;
        Value *zero = fconst(cx, t->scalar, 0.0);
        Value *r = b.CreateSelect(fcmp(cx, P::FCMP_OEQ, x, zero), zero, x);
        r = b.CreateSelect(fcmp(cx, P::FCMP_OLT, x, zero), fconst(cx, t->scalar, -1.0), r);
        return b.CreateSelect(fcmp(cx, P::FCMP_OGT, x, zero), fconst(cx, t->scalar, 1.0), r);
    }
    Value *zero = llvm::ConstantInt::get(ty, 0);
    Value *r = b.CreateZExt(int_order(cx, false, x, zero, t), ty);
    if (is_signed(t))
        r = b.CreateSelect(int_order(cx, true, x, zero, t), llvm::ConstantInt::getSigned(ty, -1),
                           r);
    return r;
}

Value *abs_value(CodegenCtx &cx, Value *x, TypeRef t) {
    if (is_float(t))
        return cx.b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    if (is_signed(t)) // wraps at the most negative value, as NumPy does
        return cx.b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, cx.b.getFalse());
    return x;
}

Value *classify(CodegenCtx &cx, Builtin b, Value *x, TypeRef t) {
    using P = llvm::CmpInst::Predicate;
    if (!is_float(t)) // integers are finite numbers
        return b == Builtin::IsFinite ? cx.b.getTrue() : cx.b.getFalse();
    if (b == Builtin::IsNan)
        return is_nan(cx, x);
    Value *mag = cx.b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    Value *inf = fconst(cx, t->scalar, INFINITY);
    return fcmp(cx, b == Builtin::IsInf ? P::FCMP_OEQ : P::FCMP_OLT, mag, inf);
}

Value *signbit(CodegenCtx &cx, Value *x) {
    llvm::Type *ity = cx.b.getIntNTy(x->getType()->getPrimitiveSizeInBits());
    return cx.b.CreateICmpSLT(cx.b.CreateBitCast(x, ity), llvm::ConstantInt::get(ity, 0));
}

} // namespace

Value *emit_select_builtin(CodegenCtx &cx, Builtin b, const Node &call, const Args &args) {
    TypeRef t = call.type;
    TypeRef at = call.kids.empty() ? nullptr : call.kid(0)->type;
    switch (b) {
    case Builtin::Maximum:
    case Builtin::Minimum:
    case Builtin::Fmax:
    case Builtin::Fmin:
        if (is_float(t))
            return float_max(cx, b, args[0], args[1], t->scalar);
        return int_max(cx, b == Builtin::Minimum || b == Builtin::Fmin, args[0], args[1], t);
    case Builtin::Clip:
        return clip(cx, args, t);
    case Builtin::Min:
    case Builtin::Max:
        return python_min_max(cx, b == Builtin::Min, args, t);
    case Builtin::Sign:
        return sign(cx, args[0], t);
    case Builtin::Abs:
    case Builtin::Absolute:
        return abs_value(cx, args[0], t);
    case Builtin::IsNan:
    case Builtin::IsInf:
    case Builtin::IsFinite:
        return classify(cx, b, args[0], at);
    case Builtin::Signbit:
        return signbit(cx, args[0]);
    default:
        return nullptr;
    }
}

} // namespace lj::builtins
