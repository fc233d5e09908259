#include "run_elementwise.h"

#include "schedulers/control.h"

#include <algorithm>

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

// Threads split the loop only at multiples of kSplitAlign elements. The loop nest computes
// whole vector blocks with vector math and the last partial block with scalar math, whose last
// bits can differ (libmvec vs libm); blocks are at most 64 elements (one 512-bit vector of
// bytes), so aligned splits put every element in the same kind of block as a serial run, and
// target='parallel' gives bit-for-bit the results of target='cpu'.
constexpr int64_t kSplitAlign = 64;

struct AlignedSplit {
    ChunkFn chunk;
    const LoopArgs *args;
    int64_t n;
};

void aligned_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    const auto *s = static_cast<const AlignedSplit *>(args->extra);
    s->chunk(begin * kSplitAlign, std::min(end * kSplitAlign, s->n), s->args);
}

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
            const AlignedSplit split{loop.chunk, &args, n};
            const LoopArgs blocks{data, dims, steps, const_cast<AlignedSplit *>(&split)};
            run_parallel(&aligned_chunk, (n + kSplitAlign - 1) / kSplitAlign, &blocks,
                         (grain + kSplitAlign - 1) / kSplitAlign,
                         elementwise_may_split(loop, data, n, steps));
            return;
        }
    }
    if (n > 0)
        loop.chunk(0, n, &args);
}

} // namespace lj
