// The optimizer: libmvec vector variants at the widest width the CPU has (float32 and float64,
// libm calls and LLVM intrinsics), their accuracy against scalar libm, cleanup of unused
// variants, optimization levels, fast-math, and the assembly printer.
#include "jit/host_machine.h"
#include "jit/vector_math.h"
#include "jit_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace lj {
namespace {

using test::get;
using test::put;

// The widest libmvec variant name the host should get, e.g. "_ZGVeN8v_exp".
std::string widest_variant(const std::string &base, int elem_bits, int nargs) {
    char isa = 'b';
    int bits = 128;
    if (host_has_feature("avx512f"))
        isa = 'e', bits = 512;
    else if (host_has_feature("avx2"))
        isa = 'd', bits = 256;
    else if (host_has_feature("avx"))
        isa = 'c', bits = 256;
    return "_ZGV" + std::string(1, isa) + "N" + std::to_string(bits / elem_bits) +
           std::string(static_cast<size_t>(nargs), 'v') + "_" + base;
}

// A unary kernel `k` calling `callee` (a libm name or an intrinsic) on `ty` ("double"/"float").
std::string unary_kernel(const std::string &callee, const std::string &ty) {
    return "declare " + ty + " @" + callee + "(" + ty + ")\n" + "define internal " + ty + " @k(" +
           ty + " %x) alwaysinline {\n  %r = call " + ty + " @" + callee + "(" + ty +
           " %x)\n  ret " + ty + " %r\n}\n";
}

std::string binary_kernel(const std::string &callee, const std::string &ty) {
    return "declare " + ty + " @" + callee + "(" + ty + ", " + ty + ")\n" + "define internal " +
           ty + " @k(" + ty + " %x, " + ty + " %y) alwaysinline {\n  %r = call " + ty + " @" +
           callee + "(" + ty + " %x, " + ty + " %y)\n  ret " + ty + " %r\n}\n";
}

class VectorMath : public testing::Test {
protected:
    void SetUp() override {
        if (!vector_math_available())
            GTEST_SKIP() << "libmvec is not available on this host";
    }
};

TEST_F(VectorMath, WidestVariantForLibmCalls) {
    for (const char *fn : {"exp", "sin", "log", "tanh", "log1p", "erf", "cbrt"}) {
        for (bool is_float : {false, true}) {
            const std::string name = std::string(fn) + (is_float ? "f" : "");
            SCOPED_TRACE(name);
            const Scalar s = is_float ? Scalar::Float32 : Scalar::Float64;
            auto loop = test::compile_loop(unary_kernel(name, is_float ? "float" : "double"), "k",
                                           {s}, {s});
            const std::string want = widest_variant(name, is_float ? 32 : 64, 1);
            EXPECT_NE(loop.optimized_ir.find("call <"), std::string::npos);
            EXPECT_EQ(loop.optimized_ir.find("llvm.compiler.used"), std::string::npos);
            EXPECT_NE(loop.optimized_ir.find("@" + want + "("), std::string::npos)
                << "no call to " << want;
        }
    }
}

TEST_F(VectorMath, WidestVariantForIntrinsics) {
    const std::pair<const char *, const char *> cases[] = {
        {"llvm.exp.f64", "exp"},  {"llvm.exp.f32", "expf"},  {"llvm.sin.f64", "sin"},
        {"llvm.log.f32", "logf"}, {"llvm.tanh.f64", "tanh"}, {"llvm.exp10.f64", "exp10"},
    };
    for (const auto &[intrinsic, base] : cases) {
        SCOPED_TRACE(intrinsic);
        const bool is_float = std::string(intrinsic).find("f32") != std::string::npos;
        const Scalar s = is_float ? Scalar::Float32 : Scalar::Float64;
        auto loop = test::compile_loop(unary_kernel(intrinsic, is_float ? "float" : "double"), "k",
                                       {s}, {s});
        const std::string want = widest_variant(base, is_float ? 32 : 64, 1);
        EXPECT_NE(loop.optimized_ir.find("@" + want + "("), std::string::npos)
            << "no call to " << want;
    }
}

TEST_F(VectorMath, TwoArgumentFunctions) {
    for (const char *fn : {"pow", "atan2", "hypot"}) {
        for (bool is_float : {false, true}) {
            const std::string name = std::string(fn) + (is_float ? "f" : "");
            SCOPED_TRACE(name);
            const Scalar s = is_float ? Scalar::Float32 : Scalar::Float64;
            auto loop = test::compile_loop(binary_kernel(name, is_float ? "float" : "double"), "k",
                                           {s, s}, {s});
            const std::string want = widest_variant(name, is_float ? 32 : 64, 2);
            EXPECT_NE(loop.optimized_ir.find("@" + want + "("), std::string::npos)
                << "no call to " << want;
        }
    }
}

TEST_F(VectorMath, PreferredWidthFromEnvironment) {
    if (!host_has_feature("avx2"))
        GTEST_SKIP() << "needs AVX2";
    GTEST_FLAG_SET(death_test_style, "threadsafe"); // a fresh process reads the variable
    EXPECT_EXIT(
        {
            setenv("LOOPJIT_PREFER_VECTOR_WIDTH", "256", 1);
            auto loop = test::compile_loop(unary_kernel("exp", "double"), "k", {Scalar::Float64},
                                           {Scalar::Float64});
            const bool ok = loop.optimized_ir.find("@_ZGVdN4v_exp(") != std::string::npos &&
                            loop.optimized_ir.find("@_ZGVeN8v_exp(") == std::string::npos;
            std::exit(ok ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
}

TEST_F(VectorMath, OneVectorLoopServesBroadcast) {
    // pow(array, scalar) runs the same vectorized loop as pow(array, array): one vector call in
    // the module, and bit-identical results either way.
    auto loop = test::compile_loop(binary_kernel("pow", "double"), "k",
                                   {Scalar::Float64, Scalar::Float64}, {Scalar::Float64});
    const std::string name = "@" + widest_variant("pow", 64, 2) + "(";
    size_t mentions = 0;
    for (size_t at = loop.optimized_ir.find(name); at != std::string::npos;
         at = loop.optimized_ir.find(name, at + 1))
        ++mentions;
    EXPECT_EQ(mentions, 2u) << "one call and the declaration";

    std::vector<double> a(1003), s{1.7}, b(a.size(), 1.7), broadcast(a.size()), full(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        a[i] = 0.01 + 0.37 * static_cast<double>(i);
    auto bytes = [](std::vector<double> &v) { return reinterpret_cast<char *>(v.data()); };
    const auto n = static_cast<int64_t>(a.size());
    test::run_chunk(loop.chunk, 0, n, {bytes(a), bytes(s), bytes(broadcast)}, {8, 0, 8});
    test::run_chunk(loop.chunk, 0, n, {bytes(a), bytes(b), bytes(full)}, {8, 8, 8});
    EXPECT_EQ(std::memcmp(broadcast.data(), full.data(), n * sizeof(double)), 0);
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(broadcast[i], std::pow(a[i], 1.7), 1e-14 * std::pow(a[i], 1.7));
}

// Distance in units in the last place (0 for two NaNs, huge for NaN against a number).
template <class F, class U> int64_t ulp_distance(F a, F b) {
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
    // Sign-magnitude bits onto a monotonic integer line (+0 and -0 both at 0).
    auto key = [](F v) {
        U bits;
        std::memcpy(&bits, &v, sizeof v);
        const U sign = U(1) << (8 * sizeof(U) - 1);
        const int64_t magnitude = static_cast<int64_t>(bits & ~sign);
        return (bits & sign) ? -magnitude : magnitude;
    };
    const int64_t d = key(a) - key(b);
    return d < 0 ? -d : d;
}

// glibc 2.36's libmvec exp/expf (every width) differ from its scalar exp/expf by up to 2 ulp
// (about 1.6% of arguments), from the exact result by under 3 ulp; scalar exp is within 0.51.
TEST_F(VectorMath, ExpFloat64WithinTwoUlpOfLibm) {
    auto loop = test::compile_loop(unary_kernel("exp", "double"), "k", {Scalar::Float64},
                                   {Scalar::Float64});
    ASSERT_NE(loop.optimized_ir.find(widest_variant("exp", 64, 1)), std::string::npos);
    std::vector<double> x;
    for (int i = 0; i < 20000; ++i)
        x.push_back(-745.0 + 1455.0 * i / 19999.0);
    for (double v :
         {0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, -745.2,
          std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
          std::numeric_limits<double>::quiet_NaN()})
        x.push_back(v);
    std::vector<double> y(x.size());
    test::run_chunk(loop.chunk, 0, static_cast<int64_t>(x.size()),
                    {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data())},
                    {8, 8});
    for (size_t i = 0; i < x.size(); ++i) {
        int64_t d = ulp_distance<double, uint64_t>(y[i], std::exp(x[i]));
        EXPECT_LE(d, 2) << "exp(" << x[i] << ") = " << y[i] << ", libm " << std::exp(x[i]);
    }
}

TEST_F(VectorMath, ExpFloat32WithinTwoUlpOfLibm) {
    auto loop = test::compile_loop(unary_kernel("expf", "float"), "k", {Scalar::Float32},
                                   {Scalar::Float32});
    ASSERT_NE(loop.optimized_ir.find(widest_variant("expf", 32, 1)), std::string::npos);
    std::vector<float> x;
    for (int i = 0; i < 20000; ++i)
        x.push_back(-103.0f + 192.0f * static_cast<float>(i) / 19999.0f);
    for (float v :
         {0.0f, -0.0f, 88.72f, 88.73f, std::numeric_limits<float>::infinity(),
          -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()})
        x.push_back(v);
    std::vector<float> y(x.size());
    test::run_chunk(loop.chunk, 0, static_cast<int64_t>(x.size()),
                    {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data())},
                    {4, 4});
    for (size_t i = 0; i < x.size(); ++i)
        EXPECT_LE((ulp_distance<float, uint32_t>(y[i], std::exp(x[i]))), 2)
            << "expf(" << x[i] << ") = " << y[i] << ", libm " << std::exp(x[i]);
}

TEST_F(VectorMath, OtherFunctionsCloseToLibm) {
    // glibc documents libmvec to within 4 ulp of the correctly rounded result.
    struct Fn {
        const char *name;
        double (*ref)(double);
        double lo, hi;
    };
    const Fn fns[] = {{"sin", std::sin, -100, 100},   {"log", std::log, 1e-10, 1e10},
                      {"tanh", std::tanh, -20, 20},   {"log1p", std::log1p, -0.99, 100},
                      {"atan", std::atan, -1e3, 1e3}, {"cbrt", std::cbrt, -1e6, 1e6},
                      {"erf", std::erf, -6, 6},       {"expm1", std::expm1, -30, 30}};
    for (const Fn &fn : fns) {
        SCOPED_TRACE(fn.name);
        auto loop = test::compile_loop(unary_kernel(fn.name, "double"), "k", {Scalar::Float64},
                                       {Scalar::Float64});
        std::vector<double> x, y(4099);
        for (int i = 0; i < 4099; ++i)
            x.push_back(fn.lo + (fn.hi - fn.lo) * i / 4098.0);
        test::run_chunk(loop.chunk, 0, 4099,
                        {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data())},
                        {8, 8});
        for (size_t i = 0; i < x.size(); ++i)
            EXPECT_LE((ulp_distance<double, uint64_t>(y[i], fn.ref(x[i]))), 4)
                << fn.name << "(" << x[i] << ") = " << y[i] << ", libm " << fn.ref(x[i]);
    }
}

TEST_F(VectorMath, UnusedVariantsAreRemoved) {
    // No loop, so nothing vectorizes: the variant declarations must not linger in the IR.
    auto hm = test::parse_host_module(R"(
declare double @exp(double)
define double @f(double %x) {
  %r = call double @exp(double %x)
  ret double %r
}
)");
    optimize_module(*hm.m, {});
    const std::string ir = test::module_text(*hm.m);
    EXPECT_EQ(ir.find("_ZGV"), std::string::npos) << ir;
    EXPECT_EQ(ir.find("vector-function-abi-variant"), std::string::npos) << ir;
    EXPECT_EQ(ir.find("llvm.compiler.used"), std::string::npos) << ir;
    auto code = jit_add_module(std::move(hm.ctx), std::move(hm.m));
    EXPECT_EQ(reinterpret_cast<double (*)(double)>(code->lookup("f"))(0.5), std::exp(0.5));
}

TEST_F(VectorMath, VariantsOnlyForMathFunctions) {
    // Same name, wrong type, or not a math function at all: left alone.
    auto hm = test::parse_host_module(R"(
declare double @exp(double, double)
declare double @expo(double)
declare float @expf(double)
define double @f(double %x) {
  %a = call double @exp(double %x, double %x)
  %b = call double @expo(double %x)
  %c = call float @expf(double %x)
  %d = fpext float %c to double
  %s = fadd double %a, %b
  %t = fadd double %s, %d
  ret double %t
}
)");
    EXPECT_EQ(add_vector_math_variants(*hm.m), 0);
    EXPECT_EQ(test::module_text(*hm.m).find("vector-function-abi-variant"), std::string::npos);
}

TEST(JitOptimize, VectorizesAtTheCpuWidth) {
    auto loop = test::compile_loop(R"(
define internal double @k(double %a, double %b) alwaysinline {
  %r = fadd double %a, %b
  ret double %r
}
)",
                                   "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Float64});
    const int lanes = host_has_feature("avx512f") ? 8 : host_has_feature("avx") ? 4 : 2;
    EXPECT_NE(loop.optimized_ir.find("<" + std::to_string(lanes) + " x double>"), std::string::npos)
        << loop.optimized_ir;
}

TEST(JitOptimize, OptimizationLevels) {
    const char *ir = R"(
declare double @exp(double)
define internal double @k(double %a) alwaysinline {
  %e = call double @exp(double %a)
  %r = fmul double %e, 2.000000e+00
  ret double %r
}
)";
    for (int level : {0, 1, 2, 3}) {
        SCOPED_TRACE(level);
        OptimizeOptions opts;
        opts.opt_level = level;
        auto loop = test::compile_loop(ir, "k", {Scalar::Float64}, {Scalar::Float64}, opts);
        std::vector<double> x{0.0, 1.0, -2.5, 3.25, 0.5}, y(5);
        test::run_chunk(loop.chunk, 0, 5,
                        {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data())},
                        {8, 8});
        for (size_t i = 0; i < x.size(); ++i)
            EXPECT_DOUBLE_EQ(y[i], 2.0 * std::exp(x[i]));
    }
}

TEST(JitOptimize, FastMathMarksFunctions) {
    OptimizeOptions opts;
    opts.fastmath = true;
    auto loop =
        test::compile_loop(R"(
define internal double @k(double %a, double %b) alwaysinline {
  %r = fadd fast double %a, %b
  ret double %r
}
)",
                           "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Float64}, opts);
    EXPECT_NE(loop.optimized_ir.find("\"no-nans-fp-math\"=\"true\""), std::string::npos);
    std::vector<double> a{1, 2, 3}, b{0.5, 0.25, 0.125}, out(3);
    test::run_chunk(loop.chunk, 0, 3,
                    {reinterpret_cast<char *>(a.data()), reinterpret_cast<char *>(b.data()),
                     reinterpret_cast<char *>(out.data())},
                    {8, 8, 8});
    EXPECT_EQ(out, (std::vector<double>{1.5, 2.25, 3.125}));
}

TEST(JitOptimize, EmitAssembly) {
    auto hm = test::parse_host_module(unary_kernel("exp", "double"));
    build_elementwise_loop(*hm.m, hm.m->getFunction("k"), {Scalar::Float64}, {Scalar::Float64},
                           "asm_loop");
    optimize_module(*hm.m, {});
    const std::string before = test::module_text(*hm.m);
    const std::string text = emit_assembly(*hm.m);
    EXPECT_NE(text.find("asm_loop:"), std::string::npos) << text;
    if (vector_math_available())
        EXPECT_NE(text.find(widest_variant("exp", 64, 1)), std::string::npos) << text;
    if (host_has_feature("avx512f"))
        EXPECT_NE(text.find("zmm"), std::string::npos);
    // Printing leaves the module as it was, ready for the JIT.
    EXPECT_EQ(test::module_text(*hm.m), before);
    auto code = jit_add_module(std::move(hm.ctx), std::move(hm.m));
    EXPECT_NE(code->lookup("asm_loop"), nullptr);
}

} // namespace
} // namespace lj
