// Floating-point state across threads: flags raised by chunks on workers end up in the caller's
// FP status as in a serial run, and workers compute under the caller's rounding mode and
// FTZ/DAZ, which stay unchanged. Runs in a child with a pool of 4 so workers take part.
#include "schedulers/control.h"
#include "schedulers_testing.h"

#include <gtest/gtest.h>
#include <xmmintrin.h>

#include <cfenv>
#include <mutex>

namespace lj {
namespace {

using testing::in_child;
using testing::mark_child_ran;

constexpr unsigned kMxcsrFlags = 0x3f, kDaz = 1u << 6, kFtz = 1u << 15, kRoundUp = 2u << 13;

void expect_child_passes(const std::string &test) {
    testing::ChildResult r = testing::run_in_child(test, {"LOOPJIT_NUM_THREADS=4"}, 120);
    ASSERT_TRUE(r.finished) << "child timed out:\n" << r.output;
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_TRUE(r.ran) << "the child did not run " << test << ":\n" << r.output;
}

#define CHILD_ONLY()                                                                               \
    if (!in_child())                                                                               \
        GTEST_SKIP() << "runs in a child process started by FloatingPoint.*";                      \
    mark_child_ran()

enum class Op { None, DivideByZero, Overflow, Underflow, Invalid, Inexact };

// The operation, through volatiles so the compiler neither folds nor drops it.
void perform(Op op) {
    volatile double zero = 0.0, one = 1.0, big = 1e308, tiny = 1e-308, third = 3.0, sink;
    switch (op) {
    case Op::None:
        sink = one + one;
        break;
    case Op::DivideByZero:
        sink = one / zero;
        break;
    case Op::Overflow:
        sink = big * big;
        break;
    case Op::Underflow:
        sink = tiny * tiny;
        break;
    case Op::Invalid:
        sink = zero / zero;
        break;
    case Op::Inexact:
        sink = one / third;
        break;
    }
    (void)sink;
}

// What a chunk saw on the threads that are not the caller.
struct FpProbe {
    Op op = Op::None;
    bool compute_samples = false; // 1/3 and a denormal product (they raise flags themselves)
    std::thread::id caller = std::this_thread::get_id();
    std::atomic<int> worker_pieces{0};
    std::mutex mutex;
    std::vector<unsigned> worker_control; // MXCSR without flags, per worker piece
    std::vector<double> worker_results;   // 1/3 and a denormal product per worker piece
    std::vector<unsigned> caller_control; // MXCSR without flags, per piece the caller ran
};

void fp_chunk(int64_t, int64_t, const LoopArgs *args) {
    auto *p = static_cast<FpProbe *>(args->extra);
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    if (std::this_thread::get_id() == p->caller) {
        // The layer itself may switch FP control around tasks (oneTBB task_group_context).
        std::lock_guard<std::mutex> lock(p->mutex);
        p->caller_control.push_back(_mm_getcsr() & ~kMxcsrFlags);
        return;
    }
    perform(p->op);
    std::lock_guard<std::mutex> lock(p->mutex);
    p->worker_pieces.fetch_add(1);
    p->worker_control.push_back(_mm_getcsr() & ~kMxcsrFlags);
    if (p->compute_samples) {
        volatile double third = 3.0, denormal = 1e-310, half = 0.5;
        p->worker_results.push_back(1.0 / third);
        p->worker_results.push_back(denormal * half);
    }
}

// Runs fp_chunk until some pieces ran on workers (bounded).
bool run_probe(Scheduler &s, FpProbe &probe) {
    LoopArgs args{nullptr, nullptr, nullptr, &probe};
    for (int attempt = 0; attempt < 50 && probe.worker_pieces.load() == 0; ++attempt)
        s.run(&fp_chunk, 32, &args, 1);
    return probe.worker_pieces.load() > 0;
}

TEST(FloatingPoint, WorkerFlagsReachTheCaller) {
    expect_child_passes("InChild.WorkerFlags");
}
TEST(InChild, WorkerFlags) {
    CHILD_ONLY();
    for (const char *layer : {"tbb", "omp"}) {
        for (Op op :
             {Op::None, Op::DivideByZero, Op::Overflow, Op::Underflow, Op::Invalid, Op::Inexact}) {
            std::feclearexcept(FE_ALL_EXCEPT);
            perform(op);
            const int serial = std::fetestexcept(FE_ALL_EXCEPT);
            std::feclearexcept(FE_ALL_EXCEPT);
            FpProbe probe;
            probe.op = op;
            ASSERT_TRUE(run_probe(scheduler_by_name(layer), probe)) << layer;
            EXPECT_EQ(std::fetestexcept(FE_ALL_EXCEPT), serial)
                << layer << " op " << static_cast<int>(op);
        }
        // Flags the caller had before stay; nothing is added.
        std::feclearexcept(FE_ALL_EXCEPT);
        std::feraiseexcept(FE_UNDERFLOW);
        FpProbe probe;
        ASSERT_TRUE(run_probe(scheduler_by_name(layer), probe));
        EXPECT_EQ(std::fetestexcept(FE_ALL_EXCEPT), FE_UNDERFLOW) << layer;
    }
    std::feclearexcept(FE_ALL_EXCEPT);
}

TEST(FloatingPoint, WorkersUseTheCallersControl) {
    expect_child_passes("InChild.Control");
}
TEST(InChild, Control) {
    CHILD_ONLY();
    const unsigned default_csr = _mm_getcsr();
    for (const char *layer : {"tbb", "omp"}) {
        // The last round checks that workers did not keep the previous caller's control.
        for (unsigned extra : {0u, kRoundUp | kFtz | kDaz, 0u}) {
            _mm_setcsr((default_csr & ~(3u << 13)) | extra);
            const unsigned control = _mm_getcsr() & ~kMxcsrFlags;
            volatile double third = 3.0, denormal = 1e-310, half = 0.5;
            const double r1 = 1.0 / third, r2 = denormal * half;
            std::feclearexcept(FE_ALL_EXCEPT);
            std::feraiseexcept(FE_DIVBYZERO);
            FpProbe probe;
            probe.compute_samples = true;
            ASSERT_TRUE(run_probe(scheduler_by_name(layer), probe)) << layer;
            EXPECT_EQ(_mm_getcsr() & ~kMxcsrFlags, control) << layer << " caller changed";
            // A layer that switched the caller's control must not have dropped its flags.
            EXPECT_TRUE(std::fetestexcept(FE_DIVBYZERO)) << layer << " extra " << extra;
            for (unsigned seen : probe.worker_control)
                EXPECT_EQ(seen, control) << layer << " extra " << extra;
            // Also on the caller's own pieces, whatever control the pool was first used under.
            for (unsigned seen : probe.caller_control)
                EXPECT_EQ(seen, control) << layer << " extra " << extra << " (caller's piece)";
            for (size_t i = 0; i < probe.worker_results.size(); i += 2) {
                EXPECT_EQ(probe.worker_results[i], r1) << layer << " extra " << extra;
                EXPECT_EQ(probe.worker_results[i + 1], r2) << layer << " extra " << extra;
            }
        }
        _mm_setcsr(default_csr);
    }
}

} // namespace
} // namespace lj
