// The OpenMP layer: a static worksharing loop over one piece per thread, on a team of the
// caller's thread count. GNU OpenMP is not fork-safe, so in a child forked after it ran in
// parallel this layer runs serially and says so once (control.h).
#include "schedulers/fork_state.h"
#include "schedulers/parallel_region.h"
#include "schedulers/scheduler.h"

#include <omp.h>

namespace lj {
namespace {

class OmpScheduler final : public Scheduler {
public:
    const char *name() const override { return "omp"; }

    void run(ChunkFn chunk, int64_t n, const LoopArgs *args, int64_t grain) override {
        int threads = detail::plan_threads(n, grain);
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
        call.finish();
    }
};

} // namespace

Scheduler &omp_scheduler() {
    static OmpScheduler s;
    return s;
}

} // namespace lj
