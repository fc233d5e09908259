// The type system of loopjit's IR: NumPy scalar dtypes, weak Python literals (NEP 50), tuples,
// arrays and ranges. Types are interned: two equal types are the same pointer, so compare TypeRefs
// with ==. Interning is thread-safe; interned types live for the whole process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lj {

// NumPy's numeric dtypes. The order is a linear extension of NumPy's safe-cast order (a type
// safely casts only to types after it), which sorting ufunc loops relies on.
enum class Scalar : uint8_t {
    Bool,
    Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64,
    Float16, Float32, Float64,
    Complex64, Complex128,
};
constexpr int kNumScalars = 14;

enum class TypeKind : uint8_t {
    Scalar,      // a NumPy scalar dtype
    WeakInt,     // a Python int literal (or a variable only ever holding one): adopts the other
    WeakFloat,   //   operand's type under NEP 50, int64/float64/complex128 when alone
    WeakComplex,
    None,        // Python None
    Tuple,       // heterogeneous, fixed length
    Array,       // dtype, ndim, layout, readonly (used by gufuncs, stencils and prange)
    Range,       // the value of range(...) in a for loop
};

enum class Layout : uint8_t { C, F, A };

class Type;
using TypeRef = const Type *;

class Type {
public:
    TypeKind kind;
    Scalar scalar = Scalar::Bool;    // Scalar: the dtype; Array: the element dtype
    int ndim = 0;                    // Array
    Layout layout = Layout::A;       // Array
    bool readonly = false;           // Array
    std::vector<TypeRef> elems;      // Tuple

    bool is_scalar() const { return kind == TypeKind::Scalar; }
    bool is_weak() const {
        return kind == TypeKind::WeakInt || kind == TypeKind::WeakFloat ||
               kind == TypeKind::WeakComplex;
    }
    // Scalar or weak literal: something arithmetic applies to.
    bool is_number() const { return is_scalar() || is_weak(); }
};

// Constructors (interned).
TypeRef scalar_type(Scalar s);
TypeRef weak_int_type();
TypeRef weak_float_type();
TypeRef weak_complex_type();
TypeRef none_type();
TypeRef range_type();
TypeRef tuple_type(const std::vector<TypeRef> &elems);
TypeRef array_type(Scalar dtype, int ndim, Layout layout, bool readonly = false);

// Scalar properties.
enum class ScalarClass : uint8_t { Bool, Signed, Unsigned, Float, Complex };
ScalarClass scalar_class(Scalar s);
int scalar_bits(Scalar s);            // storage size in bits (complex64: 64)
int scalar_itemsize(Scalar s);        // bytes
Scalar complex_part(Scalar s);        // Complex64 -> Float32, Complex128 -> Float64
bool is_integer(Scalar s);            // signed or unsigned (not bool)
bool is_inexact(Scalar s);            // float or complex

// Names: NumPy dtype names ("float64"), weak literals "int*", "float*", "complex*",
// tuples "Tuple(int64, float32)", arrays "float64[:, ::1]" / "array(float64, 2d, F)".
std::string type_name(TypeRef t);
const char *scalar_name(Scalar s);
// NumPy's one-character type code for a scalar ('d', 'f', 'l', ...), and NumPy's type number.
char scalar_char(Scalar s);
int scalar_numpy_typenum(Scalar s);

// A weak literal type made concrete on its own (int -> int64, float -> float64, ...);
// a tuple is materialized element-wise; other types unchanged.
TypeRef materialize(TypeRef t);

} // namespace lj
