// NumPy's inner-loop tables for the ufuncs a kernel may call, and NumPy's choice among them: the
// result type of np.sqrt(int8) is float16 because that is the first loop int8 casts to safely.
#pragma once

#include "ir/types.h"
#include "typing/builtins.h"

#include <vector>

namespace lj {

struct UfuncLoop {
    std::vector<Scalar> ins;
    Scalar out;
};

// The loops NumPy registers for `b`, in NumPy's order (long double and object loops left out);
// empty when `b` is not typed by a loop table.
const std::vector<UfuncLoop> &ufunc_loops(Builtin b);

// The loop NumPy picks for arguments of types `args` (numbers, possibly weak literals), or nullptr
// when none fits. Weak literals follow NEP 50: they first take the common type of all arguments
// (np.arctan2(int8, 2) -> the float16 loop), and where that finds no loop their own default type
// (np.ldexp(float32, 3) -> the (float32, int64) loop).
const UfuncLoop *resolve_ufunc_loop(Builtin b, const std::vector<TypeRef> &args);

} // namespace lj
