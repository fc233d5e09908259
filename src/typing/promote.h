// NumPy 2 type promotion (NEP 50): np.result_type for dtypes, with Python literals weak.
#pragma once

#include "ir/types.h"

#include <vector>

namespace lj {

// The common type of two numbers (scalars or weak literals); may be weak when both are.
// nullptr when there is none (a non-number is involved).
TypeRef promote(TypeRef a, TypeRef b);

// The common type of several numbers as NumPy promotes the operands of one ufunc call: the
// dtypes together (the first dtype all of them cast to safely: int8, uint8, float16 -> float16),
// then the highest kind of Python number among the weak ones joins (np.clip(bool, 7, int8) is
// int8), so the order does not matter. nullptr for an empty list or a non-number.
TypeRef promote_all(const std::vector<TypeRef> &types);

// Whether NumPy's can_cast(from, to, casting="safe") holds for two dtypes.
bool can_cast_safely(Scalar from, Scalar to);

// The result type of `/` (true division) on two operands of common type t.
TypeRef true_divide_type(TypeRef t);

} // namespace lj
