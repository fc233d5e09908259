// Builtin calls in kernel codegen (emit_builtin, codegen/context.h): conversions, the NumPy
// ufuncs that are Python operators, simple arithmetic, and dispatch to the groups of
// builtin_support.h. Argument types are as typing/builtins.h's contract says.
#include "codegen/builtin_support.h"

#include "codegen/llvm_types.h"

namespace lj {
namespace {

using namespace builtins;

Value *make_tuple(CodegenCtx &cx, TypeRef t, std::initializer_list<Value *> elems) {
    Value *out = llvm::PoisonValue::get(llvm_value_type(cx.llvm(), t));
    unsigned i = 0;
    for (Value *e : elems)
        out = cx.b.CreateInsertValue(out, e, i++);
    return out;
}

// NumPy's integer reciprocal is C's (type)(1.0 / x): 1 and -1 are their own reciprocals, other
// nonzero values give 0, and 0 gives inf converted the way x86-64 converts it (INT_MIN for the
// 32- and 64-bit signed types, whose conversions are direct; 0 for the narrower and unsigned
// ones, which truncate a wider conversion).
Value *int_reciprocal(CodegenCtx &cx, Value *x, TypeRef t) {
    auto &b = cx.b;
    llvm::Type *ty = x->getType();
    bool sign = is_signed(t);
    int bits = scalar_bits(t->scalar);
    llvm::Value *zero = llvm::ConstantInt::get(ty, 0);
    llvm::Value *one = llvm::ConstantInt::get(ty, 1);
    llvm::Value *at_zero = sign && bits >= 32
                               ? llvm::ConstantInt::get(ty, llvm::APInt::getSignedMinValue(bits))
                               : zero;
    Value *r = b.CreateSelect(b.CreateICmpEQ(x, one), one, zero);
    if (sign) {
        llvm::Value *minus_one = llvm::ConstantInt::getSigned(ty, -1);
        r = b.CreateSelect(b.CreateICmpEQ(x, minus_one), minus_one, r);
    }
    return b.CreateSelect(b.CreateICmpEQ(x, zero), at_zero, r);
}

Value *emit_simple(CodegenCtx &cx, Builtin b, const Node &call, const Args &args) {
    auto &ir = cx.b;
    TypeRef rt = call.type;
    TypeRef at = call.kids.empty() ? nullptr : call.kid(0)->type;
    bool is_bool = rt->is_scalar() && rt->scalar == Scalar::Bool;
    switch (b) {
    case Builtin::Int:
    case Builtin::Float:
    case Builtin::BoolCast:
        return cx.cast(args[0], at, rt);
    case Builtin::DtypeCast:
    case Builtin::ComplexCtor:
        if (args.size() == 2)
            return cx.make_complex(args[0], args[1], rt);
        return cx.cast(args[0], at, rt);
    case Builtin::Real:
        return is_complex(at) ? cx.real(args[0]) : args[0];
    case Builtin::Imag:
        return is_complex(at) ? cx.imag(args[0])
                              : llvm::Constant::getNullValue(llvm_value_type(cx.llvm(), rt));
    case Builtin::Conjugate:
        if (is_complex(at))
            return cx.make_complex(cx.real(args[0]), ir.CreateFNeg(cx.imag(args[0])), rt);
        return args[0];
    case Builtin::Positive:
        return args[0];
    case Builtin::Negative:
        return is_float(rt) ? ir.CreateFNeg(args[0]) : ir.CreateNeg(args[0]);
    case Builtin::Square:
        return is_float(rt) ? ir.CreateFMul(args[0], args[0]) : ir.CreateMul(args[0], args[0]);
    case Builtin::Reciprocal:
        if (is_float(rt))
            return ir.CreateFDiv(fconst(cx, rt->scalar, 1.0), args[0]);
        return int_reciprocal(cx, args[0], rt);
    case Builtin::Pow:
    case Builtin::Power:
    case Builtin::FloatPower:
        return emit_binary(cx, Op::Pow, args[0], args[1], rt, call.loc);
    case Builtin::Remainder:
        return emit_binary(cx, Op::Mod, args[0], args[1], rt, call.loc);
    case Builtin::FloorDivide:
        return emit_binary(cx, Op::FloorDiv, args[0], args[1], rt, call.loc);
    case Builtin::TrueDivide:
        return emit_binary(cx, Op::Div, args[0], args[1], rt, call.loc);
    case Builtin::Subtract:
        return emit_binary(cx, Op::Sub, args[0], args[1], rt, call.loc);
    case Builtin::Add: // NumPy's boolean add and multiply are logical or / and
        return is_bool ? ir.CreateOr(args[0], args[1])
                       : emit_binary(cx, Op::Add, args[0], args[1], rt, call.loc);
    case Builtin::Multiply:
        return is_bool ? ir.CreateAnd(args[0], args[1])
                       : emit_binary(cx, Op::Mul, args[0], args[1], rt, call.loc);
    case Builtin::Divmod: {
        TypeRef t = rt->elems[0];
        Value *q = emit_binary(cx, Op::FloorDiv, args[0], args[1], t, call.loc);
        Value *r = emit_binary(cx, Op::Mod, args[0], args[1], t, call.loc);
        return make_tuple(cx, rt, {q, r});
    }
    case Builtin::Where:
        return ir.CreateSelect(args[0], args[1], args[2]);
    case Builtin::LogicalAnd:
        return ir.CreateAnd(args[0], args[1]);
    case Builtin::LogicalOr:
        return ir.CreateOr(args[0], args[1]);
    case Builtin::LogicalXor:
        return ir.CreateXor(args[0], args[1]);
    case Builtin::LogicalNot:
        return ir.CreateNot(args[0]);
    default:
        return nullptr;
    }
}

} // namespace

llvm::Value *emit_builtin(CodegenCtx &cx, const Node &call,
                          const std::vector<llvm::Value *> &args) {
    auto b = static_cast<Builtin>(call.builtin);
    TypeRef at = call.kids.empty() ? nullptr : call.kid(0)->type;
    Value *v = nullptr;
    if (is_complex(at) || is_complex(call.type))
        v = emit_complex_math(cx, b, call, args);
    if (!v)
        v = emit_simple(cx, b, call, args);
    if (!v)
        v = emit_select_builtin(cx, b, call, args);
    if (!v)
        v = emit_real_math(cx, b, call, args);
    if (!v)
        throw CompileError(ErrorKind::Internal,
                           std::string("no code for builtin ") + builtin_name(b) + " on " +
                               (at ? type_name(at) : "no arguments"),
                           call.loc);
    return v;
}

} // namespace lj
