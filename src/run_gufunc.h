// Running a compiled gufunc loop (compile_gufunc.h) on one inner-loop call from NumPy, serially
// or through the parallel scheduler: each task runs whole outer iterations (core slices).
#pragma once

#include "compile_gufunc.h"
#include "loopnest/kernel_runtime.h"

namespace lj {

// Whether the outer iterations may run on different threads: no written operand (output, or
// writable input) has outer step 0, where every iteration would write the same core slice.
bool gufunc_may_split(const CompiledGufunc &g, int64_t n, const int64_t *steps);

// Work of one outer iteration in the cost model's units: the kernel's estimated cost with its
// loops running over the largest core slice instead of the model's guess.
double gufunc_iteration_cost(const CompiledGufunc &g, const GufuncSpec &spec,
                             const int64_t *dims);

// Runs g.chunk over dims[0] outer iterations; `err` collects the first error of any thread.
void run_gufunc(const CompiledGufunc &g, double iteration_cost, bool parallel, char *const *data,
                const int64_t *dims, const int64_t *steps, KernelError *err);

} // namespace lj
