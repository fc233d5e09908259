// The oneTBB layer: parallel_for over blocked_range<int64_t> inside a task_arena with as many
// slots as the caller may use threads. Arenas are cached per size and shared by all callers,
// so callers asking for the same count also share its concurrency limit.
#include "schedulers/control.h"
#include "schedulers/fork_state.h"
#include "schedulers/parallel_region.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace lj {
namespace {

// Arenas built in this process. A forked child starts a new cache: the parent's arenas may
// list slots held by threads that did not survive the fork. The old cache is leaked on purpose
// (destroying it would talk to those threads).
struct ArenaCache {
    uint64_t generation;
    std::mutex mutex;
    std::map<int, std::unique_ptr<tbb::task_arena>> arenas;
};

std::atomic<ArenaCache *> g_cache{nullptr};

ArenaCache &current_cache() {
    const uint64_t generation = detail::fork_generation();
    ArenaCache *cache = g_cache.load(std::memory_order_acquire);
    while (cache == nullptr || cache->generation != generation) {
        auto *fresh = new ArenaCache{generation, {}, {}};
        if (g_cache.compare_exchange_strong(cache, fresh, std::memory_order_acq_rel))
            return *fresh;
        delete fresh; // another thread installed one; `cache` now holds it
    }
    return *cache;
}

tbb::task_arena &arena_for(int threads) {
    // A thread usually asks for the same size again: skip the lock.
    thread_local tbb::task_arena *last = nullptr;
    thread_local int last_threads = 0;
    thread_local uint64_t last_generation = 0;
    const uint64_t generation = detail::fork_generation();
    if (last != nullptr && last_threads == threads && last_generation == generation)
        return *last;

    ArenaCache &cache = current_cache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    std::unique_ptr<tbb::task_arena> &arena = cache.arenas[threads];
    if (!arena) {
        // Without this TBB keeps hardware_concurrency() - 1 workers whatever the arenas ask.
        static tbb::global_control *limit = new tbb::global_control(
            tbb::global_control::max_allowed_parallelism, static_cast<size_t>(pool_size()));
        (void)limit;
        arena = std::make_unique<tbb::task_arena>(threads, /*reserved_for_masters=*/1);
    }
    last = arena.get();
    last_threads = threads;
    last_generation = cache.generation;
    return *last;
}

// oneTBB workers are shared by all callers and sleep ~50 us after their last task: after a
// 30 us pause a call costs what a back-to-back one does, after 100 us it pays the wake-up
// (n = 32768 stream on 2 threads: 14 us, 37 us; serial 14 us).
detail::PoolWarmth g_warmth(50'000);

class TbbScheduler final : public Scheduler {
public:
    const char *name() const override { return "tbb"; }

    void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain) override {
        const detail::Plan plan = detail::plan_threads(n, grain, g_warmth);
        const int threads = plan.threads;
        if (threads <= 1) {
            if (n > 0)
                chunk(0, n, args);
            if (plan.held_back)
                g_warmth.touch();
            return;
        }
        detail::watch_forks();
        detail::ChunkCall call(chunk, args);
        // A range splits while longer than its grain, into halves: 2 * grain - 1 keeps every
        // piece >= grain. Capping the split at ~2 pieces per thread keeps the overhead of a
        // call near a static split (0.5 us instead of 3 us for 2 threads with unlimited
        // splitting; bench/cpp/scheduler_bench.cpp) and leaves the auto partitioner room to
        // rebalance uneven chunks.
        const int64_t coarsest = (n + 2 * threads - 1) / (2 * threads);
        const tbb::blocked_range<int64_t> range(
            0, n, std::max(2 * std::max<int64_t>(grain, 1) - 1, coarsest));
        // oneTBB runs the body of execute() and every task, the caller's own included, under
        // the FP control of a task_group_context: the arena's default one captured the control
        // of whichever thread first used the arena. A context that captures the caller's
        // control here, before execute() switches it, keeps the caller's own pieces under its
        // rounding mode and FTZ/DAZ as well.
        tbb::task_group_context context(
            tbb::task_group_context::bound,
            tbb::task_group_context::default_traits | tbb::task_group_context::fp_settings);
        arena_for(threads).execute([&] {
            // Isolation keeps a caller waiting for its own pieces from picking up another
            // caller's: its call returns as soon as its own work is done.
            tbb::this_task_arena::isolate([&] {
                tbb::parallel_for(
                    range, [&](const tbb::blocked_range<int64_t> &r) { call(r.begin(), r.end()); },
                    tbb::auto_partitioner(), context);
            });
        });
        g_warmth.touch();
        call.finish();
    }
};

} // namespace

Scheduler &tbb_scheduler() {
    static TbbScheduler s;
    return s;
}

} // namespace lj
