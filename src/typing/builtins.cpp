// Builtin calls in type inference: the callee names kernels may use (canonical names and their
// aliases), dispatch to the typing rules of each family (Python, math, cmath, NumPy), and the
// argument checks those rules share.
#include "typing/builtins.h"

#include "typing/builtin_typing.h"
#include "typing/cast.h"
#include "typing/ufunc_loops.h"

#include <map>

namespace lj {
namespace {

// Names that mean the same builtin as a canonical LJ_BUILTINS name.
// clang-format off
const std::pair<const char *, Builtin> kBuiltinAliases[] = {
    // math
    {"math.sqrt", Builtin::Sqrt}, {"math.cbrt", Builtin::Cbrt}, {"math.exp", Builtin::Exp},
    {"math.exp2", Builtin::Exp2}, {"math.expm1", Builtin::Expm1}, {"math.log", Builtin::Log},
    {"math.log2", Builtin::Log2}, {"math.log10", Builtin::Log10}, {"math.log1p", Builtin::Log1p},
    {"math.sin", Builtin::Sin}, {"math.cos", Builtin::Cos}, {"math.tan", Builtin::Tan},
    {"math.asin", Builtin::Asin}, {"math.acos", Builtin::Acos}, {"math.atan", Builtin::Atan},
    {"math.atan2", Builtin::Atan2}, {"math.sinh", Builtin::Sinh}, {"math.cosh", Builtin::Cosh},
    {"math.tanh", Builtin::Tanh}, {"math.asinh", Builtin::Asinh}, {"math.acosh", Builtin::Acosh},
    {"math.atanh", Builtin::Atanh}, {"math.floor", Builtin::Floor}, {"math.ceil", Builtin::Ceil},
    {"math.trunc", Builtin::Trunc}, {"math.fabs", Builtin::Fabs}, {"math.fmod", Builtin::Fmod},
    {"math.hypot", Builtin::Hypot}, {"math.pow", Builtin::Power},
    {"math.copysign", Builtin::Copysign}, {"math.degrees", Builtin::Degrees},
    {"math.radians", Builtin::Radians}, {"math.isnan", Builtin::IsNan},
    {"math.isinf", Builtin::IsInf}, {"math.isfinite", Builtin::IsFinite},
    {"math.ldexp", Builtin::Ldexp}, {"math.nextafter", Builtin::Nextafter},
    // cmath
    {"cmath.sqrt", Builtin::Sqrt}, {"cmath.exp", Builtin::Exp}, {"cmath.log", Builtin::Log},
    {"cmath.log10", Builtin::Log10}, {"cmath.sin", Builtin::Sin}, {"cmath.cos", Builtin::Cos},
    {"cmath.tan", Builtin::Tan}, {"cmath.asin", Builtin::Asin}, {"cmath.acos", Builtin::Acos},
    {"cmath.atan", Builtin::Atan}, {"cmath.sinh", Builtin::Sinh}, {"cmath.cosh", Builtin::Cosh},
    {"cmath.tanh", Builtin::Tanh}, {"cmath.asinh", Builtin::Asinh}, {"cmath.acosh", Builtin::Acosh},
    {"cmath.atanh", Builtin::Atanh}, {"cmath.phase", Builtin::Angle},
    {"cmath.isnan", Builtin::IsNan}, {"cmath.isinf", Builtin::IsInf},
    {"cmath.isfinite", Builtin::IsFinite},
    // NumPy
    {"np.abs", Builtin::Absolute}, {"np.asin", Builtin::Asin}, {"np.acos", Builtin::Acos},
    {"np.atan", Builtin::Atan}, {"np.atan2", Builtin::Atan2}, {"np.asinh", Builtin::Asinh},
    {"np.acosh", Builtin::Acosh}, {"np.atanh", Builtin::Atanh}, {"np.conj", Builtin::Conjugate},
    {"np.mod", Builtin::Remainder}, {"np.divide", Builtin::TrueDivide}, {"np.pow", Builtin::Power},
    {"np.deg2rad", Builtin::Radians}, {"np.rad2deg", Builtin::Degrees},
    {"np.round", Builtin::Round}, {"np.around", Builtin::Round}, {"np.fix", Builtin::Trunc},
};

// NumPy scalar type names usable as conversion functions (LP64 Linux sizes).
const std::pair<const char *, Scalar> kDtypeNames[] = {
    {"np.bool", Scalar::Bool}, {"np.bool_", Scalar::Bool}, {"np.int8", Scalar::Int8},
    {"np.uint8", Scalar::UInt8}, {"np.int16", Scalar::Int16}, {"np.uint16", Scalar::UInt16},
    {"np.int32", Scalar::Int32}, {"np.uint32", Scalar::UInt32}, {"np.int64", Scalar::Int64},
    {"np.uint64", Scalar::UInt64}, {"np.float16", Scalar::Float16}, {"np.float32", Scalar::Float32},
    {"np.float64", Scalar::Float64}, {"np.complex64", Scalar::Complex64},
    {"np.complex128", Scalar::Complex128}, {"np.byte", Scalar::Int8}, {"np.ubyte", Scalar::UInt8},
    {"np.short", Scalar::Int16}, {"np.ushort", Scalar::UInt16}, {"np.intc", Scalar::Int32},
    {"np.uintc", Scalar::UInt32}, {"np.int_", Scalar::Int64}, {"np.uint", Scalar::UInt64},
    {"np.intp", Scalar::Int64}, {"np.uintp", Scalar::UInt64}, {"np.long", Scalar::Int64},
    {"np.ulong", Scalar::UInt64}, {"np.longlong", Scalar::Int64}, {"np.ulonglong", Scalar::UInt64},
    {"np.half", Scalar::Float16}, {"np.single", Scalar::Float32}, {"np.double", Scalar::Float64},
    {"np.csingle", Scalar::Complex64}, {"np.cdouble", Scalar::Complex128},
};
// clang-format on

const std::map<std::string, Builtin> &name_table() {
    static const auto *table = [] {
        auto *m = new std::map<std::string, Builtin>();
#define LJ_X(e, name) (*m)[name] = Builtin::e;
        LJ_BUILTINS(LJ_X)
#undef LJ_X
        m->erase("np.<dtype>");
        for (const auto &alias : kBuiltinAliases)
            (*m)[alias.first] = alias.second;
        return m;
    }();
    return *table;
}

const std::map<std::string, Scalar> &dtype_table() {
    static const auto *table = [] {
        auto *m = new std::map<std::string, Scalar>();
        for (const auto &d : kDtypeNames)
            (*m)[d.first] = d.second;
        return m;
    }();
    return *table;
}

bool starts_with(const std::string &s, const char *prefix) {
    return s.rfind(prefix, 0) == 0;
}

// A type as the user knows it: literals by their Python type names ("float").
std::string user_name(TypeRef t) {
    if (!t)
        return "unknown";
    switch (t->kind) {
    case TypeKind::WeakInt:
        return "int";
    case TypeKind::WeakFloat:
        return "float";
    case TypeKind::WeakComplex:
        return "complex";
    default:
        return type_name(t);
    }
}

std::string plural(size_t n, const char *word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

TypeRef type_dtype_cast(BuiltinCall &c, Scalar target) {
    TypeRef to = scalar_type(target);
    bool complex = scalar_class(target) == ScalarClass::Complex;
    c.arity(1, complex ? 2 : 1);
    if (c.size() == 2) {
        TypeRef part = scalar_type(complex_part(target));
        for (size_t i = 0; i < 2; ++i) {
            c.real(i);
            c.cast(i, part);
        }
        return to;
    }
    c.number(0);
    // A literal becomes the target directly (np.float32(0.1) rounds 0.1 once, as NumPy does).
    c.cast(0, c.type(0)->is_weak() ? to : c.type(0));
    return to;
}

// z.real, z.imag, z.conjugate() on numbers, as NumPy scalars have them.
TypeRef type_member(BuiltinCall &c) {
    Node &n = c.node;
    if (n.kids.empty() || !n.kid(0)->type || !n.kid(0)->type->is_number())
        return nullptr;
    Builtin b;
    if (n.kind == NodeKind::Attr && (n.name == "real" || n.name == "imag"))
        b = n.name == "real" ? Builtin::Real : Builtin::Imag;
    else if (n.kind == NodeKind::Method && (n.name == "conjugate" || n.name == "conj"))
        b = Builtin::Conjugate;
    else
        return nullptr;
    c.arity(1, 1);
    bool python = c.type(0)->is_weak(); // (1.5).real is a Python float
    c.materialize_arg(0);
    n.builtin = static_cast<int>(b);
    TypeRef t = c.type(0);
    if (b != Builtin::Conjugate && is_complex_type(t))
        t = scalar_type(complex_part(t->scalar));
    return python ? python_number(t) : t;
}

} // namespace

void BuiltinCall::fail(const std::string &msg) const {
    typing_error(node.loc, msg);
}

void BuiltinCall::not_supported(const std::string &what) const {
    unsupported(node.loc, what + " is not supported in kernels");
}

void BuiltinCall::arity(size_t lo, size_t hi) const {
    size_t n = size();
    if (node.kind == NodeKind::Method) // the object is not an argument to the user
        --n, --lo, --hi;
    if (n >= lo && n <= hi)
        return;
    std::string expected = lo == hi ? plural(lo, "argument")
                           : n < lo ? "at least " + plural(lo, "argument")
                                    : "at most " + plural(hi, "argument");
    fail(fn + "() takes " + expected + " (" + std::to_string(n) + " given)");
}

TypeRef BuiltinCall::number(size_t i) const {
    TypeRef t = type(i);
    if (!t || !t->is_number())
        fail(fn + "() argument must be a number, not " + user_name(t));
    return t;
}

TypeRef BuiltinCall::real(size_t i) const {
    TypeRef t = number(i);
    if (is_complex_type(t))
        fail(fn + "() argument must be a real number, not " + user_name(t));
    return t;
}

TypeRef BuiltinCall::integer(size_t i) const {
    TypeRef t = number(i);
    if (t->kind == TypeKind::WeakInt || (t->is_scalar() && !is_inexact(t->scalar)))
        return t;
    fail(fn + "() argument must be an integer, not " + user_name(t));
}

void BuiltinCall::cast(size_t i, TypeRef t) {
    insert_cast(arg(i), t);
}

void BuiltinCall::materialize_arg(size_t i) {
    if (type(i)->is_weak())
        cast(i, materialize(type(i)));
}

TypeRef BuiltinCall::by_loop(Builtin b) {
    std::vector<TypeRef> types;
    for (size_t i = 0; i < size(); ++i)
        types.push_back(number(i));
    const UfuncLoop *loop = resolve_ufunc_loop(b, types);
    if (!loop) {
        std::string list;
        for (TypeRef t : types)
            list += (list.empty() ? "" : ", ") + user_name(t);
        fail(fn + "() does not support arguments of type (" + list + ")");
    }
    for (size_t i = 0; i < size(); ++i)
        cast(i, scalar_type(loop->ins[i]));
    return scalar_type(loop->out);
}

bool is_complex_type(TypeRef t) {
    return t->kind == TypeKind::WeakComplex ||
           (t->is_scalar() && scalar_class(t->scalar) == ScalarClass::Complex);
}
TypeRef f64() {
    return scalar_type(Scalar::Float64);
}
TypeRef i64() {
    return scalar_type(Scalar::Int64);
}
TypeRef c128() {
    return scalar_type(Scalar::Complex128);
}

TypeRef python_number(TypeRef t) {
    if (t->kind == TypeKind::Tuple) {
        std::vector<TypeRef> elems;
        for (TypeRef e : t->elems)
            elems.push_back(python_number(e));
        return tuple_type(elems);
    }
    if (t == i64())
        return weak_int_type();
    if (t == f64())
        return weak_float_type();
    if (t == c128())
        return weak_complex_type();
    return t;
}

bool is_builtin_name(const std::string &name) {
    return name_table().count(name) || starts_with(name, "np.") || starts_with(name, "math.") ||
           starts_with(name, "cmath.");
}

const Type *type_builtin(Node &node) {
    if (node.kind == NodeKind::Attr || node.kind == NodeKind::Method) {
        BuiltinCall c{node, node.name};
        TypeRef t = type_member(c);
        if (t)
            node.type = t;
        return t;
    }
    if (node.kind != NodeKind::Call)
        return nullptr;
    BuiltinCall c{node, node.name};
    TypeRef t = nullptr;
    auto dtype = dtype_table().find(node.name);
    if (dtype != dtype_table().end()) {
        node.builtin = static_cast<int>(Builtin::DtypeCast);
        t = type_dtype_cast(c, dtype->second);
    } else {
        auto it = name_table().find(node.name);
        if (it == name_table().end()) {
            if (is_builtin_name(node.name))
                c.not_supported(node.name);
            return nullptr;
        }
        Builtin b = it->second;
        node.builtin = static_cast<int>(b);
        if (starts_with(node.name, "math."))
            t = python_number(type_math(c, b));
        else if (starts_with(node.name, "cmath."))
            t = python_number(type_cmath(c, b));
        else if (starts_with(node.name, "np."))
            t = type_numpy(c, b);
        else
            t = type_python_builtin(c, b);
    }
    node.type = t;
    return t;
}

} // namespace lj
