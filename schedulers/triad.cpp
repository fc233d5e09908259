#include "schedulers/triad.h"

#include "schedulers/control.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace lj {
namespace {

struct TriadArgs {
    double *a;
    const double *b;
    const double *c;
    double s;
};

void triad_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    const auto *t = static_cast<const TriadArgs *>(args->extra);
    double *__restrict a = t->a;
    const double *__restrict b = t->b;
    const double *__restrict c = t->c;
    for (int64_t i = begin; i < end; ++i)
        a[i] = b[i] + t->s * c[i];
}

// First touch through the scheduler too, so pages land on the threads that use them.
void fill_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    const auto *t = static_cast<const TriadArgs *>(args->extra);
    for (int64_t i = begin; i < end; ++i) {
        t->a[i] = 0.0;
        const_cast<double *>(t->b)[i] = 1.0;
        const_cast<double *>(t->c)[i] = 2.0;
    }
}

// Sets the calling thread's thread count for one measurement.
class ThreadCountScope {
public:
    explicit ThreadCountScope(int threads) : saved_(get_num_threads()) {
        if (threads != 0)
            set_num_threads(threads);
    }
    ~ThreadCountScope() { set_num_threads(saved_); }

private:
    int saved_;
};

} // namespace

TriadResult measure_triad(Scheduler &sched, int64_t n, int repetitions, int threads) {
    ThreadCountScope count(threads);
    std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
    TriadArgs targs{a.get(), b.get(), c.get(), 3.0};
    LoopArgs args{nullptr, nullptr, nullptr, &targs};
    const int64_t grain = 1 << 16;
    sched.run(&fill_chunk, n, &args, grain);
    double best = 1e300;
    for (int r = 0; r < std::max(1, repetitions); ++r) {
        auto t0 = std::chrono::steady_clock::now();
        sched.run(&triad_chunk, n, &args, grain);
        best = std::min(best,
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                            .count());
    }
    return {3.0 * 8.0 * static_cast<double>(n) / best, best};
}

} // namespace lj
