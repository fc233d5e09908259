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
    virtual void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain) = 0;
};

Scheduler &serial_scheduler();

} // namespace lj
