// NumPy 2 type promotion (NEP 50): np.result_type for dtypes, with Python literals weak.
#pragma once

#include "ir/types.h"

namespace lj {

// The common type of two numbers (scalars or weak literals); may be weak when both are.
// nullptr when there is none (a non-number is involved).
TypeRef promote(TypeRef a, TypeRef b);

// Whether NumPy's can_cast(from, to, casting="safe") holds for two dtypes.
bool can_cast_safely(Scalar from, Scalar to);

// The result type of `/` (true division) on two operands of common type t.
TypeRef true_divide_type(TypeRef t);

} // namespace lj
