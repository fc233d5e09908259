// The optimizer: libmvec vector variants at the widest width the CPU has (float32 and float64,
// libm calls and LLVM intrinsics), their accuracy against scalar libm, cleanup of unused
// variants, the lean pipeline against LLVM's O3, optimization levels, fast-math, and the
// assembly printer.
#include "jit/host_machine.h"
#include "jit/vector_math.h"
#include "jit_test_support.h"
#include "vmath/vmath.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
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
    // loopjit's own variant (src/vmath) where it has one
    const std::string ours = vmath::variant_name(base, isa, bits / elem_bits);
    if (!ours.empty())
        return ours;
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
            const std::string suffix = vmath::enabled() ? "_loopjit_exp(" : "_exp(";
            const bool ok =
                loop.optimized_ir.find("@_ZGVdN4v" + suffix) != std::string::npos &&
                loop.optimized_ir.find("@_ZGVeN8v" + suffix) == std::string::npos;
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

// What the vectorizer made of a loop: the vector types and the functions called.
std::set<std::string> vector_shape(const std::string &ir) {
    std::set<std::string> found;
    for (const char *t : {"<2 x double>", "<4 x double>", "<8 x double>", "<4 x float>",
                          "<8 x float>", "<16 x float>"})
        if (ir.find(t) != std::string::npos)
            found.insert(t);
    for (size_t at = ir.find("@_ZGV"); at != std::string::npos; at = ir.find("@_ZGV", at + 1))
        found.insert(ir.substr(at, ir.find('(', at) - at));
    return found;
}

TEST_F(VectorMath, LeanPipelineVectorizesLikeO3) {
    const std::pair<std::string, std::vector<Scalar>> kernels[] = {
        {binary_kernel("pow", "double"), {Scalar::Float64, Scalar::Float64}},
        {unary_kernel("llvm.exp.f32", "float"), {Scalar::Float32}},
        {R"(
declare double @exp(double)
declare double @cos(double)
define internal double @k(double %x) alwaysinline {
entry:
  %x.addr = alloca double
  store double %x, ptr %x.addr
  %a = load double, ptr %x.addr
  %n = fneg double %a
  %sq = fmul double %n, %a
  %e = call double @exp(double %sq)
  %c = call double @cos(double %a)
  %r = fmul double %e, %c
  ret double %r
}
)",
         {Scalar::Float64}},
        {R"(
define internal double @k(double %x) alwaysinline {
entry:
  %pos = fcmp ogt double %x, 1.500000e+00
  br i1 %pos, label %then, label %else
then:
  %sq = fmul double %x, %x
  ret double %sq
else:
  %neg = fneg double %x
  ret double %neg
}
)",
         {Scalar::Float64}},
    };
    for (const auto &[ir, ins] : kernels) {
        SCOPED_TRACE(ir);
        const Scalar out = ins[0];
        OptimizeOptions o3;
        o3.llvm_o3 = true;
        auto lean = test::compile_loop(ir, "k", ins, {out});
        auto full = test::compile_loop(ir, "k", ins, {out}, o3);
        EXPECT_FALSE(vector_shape(full.optimized_ir).empty()) << full.optimized_ir;
        EXPECT_EQ(vector_shape(lean.optimized_ir), vector_shape(full.optimized_ir))
            << lean.optimized_ir;
    }
}

TEST(JitOptimize, KernelLoopOfFixedCountIsUnrolledThenVectorized) {
    // acc = 0; for i in range(8): acc = acc * x + i -- the vectorizer only takes innermost
    // loops, so the kernel's loop must be gone first.
    auto loop = test::compile_loop(R"(
define internal double @k(double %x) alwaysinline {
entry:
  %acc.addr = alloca double
  %i.addr = alloca i64
  store double 0.000000e+00, ptr %acc.addr
  store i64 0, ptr %i.addr
  br label %cond
cond:
  %i = load i64, ptr %i.addr
  %more = icmp ult i64 %i, 8
  br i1 %more, label %body, label %done
body:
  %acc = load double, ptr %acc.addr
  %m = fmul double %acc, %x
  %fi = sitofp i64 %i to double
  %s = fadd double %m, %fi
  store double %s, ptr %acc.addr
  %i.next = add i64 %i, 1
  store i64 %i.next, ptr %i.addr
  br label %cond
done:
  %r = load double, ptr %acc.addr
  ret double %r
}
)",
                                   "k", {Scalar::Float64}, {Scalar::Float64});
    const int lanes = host_has_feature("avx512f") ? 8 : host_has_feature("avx") ? 4 : 2;
    EXPECT_NE(loop.optimized_ir.find("<" + std::to_string(lanes) + " x double>"), std::string::npos)
        << loop.optimized_ir;
    std::vector<double> x(37), y(37);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = 0.25 * static_cast<double>(i) - 3.0;
    test::run_chunk(loop.chunk, 0, 37,
                    {reinterpret_cast<char *>(x.data()), reinterpret_cast<char *>(y.data())},
                    {8, 8});
    for (size_t i = 0; i < x.size(); ++i) {
        double acc = 0;
        for (int k = 0; k < 8; ++k)
            acc = acc * x[i] + k;
        EXPECT_EQ(y[i], acc) << x[i];
    }
}

TEST_F(VectorMath, StridedLoopPairsIndependentMathCalls) {
    // erf(a) + erf(b): in the scalar strided loop the two calls become one two-lane libmvec
    // call (the SLP vectorizer), twice as fast on strided Black-Scholes.
    auto loop = test::compile_loop(R"(
declare double @erf(double)
define internal double @k(double %a, double %b) alwaysinline {
  %ea = call double @erf(double %a)
  %eb = call double @erf(double %b)
  %r = fadd double %ea, %eb
  ret double %r
}
)",
                                   "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Float64});
    EXPECT_NE(loop.optimized_ir.find("@_ZGVbN2v_erf("), std::string::npos) << loop.optimized_ir;
    std::vector<double> a{0.1, -0.5, 2.0}, b{1.0, 0.25, -3.0}, out(3);
    test::run_chunk(loop.chunk, 0, 3,
                    {reinterpret_cast<char *>(a.data()), reinterpret_cast<char *>(b.data()),
                     reinterpret_cast<char *>(out.data())},
                    {8, 8, 8});
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(out[i], std::erf(a[i]) + std::erf(b[i]), 1e-15);
}

TEST(JitOptimize, LLVMO3FromEnvironment) {
    // LOOPJIT_OPT=3 gives every module LLVM's own O3 pipeline, whose GlobalOpt marks the loop
    // function local_unnamed_addr (the lean pipeline has no use for GlobalOpt).
    const char *ir = R"(
define internal double @k(double %a, double %b) alwaysinline {
  %r = fadd double %a, %b
  ret double %r
}
)";
    GTEST_FLAG_SET(death_test_style, "threadsafe"); // a fresh process reads the variable
    EXPECT_EXIT(
        {
            setenv("LOOPJIT_OPT", "3", 1);
            auto loop =
                test::compile_loop(ir, "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Float64});
            std::exit(loop.optimized_ir.find("local_unnamed_addr") != std::string::npos ? 0 : 1);
        },
        testing::ExitedWithCode(0), "");
    auto lean = test::compile_loop(ir, "k", {Scalar::Float64, Scalar::Float64}, {Scalar::Float64});
    EXPECT_EQ(lean.optimized_ir.find("local_unnamed_addr"), std::string::npos);
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
    for (int level : {0, 1, 2, 3, 4}) {
        SCOPED_TRACE(level);
        OptimizeOptions opts;
        opts.opt_level = std::min(level, 3);
        opts.llvm_o3 = level == 4; // LLVM's O3 instead of the lean pipeline
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
