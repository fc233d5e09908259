// A scheduler runs a chunk function (loopnest/loop_args.h) over the iterations [0, n): serially,
// on oneTBB, on OpenMP or, for CUDA, as a grid-stride kernel. Every parallel front door goes
// through this one interface.
#pragma once

#include "loopnest/loop_args.h"

#include <cstdint>

namespace lj {

class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual const char *name() const = 0;
    // Runs chunk over [0, n) in pieces of at least `grain` iterations; returns when all ran.
    // Parallel schedulers call chunk directly on the calling thread when [0, n) cannot be split
    // into two such pieces, when the caller may use one thread (control.h) or when it already
    // runs inside a parallel region. Worker FP exception flags end up in the caller's FP status.
    virtual void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain) = 0;
};

Scheduler &serial_scheduler();
Scheduler &tbb_scheduler(); // oneTBB parallel_for in a task_arena of the caller's thread count
Scheduler &omp_scheduler(); // OpenMP static worksharing loop; serial in a child forked after use

} // namespace lj
