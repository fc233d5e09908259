#include "ir/types.h"

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace lj {
namespace {

// Interning table. Keys hold everything that makes a type distinct.
using Key = std::tuple<TypeKind, Scalar, int, Layout, bool, std::vector<TypeRef>>;

struct Interner {
    std::mutex mu;
    std::map<Key, std::unique_ptr<Type>> types;

    TypeRef get(const Type &proto) {
        Key key{proto.kind, proto.scalar, proto.ndim, proto.layout, proto.readonly, proto.elems};
        std::lock_guard<std::mutex> lock(mu);
        auto it = types.find(key);
        if (it != types.end())
            return it->second.get();
        auto owned = std::make_unique<Type>(proto);
        TypeRef t = owned.get();
        types.emplace(std::move(key), std::move(owned));
        return t;
    }
};

Interner &interner() {
    static Interner *in = new Interner(); // never destroyed: types outlive static destructors
    return *in;
}

TypeRef simple(TypeKind k) {
    Type t;
    t.kind = k;
    return interner().get(t);
}

struct ScalarInfo {
    const char *name;
    ScalarClass cls;
    int bits;
    char code;
    int typenum;
};

// NumPy type numbers on LP64 Linux: int64 is NPY_LONG (7), uint64 NPY_ULONG (8).
constexpr ScalarInfo kInfo[kNumScalars] = {
    {"bool", ScalarClass::Bool, 8, '?', 0},
    {"int8", ScalarClass::Signed, 8, 'b', 1},
    {"uint8", ScalarClass::Unsigned, 8, 'B', 2},
    {"int16", ScalarClass::Signed, 16, 'h', 3},
    {"uint16", ScalarClass::Unsigned, 16, 'H', 4},
    {"int32", ScalarClass::Signed, 32, 'i', 5},
    {"uint32", ScalarClass::Unsigned, 32, 'I', 6},
    {"int64", ScalarClass::Signed, 64, 'l', 7},
    {"uint64", ScalarClass::Unsigned, 64, 'L', 8},
    {"float16", ScalarClass::Float, 16, 'e', 23},
    {"float32", ScalarClass::Float, 32, 'f', 11},
    {"float64", ScalarClass::Float, 64, 'd', 12},
    {"complex64", ScalarClass::Complex, 64, 'F', 14},
    {"complex128", ScalarClass::Complex, 128, 'D', 15},
};

const ScalarInfo &info(Scalar s) { return kInfo[static_cast<int>(s)]; }

} // namespace

TypeRef scalar_type(Scalar s) {
    Type t;
    t.kind = TypeKind::Scalar;
    t.scalar = s;
    return interner().get(t);
}
TypeRef weak_int_type() { return simple(TypeKind::WeakInt); }
TypeRef weak_float_type() { return simple(TypeKind::WeakFloat); }
TypeRef weak_complex_type() { return simple(TypeKind::WeakComplex); }
TypeRef none_type() { return simple(TypeKind::None); }
TypeRef range_type() { return simple(TypeKind::Range); }

TypeRef tuple_type(const std::vector<TypeRef> &elems) {
    Type t;
    t.kind = TypeKind::Tuple;
    t.elems = elems;
    return interner().get(t);
}

TypeRef array_type(Scalar dtype, int ndim, Layout layout, bool readonly) {
    Type t;
    t.kind = TypeKind::Array;
    t.scalar = dtype;
    t.ndim = ndim;
    // A 0-d or 1-d contiguous array is both C and F; call it C so equal arrays intern equal.
    t.layout = (ndim <= 1 && layout == Layout::F) ? Layout::C : layout;
    t.readonly = readonly;
    return interner().get(t);
}

ScalarClass scalar_class(Scalar s) { return info(s).cls; }
int scalar_bits(Scalar s) { return info(s).bits; }
int scalar_itemsize(Scalar s) { return info(s).bits / 8; }
const char *scalar_name(Scalar s) { return info(s).name; }
char scalar_char(Scalar s) { return info(s).code; }
int scalar_numpy_typenum(Scalar s) { return info(s).typenum; }

Scalar complex_part(Scalar s) { return s == Scalar::Complex64 ? Scalar::Float32 : Scalar::Float64; }

bool is_integer(Scalar s) {
    auto c = scalar_class(s);
    return c == ScalarClass::Signed || c == ScalarClass::Unsigned;
}

bool is_inexact(Scalar s) {
    auto c = scalar_class(s);
    return c == ScalarClass::Float || c == ScalarClass::Complex;
}

std::string type_name(TypeRef t) {
    switch (t->kind) {
    case TypeKind::Scalar:
        return scalar_name(t->scalar);
    case TypeKind::WeakInt:
        return "int*";
    case TypeKind::WeakFloat:
        return "float*";
    case TypeKind::WeakComplex:
        return "complex*";
    case TypeKind::None:
        return "none";
    case TypeKind::Range:
        return "range";
    case TypeKind::Tuple: {
        std::string s = "Tuple(";
        for (size_t i = 0; i < t->elems.size(); ++i) {
            if (i)
                s += ", ";
            s += type_name(t->elems[i]);
        }
        return s + ")";
    }
    case TypeKind::Array: {
        static const char *layouts[] = {"C", "F", "A"};
        std::string s = "array(";
        s += scalar_name(t->scalar);
        s += ", " + std::to_string(t->ndim) + "d, " + layouts[static_cast<int>(t->layout)];
        if (t->readonly)
            s += ", readonly";
        return s + ")";
    }
    }
    return "?";
}

TypeRef materialize(TypeRef t) {
    switch (t->kind) {
    case TypeKind::WeakInt:
        return scalar_type(Scalar::Int64);
    case TypeKind::WeakFloat:
        return scalar_type(Scalar::Float64);
    case TypeKind::WeakComplex:
        return scalar_type(Scalar::Complex128);
    case TypeKind::Tuple: {
        std::vector<TypeRef> elems;
        for (TypeRef e : t->elems)
            elems.push_back(materialize(e));
        return tuple_type(elems);
    }
    default:
        return t;
    }
}

} // namespace lj
