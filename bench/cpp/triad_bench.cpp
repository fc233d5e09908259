// Memory bandwidth (STREAM triad, schedulers/triad.h) per threading layer and thread count:
// the ceiling every streaming ufunc is measured against. Triad/<layer>/<threads>.
#include "schedulers/control.h"
#include "schedulers/triad.h"

#include <benchmark/benchmark.h>

namespace lj {
namespace {

constexpr int64_t kElements = 40'000'000; // 3 arrays of 320 MB: far beyond any cache

void BM_Triad(benchmark::State &state, const char *layer) {
    const int threads = static_cast<int>(state.range(0));
    if (threads > pool_size()) {
        state.SkipWithError("more threads than the pool (LOOPJIT_NUM_THREADS)");
        return;
    }
    TriadResult best{0, 0};
    for (auto _ : state) {
        TriadResult r = measure_triad(scheduler_by_name(layer), kElements, 5, threads);
        state.SetIterationTime(r.seconds);
        if (r.bytes_per_second > best.bytes_per_second)
            best = r;
    }
    state.counters["GB/s"] = best.bytes_per_second / 1e9;
    state.SetBytesProcessed(state.iterations() * 3 * 8 * kElements);
}

void thread_counts(benchmark::internal::Benchmark *b) {
    for (int t = 1; t <= pool_size(); ++t)
        b->Arg(t);
    b->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(BM_Triad, serial, "serial")
    ->Name("Triad/serial")
    ->Arg(1)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Triad, tbb, "tbb")->Name("Triad/tbb")->Apply(thread_counts);
BENCHMARK_CAPTURE(BM_Triad, omp, "omp")->Name("Triad/omp")->Apply(thread_counts);

} // namespace
} // namespace lj
