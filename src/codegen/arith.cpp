// Arithmetic and comparison operators in LLVM IR with NumPy's semantics (docs/semantics.md):
// wrapping integers with guarded division, npy_divmod for floats, integer powers by squaring,
// NumPy's shifts (complex numbers: complex_arith.cpp). Selects, not branches, wherever the
// operation is per element, so loops over kernels stay vectorizable.
#include "codegen/complex_arith.h"
#include "codegen/context.h"
#include "codegen/float_compare.h"

#include <llvm/IR/Intrinsics.h>

#include <utility>

namespace lj {
namespace {

using llvm::Value;

[[noreturn]] void bad_op(Op op, TypeRef t, SourceLoc loc) {
    throw CompileError(
        ErrorKind::Internal,
        std::string("operator ") + op_text(op) + " reached codegen for " + type_name(t), loc);
}

// ---- integers ----------------------------------------------------------------------------------

// Python/NumPy floor division and modulo. x // 0 == x % 0 == 0, MIN // -1 == MIN: the divisor
// is replaced before the division where LLVM's would be undefined.
Value *int_divmod(llvm::IRBuilder<> &b, Value *a, Value *d, bool is_signed, bool want_mod) {
    llvm::Type *ty = a->getType();
    Value *zero = llvm::ConstantInt::get(ty, 0), *one = llvm::ConstantInt::get(ty, 1);
    Value *is0 = b.CreateICmpEQ(d, zero);
    if (!is_signed) {
        Value *safe = b.CreateSelect(is0, one, d);
        Value *r = want_mod ? b.CreateURem(a, safe) : b.CreateUDiv(a, safe);
        return b.CreateSelect(is0, zero, r);
    }
    Value *is_m1 = b.CreateICmpEQ(d, llvm::ConstantInt::getAllOnesValue(ty));
    Value *safe = b.CreateSelect(b.CreateOr(is0, is_m1), one, d);
    Value *r = b.CreateSRem(a, safe); // 0 when d is 0 or -1
    // C truncates; floor semantics move a nonzero remainder to the divisor's sign.
    Value *adjust = b.CreateAnd(b.CreateICmpNE(r, zero), b.CreateICmpSLT(b.CreateXor(r, d), zero));
    if (want_mod)
        return b.CreateSelect(adjust, b.CreateAdd(r, d), r);
    Value *q = b.CreateSub(b.CreateSDiv(a, safe), b.CreateZExt(adjust, ty));
    q = b.CreateSelect(is_m1, b.CreateSub(zero, a), q); // wraps: MIN // -1 == MIN
    return b.CreateSelect(is0, zero, q);
}

// a ** e for a negative e: exact only for |a| == 1, 0 otherwise (an integer result cannot hold
// the fraction; NumPy raises instead, which a ufunc loop cannot).
Value *int_pow_negative(llvm::IRBuilder<> &b, Value *a, Value *e) {
    llvm::Type *ty = a->getType();
    Value *one = llvm::ConstantInt::get(ty, 1), *m1 = llvm::ConstantInt::getAllOnesValue(ty);
    Value *odd = b.CreateTrunc(e, b.getInt1Ty());
    Value *for_m1 = b.CreateSelect(odd, m1, one);
    return b.CreateSelect(
        b.CreateICmpEQ(a, one), one,
        b.CreateSelect(b.CreateICmpEQ(a, m1), for_m1, llvm::ConstantInt::get(ty, 0)));
}

Value *int_pow(llvm::IRBuilder<> &b, Value *a, Value *e, bool is_signed) {
    llvm::Type *ty = a->getType();
    Value *one = llvm::ConstantInt::get(ty, 1);
    if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(e)) {
        // Constant exponent (x ** 2): unrolled square-and-multiply.
        if (is_signed && c->isNegative())
            return int_pow_negative(b, a, e);
        const llvm::APInt &n = c->getValue();
        Value *result = nullptr, *base = a;
        unsigned bits = n.getActiveBits();
        for (unsigned i = 0; i < bits; ++i) {
            if (n[i])
                result = result ? b.CreateMul(result, base) : base;
            if (i + 1 < bits)
                base = b.CreateMul(base, base);
        }
        return result ? result : one;
    }
    llvm::Function *fn = b.GetInsertBlock()->getParent();
    llvm::LLVMContext &ctx = b.getContext();
    Value *neg = is_signed ? b.CreateICmpSLT(e, llvm::ConstantInt::get(ty, 0)) : b.getFalse();
    Value *e0 = b.CreateSelect(neg, llvm::ConstantInt::get(ty, 0), e);
    llvm::BasicBlock *pre = b.GetInsertBlock();
    auto *head = llvm::BasicBlock::Create(ctx, "ipow.head", fn);
    auto *body = llvm::BasicBlock::Create(ctx, "ipow.body", fn);
    auto *done = llvm::BasicBlock::Create(ctx, "ipow.done", fn);
    b.CreateBr(head);
    b.SetInsertPoint(head);
    llvm::PHINode *r = b.CreatePHI(ty, 2), *base = b.CreatePHI(ty, 2), *k = b.CreatePHI(ty, 2);
    b.CreateCondBr(b.CreateICmpEQ(k, llvm::ConstantInt::get(ty, 0)), done, body);
    b.SetInsertPoint(body);
    Value *odd = b.CreateTrunc(k, b.getInt1Ty());
    Value *r2 = b.CreateSelect(odd, b.CreateMul(r, base), r);
    Value *base2 = b.CreateMul(base, base);
    Value *k2 = b.CreateLShr(k, 1);
    b.CreateBr(head);
    r->addIncoming(one, pre);
    r->addIncoming(r2, body);
    base->addIncoming(a, pre);
    base->addIncoming(base2, body);
    k->addIncoming(e0, pre);
    k->addIncoming(k2, body);
    b.SetInsertPoint(done);
    if (!is_signed)
        return r;
    return b.CreateSelect(neg, int_pow_negative(b, a, e), r);
}

// NumPy's shifts: a count outside [0, bits) shifts everything out (>> keeps the sign).
Value *int_shift(llvm::IRBuilder<> &b, Op op, Value *a, Value *d, bool is_signed) {
    llvm::Type *ty = a->getType();
    unsigned bits = ty->getIntegerBitWidth();
    Value *in_range = b.CreateICmpULT(d, llvm::ConstantInt::get(ty, bits));
    Value *count = b.CreateAnd(d, llvm::ConstantInt::get(ty, bits - 1));
    if (op == Op::LShift)
        return b.CreateSelect(in_range, b.CreateShl(a, count), llvm::ConstantInt::get(ty, 0));
    if (is_signed)
        return b.CreateSelect(in_range, b.CreateAShr(a, count),
                              b.CreateAShr(a, llvm::ConstantInt::get(ty, bits - 1)));
    return b.CreateSelect(in_range, b.CreateLShr(a, count), llvm::ConstantInt::get(ty, 0));
}

Value *integer_op(CodegenCtx &cx, Op op, Value *a, Value *d, TypeRef t, SourceLoc loc) {
    auto &b = cx.b;
    bool is_signed = scalar_class(t->scalar) == ScalarClass::Signed;
    switch (op) {
    case Op::Add:
        return b.CreateAdd(a, d);
    case Op::Sub:
        return b.CreateSub(a, d);
    case Op::Mul:
        return b.CreateMul(a, d);
    case Op::FloorDiv:
        return int_divmod(b, a, d, is_signed, false);
    case Op::Mod:
        return int_divmod(b, a, d, is_signed, true);
    case Op::Pow:
        return int_pow(b, a, d, is_signed);
    case Op::BitAnd:
        return b.CreateAnd(a, d);
    case Op::BitOr:
        return b.CreateOr(a, d);
    case Op::BitXor:
        return b.CreateXor(a, d);
    case Op::LShift:
    case Op::RShift:
        return int_shift(b, op, a, d, is_signed);
    default:
        bad_op(op, t, loc);
    }
}

// ---- floats ------------------------------------------------------------------------------------

// NumPy's npy_divmod / npy_floor_divide / npy_remainder, branch-free.
Value *float_divmod(llvm::IRBuilder<> &b, Value *a, Value *d, bool want_mod) {
    llvm::Type *ty = a->getType();
    Value *zero = llvm::ConstantFP::get(ty, 0.0), *one = llvm::ConstantFP::get(ty, 1.0);
    Value *mod = b.CreateFRem(a, d);
    Value *d_zero = b.CreateFCmpOEQ(d, zero);
    Value *mod_nz = b.CreateFCmpUNE(mod, zero);
    Value *signs_differ = b.CreateXor(float_compare(b, llvm::CmpInst::FCMP_OLT, d, zero),
                                      float_compare(b, llvm::CmpInst::FCMP_OLT, mod, zero));
    Value *adjust = b.CreateAnd(mod_nz, signs_differ);
    if (want_mod) {
        Value *m = b.CreateSelect(adjust, b.CreateFAdd(mod, d), mod);
        Value *signed_zero = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, zero, d);
        m = b.CreateSelect(mod_nz, m, signed_zero);
        return b.CreateSelect(d_zero, mod, m); // fmod(a, 0) is NaN
    }
    Value *quotient = b.CreateFDiv(a, d);
    Value *div = b.CreateFDiv(b.CreateFSub(a, mod), d);
    div = b.CreateSelect(adjust, b.CreateFSub(div, one), div);
    // Snap to the nearest integral value.
    Value *fl = b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, div);
    Value *up = float_compare(b, llvm::CmpInst::FCMP_OGT, b.CreateFSub(div, fl),
                              llvm::ConstantFP::get(ty, 0.5));
    fl = b.CreateSelect(up, b.CreateFAdd(fl, one), fl);
    Value *signed_zero = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, zero, quotient);
    Value *q = b.CreateSelect(b.CreateFCmpUNE(div, zero), fl, signed_zero);
    return b.CreateSelect(d_zero, quotient, q);
}

Value *float_op(CodegenCtx &cx, Op op, Value *a, Value *d, TypeRef t, SourceLoc loc) {
    auto &b = cx.b;
    switch (op) {
    case Op::Add:
        return b.CreateFAdd(a, d);
    case Op::Sub:
        return b.CreateFSub(a, d);
    case Op::Mul:
        return b.CreateFMul(a, d);
    case Op::Div:
        return b.CreateFDiv(a, d);
    case Op::FloorDiv:
        return float_divmod(b, a, d, false);
    case Op::Mod:
        return float_divmod(b, a, d, true);
    case Op::Pow:
        return b.CreateBinaryIntrinsic(llvm::Intrinsic::pow, a, d);
    default:
        bad_op(op, t, loc);
    }
}

Value *bool_op(CodegenCtx &cx, Op op, Value *a, Value *d, TypeRef t, SourceLoc loc) {
    switch (op) {
    case Op::Add: // NumPy: logical or
    case Op::BitOr:
        return cx.b.CreateOr(a, d);
    case Op::Mul: // NumPy: logical and
    case Op::BitAnd:
        return cx.b.CreateAnd(a, d);
    case Op::BitXor:
        return cx.b.CreateXor(a, d);
    default:
        bad_op(op, t, loc);
    }
}

} // namespace

llvm::Value *emit_binary(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *b, TypeRef t,
                         SourceLoc loc) {
    t = materialize(t);
    if (!t->is_scalar())
        bad_op(op, t, loc);
    switch (scalar_class(t->scalar)) {
    case ScalarClass::Bool:
        return bool_op(cx, op, a, b, t, loc);
    case ScalarClass::Signed:
    case ScalarClass::Unsigned:
        return integer_op(cx, op, a, b, t, loc);
    case ScalarClass::Float:
        if (t->scalar == Scalar::Float16) {
            // NumPy computes float16 in float32 and rounds each result; so do we.
            llvm::Type *f32 = cx.b.getFloatTy();
            llvm::Value *r = float_op(cx, op, cx.b.CreateFPExt(a, f32), cx.b.CreateFPExt(b, f32),
                                      scalar_type(Scalar::Float32), loc);
            return cx.b.CreateFPTrunc(r, a->getType());
        }
        return float_op(cx, op, a, b, t, loc);
    case ScalarClass::Complex:
        return emit_complex_binary(cx, op, a, b, t, loc);
    }
    bad_op(op, t, loc);
}

llvm::Value *emit_compare(CodegenCtx &cx, Op op, llvm::Value *a, llvm::Value *b, TypeRef t,
                          SourceLoc loc) {
    t = materialize(t);
    if (!t->is_scalar())
        bad_op(op, t, loc);
    auto &B = cx.b;
    using P = llvm::CmpInst::Predicate;
    ScalarClass cls = scalar_class(t->scalar);
    if (cls == ScalarClass::Complex) {
        llvm::Value *re_a = cx.real(a), *im_a = cx.imag(a), *re_b = cx.real(b), *im_b = cx.imag(b);
        if (op == Op::Eq)
            return B.CreateAnd(B.CreateFCmpOEQ(re_a, re_b), B.CreateFCmpOEQ(im_a, im_b));
        if (op == Op::Ne)
            return B.CreateOr(B.CreateFCmpUNE(re_a, re_b), B.CreateFCmpUNE(im_a, im_b));
        bad_op(op, t, loc);
    }
    int i;
    switch (op) {
    case Op::Lt:
        i = 0;
        break;
    case Op::Le:
        i = 1;
        break;
    case Op::Gt:
        i = 2;
        break;
    case Op::Ge:
        i = 3;
        break;
    case Op::Eq:
        i = 4;
        break;
    case Op::Ne:
        i = 5;
        break;
    default:
        bad_op(op, t, loc);
    }
    // NaN compares false except with != (ordered predicates, une for !=).
    static const P fp[] = {P::FCMP_OLT, P::FCMP_OLE, P::FCMP_OGT,
                           P::FCMP_OGE, P::FCMP_OEQ, P::FCMP_UNE};
    static const P sp[] = {P::ICMP_SLT, P::ICMP_SLE, P::ICMP_SGT,
                           P::ICMP_SGE, P::ICMP_EQ,  P::ICMP_NE};
    static const P up[] = {P::ICMP_ULT, P::ICMP_ULE, P::ICMP_UGT,
                           P::ICMP_UGE, P::ICMP_EQ,  P::ICMP_NE};
    if (cls == ScalarClass::Float) // float16 too: its order needs no widening
        return float_compare(B, fp[i], a, b);
    return B.CreateICmp(cls == ScalarClass::Signed ? sp[i] : up[i], a, b);
}

llvm::Value *emit_compare(CodegenCtx &cx, Op op, llvm::Value *a, TypeRef ta, llvm::Value *b,
                          TypeRef tb, SourceLoc loc) {
    ta = materialize(ta);
    tb = materialize(tb);
    if (ta == tb)
        return emit_compare(cx, op, a, b, ta, loc);
    TypeRef i64 = scalar_type(Scalar::Int64), u64 = scalar_type(Scalar::UInt64);
    if (!((ta == i64 && tb == u64) || (ta == u64 && tb == i64)))
        throw CompileError(
            ErrorKind::Internal,
            "comparison of " + type_name(ta) + " with " + type_name(tb) + " reached codegen", loc);
    if (ta == u64) { // u OP s is s (mirrored OP) u
        std::swap(a, b);
        switch (op) {
        case Op::Lt:
            op = Op::Gt;
            break;
        case Op::Le:
            op = Op::Ge;
            break;
        case Op::Gt:
            op = Op::Lt;
            break;
        case Op::Ge:
            op = Op::Le;
            break;
        default:
            break;
        }
    }
    // A negative int64 is below every uint64; otherwise both compare as uint64.
    auto &B = cx.b;
    llvm::Value *neg = B.CreateICmpSLT(a, llvm::ConstantInt::get(a->getType(), 0));
    llvm::Value *as_unsigned = emit_compare(cx, op, a, b, u64, loc);
    switch (op) {
    case Op::Lt:
    case Op::Le:
    case Op::Ne:
        return B.CreateOr(neg, as_unsigned);
    case Op::Gt:
    case Op::Ge:
    case Op::Eq:
        return B.CreateAnd(B.CreateNot(neg), as_unsigned);
    default:
        bad_op(op, ta, loc);
    }
}

} // namespace lj
