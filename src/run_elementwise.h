// Running a compiled elementwise loop (compiler.h) on one call's operands, serially or through
// the parallel scheduler: the part of a ufunc call that is ours once NumPy has picked the loop.
#pragma once

#include "compiler.h"

namespace lj {

// Whether iterations of an elementwise call are independent, so [0, n) may be split across
// threads: no output has step 0 (NumPy's reduce) and no output overlaps another operand other
// than exactly (same address, same step: in place). NumPy's accumulate and reduce alias outputs
// with inputs; those calls run serially.
bool elementwise_may_split(const CompiledLoop &loop, char *const *data, int64_t n,
                           const int64_t *steps);

// Runs loop.chunk over dims[0] iterations: on the calling thread, or with `parallel` through
// the threading layer when the work is large enough (grain from loop.cost) and may be split.
void run_elementwise(const CompiledLoop &loop, bool parallel, char *const *data,
                     const int64_t *dims, const int64_t *steps);

} // namespace lj
