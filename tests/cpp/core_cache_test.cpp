// compile_elementwise through the disk cache (CompileOptions::cache): a loop compiled once is
// loaded, not compiled, the next time (same dtypes, cost and results, no IR text), every option
// is part of the key, and inspection (keep_assembly) always compiles.
#include "compiler.h"
#include "jit/object_cache.h"
#include "kernel_text.h"

#include "core_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace lj;
using test::run;

namespace {

const char *kBody = "(return (binop / (binop * (int 2) (binop - (name x) (name y))) "
                    "(binop + (name x) (name y))))";

CompiledLoop compile(const std::string &sig, bool fastmath = false, bool keep_asm = false,
                     const char *body = kBody) {
    CompileOptions opts;
    opts.cache = true;
    opts.fastmath = fastmath;
    opts.keep_assembly = keep_asm;
    return compile_elementwise(print_ir(*test::kernel("x y", body)), parse_signature(sig), opts);
}

// The process's cache, in a directory of its own (the first use reads the environment).
ObjectCache &fresh_process_cache() {
    static ObjectCache &cache = []() -> ObjectCache & {
        std::string tmpl = ::testing::TempDir() + "ljcore-cache-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        setenv("LOOPJIT_CACHE_DIR", mkdtemp(buf.data()), 1);
        unsetenv("LOOPJIT_CACHE");
        return ObjectCache::process();
    }();
    return cache;
}

TEST(CompileCached, SecondCompilationIsLoaded) {
    ObjectCache &cache = fresh_process_cache();
    ASSERT_TRUE(cache.enabled());
    const CacheStats before = cache.stats();
    const std::vector<double> x = {1, 2, 3, 4.5, -7, 1e300}, y = {3, 2, 1, 0.5, 7, 1e-300};
    std::vector<double> first;
    double cost = 0;
    {
        CompiledLoop l = compile("float64(float64, float64)");
        EXPECT_FALSE(l.cached);
        EXPECT_FALSE(l.typed_ir.empty());
        EXPECT_FALSE(l.llvm_ir.empty());
        first = run<double>(l, x, y);
        cost = l.cost;
    }
    CompiledLoop l = compile("float64(float64, float64)");
    EXPECT_TRUE(l.cached);
    EXPECT_TRUE(l.typed_ir.empty()); // nothing was compiled
    EXPECT_TRUE(l.llvm_ir.empty());
    EXPECT_EQ(l.ins, (std::vector<Scalar>{Scalar::Float64, Scalar::Float64}));
    EXPECT_EQ(l.outs, std::vector<Scalar>{Scalar::Float64});
    EXPECT_EQ(l.cost, cost);
    const std::vector<double> second = run<double>(l, x, y);
    ASSERT_EQ(second.size(), first.size());
    for (size_t i = 0; i < first.size(); ++i)
        EXPECT_EQ(std::memcmp(&first[i], &second[i], sizeof(double)), 0) << i;

    const CacheStats after = cache.stats();
    EXPECT_EQ(after.misses - before.misses, 1u);
    EXPECT_EQ(after.hits - before.hits, 1u);
    EXPECT_EQ(after.stores - before.stores, 1u);
}

TEST(CompileCached, EveryInputIsPartOfTheKey) {
    ObjectCache &cache = fresh_process_cache();
    const uint64_t misses = cache.stats().misses;
    std::vector<CompiledLoop> loops; // kept alive: a live loop would be shared, not loaded
    loops.push_back(compile("float32(float32, float32)"));
    loops.push_back(compile("float32(float32, float32)", /*fastmath=*/true));
    loops.push_back(compile("(float32, float32)")); // return type inferred: another signature
    const char *difference = "(return (binop - (name x) (name y)))";
    loops.push_back(compile("float32(float32, float32)", false, false, difference));
    EXPECT_EQ(cache.stats().misses - misses, 4u);
    for (const CompiledLoop &l : loops)
        EXPECT_FALSE(l.cached);
    // The same again: shared with the live loops, not compiled.
    EXPECT_TRUE(compile("float32(float32, float32)", true).cached);
    EXPECT_EQ(cache.stats().misses - misses, 4u);
    const std::vector<float> a = {1, 2}, b = {3, 5};
    EXPECT_EQ(run<float>(loops[3], a, b), (std::vector<float>{-2, -3}));
}

TEST(CompileCached, InspectionAlwaysCompiles) {
    fresh_process_cache();
    CompiledLoop cached = compile("float64(int64, int64)");
    CompiledLoop again = compile("float64(int64, int64)", false, /*keep_asm=*/true);
    EXPECT_FALSE(again.cached);
    EXPECT_FALSE(again.assembly.empty());
    EXPECT_FALSE(again.llvm_ir.empty());
}

} // namespace
