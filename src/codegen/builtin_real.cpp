// Builtins on real floats: the math library functions (called by their C names, which libmvec
// vectorizes), exact operations as LLVM intrinsics, and the NumPy ufuncs built from them
// (logaddexp, nextafter, ldexp, round with decimals, degrees, heaviside, fmod).
#include "codegen/builtin_support.h"
#include "codegen/float_compare.h"

#include <cmath>

namespace lj::builtins {
namespace {

using P = llvm::CmpInst::Predicate;

// The libm name of each function called by name. NumPy and Python call the same ones.
const std::pair<Builtin, const char *> kLibmNames[] = {
    {Builtin::Cbrt, "cbrt"},   {Builtin::Exp, "exp"},      {Builtin::Exp2, "exp2"},
    {Builtin::Expm1, "expm1"}, {Builtin::Log, "log"},      {Builtin::Log2, "log2"},
    {Builtin::Log10, "log10"}, {Builtin::Log1p, "log1p"},  {Builtin::Sin, "sin"},
    {Builtin::Cos, "cos"},     {Builtin::Tan, "tan"},      {Builtin::Asin, "asin"},
    {Builtin::Acos, "acos"},   {Builtin::Atan, "atan"},    {Builtin::Sinh, "sinh"},
    {Builtin::Cosh, "cosh"},   {Builtin::Tanh, "tanh"},    {Builtin::Asinh, "asinh"},
    {Builtin::Acosh, "acosh"}, {Builtin::Atanh, "atanh"},  {Builtin::Erf, "erf"},
    {Builtin::Erfc, "erfc"},   {Builtin::Gamma, "tgamma"}, {Builtin::Atan2, "atan2"},
    {Builtin::Hypot, "hypot"},
};

// Exact operations with an LLVM intrinsic (one instruction on x86-64 with SSE4.1).
const std::pair<Builtin, llvm::Intrinsic::ID> kExactIntrinsics[] = {
    {Builtin::Sqrt, llvm::Intrinsic::sqrt}, {Builtin::Floor, llvm::Intrinsic::floor},
    {Builtin::Ceil, llvm::Intrinsic::ceil}, {Builtin::Trunc, llvm::Intrinsic::trunc},
    {Builtin::Rint, llvm::Intrinsic::rint}, {Builtin::Fabs, llvm::Intrinsic::fabs},
};

const char *libm_name(Builtin b) {
    for (const auto &e : kLibmNames)
        if (e.first == b)
            return e.second;
    return nullptr;
}

llvm::Intrinsic::ID exact_intrinsic(Builtin b) {
    for (const auto &e : kExactIntrinsics)
        if (e.first == b)
            return e.second;
    return llvm::Intrinsic::not_intrinsic;
}

// lgamma without glibc's global `signgam` (a data race under parallel loops): lgamma_r writes
// the sign to a local instead. libdevice's lgamma has no such state.
Value *lgamma(CodegenCtx &cx, Value *x, Scalar s) {
    if (cx.target.kind == Target::Kind::NVPTX)
        return libm_call(cx, "lgamma", s, {x});
    return in_float32_if_half(cx, s, {x}, [&](llvm::ArrayRef<Value *> xs, Scalar w) -> Value * {
        llvm::Function *fn = cx.b.GetInsertBlock()->getParent();
        llvm::IRBuilder<> entry(&fn->getEntryBlock(), fn->getEntryBlock().begin());
        Value *sign = entry.CreateAlloca(entry.getInt32Ty(), nullptr, "lgamma.sign");
        llvm::Type *ft = scalar_llvm_type(cx, w);
        auto *fty = llvm::FunctionType::get(ft, {ft, sign->getType()}, false);
        const char *name = w == Scalar::Float32 ? "lgammaf_r" : "lgamma_r";
        llvm::FunctionCallee f = cx.m.getOrInsertFunction(name, fty);
        llvm::CallInst *call = cx.b.CreateCall(f, {xs[0], sign});
        call->setOnlyAccessesArgMemory();
        call->setDoesNotThrow();
        call->addFnAttr(llvm::Attribute::WillReturn);
        return call;
    });
}

// NumPy's logaddexp (base e) and logaddexp2: max(x, y) + log1p(base^-|x - y|), with x + log(2)
// for equal arguments (so infinities of one sign give themselves) and NaN for NaN.
Value *logaddexp(CodegenCtx &cx, bool base2, Value *x, Value *y, Scalar s) {
    return in_float32_if_half(cx, s, {x, y}, [&](llvm::ArrayRef<Value *> a, Scalar w) {
        auto &b = cx.b;
        Value *tmp = b.CreateFSub(a[0], a[1]);
        Value *neg = b.CreateFNeg(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, tmp));
        Value *e = libm_call(cx, "log1p", w, {libm_call(cx, base2 ? "exp2" : "exp", w, {neg})});
        if (base2)
            e = b.CreateFMul(fconst(cx, w, 1.442695040888963407359924681001892137), e);
        Value *r = b.CreateFAdd(
            b.CreateSelect(float_compare(b, P::FCMP_OGT, tmp, fconst(cx, w, 0.0)), a[0], a[1]), e);
        r = b.CreateSelect(is_nan(cx, tmp), tmp, r);
        Value *same =
            b.CreateFAdd(a[0], fconst(cx, w, base2 ? 1.0 : 0.693147180559945309417232121458176568));
        return b.CreateSelect(b.CreateFCmpOEQ(a[0], a[1]), same, r);
    });
}

// C's nextafter on the bit pattern (any float width, no libm call): one ulp from x toward y;
// y itself when they are equal (so -0 toward +0 gives +0), as in C and NumPy's float16 version.
Value *nextafter(CodegenCtx &cx, Value *x, Value *y) {
    auto &b = cx.b;
    llvm::Type *ft = x->getType();
    llvm::Type *it = b.getIntNTy(ft->getPrimitiveSizeInBits());
    Value *zero = llvm::ConstantFP::get(ft, 0.0);
    Value *bits = b.CreateBitCast(x, it);
    // The magnitude grows when stepping away from zero: toward +inf from a positive x, or
    // toward -inf from a negative one.
    Value *away =
        b.CreateICmpEQ(float_compare(b, P::FCMP_OLT, x, y), float_compare(b, P::FCMP_OGT, x, zero));
    Value *step = b.CreateSelect(away, b.CreateAdd(bits, llvm::ConstantInt::get(it, 1)),
                                 b.CreateSub(bits, llvm::ConstantInt::get(it, 1)));
    Value *r = b.CreateBitCast(step, ft);
    Value *tiny = b.CreateBitCast(llvm::ConstantInt::get(it, 1), ft);
    r = b.CreateSelect(b.CreateFCmpOEQ(x, zero),
                       b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, tiny, y), r);
    r = b.CreateSelect(b.CreateFCmpOEQ(x, y), y, r);
    return b.CreateSelect(b.CreateOr(is_nan(cx, x), is_nan(cx, y)), b.CreateFAdd(x, y), r);
}

// ldexp with an int32 or int64 exponent; int64 exponents beyond int32 are clamped, which
// gives the same 0 or inf.
Value *ldexp(CodegenCtx &cx, Value *x, Value *e, Scalar s) {
    auto &b = cx.b;
    if (e->getType()->getIntegerBitWidth() > 32) {
        e = b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, e,
                                    llvm::ConstantInt::getSigned(e->getType(), INT32_MIN));
        e = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, e,
                                    llvm::ConstantInt::getSigned(e->getType(), INT32_MAX));
        e = b.CreateTrunc(e, b.getInt32Ty());
    } else {
        e = b.CreateSExt(e, b.getInt32Ty());
    }
    return libm_call(cx, "ldexp", s, {x, e});
}

// C fmod for integers, as NumPy's: 0 for a zero divisor (and for INT_MIN % -1, which traps).
Value *int_fmod(CodegenCtx &cx, Value *a, Value *d, TypeRef t) {
    auto &b = cx.b;
    llvm::Type *ty = a->getType();
    Value *one = llvm::ConstantInt::get(ty, 1);
    Value *bad = b.CreateICmpEQ(d, llvm::ConstantInt::get(ty, 0));
    if (is_signed(t))
        bad = b.CreateOr(bad, b.CreateICmpEQ(d, llvm::ConstantInt::getSigned(ty, -1)));
    Value *safe = b.CreateSelect(bad, one, d); // x % 1 == x % -1 == 0, the result for both
    return is_signed(t) ? b.CreateSRem(a, safe) : b.CreateURem(a, safe);
}

// np.heaviside(x, h0): 0 below zero, h0 at zero, 1 above, NaN for NaN.
Value *heaviside(CodegenCtx &cx, Value *x, Value *h0, Scalar s) {
    auto &b = cx.b;
    Value *zero = fconst(cx, s, 0.0);
    Value *r = b.CreateSelect(float_compare(b, P::FCMP_OLT, x, zero), zero, fconst(cx, s, 1.0));
    r = b.CreateSelect(b.CreateFCmpOEQ(x, zero), h0, r);
    return b.CreateSelect(is_nan(cx, x), fconst(cx, s, NAN), r);
}

// x * (180 / pi) or x * (pi / 180) with the constant NumPy uses in that precision.
Value *degrees(CodegenCtx &cx, bool to_degrees, Value *x, Scalar s) {
    return in_float32_if_half(cx, s, {x}, [&](llvm::ArrayRef<Value *> a, Scalar w) {
        double k;
        if (w == Scalar::Float32) {
            float pi = static_cast<float>(M_PI);
            k = to_degrees ? 180.0f / pi : pi / 180.0f;
        } else {
            k = to_degrees ? 180.0 / M_PI : M_PI / 180.0;
        }
        return cx.b.CreateFMul(a[0], fconst(cx, w, k));
    });
}

// NumPy's power_of_ten(n) for n = 0..308 (1e0..1e8 from a table, then repeated multiplication
// by 10 as NumPy does), inf past that.
llvm::GlobalVariable *pow10_table(CodegenCtx &cx) {
    const char *name = "loopjit.pow10";
    if (llvm::GlobalVariable *g = cx.m.getNamedGlobal(name))
        return g;
    std::vector<double> p(310);
    const double small[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    for (int n = 0; n < 309; ++n) {
        if (n < 9) {
            p[n] = small[n];
        } else {
            p[n] = 1e9;
            for (int k = n; k-- > 9;)
                p[n] *= 10.;
        }
    }
    p[309] = INFINITY;
    auto *data = llvm::ConstantDataArray::get(cx.llvm(), llvm::ArrayRef<double>(p));
    return new llvm::GlobalVariable(cx.m, data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                    data, name);
}

// NumPy's power_of_ten(mag) for an int64 mag >= 0, rounded to `ty`.
Value *power_of_ten(CodegenCtx &cx, Value *mag, llvm::Type *ty) {
    auto &b = cx.b;
    mag = b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, mag, b.getInt64(309));
    llvm::GlobalVariable *table = pow10_table(cx);
    Value *slot = b.CreateInBoundsGEP(table->getValueType(), table, {b.getInt64(0), mag});
    return b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), slot), ty);
}

// NumPy's cast of a float64 to an integer type as its array loops execute it on x86-64
// (cvttsd2si and its vector forms): a value out of the conversion's range gives its "integer
// indefinite" (the minimum of 32 or 64 bits); int8..int32, uint8 and uint16 take the low bits
// of a 32-bit conversion; uint32 and uint64 convert x - 2**(bits-1) from 2**(bits-1) up and
// flip the top bit. Wraps where a saturating cast would not.
Value *numpy_cast_to_int(CodegenCtx &cx, Value *x, Scalar to) {
    auto &b = cx.b;
    auto convert = [&](Value *v, unsigned bits) -> Value * {
        double limit = std::ldexp(1.0, static_cast<int>(bits) - 1);
        Value *in_range = b.CreateAnd(
            float_compare(b, P::FCMP_OGE, v, llvm::ConstantFP::get(v->getType(), -limit)),
            float_compare(b, P::FCMP_OLT, v, llvm::ConstantFP::get(v->getType(), limit)));
        // Only in-range values reach fptosi: it raises no flag and is never poison.
        Value *safe = b.CreateSelect(in_range, v, llvm::ConstantFP::get(v->getType(), 0.0));
        llvm::Type *it = b.getIntNTy(bits);
        return b.CreateSelect(in_range, b.CreateFPToSI(safe, it),
                              llvm::ConstantInt::get(it, llvm::APInt::getSignedMinValue(bits)));
    };
    llvm::Type *ty = scalar_llvm_type(cx, to);
    if (to == Scalar::UInt64 || to == Scalar::UInt32) {
        unsigned bits = static_cast<unsigned>(scalar_bits(to));
        Value *high = llvm::ConstantFP::get(x->getType(), std::ldexp(1.0, bits - 1));
        Value *top = llvm::ConstantInt::get(ty, llvm::APInt::getSignMask(bits));
        Value *above = float_compare(b, P::FCMP_OGE, x, high);
        Value *r = b.CreateXor(convert(b.CreateFSub(x, high), bits), top);
        return b.CreateSelect(above, r, convert(x, bits));
    }
    return b.CreateTrunc(convert(x, to == Scalar::Int64 ? 64 : 32), ty);
}

// np.round(x, decimals) of an integer: x itself for decimals >= 0; else rint(x / 10**-d) *
// 10**-d in float64, cast back as NumPy's loops do (np.round(np.int8(127), -1) == -126).
Value *round_integer(CodegenCtx &cx, Value *x, TypeRef t, Value *decimals) {
    auto &b = cx.b;
    TypeRef f64 = scalar_type(Scalar::Float64);
    Value *xf = cx.cast(x, t, f64);
    Value *keep = b.CreateICmpSGE(decimals, b.getInt64(0));
    Value *f = power_of_ten(cx, b.CreateSelect(keep, b.getInt64(0), b.CreateNeg(decimals)),
                            b.getDoubleTy());
    Value *r = b.CreateFMul(b.CreateUnaryIntrinsic(llvm::Intrinsic::rint, b.CreateFDiv(xf, f)), f);
    Value *back =
        t->scalar == Scalar::Bool ? cx.cast(r, f64, t) : numpy_cast_to_int(cx, r, t->scalar);
    return b.CreateSelect(keep, x, back);
}

} // namespace

Value *round_to_decimals(CodegenCtx &cx, Value *x, Value *decimals) {
    auto &b = cx.b;
    auto rint = [&](Value *v) { return b.CreateUnaryIntrinsic(llvm::Intrinsic::rint, v); };
    if (!decimals)
        return rint(x);
    // NumPy: rint(x * 10**d) / 10**d for d >= 0, rint(x / 10**-d) * 10**-d below, with the power
    // of ten rounded to x's type.
    Value *neg = b.CreateICmpSLT(decimals, b.getInt64(0));
    Value *mag = b.CreateSelect(neg, b.CreateNeg(decimals), decimals);
    Value *f = power_of_ten(cx, mag, x->getType());
    Value *up = b.CreateFDiv(rint(b.CreateFMul(x, f)), f);
    Value *down = b.CreateFMul(rint(b.CreateFDiv(x, f)), f);
    return b.CreateSelect(neg, down, up);
}

Value *emit_real_math(CodegenCtx &cx, Builtin b, const Node &call, const Args &args) {
    TypeRef rt = call.type;
    TypeRef at = call.kids.empty() ? nullptr : call.kid(0)->type;
    auto &ir = cx.b;
    switch (b) {
    case Builtin::Floor:
    case Builtin::Ceil:
    case Builtin::Trunc:
    case Builtin::Rint: // an integer is already integral; math.floor(float) -> int64 converts
        if (is_integral(at))
            return cx.cast(args[0], at, rt);
        return cx.cast(ir.CreateUnaryIntrinsic(exact_intrinsic(b), args[0]), at, rt);
    case Builtin::Round: {
        Value *decimals = args.size() == 2 ? args[1] : nullptr;
        Value *x = args[0];
        if (is_float(at))
            return cx.cast(round_to_decimals(cx, x, decimals), at, rt);
        if (!decimals)
            return cx.cast(x, at, rt);
        return cx.cast(round_integer(cx, x, at, decimals), at, rt);
    }
    case Builtin::Fmod:
        if (!is_float(rt))
            return int_fmod(cx, args[0], args[1], rt);
        return ir.CreateFRem(args[0], args[1]);
    default:
        break;
    }
    if (!is_float(rt) || !is_float(at))
        return nullptr;
    Scalar s = rt->scalar;
    if (llvm::Intrinsic::ID id = exact_intrinsic(b))
        return ir.CreateUnaryIntrinsic(id, args[0]);
    switch (b) {
    case Builtin::Log:
        if (args.size() == 2) // math.log(x, base)
            return ir.CreateFDiv(libm_call(cx, "log", s, {args[0]}),
                                 libm_call(cx, "log", s, {args[1]}));
        break;
    case Builtin::Lgamma:
        return lgamma(cx, args[0], s);
    case Builtin::Copysign:
        return ir.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, args[0], args[1]);
    case Builtin::Nextafter:
        return nextafter(cx, args[0], args[1]);
    case Builtin::Ldexp:
        return ldexp(cx, args[0], args[1], s);
    case Builtin::Logaddexp:
    case Builtin::Logaddexp2:
        return logaddexp(cx, b == Builtin::Logaddexp2, args[0], args[1], s);
    case Builtin::Heaviside:
        return heaviside(cx, args[0], args[1], s);
    case Builtin::Degrees:
    case Builtin::Radians:
        return degrees(cx, b == Builtin::Degrees, args[0], s);
    case Builtin::Angle: // of a real number: arctan2(0, x)
        return libm_call(cx, "atan2", s, {fconst(cx, s, 0.0), args[0]});
    default:
        break;
    }
    if (const char *name = libm_name(b))
        return libm_call(cx, name, s, args);
    return nullptr;
}

} // namespace lj::builtins
