// Conversions between loopjit types in LLVM IR with NumPy's (unsafe) casting semantics, truth
// values, complex values and math library declarations (CodegenCtx in codegen/context.h).
#include "codegen/context.h"

#include "codegen/llvm_types.h"

#include <llvm/IR/Intrinsics.h>

namespace lj {
namespace {

bool is_signed(Scalar s) {
    return scalar_class(s) == ScalarClass::Signed;
}

} // namespace

llvm::Value *CodegenCtx::make_complex(llvm::Value *re, llvm::Value *im, TypeRef complex_type) {
    llvm::Type *ty = llvm_value_type(llvm(), complex_type);
    llvm::Value *z = b.CreateInsertValue(llvm::PoisonValue::get(ty), re, 0);
    return b.CreateInsertValue(z, im, 1);
}

llvm::Value *CodegenCtx::truth(llvm::Value *v, TypeRef t) {
    t = materialize(t);
    if (t->kind == TypeKind::None)
        return b.getFalse();
    if (t->kind != TypeKind::Scalar)
        throw CompileError(ErrorKind::Internal, "no truth value for " + type_name(t));
    switch (scalar_class(t->scalar)) {
    case ScalarClass::Bool:
        return v;
    case ScalarClass::Signed:
    case ScalarClass::Unsigned:
        return b.CreateICmpNE(v, llvm::Constant::getNullValue(v->getType()));
    case ScalarClass::Float:
        // "une": NaN is true, as in Python and NumPy.
        return b.CreateFCmpUNE(v, llvm::Constant::getNullValue(v->getType()));
    case ScalarClass::Complex: {
        llvm::Value *re = real(v), *im = imag(v);
        llvm::Value *zero = llvm::Constant::getNullValue(re->getType());
        return b.CreateOr(b.CreateFCmpUNE(re, zero), b.CreateFCmpUNE(im, zero));
    }
    }
    return v;
}

llvm::Value *CodegenCtx::cast(llvm::Value *v, TypeRef from, TypeRef to) {
    from = materialize(from);
    to = materialize(to);
    if (from == to)
        return v;
    if (from->kind == TypeKind::Array && to->kind == TypeKind::Array)
        return v; // a view into a local of wider layout/readonly: the same struct
    if (from->kind == TypeKind::Tuple && to->kind == TypeKind::Tuple &&
        from->elems.size() == to->elems.size()) {
        llvm::Value *out = llvm::PoisonValue::get(llvm_value_type(llvm(), to));
        for (unsigned i = 0; i < from->elems.size(); ++i) {
            llvm::Value *e = cast(b.CreateExtractValue(v, i), from->elems[i], to->elems[i]);
            out = b.CreateInsertValue(out, e, i);
        }
        return out;
    }
    if (from->kind != TypeKind::Scalar || to->kind != TypeKind::Scalar)
        throw CompileError(ErrorKind::Internal,
                           "cannot convert " + type_name(from) + " to " + type_name(to));

    Scalar fs = from->scalar, ts = to->scalar;
    ScalarClass fc = scalar_class(fs), tc = scalar_class(ts);
    llvm::Type *tty = llvm_value_type(llvm(), to);

    if (tc == ScalarClass::Bool)
        return truth(v, from);
    if (fc == ScalarClass::Complex) {
        if (tc == ScalarClass::Complex) {
            TypeRef part = scalar_type(complex_part(ts));
            TypeRef fpart = scalar_type(complex_part(fs));
            return make_complex(cast(real(v), fpart, part), cast(imag(v), fpart, part), to);
        }
        // NumPy's complex -> real cast drops the imaginary part.
        return cast(real(v), scalar_type(complex_part(fs)), to);
    }
    if (tc == ScalarClass::Complex) {
        TypeRef part = scalar_type(complex_part(ts));
        llvm::Value *re = cast(v, from, part);
        return make_complex(re, llvm::Constant::getNullValue(re->getType()), to);
    }
    bool from_int = fc != ScalarClass::Float, to_int = tc != ScalarClass::Float;
    if (from_int && to_int) // bool is i1 and unsigned: zero-extends
        return is_signed(fs) ? b.CreateSExtOrTrunc(v, tty) : b.CreateZExtOrTrunc(v, tty);
    if (from_int)
        return is_signed(fs) ? b.CreateSIToFP(v, tty) : b.CreateUIToFP(v, tty);
    if (!to_int)
        return b.CreateFPCast(v, tty);
    // float -> int saturates and maps NaN to 0: plain fptosi would be poison out of range.
    auto id = is_signed(ts) ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    return b.CreateIntrinsic(id, {tty, v->getType()}, {v});
}

llvm::FunctionCallee CodegenCtx::libm(const std::string &name, llvm::FunctionType *fty) {
    // libdevice spells the C math library's functions with a prefix: exp -> __nv_exp.
    std::string sym = target.kind == Target::Kind::NVPTX ? "__nv_" + name : name;
    llvm::FunctionCallee callee = m.getOrInsertFunction(sym, fty);
    if (auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
        // Pure functions (we never read errno): lets LLVM hoist, vectorize and drop them.
        f->setDoesNotThrow();
        f->setDoesNotAccessMemory();
        f->setWillReturn();
        f->addFnAttr(llvm::Attribute::NoSync);
        f->addFnAttr(llvm::Attribute::NoFree);
    }
    return callee;
}

} // namespace lj
