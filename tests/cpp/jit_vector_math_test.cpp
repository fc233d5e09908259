// loopjit's vector math (src/vmath): the vectorizer calls its variants at the widest width, JIT
// code's scalar libm calls resolve to it too (so a vector lane and the scalar remainder agree bit
// for bit), every function is within 1 ULP of a long double reference on each width, and the
// fast paths raise no spurious floating-point flags on NaN, infinities or zeros.
#include "jit/host_machine.h"
#include "jit/vector_math.h"
#include "jit_test_support.h"
#include "vmath/vmath.h"

#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace lj {
namespace {

class LoopjitVectorMath : public testing::Test {
protected:
    void SetUp() override {
        if (!vmath::enabled())
            GTEST_SKIP() << "loopjit's vector math needs x86-64 with AVX2 and FMA";
    }
};

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

// The widest vector ISA letter and register width of this host.
std::pair<char, int> widest_isa() {
    if (host_has_feature("avx512f") && host_has_feature("avx512dq") && host_has_feature("avx512vl"))
        return {'e', 512};
    return {'d', 256};
}

struct Fn {
    const char *name; // double libm name
    int nargs;
    long double (*ref1)(long double);
    long double (*ref2)(long double, long double);
    double lo, hi; // argument range of the sample (both arguments for binary functions)
};

const Fn kFunctions[] = {
    {"exp", 1, expl, nullptr, -745, 710},     {"exp2", 1, exp2l, nullptr, -1075, 1024},
    {"expm1", 1, expm1l, nullptr, -40, 709},  {"log", 1, logl, nullptr, 1e-300, 1e300},
    {"log2", 1, log2l, nullptr, 1e-300, 1e4}, {"log10", 1, log10l, nullptr, 1e-9, 1e9},
    {"log1p", 1, log1pl, nullptr, -0.99, 10}, {"sin", 1, sinl, nullptr, -1e4, 1e4},
    {"cos", 1, cosl, nullptr, -1e4, 1e4},     {"tan", 1, tanl, nullptr, -100, 100},
    {"asin", 1, asinl, nullptr, -1, 1},       {"acos", 1, acosl, nullptr, -1, 1},
    {"atan", 1, atanl, nullptr, -50, 50},     {"sinh", 1, sinhl, nullptr, -710, 710},
    {"cosh", 1, coshl, nullptr, -710, 710},   {"tanh", 1, tanhl, nullptr, -20, 20},
    {"atan2", 2, nullptr, atan2l, -10, 10},   {"hypot", 2, nullptr, hypotl, -1e3, 1e3},
    {"pow", 2, nullptr, powl, 0.01, 30},
};

// |got - exact| in ULPs of T at the exact value (subnormal ULPs below the normal range); 0 for
// NaN against NaN and for the infinity the exact value rounds to.
template <class T> double ulp_error(T got, long double exact) {
    if (std::isnan(exact))
        return std::isnan(got) ? 0 : 1e9;
    if (std::isinf(got) && got == static_cast<T>(exact))
        return 0;
    int e = 0;
    std::frexp(exact, &e);
    const int digits = std::numeric_limits<T>::digits;
    const int emin = std::numeric_limits<T>::min_exponent;
    const long double ulp = std::ldexp(1.0L, std::max(e - digits, emin - digits));
    return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
}

// x values for `f`: uniform over its range plus the special values every function meets.
template <class T> std::vector<T> sample(const Fn &f, int n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(f.lo, f.hi);
    std::vector<T> x;
    for (int i = 0; i < n; ++i)
        x.push_back(static_cast<T>(u(rng)));
    const T inf = std::numeric_limits<T>::infinity();
    for (T v : {T(0), -T(0), T(1), -T(1), T(0.5), inf, -inf, std::numeric_limits<T>::quiet_NaN(),
                std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::min(),
                std::numeric_limits<T>::max(), -std::numeric_limits<T>::max()})
        x.push_back(v);
    return x;
}

template <class T>
void run(const test::Loop &loop, const std::vector<std::vector<T>> &args, std::vector<T> &out,
         int64_t begin = 0) {
    std::vector<char *> data;
    std::vector<int64_t> steps;
    for (const auto &a : args) {
        data.push_back(reinterpret_cast<char *>(const_cast<T *>(a.data())));
        steps.push_back(sizeof(T));
    }
    data.push_back(reinterpret_cast<char *>(out.data()));
    steps.push_back(sizeof(T));
    test::run_chunk(loop.chunk, begin, static_cast<int64_t>(out.size()), data, steps);
}

template <class T> test::Loop compile(const Fn &f) {
    const bool is_float = sizeof(T) == 4;
    const std::string name = std::string(f.name) + (is_float ? "f" : "");
    const char *ty = is_float ? "float" : "double";
    const Scalar s = is_float ? Scalar::Float32 : Scalar::Float64;
    if (f.nargs == 1)
        return test::compile_loop(unary_kernel(name, ty), "k", {s}, {s});
    return test::compile_loop(binary_kernel(name, ty), "k", {s, s}, {s});
}

TEST_F(LoopjitVectorMath, LoopsCallLoopjitsVariantsAtTheWidestWidth) {
    auto [isa, bits] = widest_isa();
    for (const Fn &f : kFunctions) {
        for (int elem_bits : {64, 32}) {
            const std::string name = std::string(f.name) + (elem_bits == 32 ? "f" : "");
            auto loop = elem_bits == 64 ? compile<double>(f) : compile<float>(f);
            const std::string want =
                "@_ZGV" + std::string(1, isa) + "N" + std::to_string(bits / elem_bits) +
                std::string(static_cast<size_t>(f.nargs), 'v') + "_loopjit_" + name + "(";
            EXPECT_NE(loop.optimized_ir.find(want), std::string::npos)
                << name << ": no call to " << want << "\n"
                << loop.optimized_ir;
        }
    }
    // Functions loopjit does not implement keep libmvec's variants.
    if (vector_math_available()) {
        auto loop = test::compile_loop(unary_kernel("erf", "double"), "k", {Scalar::Float64},
                                       {Scalar::Float64});
        EXPECT_NE(loop.optimized_ir.find("@_ZGV" + std::string(1, isa) + "N" +
                                         std::to_string(bits / 64) + "v_erf("),
                  std::string::npos)
            << loop.optimized_ir;
    }
}

TEST_F(LoopjitVectorMath, LlvmIntrinsicsMapToo) {
    auto [isa, bits] = widest_isa();
    auto loop = test::compile_loop(unary_kernel("llvm.sin.f64", "double"), "k", {Scalar::Float64},
                                   {Scalar::Float64});
    EXPECT_NE(loop.optimized_ir.find("_ZGV" + std::string(1, isa) + "N" +
                                     std::to_string(bits / 64) + "v_loopjit_sin"),
              std::string::npos)
        << loop.optimized_ir;
}

// Every function, double and float, within 1 ULP of the long double reference, and the same
// bits for every element whether the vector body or the scalar remainder computed it (the
// loop started one element later moves each element's place relative to both).
template <class T> void check_accuracy_and_consistency(const Fn &f) {
    SCOPED_TRACE(std::string(f.name) + (sizeof(T) == 4 ? "f" : ""));
    const int n = 4003;
    std::vector<std::vector<T>> args;
    for (int i = 0; i < f.nargs; ++i)
        args.push_back(sample<T>(f, n, 17 + static_cast<unsigned>(i)));
    if (std::string(f.name) == "pow") { // negative bases with integer exponents
        for (size_t i = 0; i < 200; ++i) {
            args[0][i] = -args[0][i];
            args[1][i] = std::round(args[1][i]);
        }
    }
    auto loop = compile<T>(f);
    std::vector<T> y(args[0].size()), shifted(args[0].size());
    run(loop, args, y);
    run(loop, args, shifted, 1);
    double worst = 0;
    for (size_t i = 0; i < y.size(); ++i) {
        const long double exact =
            f.nargs == 1 ? f.ref1(args[0][i]) : f.ref2(args[0][i], args[1][i]);
        const double err = ulp_error<T>(y[i], exact);
        worst = std::max(worst, err);
        EXPECT_LE(err, 1.0) << f.name << "(" << static_cast<double>(args[0][i])
                            << (f.nargs == 2 ? ", " + std::to_string(args[1][i]) : "")
                            << ") = " << static_cast<double>(y[i]);
        if (i >= 1) {
            EXPECT_EQ(std::memcmp(&y[i], &shifted[i], sizeof(T)), 0)
                << "element " << i << " differs between the vector body and the remainder";
        }
    }
    EXPECT_LE(worst, 1.0);
}

TEST_F(LoopjitVectorMath, WithinOneUlpAndTheSameInEveryLane) {
    for (const Fn &f : kFunctions) {
        check_accuracy_and_consistency<double>(f);
        check_accuracy_and_consistency<float>(f);
    }
}

// Scalar calls in JIT code (not vectorized) resolve to loopjit's functions, not glibc's: the
// same bits as a vector call, where glibc's scalar exp would differ somewhere.
TEST_F(LoopjitVectorMath, ScalarCallsResolveToLoopjit) {
    auto code = test::parse_host_module(R"(
declare double @exp(double)
declare float @sinf(float)
define double @scalar(double %x) {
  %r = call double @exp(double %x)
  ret double %r
}
define float @scalarf(float %x) {
  %r = call float @sinf(float %x)
  ret float %r
}
)");
    auto jitted = jit_add_module(std::move(code.ctx), std::move(code.m));
    auto scalar = reinterpret_cast<double (*)(double)>(jitted->lookup("scalar"));
    auto scalarf = reinterpret_cast<float (*)(float)>(jitted->lookup("scalarf"));
    Fn expf_fn = kFunctions[0];
    auto loop = compile<double>(expf_fn);
    std::vector<std::vector<double>> x = {sample<double>(expf_fn, 2000, 5)};
    std::vector<double> y(x[0].size());
    run(loop, x, y);
    for (size_t i = 0; i < y.size(); ++i) {
        const double s = scalar(x[0][i]);
        EXPECT_EQ(std::memcmp(&s, &y[i], sizeof s), 0) << "exp(" << x[0][i] << ")";
    }
    EXPECT_EQ(scalarf(0.0f), 0.0f);
    EXPECT_TRUE(std::signbit(scalarf(-0.0f)));
    EXPECT_LE(ulp_error<float>(scalarf(1.0f), sinl(1.0L)), 0.5);
}

// Flags as C specifies: invalid only for a domain error, divide-by-zero only for a pole,
// overflow only for a finite argument whose result overflows.
TEST_F(LoopjitVectorMath, NoSpuriousFlags) {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    struct Case {
        const char *fn;
        std::vector<double> x;
        int flags;
    };
    const std::vector<Case> cases = {
        {"exp", {nan, inf, -inf, 0.0, -0.0, 700.0, -750.0}, 0},
        {"exp", {1000.0}, FE_OVERFLOW},
        {"log", {nan, inf, 1.0, 1e-310}, 0},
        {"log", {0.0}, FE_DIVBYZERO},
        {"log", {-1.0}, FE_INVALID},
        {"sin", {nan, 0.0, 1e300, -1e22}, 0},
        {"sin", {inf}, FE_INVALID},
        {"atan", {nan, inf, -inf, 0.0}, 0},
        {"asin", {nan, 1.0, -1.0, 0.0}, 0},
        {"asin", {2.0}, FE_INVALID},
        {"tanh", {nan, inf, -inf}, 0},
        {"cosh", {nan, inf, 710.4}, 0},
    };
    for (const Case &c : cases) {
        Fn f{c.fn, 1, nullptr, nullptr, 0, 1};
        auto loop = compile<double>(f);
        for (size_t n : {size_t(1), size_t(37)}) { // the scalar remainder, and vectors too
            std::vector<std::vector<double>> args(1);
            for (size_t i = 0; i < n; ++i)
                args[0].push_back(c.x[i % c.x.size()]);
            std::vector<double> y(n);
            std::feclearexcept(FE_ALL_EXCEPT);
            run(loop, args, y);
            const int raised = std::fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
            EXPECT_EQ(raised, c.flags) << c.fn << "(" << c.x[0] << ", ...) n=" << n;
        }
    }
}

} // namespace
} // namespace lj
