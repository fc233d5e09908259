// Nesting detection, thread planning and the chunk wrapper shared by the tbb and omp layers.
#include "schedulers/parallel_region.h"

#include "schedulers/control.h"

#include <omp.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>

namespace lj::detail {
namespace {

// Depth of our own chunks on this thread: a chunk that calls a scheduler runs it serially.
thread_local int t_depth = 0;

struct DepthGuard {
    DepthGuard() { ++t_depth; }
    ~DepthGuard() { --t_depth; }
};

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

bool in_parallel_region() {
    return t_depth > 0 || omp_in_parallel() || tbb::this_task_arena::current_thread_index() > 0;
}

bool PoolWarmth::cold() const {
    return now_ns() - last_end_ns_.load(std::memory_order_relaxed) > spin_ns_;
}

void PoolWarmth::touch() {
    last_end_ns_.store(now_ns(), std::memory_order_relaxed);
}

Plan plan_threads(int64_t n, int64_t grain, const PoolWarmth &warmth) {
    grain = std::max<int64_t>(grain, 1);
    if (n / 2 < grain) // not two pieces of `grain`
        return {1, false};
    const int allowed = get_num_threads();
    if (allowed <= 1 || in_parallel_region())
        return {1, false};
    // A grain pays for waking workers that still spin (grain.cpp). Sleeping ones cost ~8x
    // more: with 16 pieces of work a cold 2-thread split still beats serial (cost-1 stream,
    // n = 16 * 16384: 0.74-0.81 of serial time). Below that a cold pool is left asleep.
    constexpr int64_t kColdPieces = 16;
    if (n / grain < kColdPieces && warmth.cold())
        return {1, true};
    return {static_cast<int>(std::min<int64_t>(allowed, n / grain)), false};
}

// A layer may switch the caller's FP control around its work and back (oneTBB does when the
// arena captured another control), which clears the caller's flags: the flags the caller had
// before and those its own pieces raise are kept in flags_ and raised again by finish().
ChunkCall::ChunkCall(ChunkFn chunk, const LoopArgs *args)
    : chunk_(chunk), args_(args), caller_(std::this_thread::get_id()), fp_(current_fp_control()),
      flags_(std::fetestexcept(FE_ALL_EXCEPT)) {}

void ChunkCall::operator()(int64_t begin, int64_t end) const {
    DepthGuard depth;
    if (std::this_thread::get_id() == caller_) {
        chunk_(begin, end, args_);
        if (int raised = std::fetestexcept(FE_ALL_EXCEPT))
            flags_.fetch_or(raised, std::memory_order_relaxed);
        return;
    }
    WorkerFpScope fp(fp_);
    chunk_(begin, end, args_);
    if (int raised = fp.raised())
        flags_.fetch_or(raised, std::memory_order_relaxed);
}

void ChunkCall::finish() const {
    raise_fp_flags(flags_.load(std::memory_order_relaxed) & ~std::fetestexcept(FE_ALL_EXCEPT));
}

} // namespace lj::detail
