#include "run_gufunc.h"

#include "loopnest/cost.h"
#include "schedulers/control.h"

namespace lj {

bool gufunc_may_split(const CompiledGufunc &g, int64_t n, const int64_t *steps) {
    if (n < 2)
        return false;
    for (size_t k = 0; k < g.written.size(); ++k)
        if (g.written[k] && steps[k] == 0)
            return false;
    return true;
}

double gufunc_iteration_cost(const CompiledGufunc &g, const GufuncSpec &spec,
                             const int64_t *dims) {
    // The cost model prices a kernel loop at kLoopTripsGuess trips (loopnest/cost.h); a gufunc
    // kernel's loops run over its core slices, whose largest size this call knows.
    double elements = 1;
    for (const auto &core : spec.core_dims) {
        double e = 1;
        for (int d : core)
            e *= static_cast<double>(dims[1 + d]);
        elements = e > elements ? e : elements;
    }
    const double trips = elements / kLoopTripsGuess;
    return g.cost * (trips > 1 ? trips : 1);
}

void run_gufunc(const CompiledGufunc &g, double iteration_cost, bool parallel, char *const *data,
                const int64_t *dims, const int64_t *steps, KernelError *err) {
    const int64_t n = dims[0];
    if (n <= 0)
        return;
    const LoopArgs args{data, dims, steps, err};
    if (parallel && n > 1) {
        const int64_t grain = grain_for(n, iteration_cost);
        if (grain < n) {
            run_parallel(g.chunk, n, &args, grain, gufunc_may_split(g, n, steps));
            return;
        }
    }
    g.chunk(0, n, &args);
}

} // namespace lj
