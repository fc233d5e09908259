// A child forked after the pools ran: oneTBB keeps working there; GNU OpenMP would wait forever
// for its parent's threads, so the omp layer runs serially and reports it once. Scenarios run
// in a spawned child with a pool of 4, which then forks; every wait is bounded.
#include "schedulers/control.h"
#include "schedulers_testing.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace lj {
namespace {

using testing::Coverage;
using testing::coverage_chunk;

void expect_child_passes(const std::string &test) {
    testing::ChildResult r = testing::run_in_child(test, {"LOOPJIT_NUM_THREADS=4"}, 120);
    ASSERT_TRUE(r.finished) << "child timed out:\n" << r.output;
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_TRUE(r.ran) << "the child did not run " << test << ":\n" << r.output;
}

#define CHILD_ONLY()                                                                               \
    if (!testing::in_child())                                                                      \
        GTEST_SKIP() << "runs in a child process started by Fork.*";                               \
    testing::mark_child_ran()

// Runs a large loop until it was seen on at least two threads (so the pool exists).
size_t run_until_parallel(Scheduler &s) {
    size_t widest = 0;
    for (int attempt = 0; attempt < 50 && widest < 2; ++attempt) {
        Coverage c(64);
        c.sleep_us = 200;
        LoopArgs args = c.args();
        s.run(&coverage_chunk, c.n, &args, 1);
        if (!c.exact())
            return 0;
        widest = std::max(widest, c.distinct_threads());
    }
    return widest;
}

// Forks; the child runs `body` (its exit status) and _exits. Returns the child's wait status,
// or -1 if it had to be killed after 30 s.
template <class F> int in_forked_child(F &&body) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        int status = 99;
        try {
            status = body();
        } catch (...) {
        }
        std::fflush(nullptr);
        _exit(status);
    }
    return pid < 0 ? -2 : testing::wait_or_kill(pid, 30);
}

// Exit status bits of a forked child's checks.
enum : int { kWrong = 1, kNotSerial = 2, kNoFallback = 4, kNoWarning = 8, kWarnedTwice = 16 };

TEST(Fork, TbbWorksInTheChild) {
    expect_child_passes("InChild.TbbFork");
}
TEST(InChild, TbbFork) {
    CHILD_ONLY();
    Scheduler &tbb = tbb_scheduler();
    ASSERT_GE(run_until_parallel(tbb), 2u);
    int status = in_forked_child([&] {
        int bad = 0;
        for (int call = 0; call < 20; ++call) {
            Coverage c(1 << 18);
            LoopArgs args = c.args();
            tbb.run(&coverage_chunk, c.n, &args, 256);
            bad |= c.exact() ? 0 : kWrong;
        }
        return bad;
    });
    ASSERT_NE(status, -1) << "the forked child hung in the tbb layer";
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_GE(run_until_parallel(tbb), 2u) << "the parent's pool after the fork";
}

TEST(Fork, OmpFallsBackToSerialInTheChild) {
    expect_child_passes("InChild.OmpFork");
}
TEST(InChild, OmpFork) {
    CHILD_ONLY();
    Scheduler &omp = omp_scheduler();
    ASSERT_GE(run_until_parallel(omp), 2u);
    int status = in_forked_child([&] {
        int bad = 0;
        for (int call = 0; call < 3; ++call) {
            Coverage c(1 << 16);
            LoopArgs args = c.args();
            omp.run(&coverage_chunk, c.n, &args, 256);
            bad |= c.exact() ? 0 : kWrong;
            bad |= c.chunks.load() == 1 ? 0 : kNotSerial;
            bad |= fell_back_to_serial() ? 0 : kNoFallback;
            const std::string warning = take_fallback_warning();
            if (call == 0)
                bad |= warning.find("'omp' threading layer") != std::string::npos ? 0 : kNoWarning;
            else
                bad |= warning.empty() ? 0 : kWarnedTwice;
        }
        // A grandchild inherits the broken OpenMP state: still serial, still no hang.
        int grandchild = in_forked_child([&] {
            Coverage c(1 << 16);
            LoopArgs args = c.args();
            omp.run(&coverage_chunk, c.n, &args, 256);
            return c.exact() && c.chunks.load() == 1 ? 0 : kWrong;
        });
        bad |= grandchild == 0 ? 0 : kWrong;
        // oneTBB still runs in the child.
        Coverage c(1 << 16);
        LoopArgs args = c.args();
        tbb_scheduler().run(&coverage_chunk, c.n, &args, 256);
        return bad | (c.exact() ? 0 : kWrong);
    });
    ASSERT_NE(status, -1) << "the forked child hung in the omp layer";
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "bits: 1 wrong, 2 not serial, 4 no fall-back flag, "
                                         "8 no warning, 16 warned twice";
    EXPECT_FALSE(fell_back_to_serial());
    EXPECT_EQ(take_fallback_warning(), "");
    EXPECT_GE(run_until_parallel(omp), 2u) << "the parent's team after the fork";
}

TEST(Fork, OmpStaysParallelInAChildForkedBeforeItRan) {
    expect_child_passes("InChild.OmpForkBeforeUse");
}
TEST(InChild, OmpForkBeforeUse) {
    CHILD_ONLY();
    int status = in_forked_child([&] {
        size_t widest = run_until_parallel(omp_scheduler());
        return widest >= 2 && !fell_back_to_serial() ? 0 : kNotSerial;
    });
    ASSERT_NE(status, -1) << "the forked child hung in the omp layer";
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

} // namespace
} // namespace lj
