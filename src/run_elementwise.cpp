#include "run_elementwise.h"

#include "schedulers/control.h"

namespace lj {
namespace {

struct Range {
    uintptr_t lo, hi; // [lo, hi) bytes touched
};

Range touched(const char *base, int64_t step, int64_t n, int itemsize) {
    const auto b = reinterpret_cast<uintptr_t>(base);
    const int64_t span = step * (n - 1);
    return span >= 0 ? Range{b, b + static_cast<uintptr_t>(span) + itemsize}
                     : Range{b - static_cast<uintptr_t>(-span), b + itemsize};
}

bool overlap(Range a, Range b) { return a.lo < b.hi && b.lo < a.hi; }

} // namespace

bool elementwise_may_split(const CompiledLoop &loop, char *const *data, int64_t n,
                           const int64_t *steps) {
    const size_t nin = loop.ins.size(), nops = nin + loop.outs.size();
    auto itemsize = [&](size_t i) {
        return scalar_itemsize(i < nin ? loop.ins[i] : loop.outs[i - nin]);
    };
    for (size_t o = nin; o < nops; ++o) {
        if (steps[o] == 0)
            return false;
        const Range out = touched(data[o], steps[o], n, itemsize(o));
        for (size_t j = 0; j < nops; ++j) {
            if (j == o)
                continue;
            if (data[j] == data[o] && steps[j] == steps[o])
                continue; // element i reads and writes the same place: in place
            if (overlap(out, touched(data[j], steps[j], n, itemsize(j))))
                return false;
        }
    }
    return true;
}

void run_elementwise(const CompiledLoop &loop, bool parallel, char *const *data,
                     const int64_t *dims, const int64_t *steps) {
    const int64_t n = dims[0];
    const LoopArgs args{data, dims, steps, nullptr};
    if (parallel && n > 1) {
        const int64_t grain = grain_for(n, loop.cost);
        if (grain < n) {
            run_parallel(loop.chunk, n, &args, grain, elementwise_may_split(loop, data, n, steps));
            return;
        }
    }
    if (n > 0)
        loop.chunk(0, n, &args);
}

} // namespace lj
