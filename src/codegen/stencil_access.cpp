// Relative reads of stencil kernels (StencilRead nodes): the element at center + offset. The
// interior instance of a kernel reads directly (the loop nest calls it only where every read is
// inside the array); the border instance maps each index with the border mode, scipy.ndimage's
// meanings: constant (cval outside), nearest (edge repeated), reflect (d c b a | a b c d),
// mirror (d c b | a b c d), wrap (periodic), for any distance outside, so arrays smaller than
// the neighborhood work too. Non-constant offsets are checked against the neighborhood.
#include "codegen/function_emitter.h"

#include "codegen/llvm_types.h"

namespace lj::codegen {
namespace {

using Mode = KernelOptions::StencilMode;

} // namespace

llvm::Value *FunctionEmitter::stencil_read(const Node &n) {
    const Node &obj = *n.kid(0);
    TypeRef t = obj.type;
    const int nd = t->ndim;
    const KernelOptions &o = cx_.opts;
    const bool border = o.stencil_border;
    llvm::Value *a = expr(obj);
    llvm::Value *ptr = array_data(a);
    llvm::Value *outside = b_.getFalse();
    llvm::Type *i64 = b_.getInt64Ty();
    auto c64 = [&](int64_t v) { return llvm::ConstantInt::getSigned(i64, v); };
    // idx mod m, in [0, m) (m > 0).
    auto modulo = [&](llvm::Value *x, llvm::Value *m) {
        llvm::Value *r = b_.CreateSRem(x, m);
        return b_.CreateSelect(b_.CreateICmpSLT(r, c64(0)), b_.CreateAdd(r, m), r);
    };
    const std::string name = obj.kind == NodeKind::Name ? obj.name : "array";
    for (int k = 0; k < nd; ++k) {
        const Node &off_node = *n.kid(1 + k);
        llvm::Value *off = expr(off_node);
        if (!llvm::isa<llvm::ConstantInt>(off) &&
            static_cast<size_t>(k) < o.stencil_neighborhood.size()) {
            const auto [lo, hi] = o.stencil_neighborhood[k];
            fail_if(b_.CreateOr(b_.CreateICmpSLT(off, c64(lo)), b_.CreateICmpSGT(off, c64(hi))),
                    KernelErrorKind::Neighborhood, name, off, c64(k), c64(0), off_node.loc);
        }
        llvm::Value *idx = b_.CreateAdd(expr(*n.kid(1 + nd + k)), off);
        llvm::Value *size = array_shape(a, k);
        if (border) {
            switch (o.stencil_mode) {
            case Mode::Constant: {
                llvm::Value *in = b_.CreateICmpULT(idx, size);
                outside = b_.CreateOr(outside, b_.CreateNot(in));
                idx = b_.CreateSelect(in, idx, c64(0)); // read something real, then discard it
                break;
            }
            case Mode::Nearest:
                idx = b_.CreateSelect(b_.CreateICmpSLT(idx, c64(0)), c64(0), idx);
                idx = b_.CreateSelect(b_.CreateICmpSGE(idx, size), b_.CreateSub(size, c64(1)),
                                      idx);
                break;
            case Mode::Wrap:
                idx = modulo(idx, size);
                break;
            case Mode::Reflect: {
                llvm::Value *period = b_.CreateMul(size, c64(2));
                llvm::Value *m = modulo(idx, period);
                idx = b_.CreateSelect(b_.CreateICmpSLT(m, size), m,
                                      b_.CreateSub(b_.CreateSub(period, c64(1)), m));
                break;
            }
            case Mode::Mirror: {
                // Period 2n - 2; an array of one element repeats it.
                llvm::Value *period = b_.CreateSub(b_.CreateMul(size, c64(2)), c64(2));
                llvm::Value *safe = b_.CreateSelect(b_.CreateICmpSGT(period, c64(0)), period,
                                                    c64(1));
                llvm::Value *m = modulo(idx, safe);
                idx = b_.CreateSelect(b_.CreateICmpSLT(m, size), m, b_.CreateSub(safe, m));
                break;
            }
            }
        }
        ptr = b_.CreateGEP(b_.getInt8Ty(), ptr, b_.CreateMul(idx, array_stride(a, t, k)));
    }
    llvm::Value *v = load_element(b_, ptr, t->scalar);
    if (!border || o.stencil_mode != Mode::Constant)
        return v;
    TypeRef elem = scalar_type(t->scalar);
    llvm::Value *cval;
    if (scalar_class(t->scalar) == ScalarClass::Complex) {
        TypeRef c128 = scalar_type(Scalar::Complex128);
        cval = cx_.cast(cx_.make_complex(llvm::ConstantFP::get(b_.getDoubleTy(), o.stencil_cval),
                                         llvm::ConstantFP::get(b_.getDoubleTy(),
                                                               o.stencil_cval_imag),
                                         c128),
                        c128, elem);
    } else {
        cval = cx_.cast(llvm::ConstantFP::get(b_.getDoubleTy(), o.stencil_cval),
                        scalar_type(Scalar::Float64), elem);
    }
    return b_.CreateSelect(outside, cval, v);
}

} // namespace lj::codegen
