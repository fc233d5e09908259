// Shared by the files that type builtin calls (typing/builtins*.cpp): a view of a call's
// arguments and the checks every rule needs.
#pragma once

#include "ir/node.h"
#include "typing/builtins.h"

#include <string>

namespace lj {

// A Call's arguments are its kids; a Method's or Attr's object is argument 0.
struct BuiltinCall {
    Node &node;
    std::string fn; // as the user wrote it, for messages: "np.sqrt", "z.conjugate"

    size_t size() const { return node.kids.size(); }
    NodePtr &arg(size_t i) { return node.kids[i]; }
    TypeRef type(size_t i) const { return node.kids[i]->type; }

    // Typing errors pointing at the call.
    [[noreturn]] void fail(const std::string &msg) const;
    [[noreturn]] void not_supported(const std::string &what) const;
    // Checks the argument count is in [lo, hi].
    void arity(size_t lo, size_t hi) const;
    // Checks argument i is a number (scalar or literal); returns its type.
    TypeRef number(size_t i) const;
    // Checks argument i is a real (bool, integer or float) number; returns its type.
    TypeRef real(size_t i) const;
    // Checks argument i is a bool or an integer; returns its type.
    TypeRef integer(size_t i) const;
    // Casts argument i to `t` (typing/cast.h).
    void cast(size_t i, TypeRef t);
    // Casts a weak literal argument to its default dtype (int -> int64, ...).
    void materialize_arg(size_t i);
    // Resolves a NumPy loop for `b` (typing/ufunc_loops.h) over all arguments, casts them to its
    // input types and returns its output type.
    TypeRef by_loop(Builtin b);
};

bool is_complex_type(TypeRef t);
// The weak literal type standing for a Python number of the given default dtype: int64 -> int,
// float64 -> float, complex128 -> complex, element-wise in tuples; other types unchanged.
TypeRef python_number(TypeRef t);
TypeRef f64();
TypeRef i64();
TypeRef c128();

// The rules per family of names. Each sets nothing on the node but casts; the caller records
// the builtin. `b` is what the name maps to. math and cmath return Python numbers (weak types,
// see python_number); the result of type_math/type_cmath is their default dtype.
TypeRef type_python_builtin(BuiltinCall &c, Builtin b);
TypeRef type_math(BuiltinCall &c, Builtin b);
TypeRef type_cmath(BuiltinCall &c, Builtin b);
TypeRef type_numpy(BuiltinCall &c, Builtin b);

} // namespace lj
