// What the parallel layers share: whether a call may go parallel at all, how many threads it
// gets, and the wrapper every chunk runs in (nesting depth, FP control and flags).
#pragma once

#include "loopnest/loop_args.h"
#include "schedulers/fp_state.h"

#include <atomic>
#include <cstdint>
#include <thread>

namespace lj::detail {

// True when the calling thread already runs inside a parallel region: one of our chunks, an
// active OpenMP region, or a oneTBB worker (task-arena slot > 0; slot 0 is where an external
// thread sits even after its parallel_for returned, so it says nothing).
bool in_parallel_region();

// When a pool last had work large enough to split. Workers spin for a while after a call and
// then sleep, and waking sleeping workers costs 25-80 us (bench/cpp/scheduler_bench.cpp,
// StreamCold), so a cold pool needs more work before splitting pays.
class PoolWarmth {
public:
    explicit PoolWarmth(int64_t spin_ns) : spin_ns_(spin_ns) {}
    // False when the last such call ended less than a spin time ago, whether it ran in
    // parallel (workers still spin) or was held back because the pool was cold (calls come
    // fast enough that one wake-up will keep the pool hot for the next ones).
    bool cold() const;
    void touch(); // such a call just ended

private:
    int64_t spin_ns_;
    std::atomic<int64_t> last_end_ns_{INT64_MIN / 2};
};

struct Plan {
    int threads;    // 1: call the chunk directly on the caller, touching no pool
    bool held_back; // serial only because the pool is cold: touch() the warmth afterwards
};

// How many threads a run of n iterations in pieces of at least `grain` may use on the calling
// thread.
Plan plan_threads(int64_t n, int64_t grain, const PoolWarmth &warmth);

// One parallel call: wraps each chunk so that nested calls run serially and worker threads
// compute under the caller's FP control; finish() raises the workers' FP flags on the caller.
class ChunkCall {
public:
    ChunkCall(ChunkFn chunk, const LoopArgs *args);
    void operator()(int64_t begin, int64_t end) const;
    void finish() const;

private:
    ChunkFn chunk_;
    const LoopArgs *args_;
    std::thread::id caller_;
    FpControl fp_;
    mutable std::atomic<int> flags_{0};
};

} // namespace lj::detail
