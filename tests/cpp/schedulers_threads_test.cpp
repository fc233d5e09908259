// Thread counts and concurrency: small work starts no pool, each caller uses at most its own
// count, many threads call at once, and the pool wakes after any pause. Each scenario runs in
// a child process with a pool of 8 (more than this machine's cores, so limits are visible)
// and a deadline, so a deadlock fails the test instead of hanging the suite.
#include "schedulers/control.h"
#include "schedulers_testing.h"

#include <gtest/gtest.h>

#include <chrono>

namespace lj {
namespace {

using testing::Coverage;
using testing::coverage_chunk;
using testing::in_child;
using testing::mark_child_ran;

void expect_child_passes(const std::string &test, double timeout = 240) {
    testing::ChildResult r = testing::run_in_child(test, {"LOOPJIT_NUM_THREADS=8"}, timeout);
    ASSERT_TRUE(r.finished) << "child timed out after " << timeout << " s:\n" << r.output;
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_TRUE(r.ran) << "the child did not run " << test << ":\n" << r.output;
}

#define CHILD_ONLY()                                                                               \
    if (!in_child())                                                                               \
        GTEST_SKIP() << "runs in a child process started by Threads.*";                            \
    mark_child_ran()

// Runs `body` for the tbb and the omp layer, failing hard past the deadline.
template <class F> void for_each_parallel_layer(double seconds, F &&body) {
    for (const char *layer : {"tbb", "omp"}) {
        SCOPED_TRACE(layer);
        if (!testing::finishes_within(seconds, [&] { body(scheduler_by_name(layer)); }))
            testing::fail_hard(std::string(layer) + ": scenario did not finish in time");
    }
}

TEST(Threads, SmallWorkStartsNoThreads) {
    expect_child_passes("InChild.SmallWork");
}
TEST(InChild, SmallWork) {
    CHILD_ONLY();
    ASSERT_EQ(testing::process_thread_count(), 1);
    for (const char *layer : {"tbb", "omp"}) {
        Scheduler &s = scheduler_by_name(layer);
        for (int i = 0; i < 1000; ++i) {
            Coverage c(8192);
            LoopArgs args = c.args();
            s.run(&coverage_chunk, c.n, &args, grain_for(c.n, 1));
            ASSERT_TRUE(c.exact());
        }
        EXPECT_EQ(testing::process_thread_count(), 1) << layer << " started threads";
    }
    // The same count sees the pools once the work is large enough.
    for (const char *layer : {"tbb", "omp"}) {
        const int before = testing::process_thread_count();
        Coverage c(1 << 20);
        LoopArgs args = c.args();
        scheduler_by_name(layer).run(&coverage_chunk, c.n, &args, 1024);
        EXPECT_TRUE(c.exact());
        EXPECT_GT(testing::process_thread_count(), before) << layer;
    }
}

TEST(Threads, ColdPoolSplitsOnlyLargeWork) {
    expect_child_passes("InChild.ColdPool");
}
TEST(InChild, ColdPool) {
    CHILD_ONLY();
    for_each_parallel_layer(60, [](Scheduler &s) {
        auto chunks_of = [&](int64_t n, int64_t grain) {
            Coverage c(n);
            LoopArgs args = c.args();
            s.run(&coverage_chunk, n, &args, grain);
            EXPECT_TRUE(c.exact());
            return c.chunks.load();
        };
        const auto idle = std::chrono::milliseconds(20);
        std::this_thread::sleep_for(idle);
        EXPECT_EQ(chunks_of(64, 16), 1) << "4 pieces woke a cold pool";
        // Medium calls in quick succession wake it once and then keep it hot.
        bool split = false;
        for (int call = 0; call < 50 && !split; ++call)
            split = chunks_of(64, 16) > 1;
        EXPECT_TRUE(split) << "back-to-back medium calls never used the pool";
        std::this_thread::sleep_for(idle);
        EXPECT_EQ(chunks_of(64, 16), 1) << "the pool should have cooled down";
        std::this_thread::sleep_for(idle);
        EXPECT_GT(chunks_of(256, 16), 1) << "16 pieces are worth waking a cold pool";
    });
}

TEST(Threads, EachCallerUsesAtMostItsCount) {
    expect_child_passes("InChild.AtMostCount");
}
TEST(InChild, AtMostCount) {
    CHILD_ONLY();
    for_each_parallel_layer(120, [](Scheduler &s) {
        for (int count = 1; count <= pool_size(); ++count) {
            set_num_threads(count);
            size_t widest = 0;
            for (int attempt = 0; attempt < 20; ++attempt) { // until the pool shows up
                Coverage c(64);
                c.sleep_us = 300;
                LoopArgs args = c.args();
                s.run(&coverage_chunk, c.n, &args, 1);
                EXPECT_TRUE(c.exact());
                EXPECT_LE(c.max_active.load(), count);
                EXPECT_LE(c.distinct_threads(), size_t(count));
                widest = std::max(widest, c.distinct_threads());
                if (count == 1 || widest >= 2)
                    break;
            }
            EXPECT_EQ(widest >= 2, count >= 2) << "count " << count << ": " << widest;
        }
        set_num_threads(pool_size());
    });
}

TEST(Threads, ConcurrentCallersWithDifferentCounts) {
    expect_child_passes("InChild.DifferentCounts");
}
TEST(InChild, DifferentCounts) {
    CHILD_ONLY();
    for_each_parallel_layer(120, [](Scheduler &s) {
        std::atomic<int> over{0}, wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&, count = 1 + t] {
                set_num_threads(count);
                for (int call = 0; call < 40; ++call) {
                    Coverage c(32);
                    c.sleep_us = 200;
                    LoopArgs args = c.args();
                    s.run(&coverage_chunk, c.n, &args, 1);
                    wrong += !c.exact();
                    over += c.max_active.load() > count;
                }
            });
        for (std::thread &t : threads)
            t.join();
        EXPECT_EQ(wrong.load(), 0);
        EXPECT_EQ(over.load(), 0) << "calls ran more chunks at once than their count";
    });
}

TEST(Threads, ManyThreadsCallAtOnce) {
    expect_child_passes("InChild.ManyThreads");
}
TEST(InChild, ManyThreads) {
    CHILD_ONLY();
    for_each_parallel_layer(200, [](Scheduler &s) {
        std::atomic<int> wrong{0}, over{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 32; ++t)
            threads.emplace_back([&, count = 1 + t % 8] {
                set_num_threads(count);
                for (int call = 0; call < 1000; ++call) {
                    Coverage c(1024 + 64 * (call % 16));
                    LoopArgs args = c.args();
                    s.run(&coverage_chunk, c.n, &args, 64);
                    wrong += !c.exact();
                    over += c.max_active.load() > count;
                }
            });
        for (std::thread &t : threads)
            t.join();
        EXPECT_EQ(wrong.load(), 0);
        EXPECT_EQ(over.load(), 0);
    });
}

// The caller's chunk waits (bounded) until another thread has started a chunk, so each call
// proves that a worker woke up, however loaded the machine.
struct Rendezvous {
    Coverage coverage{32};
    std::thread::id caller = std::this_thread::get_id();
    LoopArgs coverage_args = coverage.args();
};

void rendezvous_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    auto *r = static_cast<Rendezvous *>(args->extra);
    coverage_chunk(begin, end, &r->coverage_args);
    if (std::this_thread::get_id() != r->caller)
        return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (r->coverage.distinct_threads() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(50));
}

TEST(Threads, PoolWakesAfterAnyPause) {
    expect_child_passes("InChild.Pauses");
}
TEST(InChild, Pauses) {
    CHILD_ONLY();
    for_each_parallel_layer(120, [](Scheduler &s) {
        set_num_threads(2);
        for (double pause : {1.0, 0.1, 0.01, 1e-3, 1e-4, 1e-5}) {
            for (int call = 0; call < (pause >= 0.1 ? 1 : 3); ++call) {
                std::this_thread::sleep_for(std::chrono::duration<double>(pause));
                Rendezvous r;
                LoopArgs args{nullptr, nullptr, nullptr, &r};
                s.run(&rendezvous_chunk, r.coverage.n, &args, 1);
                EXPECT_TRUE(r.coverage.exact()) << "after " << pause << " s";
                EXPECT_EQ(r.coverage.distinct_threads(), 2u) << "after " << pause << " s";
            }
        }
    });
}

} // namespace
} // namespace lj
