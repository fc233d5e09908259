// Scheduler overhead and the serial/parallel crossover behind grain_for (schedulers/grain.cpp):
//   Overhead/<layer>/n      an empty chunk over n iterations, split as finely as allowed
//   Stream/<layer>/n        a[i] = b[i] * s + c[i] (cost 1), forced parallel (grain 1) or serial
//   StreamCold/<layer>/n    the same after a 5 ms pause, so the pool has gone to sleep
//   ColdAuto/<layer>/n      that pause before a call with grain_for(n, 1)
//   Exp/<layer>/n           a[i] = exp(b[i]) (scalar libm: cost ~40), forced parallel or serial
//   *Auto/<layer>/n         the same with grain_for(n, cost): never slower than serial
#include "schedulers/control.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

namespace lj {
namespace {

struct Arrays {
    std::vector<double> a, b, c;
    double s = 3.0;
    explicit Arrays(int64_t n) : a(n, 0.0), b(n, 1.0), c(n, 2.0) {}
};

void empty_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    benchmark::DoNotOptimize(begin);
    benchmark::DoNotOptimize(end);
}

// Cloned for the vector units the JIT would use, so "cost 1" is as cheap here as in JIT code.
__attribute__((target_clones("avx512f", "avx2", "default"))) void
stream_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    auto *t = static_cast<Arrays *>(args->extra);
    double *__restrict a = t->a.data();
    const double *__restrict b = t->b.data();
    const double *__restrict c = t->c.data();
    for (int64_t i = begin; i < end; ++i)
        a[i] = b[i] * t->s + c[i];
}

void exp_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    auto *t = static_cast<Arrays *>(args->extra);
    for (int64_t i = begin; i < end; ++i)
        t->a[i] = std::exp(t->b[i] * 1e-3 * static_cast<double>(i & 1023));
}

enum class Grain { Finest, Auto };

void report(benchmark::State &state, int64_t n) {
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["threads"] = get_num_threads();
}

void BM_Overhead(benchmark::State &state, const char *layer) {
    Scheduler &s = scheduler_by_name(layer);
    const int64_t n = state.range(0);
    LoopArgs args{nullptr, nullptr, nullptr, nullptr};
    for (auto _ : state)
        s.run(&empty_chunk, n, &args, 1);
    report(state, n);
}

void BM_Kernel(benchmark::State &state, const char *layer, ChunkFn chunk, double cost,
               Grain grain_kind) {
    Scheduler &s = scheduler_by_name(layer);
    const int64_t n = state.range(0);
    Arrays arrays(n);
    LoopArgs args{nullptr, nullptr, nullptr, &arrays};
    const int64_t grain = grain_kind == Grain::Auto ? grain_for(n, cost) : 1;
    s.run(chunk, n, &args, grain); // first touch, pool start-up
    for (auto _ : state)
        s.run(chunk, n, &args, grain);
    report(state, n);
}

// Each timed call follows a pause long enough for OpenMP (GOMP_SPINCOUNT) and oneTBB workers
// to stop spinning and sleep in the kernel: the worst case of a first call after idle time.
void BM_Cold(benchmark::State &state, const char *layer, ChunkFn chunk, double cost,
             Grain grain_kind) {
    Scheduler &s = scheduler_by_name(layer);
    const int64_t n = state.range(0);
    Arrays arrays(n);
    LoopArgs args{nullptr, nullptr, nullptr, &arrays};
    const int64_t grain = grain_kind == Grain::Auto ? grain_for(n, cost) : 1;
    s.run(chunk, n, &args, grain);
    for (auto _ : state) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        auto t0 = std::chrono::steady_clock::now();
        s.run(chunk, n, &args, grain);
        state.SetIterationTime(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    report(state, n);
}

void overhead_sizes(benchmark::internal::Benchmark *b) {
    b->Arg(1)->Arg(1000)->Arg(1000000);
}

// Powers of two around the crossovers, then out to 10^8.
void stream_sizes(benchmark::internal::Benchmark *b) {
    for (int64_t n = 1; n <= (int64_t(1) << 20); n *= 2)
        b->Arg(n);
    b->Arg(8192 * 3 / 2)->Arg(3 << 14)->Arg(3 << 15)->Arg(3 << 16);
    b->Arg(10'000'000)->Arg(100'000'000);
}

void exp_sizes(benchmark::internal::Benchmark *b) {
    for (int64_t n = 1; n <= (int64_t(1) << 16); n *= 2)
        b->Arg(n);
    b->Arg(3 << 8)->Arg(3 << 9)->Arg(3 << 10)->Arg(1'000'000);
}

void cold_sizes(benchmark::internal::Benchmark *b) {
    for (int64_t n = 1 << 12; n <= (int64_t(1) << 21); n *= 2)
        b->Arg(n);
    b->Iterations(100)->UseManualTime();
}

#define LAYER_BENCHMARKS(layer)                                                                    \
    BENCHMARK_CAPTURE(BM_Overhead, layer, #layer)                                                  \
        ->Name("Overhead/" #layer)                                                                 \
        ->Apply(overhead_sizes);                                                                   \
    BENCHMARK_CAPTURE(BM_Kernel, stream_##layer, #layer, &stream_chunk, 1.0, Grain::Finest)        \
        ->Name("Stream/" #layer)                                                                   \
        ->Apply(stream_sizes);                                                                     \
    BENCHMARK_CAPTURE(BM_Kernel, stream_auto_##layer, #layer, &stream_chunk, 1.0, Grain::Auto)     \
        ->Name("StreamAuto/" #layer)                                                               \
        ->Apply(stream_sizes);                                                                     \
    BENCHMARK_CAPTURE(BM_Cold, stream_cold_##layer, #layer, &stream_chunk, 1.0, Grain::Finest)     \
        ->Name("StreamCold/" #layer)                                                               \
        ->Apply(cold_sizes);                                                                       \
    BENCHMARK_CAPTURE(BM_Cold, cold_auto_##layer, #layer, &stream_chunk, 1.0, Grain::Auto)         \
        ->Name("ColdAuto/" #layer)                                                                 \
        ->Apply(cold_sizes);                                                                       \
    BENCHMARK_CAPTURE(BM_Kernel, exp_##layer, #layer, &exp_chunk, 40.0, Grain::Finest)             \
        ->Name("Exp/" #layer)                                                                      \
        ->Apply(exp_sizes);                                                                        \
    BENCHMARK_CAPTURE(BM_Kernel, exp_auto_##layer, #layer, &exp_chunk, 40.0, Grain::Auto)          \
        ->Name("ExpAuto/" #layer)                                                                  \
        ->Apply(exp_sizes)

LAYER_BENCHMARKS(serial);
LAYER_BENCHMARKS(tbb);
LAYER_BENCHMARKS(omp);

} // namespace
} // namespace lj
