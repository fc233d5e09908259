// Threading-layer choice, thread counts and the grain heuristic (schedulers/control.h),
// including the environment variables, read in child processes started with them.
#include "schedulers/control.h"
#include "schedulers_testing.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <cmath>
#include <stdexcept>
#include <thread>

namespace lj {
namespace {

using testing::in_child;
using testing::mark_child_ran;
using testing::run_in_child;

// The message of the std::invalid_argument that fn throws ("" if it does not throw).
template <class F> std::string invalid_argument_message(F &&fn) {
    try {
        fn();
    } catch (const std::invalid_argument &e) {
        return e.what();
    }
    return "";
}

void expect_child_passes(const std::string &test, const std::vector<std::string> &env) {
    testing::ChildResult r = run_in_child(test, env, 60);
    ASSERT_TRUE(r.finished) << "child timed out:\n" << r.output;
    EXPECT_EQ(r.exit_status, 0) << r.output;
    EXPECT_TRUE(r.ran) << "the child did not run " << test << ":\n" << r.output;
}

TEST(ThreadingLayer, NamesAndSchedulers) {
    EXPECT_EQ(threading_layer_names(), (std::vector<std::string>{"tbb", "omp", "serial"}));
    for (const std::string &name : threading_layer_names())
        EXPECT_EQ(scheduler_by_name(name).name(), name);
}

TEST(ThreadingLayer, UnknownNameListsAcceptedOnes) {
    std::string msg = invalid_argument_message([] { scheduler_by_name("gnu"); });
    EXPECT_NE(msg.find("'gnu'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'tbb', 'omp', 'serial'"), std::string::npos) << msg;
}

TEST(ThreadingLayer, ParsesEnvironmentValue) {
    EXPECT_EQ(parse_threading_layer(nullptr), "tbb");
    EXPECT_EQ(parse_threading_layer(""), "tbb");
    EXPECT_EQ(parse_threading_layer("omp"), "omp");
    EXPECT_EQ(parse_threading_layer("serial"), "serial");
    for (const char *bad : {"TBB", "openmp", " tbb", "workqueue"}) {
        std::string msg = invalid_argument_message([&] { parse_threading_layer(bad); });
        EXPECT_NE(msg.find("LOOPJIT_THREADING_LAYER='" + std::string(bad) + "'"), std::string::npos)
            << msg;
        EXPECT_NE(msg.find("accepted: 'tbb', 'omp', 'serial'"), std::string::npos) << msg;
    }
}

TEST(ThreadingLayer, SetForProcessOverridesDefault) {
    const std::string before = threading_layer();
    set_threading_layer("serial");
    EXPECT_STREQ(threading_layer(), "serial");
    EXPECT_EQ(&parallel_scheduler(), &serial_scheduler());
    EXPECT_THROW(set_threading_layer("cuda-ish"), std::invalid_argument);
    EXPECT_STREQ(threading_layer(), "serial");
    set_threading_layer(before);
    EXPECT_EQ(threading_layer(), before);
}

TEST(NumThreads, ParsesEnvironmentValue) {
    EXPECT_EQ(parse_num_threads(nullptr, 6), 6);
    EXPECT_EQ(parse_num_threads("", 6), 6);
    EXPECT_EQ(parse_num_threads("3", 6), 3);
    EXPECT_EQ(parse_num_threads("12 ", 6), 12);
    for (const char *bad : {"0", "-2", "two", "4x", "2.5", "99999999999999999999", "5000"}) {
        std::string msg = invalid_argument_message([&] { parse_num_threads(bad, 6); });
        EXPECT_NE(msg.find("LOOPJIT_NUM_THREADS='" + std::string(bad) + "'"), std::string::npos)
            << msg;
        EXPECT_NE(msg.find("an integer from 1 to 4096"), std::string::npos) << msg;
    }
}

TEST(NumThreads, CountIsPerCallingThread) {
    const int pool = pool_size();
    ASSERT_GE(pool, 1);
    EXPECT_EQ(get_num_threads(), pool);
    set_num_threads(1);
    EXPECT_EQ(get_num_threads(), 1);
    int other = 0;
    std::thread([&] { other = get_num_threads(); }).join();
    EXPECT_EQ(other, pool);
    set_num_threads(pool);
    EXPECT_EQ(get_num_threads(), pool);
}

TEST(NumThreads, RejectsCountsOutsideThePool) {
    const int pool = pool_size();
    for (int bad : {0, -1, -100, pool + 1, 1 << 30}) {
        std::string msg = invalid_argument_message([&] { set_num_threads(bad); });
        EXPECT_NE(msg.find("set_num_threads(" + std::to_string(bad) + ")"), std::string::npos)
            << msg;
        EXPECT_NE(msg.find("from 1 to " + std::to_string(pool)), std::string::npos) << msg;
    }
    EXPECT_EQ(get_num_threads(), pool);
}

TEST(Grain, SmallCheapLoopsStaySerial) {
    // NumPy's 8192-element cast buffers must not wake the pool: no two pieces of `grain`.
    EXPECT_GT(2 * grain_for(8192, 1), 8192);
    EXPECT_GT(2 * grain_for(8192, 0.5), 8192);
    EXPECT_GE(grain_for(1, 1), 1);
}

TEST(Grain, LargeOrCostlyLoopsSplit) {
    EXPECT_LE(2 * grain_for(100'000'000, 1), 100'000'000);
    EXPECT_LE(2 * grain_for(1'000'000, 1), 1'000'000);
    EXPECT_LE(2 * grain_for(100'000, 50), 100'000);
}

TEST(Grain, FallsWithCostAndBoundsThePieceCount) {
    int64_t previous = INT64_MAX;
    for (double cost : {0.25, 1.0, 4.0, 20.0, 50.0, 1000.0, 1e9}) {
        int64_t g = grain_for(10'000, cost);
        EXPECT_LE(g, previous) << cost;
        EXPECT_GE(g, 1) << cost;
        previous = g;
    }
    for (int64_t n : {int64_t(1) << 20, int64_t(1) << 30, int64_t(1) << 40})
        EXPECT_LE(n / grain_for(n, 1e6), 256) << n;
}

TEST(Grain, NonsenseCostCountsAsOne) {
    for (double cost : {0.0, -3.0, std::nan(""), double(INFINITY)})
        EXPECT_EQ(grain_for(50'000, cost), grain_for(50'000, 1)) << cost;
}

// ---- environment variables, each in a fresh process -----------------------------------------

TEST(Environment, DefaultsToTbbAndTheAffinityMask) {
    expect_child_passes("InChild.Defaults", {});
}
TEST(InChild, Defaults) {
    if (!in_child())
        GTEST_SKIP() << "runs in a child process started by Environment.*";
    mark_child_ran();
    cpu_set_t set;
    CPU_ZERO(&set);
    ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
    EXPECT_EQ(pool_size(), CPU_COUNT(&set));
    EXPECT_STREQ(threading_layer(), "tbb");
}

TEST(Environment, ReadsLayerAndPoolSize) {
    expect_child_passes("InChild.OmpWithFive",
                        {"LOOPJIT_THREADING_LAYER=omp", "LOOPJIT_NUM_THREADS=5"});
}
TEST(InChild, OmpWithFive) {
    if (!in_child())
        GTEST_SKIP() << "runs in a child process started by Environment.*";
    mark_child_ran();
    EXPECT_STREQ(threading_layer(), "omp");
    EXPECT_EQ(pool_size(), 5);
    EXPECT_EQ(get_num_threads(), 5);
    set_num_threads(5);
    EXPECT_THROW(set_num_threads(6), std::invalid_argument);
}

TEST(Environment, BadValuesAreReportedOnUse) {
    expect_child_passes("InChild.BadValues",
                        {"LOOPJIT_THREADING_LAYER=gomp", "LOOPJIT_NUM_THREADS=all"});
}
TEST(InChild, BadValues) {
    if (!in_child())
        GTEST_SKIP() << "runs in a child process started by Environment.*";
    mark_child_ran();
    for (int attempt = 0; attempt < 2; ++attempt) { // still reported the second time
        std::string msg = invalid_argument_message([] { threading_layer(); });
        EXPECT_NE(msg.find("LOOPJIT_THREADING_LAYER='gomp'"), std::string::npos) << msg;
        msg = invalid_argument_message([] { pool_size(); });
        EXPECT_NE(msg.find("LOOPJIT_NUM_THREADS='all'"), std::string::npos) << msg;
        msg = invalid_argument_message([] { set_num_threads(1); });
        EXPECT_NE(msg.find("LOOPJIT_NUM_THREADS='all'"), std::string::npos) << msg;
    }
    set_threading_layer("omp"); // a config setting overrides the bad variable
    EXPECT_STREQ(threading_layer(), "omp");
}

} // namespace
} // namespace lj
