// Numba-compatible signature strings: "float64(float64, float64)", aliases (f8 i4 u1 b1 c16
// boolean intp ...), "UniTuple(float64, 2)(float64, float64)", "Tuple(f8, i8)(f8)", array types
// "float64[:]", "float32[:, ::1]", "int64[::1, :]" (for gufuncs), "void(...)", and a bare type
// list "(float64, float64)" with no return type.
#pragma once

#include "ir/types.h"

#include <string>
#include <vector>

namespace lj {

struct Signature {
    std::vector<TypeRef> args;
    TypeRef ret = nullptr; // nullptr: not given; none_type(): void
};

// Throws CompileError(Signature) naming the bad part ("unknown type 'floaty64' in ...").
Signature parse_signature(const std::string &text);
TypeRef parse_type(const std::string &text);

// Inverse of parse_signature for messages and inspection: "float64(float64, float64)".
std::string signature_string(const Signature &sig);

} // namespace lj
