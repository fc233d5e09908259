// Helpers shared by the builtin emitters (see builtin_support.h).
#include "codegen/builtin_support.h"

#include "codegen/llvm_types.h"

namespace lj::builtins {

bool is_float(TypeRef t) {
    return t && t->is_scalar() && scalar_class(t->scalar) == ScalarClass::Float;
}
bool is_complex(TypeRef t) {
    return t && t->is_scalar() && scalar_class(t->scalar) == ScalarClass::Complex;
}
bool is_signed(TypeRef t) {
    return t && t->is_scalar() && scalar_class(t->scalar) == ScalarClass::Signed;
}
bool is_integral(TypeRef t) {
    return t && t->is_scalar() && !is_inexact(t->scalar);
}

llvm::Type *scalar_llvm_type(CodegenCtx &cx, Scalar s) {
    return llvm_value_type(cx.llvm(), scalar_type(s));
}

Value *fconst(CodegenCtx &cx, Scalar s, double v) {
    if (scalar_class(s) == ScalarClass::Complex)
        s = complex_part(s);
    return llvm::ConstantFP::get(scalar_llvm_type(cx, s), v);
}

Value *is_nan(CodegenCtx &cx, Value *x) {
    return cx.b.CreateFCmpUNO(x, x);
}

Value *pure_call(CodegenCtx &cx, const std::string &name, llvm::Type *ret,
                 llvm::ArrayRef<Value *> args) {
    std::vector<llvm::Type *> params;
    for (Value *a : args)
        params.push_back(a->getType());
    llvm::FunctionCallee f = cx.libm(name, llvm::FunctionType::get(ret, params, false));
    llvm::CallInst *call = cx.b.CreateCall(f, args);
    // errno is the only memory libm writes, and kernels never read it.
    call->setDoesNotAccessMemory();
    call->setDoesNotThrow();
    call->addFnAttr(llvm::Attribute::WillReturn);
    return call;
}

Value *libm_call(CodegenCtx &cx, const char *name, Scalar s, llvm::ArrayRef<Value *> args) {
    return in_float32_if_half(cx, s, args, [&](llvm::ArrayRef<Value *> xs, Scalar w) {
        std::string fn = std::string(name) + (w == Scalar::Float32 ? "f" : "");
        return pure_call(cx, fn, scalar_llvm_type(cx, w), xs);
    });
}

Value *in_float32_if_half(CodegenCtx &cx, Scalar s, llvm::ArrayRef<Value *> args,
                          llvm::function_ref<Value *(llvm::ArrayRef<Value *>, Scalar)> f) {
    if (s != Scalar::Float16)
        return f(args, s);
    llvm::Type *f32 = cx.b.getFloatTy();
    std::vector<Value *> wide;
    for (Value *a : args)
        wide.push_back(a->getType()->isHalfTy() ? cx.b.CreateFPExt(a, f32) : a);
    return cx.b.CreateFPTrunc(f(wide, Scalar::Float32), cx.b.getHalfTy());
}

} // namespace lj::builtins
