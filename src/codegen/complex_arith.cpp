// Complex arithmetic in LLVM IR as NumPy computes it: {re, im} pairs, Smith's division and
// npy_cpow's powers, branch-free so loops over complex kernels vectorize.
#include "codegen/complex_arith.h"
#include "codegen/float_compare.h"

#include <llvm/IR/Intrinsics.h>

#include <cmath>

namespace lj {
namespace {

using llvm::Value;

struct Cplx {
    Value *re, *im;
};

Cplx cmul(llvm::IRBuilder<> &b, Cplx x, Cplx y) {
    return {b.CreateFSub(b.CreateFMul(x.re, y.re), b.CreateFMul(x.im, y.im)),
            b.CreateFAdd(b.CreateFMul(x.re, y.im), b.CreateFMul(x.im, y.re))};
}

// Smith's algorithm as NumPy implements it; the three cases computed and selected.
Cplx cdiv(llvm::IRBuilder<> &b, Cplx x, Cplx y) {
    llvm::Type *ty = x.re->getType();
    Value *zero = llvm::ConstantFP::get(ty, 0.0), *one = llvm::ConstantFP::get(ty, 1.0);
    Value *abs_re = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y.re);
    Value *abs_im = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y.im);
    Value *re_big = float_compare(b, llvm::CmpInst::FCMP_OGE, abs_re, abs_im);
    Value *both_zero = b.CreateAnd(b.CreateFCmpOEQ(abs_re, zero), b.CreateFCmpOEQ(abs_im, zero));
    // |y.re| >= |y.im|, y != 0
    Value *rat1 = b.CreateFDiv(y.im, y.re);
    Value *scl1 = b.CreateFDiv(one, b.CreateFAdd(y.re, b.CreateFMul(y.im, rat1)));
    Value *re1 = b.CreateFMul(b.CreateFAdd(x.re, b.CreateFMul(x.im, rat1)), scl1);
    Value *im1 = b.CreateFMul(b.CreateFSub(x.im, b.CreateFMul(x.re, rat1)), scl1);
    // y == 0: a complex inf or nan
    Value *re0 = b.CreateFDiv(x.re, abs_re), *im0 = b.CreateFDiv(x.im, abs_re);
    // |y.re| < |y.im|
    Value *rat2 = b.CreateFDiv(y.re, y.im);
    Value *scl2 = b.CreateFDiv(one, b.CreateFAdd(y.im, b.CreateFMul(y.re, rat2)));
    Value *re2 = b.CreateFMul(b.CreateFAdd(b.CreateFMul(x.re, rat2), x.im), scl2);
    Value *im2 = b.CreateFMul(b.CreateFSub(b.CreateFMul(x.im, rat2), x.re), scl2);
    return {b.CreateSelect(re_big, b.CreateSelect(both_zero, re0, re1), re2),
            b.CreateSelect(re_big, b.CreateSelect(both_zero, im0, im1), im2)};
}

// The exponent as a small integer when it is a constant NumPy would take its integer path for.
bool constant_int_exponent(Value *e, int *n) {
    auto *c = llvm::dyn_cast<llvm::Constant>(e);
    if (!c)
        return false;
    auto *re = llvm::dyn_cast_or_null<llvm::ConstantFP>(c->getAggregateElement(0u));
    auto *im = llvm::dyn_cast_or_null<llvm::ConstantFP>(c->getAggregateElement(1u));
    if (!re || !im || !im->isZero())
        return false;
    double v = re->getValueAPF().convertToDouble();
    if (!(v > -100 && v < 100) || std::trunc(v) != v)
        return false;
    *n = static_cast<int>(v);
    return true;
}

Cplx cselect(llvm::IRBuilder<> &b, Value *c, Cplx x, Cplx y) {
    return {b.CreateSelect(c, x.re, y.re), b.CreateSelect(c, x.im, y.im)};
}

// x ** n for a constant integer n, 0 < |n| < 100, in npy_cpow's order of multiplications.
Cplx cpow_const_int(llvm::IRBuilder<> &b, Cplx x, int n) {
    llvm::Type *ty = x.re->getType();
    Cplx one{llvm::ConstantFP::get(ty, 1.0), llvm::ConstantFP::get(ty, 0.0)};
    if (n == 1)
        return x;
    if (n == 2)
        return cmul(b, x, x);
    if (n == 3)
        return cmul(b, x, cmul(b, x, x));
    int k = n < 0 ? -n : n;
    Cplx acc = one, p = x;
    for (int mask = 1;; mask <<= 1) {
        if (k & mask)
            acc = cmul(b, acc, p);
        if (k < (mask << 1))
            break;
        p = cmul(b, p, p);
    }
    return n < 0 ? cdiv(b, one, acc) : acc;
}

// The same for a run-time n (|n| < 100: seven bits), branch-free: every step is computed and
// the ones n does not take are not selected, which leaves the result unchanged.
Cplx cpow_runtime_int(llvm::IRBuilder<> &b, Cplx x, Value *n) {
    llvm::Type *ty = x.re->getType(), *i32 = b.getInt32Ty();
    Cplx one{llvm::ConstantFP::get(ty, 1.0), llvm::ConstantFP::get(ty, 0.0)};
    Value *k = b.CreateSelect(b.CreateICmpSLT(n, b.getInt32(0)), b.CreateNeg(n), n);
    Cplx acc = one, p = x;
    for (int bit = 0; bit < 7; ++bit) {
        Value *set =
            b.CreateICmpNE(b.CreateAnd(k, llvm::ConstantInt::get(i32, 1 << bit)), b.getInt32(0));
        acc = cselect(b, set, cmul(b, acc, p), acc);
        if (bit < 6)
            p = cmul(b, p, p);
    }
    Cplx r = cselect(b, b.CreateICmpSLT(n, b.getInt32(0)), cdiv(b, one, acc), acc);
    Cplx sq = cmul(b, x, x);
    r = cselect(b, b.CreateICmpEQ(n, b.getInt32(3)), cmul(b, x, sq), r);
    r = cselect(b, b.CreateICmpEQ(n, b.getInt32(2)), sq, r);
    return cselect(b, b.CreateICmpEQ(n, b.getInt32(1)), x, r);
}

// x ** y = exp(y * log(x)), as the C library's cpow computes it.
Cplx cpow_general(CodegenCtx &cx, Cplx x, Cplx y) {
    auto &b = cx.b;
    llvm::Type *ty = x.re->getType();
    bool f32 = ty->isFloatTy();
    llvm::FunctionType *f2 = llvm::FunctionType::get(ty, {ty, ty}, false);
    Value *mag = b.CreateCall(cx.libm(f32 ? "hypotf" : "hypot", f2), {x.re, x.im});
    Value *arg = b.CreateCall(cx.libm(f32 ? "atan2f" : "atan2", f2), {x.im, x.re});
    Cplx log_x{b.CreateUnaryIntrinsic(llvm::Intrinsic::log, mag), arg};
    Cplx w = cmul(b, y, log_x);
    Value *e = b.CreateUnaryIntrinsic(llvm::Intrinsic::exp, w.re);
    return {b.CreateFMul(e, b.CreateUnaryIntrinsic(llvm::Intrinsic::cos, w.im)),
            b.CreateFMul(e, b.CreateUnaryIntrinsic(llvm::Intrinsic::sin, w.im))};
}

// NumPy's npy_cpow: x ** 0 == 1; 0 ** y is 0 for y.re > 0, else NaN; a real integer exponent
// with |n| < 100 is repeated multiplication (exactly NumPy's result); otherwise exp(y log x).
Cplx cpow(CodegenCtx &cx, Cplx x, Cplx y, Value *y_value) {
    auto &b = cx.b;
    llvm::Type *ty = x.re->getType();
    Value *zero = llvm::ConstantFP::get(ty, 0.0), *one = llvm::ConstantFP::get(ty, 1.0);
    Value *nan = llvm::ConstantFP::getNaN(ty);
    Value *x_zero = b.CreateAnd(b.CreateFCmpOEQ(x.re, zero), b.CreateFCmpOEQ(x.im, zero));
    Value *y_zero = b.CreateAnd(b.CreateFCmpOEQ(y.re, zero), b.CreateFCmpOEQ(y.im, zero));
    Cplx r;
    int n = 0;
    if (constant_int_exponent(y_value, &n)) {
        r = n == 0 ? Cplx{one, zero} : cpow_const_int(b, x, n);
    } else {
        Value *ni = b.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {b.getInt32Ty(), ty}, {y.re});
        Value *small_int = b.CreateAnd(
            b.CreateAnd(b.CreateFCmpOEQ(y.im, zero), b.CreateFCmpOEQ(b.CreateSIToFP(ni, ty), y.re)),
            float_compare(b, llvm::CmpInst::FCMP_OLT,
                          b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y.re),
                          llvm::ConstantFP::get(ty, 100.0)));
        r = cselect(b, small_int, cpow_runtime_int(b, x, ni), cpow_general(cx, x, y));
    }
    Value *pos = float_compare(b, llvm::CmpInst::FCMP_OGT, y.re, zero);
    r = cselect(b, x_zero, Cplx{b.CreateSelect(pos, zero, nan), b.CreateSelect(pos, zero, nan)}, r);
    return cselect(b, y_zero, Cplx{one, zero}, r);
}

} // namespace

llvm::Value *emit_complex_binary(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *d, TypeRef t,
                                 SourceLoc loc) {
    auto &b = cx.b;
    Cplx x{cx.real(a), cx.imag(a)}, y{cx.real(d), cx.imag(d)}, r;
    switch (op) {
    case Op::Add:
        r = {b.CreateFAdd(x.re, y.re), b.CreateFAdd(x.im, y.im)};
        break;
    case Op::Sub:
        r = {b.CreateFSub(x.re, y.re), b.CreateFSub(x.im, y.im)};
        break;
    case Op::Mul:
        r = cmul(b, x, y);
        break;
    case Op::Div:
        r = cdiv(b, x, y);
        break;
    case Op::Pow:
        r = cpow(cx, x, y, d);
        break;
    default:
        throw CompileError(
            ErrorKind::Internal,
            std::string("operator ") + op_text(op) + " reached codegen for " + type_name(t), loc);
    }
    return cx.make_complex(r.re, r.im, t);
}

} // namespace lj
