// Compile latency of a small elementwise kernel (build + optimize + JIT): printed, not asserted
// (timed assertions belong to benchmarks). The first module is measured in a fresh process so
// it includes LLVM's initialization and the JIT's creation.
#include "jit_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace lj {
namespace {

const char *kKernel = R"(
declare double @exp(double)
define internal double @k(double %a, double %b) alwaysinline {
  %e = call double @exp(double %a)
  %m = fmul double %e, %b
  %r = fadd double %m, 1.000000e+00
  ret double %r
}
)";

struct Timing {
    double build_ms, optimize_ms, jit_ms;
    double total() const { return build_ms + optimize_ms + jit_ms; }
};

Timing compile_once() {
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    auto t0 = clock::now();
    auto hm = test::parse_host_module(kKernel);
    build_elementwise_loop(*hm.m, hm.m->getFunction("k"), {Scalar::Float64, Scalar::Float64},
                           {Scalar::Float64}, "loop");
    auto t1 = clock::now();
    optimize_module(*hm.m, {});
    auto t2 = clock::now();
    auto code = jit_add_module(std::move(hm.ctx), std::move(hm.m));
    auto chunk = reinterpret_cast<ChunkFn>(code->lookup("loop"));
    auto t3 = clock::now();
    double a[4] = {0, 1, 2, 3}, b[4] = {1, 1, 1, 1}, out[4];
    test::run_chunk(
        chunk, 0, 4,
        {reinterpret_cast<char *>(a), reinterpret_cast<char *>(b), reinterpret_cast<char *>(out)},
        {8, 8, 8});
    if (out[0] != 2.0)
        std::abort();
    return {ms(t0, t1), ms(t1, t2), ms(t2, t3)};
}

void print(const char *what, const Timing &t) {
    std::printf("[ latency  ] %-28s %7.2f ms (build %.2f, optimize %.2f, jit %.2f)\n", what,
                t.total(), t.build_ms, t.optimize_ms, t.jit_ms);
    std::fflush(stdout);
}

TEST(JitLatency, FirstModuleInFreshProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe"); // re-executes the binary: nothing warm
    EXPECT_EXIT(
        {
            print("first module in process", compile_once());
            std::exit(0);
        },
        testing::ExitedWithCode(0), "");
}

TEST(JitLatency, SteadyState) {
    compile_once(); // warm: LLVM initialized, JIT created, this thread's TargetMachine made
    std::vector<Timing> runs;
    for (int i = 0; i < 30; ++i)
        runs.push_back(compile_once());
    std::sort(runs.begin(), runs.end(),
              [](const Timing &a, const Timing &b) { return a.total() < b.total(); });
    print("steady state, median of 30", runs[runs.size() / 2]);
    print("steady state, fastest", runs.front());
}

} // namespace
} // namespace lj
