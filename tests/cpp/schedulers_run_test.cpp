// Every layer runs every iteration exactly once, in pieces of at least `grain`, runs small or
// one-thread work directly on the caller without starting a pool, and runs nested calls
// (from its own chunks, from the other layer, from raw TBB or OpenMP code) serially.
#include "schedulers/control.h"
#include "schedulers_testing.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

namespace lj {
namespace {

using testing::Coverage;
using testing::coverage_chunk;

class EveryLayer : public ::testing::TestWithParam<std::string> {
protected:
    Scheduler &sched() { return scheduler_by_name(GetParam()); }
};

TEST_P(EveryLayer, RunsEachIterationOnceInPiecesOfAtLeastGrain) {
    for (int64_t n : {0, 1, 2, 7, 1000, 4096, 100'003, 1 << 20}) {
        for (int64_t grain : {int64_t(1), int64_t(3), int64_t(64), int64_t(1000), n}) {
            Coverage c(n);
            LoopArgs args = c.args();
            sched().run(&coverage_chunk, n, &args, grain);
            EXPECT_TRUE(c.exact()) << "n=" << n << " grain=" << grain;
            if (n > 0)
                EXPECT_GE(c.min_piece.load(), std::min(grain, n)) << n << " " << grain;
            else
                EXPECT_EQ(c.chunks.load(), 0);
        }
    }
}

TEST_P(EveryLayer, WorkTooSmallToSplitRunsOnTheCaller) {
    for (int64_t n : {1, 100, 8191, 8192}) {
        Coverage c(n);
        LoopArgs args = c.args();
        sched().run(&coverage_chunk, n, &args, grain_for(n, 1));
        EXPECT_EQ(c.chunks.load(), 1) << n;
        EXPECT_EQ(*c.threads.begin(), std::this_thread::get_id());
    }
    Coverage c(99);
    LoopArgs args = c.args();
    sched().run(&coverage_chunk, 99, &args, 50); // 99 < 2 * 50
    EXPECT_EQ(c.chunks.load(), 1);
}

TEST_P(EveryLayer, OneThreadRunsOnTheCaller) {
    set_num_threads(1);
    Coverage c(1 << 16);
    LoopArgs args = c.args();
    sched().run(&coverage_chunk, c.n, &args, 16);
    set_num_threads(pool_size());
    EXPECT_TRUE(c.exact());
    EXPECT_EQ(c.chunks.load(), 1);
    EXPECT_EQ(*c.threads.begin(), std::this_thread::get_id());
}

TEST_P(EveryLayer, CallerCanForceSerial) {
    const std::string before = threading_layer();
    set_threading_layer(GetParam());
    Coverage c(1 << 16);
    LoopArgs args = c.args();
    run_parallel(&coverage_chunk, c.n, &args, 16, /*may_split=*/false);
    EXPECT_TRUE(c.exact());
    EXPECT_EQ(c.chunks.load(), 1);
    EXPECT_EQ(*c.threads.begin(), std::this_thread::get_id());
    Coverage d(1 << 16);
    LoopArgs dargs = d.args();
    run_parallel(&coverage_chunk, d.n, &dargs, 16, /*may_split=*/true);
    EXPECT_TRUE(d.exact());
    set_threading_layer(before);
}

INSTANTIATE_TEST_SUITE_P(Schedulers, EveryLayer, ::testing::Values("tbb", "omp", "serial"),
                         [](const auto &info) { return info.param; });

// ---- nesting --------------------------------------------------------------------------------

// An outer loop over rows whose chunks run `inner` over each row's columns.
struct Nested {
    static constexpr int64_t kRows = 64, kCols = 4096;
    Scheduler *inner;
    std::vector<std::unique_ptr<Coverage>> rows;
    std::atomic<int> inner_split{0}; // inner calls that used more than one chunk or thread

    explicit Nested(Scheduler &s) : inner(&s) {
        for (int64_t r = 0; r < kRows; ++r)
            rows.push_back(std::make_unique<Coverage>(kCols));
    }
    // Returns whether the inner call split the row.
    bool run_row(int64_t r) {
        LoopArgs args = rows[r]->args();
        inner->run(&coverage_chunk, kCols, &args, 1);
        const bool split =
            rows[r]->chunks.load() != 1 || *rows[r]->threads.begin() != std::this_thread::get_id();
        if (split)
            inner_split.fetch_add(1);
        return split;
    }
    bool exact() const {
        return std::all_of(rows.begin(), rows.end(), [](const auto &c) { return c->exact(); });
    }
};

void nested_outer_chunk(int64_t begin, int64_t end, const LoopArgs *args) {
    auto *nested = static_cast<Nested *>(args->extra);
    for (int64_t r = begin; r < end; ++r)
        nested->run_row(r);
}

using Pair = std::tuple<std::string, std::string>;
class NestedLayers : public ::testing::TestWithParam<Pair> {};

TEST_P(NestedLayers, InnerCallsRunSeriallyAndCorrectly) {
    Scheduler &outer = scheduler_by_name(std::get<0>(GetParam()));
    Nested nested(scheduler_by_name(std::get<1>(GetParam())));
    LoopArgs args{nullptr, nullptr, nullptr, &nested};
    if (!testing::finishes_within(60,
                                  [&] { outer.run(&nested_outer_chunk, Nested::kRows, &args, 1); }))
        testing::fail_hard("a nested scheduler call did not return within 60 s");
    EXPECT_TRUE(nested.exact());
    EXPECT_EQ(nested.inner_split.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Schedulers, NestedLayers,
                         ::testing::Combine(::testing::Values("tbb", "omp"),
                                            ::testing::Values("tbb", "omp", "serial")),
                         [](const auto &info) {
                             return std::get<0>(info.param) + "_in_" + std::get<1>(info.param);
                         });

class FromForeignRegion : public ::testing::TestWithParam<std::string> {};

TEST_P(FromForeignRegion, RawTbbParallelFor) {
    Nested nested(scheduler_by_name(GetParam()));
    std::atomic<int> on_workers{0}, split_on_workers{0};
    if (!testing::finishes_within(60, [&] {
            tbb::parallel_for(int64_t(0), Nested::kRows, [&](int64_t r) {
                // The external thread (slot 0) may nest a parallel call; workers may not.
                const bool worker = tbb::this_task_arena::current_thread_index() > 0;
                const bool split = nested.run_row(r);
                if (worker) {
                    on_workers.fetch_add(1);
                    split_on_workers.fetch_add(split);
                }
            });
        }))
        testing::fail_hard("a scheduler call from a TBB task did not return within 60 s");
    EXPECT_TRUE(nested.exact());
    EXPECT_EQ(split_on_workers.load(), 0) << on_workers.load() << " rows ran on TBB workers";
}

TEST_P(FromForeignRegion, RawOpenMpParallel) {
    Nested nested(scheduler_by_name(GetParam()));
    std::atomic<int> split_in_team{0};
    if (!testing::finishes_within(60, [&] {
#pragma omp parallel for num_threads(2) schedule(dynamic)
            for (int64_t r = 0; r < Nested::kRows; ++r) {
                const bool split = nested.run_row(r);
                if (omp_get_num_threads() > 1)
                    split_in_team.fetch_add(split);
            }
        }))
        testing::fail_hard("a scheduler call from an OpenMP thread did not return within 60 s");
    EXPECT_TRUE(nested.exact());
    EXPECT_EQ(split_in_team.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Schedulers, FromForeignRegion, ::testing::Values("tbb", "omp"),
                         [](const auto &info) { return info.param; });

} // namespace
} // namespace lj
