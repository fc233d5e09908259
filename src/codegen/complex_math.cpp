// Builtins on complex numbers. Transcendental functions call the C library's csqrt, cexp, ...
// as NumPy does, through the x86-64 SysV ABI as clang lowers `double complex`
// ({double, double} f(double, double)) and `float complex` (<2 x float> f(<2 x float>)); the
// others follow NumPy's formulas (funcs.inc.src, loops.c.src) or CPython's (cmath.rect).
#include "codegen/builtin_support.h"
#include "codegen/float_compare.h"

#include "codegen/llvm_types.h"

#include <cmath>

namespace lj::builtins {
namespace {

using P = llvm::CmpInst::Predicate;

const std::pair<Builtin, const char *> kComplexLibm[] = {
    {Builtin::Sqrt, "csqrt"},   {Builtin::Exp, "cexp"},     {Builtin::Log, "clog"},
    {Builtin::Sin, "csin"},     {Builtin::Cos, "ccos"},     {Builtin::Tan, "ctan"},
    {Builtin::Asin, "casin"},   {Builtin::Acos, "cacos"},   {Builtin::Atan, "catan"},
    {Builtin::Sinh, "csinh"},   {Builtin::Cosh, "ccosh"},   {Builtin::Tanh, "ctanh"},
    {Builtin::Asinh, "casinh"}, {Builtin::Acosh, "cacosh"}, {Builtin::Atanh, "catanh"},
};

// The parts of complex values and the arithmetic on them, in the part type `s`.
struct C {
    CodegenCtx &cx;
    TypeRef t; // the complex type
    Scalar s;  // its part type

    llvm::IRBuilder<> &b() { return cx.b; }
    Value *k(double v) { return fconst(cx, s, v); }
    Value *make(Value *re, Value *im) { return cx.make_complex(re, im, t); }
    Value *re(Value *z) { return cx.real(z); }
    Value *im(Value *z) { return cx.imag(z); }
    Value *add(Value *x, Value *y) { return b().CreateFAdd(x, y); }
    Value *sub(Value *x, Value *y) { return b().CreateFSub(x, y); }
    Value *mul(Value *x, Value *y) { return b().CreateFMul(x, y); }
    Value *div(Value *x, Value *y) { return b().CreateFDiv(x, y); }
    Value *sel(Value *c, Value *x, Value *y) { return b().CreateSelect(c, x, y); }
    Value *cmp(P p, Value *x, Value *y) { return float_compare(b(), p, x, y); }
    Value *fabs(Value *x) { return b().CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x); }
    Value *isnan(Value *x) { return is_nan(cx, x); }
    Value *isinf(Value *x) { return cmp(P::FCMP_OEQ, fabs(x), k(INFINITY)); }
    Value *isfinite(Value *x) { return cmp(P::FCMP_OLT, fabs(x), k(INFINITY)); }
    Value *call(const char *name, llvm::ArrayRef<Value *> args) {
        return libm_call(cx, name, s, args);
    }

    // f(z) for a C library complex function "csqrt" (complex128) / "csqrtf" (complex64).
    Value *libc(const char *name, Value *z) {
        auto &ir = b();
        if (s == Scalar::Float64) {
            llvm::Type *d = ir.getDoubleTy();
            Value *r =
                pure_call(cx, name, llvm::StructType::get(cx.llvm(), {d, d}), {re(z), im(z)});
            return make(ir.CreateExtractValue(r, 0), ir.CreateExtractValue(r, 1));
        }
        auto *v2 = llvm::FixedVectorType::get(ir.getFloatTy(), 2);
        Value *v = ir.CreateInsertElement(llvm::PoisonValue::get(v2), re(z), uint64_t(0));
        v = ir.CreateInsertElement(v, im(z), uint64_t(1));
        Value *r = pure_call(cx, std::string(name) + "f", v2, {v});
        return make(ir.CreateExtractElement(r, uint64_t(0)),
                    ir.CreateExtractElement(r, uint64_t(1)));
    }
    Value *scale(Value *z, double f) { return make(mul(re(z), k(f)), mul(im(z), k(f))); }
};

// log1p near the circle |1 + z| = 1 loses every digit to cancellation in log|1 + z|; there
// (the region NumPy also treats specially) |1 + z|^2 - 1 = 2x + x^2 + y^2 is summed from exact
// products (fma) with compensated additions, and log|1 + z| = log1p(that) / 2.
Value *log1p(C &c, Value *z) {
    auto &b = c.b();
    Value *x = c.re(z), *y = c.im(z);
    Value *xp1 = c.add(x, c.k(1.0));
    Value *plain = c.libc("clog", c.make(xp1, y));
    auto fma = [&](Value *p, Value *q, Value *r) {
        return b.CreateIntrinsic(llvm::Intrinsic::fma, {p->getType()}, {p, q, r});
    };
    Value *xx = c.mul(x, x), *yy = c.mul(y, y);
    Value *xx_err = fma(x, x, b.CreateFNeg(xx)), *yy_err = fma(y, y, b.CreateFNeg(yy));
    Value *sum = c.add(x, x), *err = c.add(xx_err, yy_err);
    for (Value *term : {xx, yy}) { // Knuth's two-sum: err collects what each addition drops
        Value *t = c.add(sum, term);
        Value *bv = c.sub(t, sum);
        err = c.add(err, c.add(c.sub(sum, c.sub(t, bv)), c.sub(term, bv)));
        sum = t;
    }
    Value *real = c.mul(c.k(0.5), c.call("log1p", {c.add(sum, err)}));
    Value *precise = c.make(real, c.call("atan2", {y, xp1}));
    const double delta = 0.001;
    Value *in_box = b.CreateAnd(
        b.CreateAnd(c.cmp(P::FCMP_OLT, c.k(-2 - delta), x), c.cmp(P::FCMP_OLT, x, c.k(delta))),
        b.CreateAnd(c.cmp(P::FCMP_OLT, c.k(-1 - delta), y), c.cmp(P::FCMP_OLT, y, c.k(1 + delta))));
    Value *m = c.call("hypot", {xp1, y});
    Value *near =
        b.CreateAnd(c.cmp(P::FCMP_OLT, c.k(1 - delta), m), c.cmp(P::FCMP_OLT, m, c.k(1 + delta)));
    return c.sel(b.CreateAnd(in_box, near), precise, plain);
}

// NumPy's expm1: (expm1(x) cos y - 2 sin^2(y / 2), exp(x) sin y).
Value *expm1(C &c, Value *z) {
    Value *x = c.re(z), *y = c.im(z);
    Value *a = c.call("sin", {c.div(y, c.k(2.0))});
    Value *re =
        c.sub(c.mul(c.call("expm1", {x}), c.call("cos", {y})), c.mul(c.mul(c.k(2.0), a), a));
    return c.make(re, c.mul(c.call("exp", {x}), c.call("sin", {y})));
}

// NumPy 2's sign: z / |z|, 0 for 0, the unit along the infinite axis for an infinite z, NaN when
// both parts are infinite or |z| is NaN.
Value *sign(C &c, Value *z) {
    Value *x = c.re(z), *y = c.im(z);
    Value *abs = c.call("hypot", {x, y});
    Value *nan = c.k(NAN), *zero = c.k(0.0), *one = c.k(1.0), *minus = c.k(-1.0);
    Value *re = c.div(x, abs), *im = c.div(y, abs);
    Value *is_zero = c.cmp(P::FCMP_OEQ, abs, zero);
    re = c.sel(is_zero, zero, re);
    im = c.sel(is_zero, zero, im);
    Value *x_inf = c.isinf(x), *y_inf = c.isinf(y);
    Value *inf_re = c.sel(y_inf, nan, c.sel(c.cmp(P::FCMP_OGT, x, zero), one, minus));
    Value *inf_im = c.sel(y_inf, nan, zero);
    Value *abs_inf = c.isinf(abs);
    re = c.sel(abs_inf, c.sel(x_inf, inf_re, zero), re);
    im = c.sel(abs_inf, c.sel(x_inf, inf_im, c.sel(c.cmp(P::FCMP_OGT, y, zero), one, minus)), im);
    Value *abs_nan = c.isnan(abs);
    return c.make(c.sel(abs_nan, nan, re), c.sel(abs_nan, nan, im));
}

// NumPy's reciprocal: Smith's division of 1 by z.
Value *reciprocal(C &c, Value *z) {
    Value *x = c.re(z), *y = c.im(z);
    Value *small_im = c.cmp(P::FCMP_OLE, c.fabs(y), c.fabs(x));
    Value *r1 = c.div(y, x), *d1 = c.add(x, c.mul(y, r1));
    Value *r2 = c.div(x, y), *d2 = c.add(c.mul(x, r2), y);
    Value *one = c.k(1.0);
    Value *re = c.sel(small_im, c.div(one, d1), c.div(r2, d2));
    Value *im = c.sel(small_im, c.div(c.b().CreateFNeg(r1), d1), c.div(c.b().CreateFNeg(one), d2));
    return c.make(re, im);
}

// NumPy's lexicographic maximum/minimum/fmax/fmin: compare real parts, then imaginary parts;
// maximum and minimum propagate a NaN in the first argument, fmax and fmin ignore one in the
// second.
Value *max_like(C &c, Builtin bi, Value *a, Value *z) {
    auto &b = c.b();
    Value *ar = c.re(a), *ai = c.im(a), *br = c.re(z), *bi_ = c.im(z);
    bool greater = bi == Builtin::Maximum || bi == Builtin::Fmax;
    Value *no_nan_im = b.CreateNot(b.CreateOr(c.isnan(ai), c.isnan(bi_)));
    Value *order =
        b.CreateOr(b.CreateAnd(c.cmp(greater ? P::FCMP_OGT : P::FCMP_OLT, ar, br), no_nan_im),
                   b.CreateAnd(c.cmp(P::FCMP_OEQ, ar, br),
                               c.cmp(greater ? P::FCMP_OGE : P::FCMP_OLE, ai, bi_)));
    bool propagate = bi == Builtin::Maximum || bi == Builtin::Minimum;
    Value *nan =
        propagate ? b.CreateOr(c.isnan(ar), c.isnan(ai)) : b.CreateOr(c.isnan(br), c.isnan(bi_));
    return c.sel(b.CreateOr(order, nan), a, z);
}

// CPython's cmath.rect(r, phi), its special values included (math domain errors give NaN).
Value *rect(C &c, Value *r, Value *phi) {
    auto &b = c.b();
    Value *zero = c.k(0.0), *nan = c.k(NAN);
    Value *re = c.mul(r, c.call("cos", {phi})), *im = c.mul(r, c.call("sin", {phi}));
    // phi == 0: (r, r * phi), the zero's sign from both; a NaN r gives +0.
    Value *signed_zero = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, zero, r);
    Value *im0 = c.sel(c.isinf(r), c.mul(signed_zero, phi), c.mul(r, phi));
    im0 = c.sel(c.isnan(r), zero, im0);
    Value *phi_zero = c.cmp(P::FCMP_OEQ, phi, zero);
    re = c.sel(phi_zero, r, re);
    im = c.sel(phi_zero, im0, im);
    // phi infinite or NaN: 0 for r = 0, (inf, nan) for an infinite r and NaN phi, else NaN.
    Value *r_zero = c.cmp(P::FCMP_OEQ, r, zero);
    Value *inf_nan = b.CreateAnd(c.isinf(r), c.isnan(phi));
    Value *bad_re = c.sel(r_zero, zero, c.sel(inf_nan, c.k(INFINITY), nan));
    Value *bad_im = c.sel(r_zero, zero, nan);
    Value *phi_bad = b.CreateNot(c.isfinite(phi));
    return c.make(c.sel(phi_bad, bad_re, re), c.sel(phi_bad, bad_im, im));
}

const char *libc_name(Builtin b) {
    for (const auto &e : kComplexLibm)
        if (e.first == b)
            return e.second;
    return nullptr;
}

} // namespace

Value *emit_complex_math(CodegenCtx &cx, Builtin b, const Node &call, const Args &args) {
    TypeRef rt = call.type;
    TypeRef at = call.kid(0)->type;
    TypeRef ct = is_complex(at) ? at : rt; // the complex type involved
    C c{cx, ct, complex_part(ct->scalar)};
    auto &ir = cx.b;
    Value *z = args[0];
    switch (b) {
    case Builtin::Log:
        if (args.size() == 2) // cmath.log(z, base)
            return emit_binary(cx, Op::Div, c.libc("clog", z), c.libc("clog", args[1]), rt,
                               call.loc);
        break;
    case Builtin::Log10:
        return c.scale(c.libc("clog", z), 0.434294481903251827651128918916605082);
    case Builtin::Log2:
        return c.scale(c.libc("clog", z), 1.442695040888963407359924681001892137);
    case Builtin::Exp2:
        return c.libc("cexp", c.scale(z, 0.693147180559945309417232121458176568));
    case Builtin::Expm1:
        return expm1(c, z);
    case Builtin::Log1p:
        return log1p(c, z);
    case Builtin::Rint:
    case Builtin::Round: {
        Value *decimals = args.size() == 2 ? args[1] : nullptr;
        return c.make(round_to_decimals(cx, c.re(z), decimals),
                      round_to_decimals(cx, c.im(z), decimals));
    }
    case Builtin::Abs:
    case Builtin::Absolute:
        return c.call("hypot", {c.re(z), c.im(z)});
    case Builtin::Angle:
        return c.call("atan2", {c.im(z), c.re(z)});
    case Builtin::Polar: {
        Value *out = llvm::PoisonValue::get(llvm_value_type(cx.llvm(), rt));
        out = ir.CreateInsertValue(out, c.call("hypot", {c.re(z), c.im(z)}), 0);
        return ir.CreateInsertValue(out, c.call("atan2", {c.im(z), c.re(z)}), 1);
    }
    case Builtin::Rect:
        return rect(c, args[0], args[1]);
    case Builtin::IsNan:
        return ir.CreateOr(c.isnan(c.re(z)), c.isnan(c.im(z)));
    case Builtin::IsInf:
        return ir.CreateOr(c.isinf(c.re(z)), c.isinf(c.im(z)));
    case Builtin::IsFinite:
        return ir.CreateAnd(c.isfinite(c.re(z)), c.isfinite(c.im(z)));
    case Builtin::Negative:
        return c.make(ir.CreateFNeg(c.re(z)), ir.CreateFNeg(c.im(z)));
    case Builtin::Square: {
        // NumPy's vectorized complex multiply: (x*x - y*y, x*y + y*x) with one multiply-add
        // each, fused where the CPU has FMA (npyv_muladdsub; llvm.fmuladd likewise).
        Value *x = c.re(z), *y = c.im(z);
        auto muladd = [&](Value *p, Value *q, Value *r) {
            return ir.CreateIntrinsic(llvm::Intrinsic::fmuladd, {p->getType()}, {p, q, r});
        };
        return c.make(muladd(x, x, ir.CreateFNeg(c.mul(y, y))), muladd(x, y, c.mul(y, x)));
    }
    case Builtin::Reciprocal:
        return reciprocal(c, z);
    case Builtin::Sign:
        return sign(c, z);
    case Builtin::Maximum:
    case Builtin::Minimum:
    case Builtin::Fmax:
    case Builtin::Fmin:
        return max_like(c, b, args[0], args[1]);
    default:
        break;
    }
    if (const char *name = libc_name(b))
        if (args.size() == 1)
            return c.libc(name, z);
    return nullptr;
}

} // namespace lj::builtins
