// The JIT engine: adding modules, looking up and calling their functions, releasing them,
// resolving libm/libmvec symbols, many modules, and compiling from several threads at once.
#include "codegen/target.h"
#include "jit/engine.h"
#include "jit/host_machine.h"
#include "jit_test_support.h"
#include "support/error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <thread>

namespace lj {
namespace {

using test::parse_host_module;

std::shared_ptr<CompiledCode> jit_ir(const std::string &ir) {
    auto hm = parse_host_module(ir);
    return jit_add_module(std::move(hm.ctx), std::move(hm.m));
}

std::string constant_function(const std::string &name, int64_t value) {
    return "define i64 @" + name + "() {\n  ret i64 " + std::to_string(value) + "\n}\n";
}

TEST(JitTarget, HostIsDetected) {
    const Target &t = Target::host();
    EXPECT_EQ(t.kind, Target::Kind::Host);
    EXPECT_NE(t.triple.find("x86_64"), std::string::npos) << t.triple;
    EXPECT_FALSE(t.cpu.empty());
    if (!std::getenv("LOOPJIT_CPU_NAME"))
        EXPECT_NE(t.features.find("+sse2"), std::string::npos) << t.features;
    EXPECT_EQ(&t, &Target::host()); // detected once
}

TEST(JitTarget, EnvironmentOverridesCpu) {
    GTEST_FLAG_SET(death_test_style, "threadsafe"); // a fresh process: host() not yet detected
    EXPECT_EXIT(
        {
            setenv("LOOPJIT_CPU_NAME", "x86-64-v3", 1);
            unsetenv("LOOPJIT_CPU_FEATURES");
            const Target &t = Target::host();
            bool ok = t.cpu == "x86-64-v3" &&
                      t.features == "-avx10.1-256,-avx10.1-512,-avx512fp16" &&
                      host_has_feature("avx2") && !host_has_feature("avx512f");
            std::exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST(JitTarget, NoAvx512Fp16) {
    // LLVM 19 miscompiles float16 vector compares with it (see codegen/target.cpp), whether the
    // CPU is the host, pinned, or pinned with features that ask for it.
    EXPECT_FALSE(host_has_feature("avx512fp16"));
    EXPECT_NE(Target::host().features.find("-avx512fp16"), std::string::npos);
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            setenv("LOOPJIT_CPU_NAME", "sapphirerapids", 1);
            setenv("LOOPJIT_CPU_FEATURES", "+avx512fp16,+avx10.1-512", 1);
            bool ok = host_has_feature("avx512f") && host_has_feature("avx512bf16") &&
                      !host_has_feature("avx512fp16") && !host_has_feature("avx10.1-512");
            std::exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST(JitEngine, AddLookupCall) {
    auto code = jit_ir(R"(
define i64 @add3(i64 %a, i64 %b, i64 %c) {
  %s = add i64 %a, %b
  %t = add i64 %s, %c
  ret i64 %t
}
define double @half(double %x) {
  %h = fmul double %x, 5.000000e-01
  ret double %h
}
)");
    auto add3 = reinterpret_cast<int64_t (*)(int64_t, int64_t, int64_t)>(code->lookup("add3"));
    auto half = reinterpret_cast<double (*)(double)>(code->lookup("half"));
    EXPECT_EQ(add3(1, 20, 300), 321);
    EXPECT_EQ(half(3.0), 1.5);
}

TEST(JitEngine, LookupOfAbsentFunctionThrows) {
    auto code = jit_ir(constant_function("present", 1));
    try {
        code->lookup("absent");
        FAIL() << "lookup of an absent function succeeded";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Internal);
        EXPECT_NE(std::string(e.what()).find("absent"), std::string::npos) << e.what();
    }
}

TEST(JitEngine, UnresolvedSymbolIsACompileError) {
    try {
        jit_ir(R"(
declare double @no_such_function_anywhere(double)
define double @f(double %x) {
  %r = call double @no_such_function_anywhere(double %x)
  ret double %r
}
)");
        FAIL() << "a module with an undefined symbol compiled";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Internal);
        EXPECT_NE(std::string(e.what()).find("no_such_function_anywhere"), std::string::npos)
            << e.what();
    }
    // The engine still works after a failed module.
    EXPECT_EQ(reinterpret_cast<int64_t (*)()>(
                  jit_ir(constant_function("after_failure", 7))->lookup("after_failure"))(),
              7);
}

TEST(JitEngine, ResolvesLibmAndLibmvec) {
    auto code = jit_ir(R"(
declare double @exp(double)
declare float @atan2f(float, float)
declare <2 x double> @_ZGVbN2v_exp(<2 x double>)
define double @scalar(double %x) {
  %r = call double @exp(double %x)
  ret double %r
}
define float @scalar2(float %y, float %x) {
  %r = call float @atan2f(float %y, float %x)
  ret float %r
}
define double @vector(double %x) {
  %v = insertelement <2 x double> poison, double %x, i64 0
  %s = shufflevector <2 x double> %v, <2 x double> poison, <2 x i32> zeroinitializer
  %e = call <2 x double> @_ZGVbN2v_exp(<2 x double> %s)
  %r = extractelement <2 x double> %e, i64 1
  ret double %r
}
)");
    auto scalar = reinterpret_cast<double (*)(double)>(code->lookup("scalar"));
    auto scalar2 = reinterpret_cast<float (*)(float, float)>(code->lookup("scalar2"));
    auto vector = reinterpret_cast<double (*)(double)>(code->lookup("vector"));
    EXPECT_EQ(scalar(1.25), std::exp(1.25));
    EXPECT_EQ(scalar2(1.0f, -2.0f), std::atan2(1.0f, -2.0f));
    EXPECT_NEAR(vector(1.25), std::exp(1.25), 1e-15 * std::exp(1.25));
}

TEST(JitEngine, SameNameInManyLiveModules) {
    // Callers need not make names unique: each module keeps its own "value".
    std::vector<std::shared_ptr<CompiledCode>> codes;
    for (int i = 0; i < 200; ++i)
        codes.push_back(jit_ir(constant_function("value", i)));
    for (int i = 0; i < 200; ++i)
        EXPECT_EQ(reinterpret_cast<int64_t (*)()>(codes[i]->lookup("value"))(), i);
}

TEST(JitEngine, ReleasedModulesFreeTheirNames) {
    for (int round = 0; round < 50; ++round) {
        auto a = jit_ir(constant_function("released", round));
        auto b = jit_ir(constant_function("released", -round));
        EXPECT_EQ(reinterpret_cast<int64_t (*)()>(a->lookup("released"))(), round);
        EXPECT_EQ(reinterpret_cast<int64_t (*)()>(b->lookup("released"))(), -round);
    }
    // Code stays valid as long as its owner, independent of other modules' release.
    auto keep = jit_ir(constant_function("kept", 99));
    { auto tmp = jit_ir(constant_function("kept", 1)); }
    EXPECT_EQ(reinterpret_cast<int64_t (*)()>(keep->lookup("kept"))(), 99);
}

TEST(JitEngine, ModuleWithoutFunctions) {
    auto code = jit_ir("declare double @exp(double)\n");
    EXPECT_THROW(code->lookup("exp"), CompileError);
}

TEST(JitEngine, NewHostModuleMatchesTheJit) {
    auto [ctx, m] = new_host_module("layout");
    EXPECT_EQ(m->getTargetTriple(), host_target_machine().getTargetTriple().str());
    EXPECT_FALSE(m->getDataLayout().isDefault());
    EXPECT_EQ(m->getName(), "layout");
}

TEST(JitEngine, ConcurrentCompilation) {
    // Every thread parses, optimizes and JIT-compiles its own modules; all at once.
    constexpr int kThreads = 4, kModules = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([t, &failures] {
            try {
                std::vector<std::shared_ptr<CompiledCode>> keep;
                for (int i = 0; i < kModules; ++i) {
                    const int64_t k = t * 1000 + i;
                    auto hm = parse_host_module(R"(
declare double @exp(double)
define double @f(double %x) {
  %e = call double @exp(double %x)
  %s = fmul double %e, )" + std::to_string(static_cast<double>(k)) +
                                                R"(
  ret double %s
}
)");
                    optimize_module(*hm.m, {});
                    auto code = jit_add_module(std::move(hm.ctx), std::move(hm.m));
                    auto f = reinterpret_cast<double (*)(double)>(code->lookup("f"));
                    if (f(0.0) != static_cast<double>(k))
                        ++failures;
                    if (i % 2)
                        keep.push_back(code); // the others are released at once
                }
                for (size_t i = 0; i < keep.size(); ++i)
                    if (reinterpret_cast<double (*)(double)>(keep[i]->lookup("f"))(0.0) !=
                        static_cast<double>(t * 1000 + 2 * i + 1))
                        ++failures;
            } catch (const std::exception &) {
                ++failures;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    EXPECT_EQ(failures.load(), 0);
}

} // namespace
} // namespace lj
