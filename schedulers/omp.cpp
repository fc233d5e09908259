// The OpenMP layer: a static worksharing loop over one piece per thread, on a team of the
// caller's thread count. GNU OpenMP is not fork-safe, so in a child forked after it ran in
// parallel this layer runs serially and says so once (control.h).
#include "schedulers/fork_state.h"
#include "schedulers/parallel_region.h"
#include "schedulers/scheduler.h"

#include <omp.h>

namespace lj {
namespace {

// GNU OpenMP keeps one team per calling thread, whose threads spin (GOMP_SPINCOUNT) for a
// few hundred microseconds before sleeping: hot after a 300 us pause, waking after 1 ms
// (n = 32768 stream on 2 threads: 12 us, 16 us; after 10 ms 82 us; serial 14 us).
thread_local detail::PoolWarmth t_warmth(300'000);

class OmpScheduler final : public Scheduler {
public:
    const char *name() const override { return "omp"; }

    void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain) override {
        const detail::Plan plan = detail::plan_threads(n, grain, t_warmth);
        int threads = plan.threads;
        if (threads > 1) {
            detail::watch_forks();
            if (detail::omp_unusable()) {
                detail::note_omp_fallback();
                threads = 1;
            }
        }
        if (threads <= 1) {
            if (n > 0)
                chunk(0, n, args);
            if (plan.held_back)
                t_warmth.touch();
            return;
        }
        detail::note_omp_started();
        detail::ChunkCall call(chunk, args);
        // plan_threads keeps n / threads >= grain; the first n % threads pieces get one more.
        const int64_t base = n / threads, extra = n % threads;
#pragma omp parallel for schedule(static) num_threads(threads)
        for (int p = 0; p < threads; ++p) {
            const int64_t begin = p * base + (p < extra ? p : extra);
            call(begin, begin + base + (p < extra ? 1 : 0));
        }
        t_warmth.touch();
        call.finish();
    }
};

} // namespace

Scheduler &omp_scheduler() {
    static OmpScheduler s;
    return s;
}

} // namespace lj
