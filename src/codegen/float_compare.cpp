// Quiet float ordering as integer comparisons (see float_compare.h). A float's bit pattern is
// sign and magnitude; as a two's-complement key (magnitude, negated when the sign is set) the
// IEEE order of all non-NaN values, zeros of both signs equal, is the signed integer order.
#include "codegen/float_compare.h"

namespace lj {
namespace {

using llvm::Value;
using P = llvm::CmpInst::Predicate;

llvm::Type *int_type_like(llvm::Type *ft) {
    llvm::Type *it = llvm::IntegerType::get(ft->getContext(), ft->getScalarSizeInBits());
    if (auto *vt = llvm::dyn_cast<llvm::VectorType>(ft))
        return llvm::VectorType::get(it, vt->getElementCount());
    return it;
}

llvm::APInt magnitude_mask(unsigned bits) {
    return llvm::APInt::getSignedMaxValue(bits);
}

Value *magnitude(llvm::IRBuilder<> &b, Value *bits) {
    unsigned w = bits->getType()->getScalarSizeInBits();
    return b.CreateAnd(bits, llvm::ConstantInt::get(bits->getType(), magnitude_mask(w)));
}

// sign ? -magnitude : magnitude. For a set sign bit the bits read as a signed integer are
// INT_MIN + magnitude, so -magnitude is INT_MIN - bits (a compare, a subtract and a select,
// which AVX-512 does as one masked subtract).
Value *order_key(llvm::IRBuilder<> &b, Value *x) {
    Value *bits = b.CreateBitCast(x, int_type_like(x->getType()));
    unsigned w = bits->getType()->getScalarSizeInBits();
    Value *min = llvm::ConstantInt::get(bits->getType(), llvm::APInt::getSignedMinValue(w));
    Value *negative = b.CreateICmpSLT(bits, llvm::Constant::getNullValue(bits->getType()));
    return b.CreateSelect(negative, b.CreateSub(min, bits), bits);
}

// Neither operand is NaN. fcmp ord is a quiet compare on x86 (cmpordp*, ucomis*); half
// precision is tested on the bits, which needs no conversion to float.
Value *ordered(llvm::IRBuilder<> &b, Value *x, Value *y) {
    if (!x->getType()->getScalarType()->isHalfTy())
        return b.CreateFCmpORD(x, y);
    llvm::Type *it = int_type_like(x->getType());
    Value *inf = llvm::ConstantInt::get(it, 0x7C00);
    Value *mx = magnitude(b, b.CreateBitCast(x, it)), *my = magnitude(b, b.CreateBitCast(y, it));
    return b.CreateAnd(b.CreateICmpULE(mx, inf), b.CreateICmpULE(my, inf));
}

} // namespace

Value *float_compare(llvm::IRBuilder<> &b, P p, Value *x, Value *y) {
    P ip;
    switch (p) {
    case P::FCMP_OLT:
    case P::FCMP_ULT:
        ip = P::ICMP_SLT;
        break;
    case P::FCMP_OLE:
    case P::FCMP_ULE:
        ip = P::ICMP_SLE;
        break;
    case P::FCMP_OGT:
    case P::FCMP_UGT:
        ip = P::ICMP_SGT;
        break;
    case P::FCMP_OGE:
    case P::FCMP_UGE:
        ip = P::ICMP_SGE;
        break;
    default:
        return b.CreateFCmp(p, x, y);
    }
    // fastmath promises no NaNs: the native compare is exact there and cheaper.
    if (b.getFastMathFlags().noNaNs())
        return b.CreateFCmp(p, x, y);
    Value *keys = b.CreateICmp(ip, order_key(b, x), order_key(b, y));
    Value *ord = ordered(b, x, y);
    if (llvm::CmpInst::isOrdered(p))
        return b.CreateAnd(ord, keys);
    return b.CreateOr(b.CreateNot(ord), keys);
}

} // namespace lj
