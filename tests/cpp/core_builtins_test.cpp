// Builtin functions through the whole pipeline (compile_elementwise: typing, codegen, O3 with
// libmvec vector math, JIT), run over arrays long enough to take the vectorized loop: math
// functions within glibc's documented accuracy of the true value, exact functions bit for bit equal
// to NumPy's definitions, special values (NaN, infinities, signed zeros, huge, tiny) included.
#include "compiler.h"
#include "jit/vector_math.h"
#include "kernel_text.h"

#include "core_test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace lj;
using test::run;
using test::vectorized;

namespace {

CompiledLoop compile(const std::string &params, const std::string &expr, const std::string &sig) {
    return test::compile_kernel(params, "(return " + expr + ")", sig);
}

// The error of `got` in units in the last place of T, against a reference computed in long
// double (64-bit mantissa: exact enough to stand for the true value). NaN matches only NaN, an
// infinity only itself.
template <class T> double ulp_error(T got, long double ref) {
    T r = static_cast<T>(ref);
    if (std::isnan(got) || std::isnan(r))
        return std::isnan(got) && std::isnan(r) ? 0 : INFINITY;
    if (std::isinf(got) || std::isinf(r))
        return got == r ? 0 : INFINITY;
    T mag = std::fabs(r);
    T ulp = mag < std::numeric_limits<T>::min() ? std::numeric_limits<T>::denorm_min()
                                                : std::nextafter(mag, T(INFINITY)) - mag;
    return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

template <class T> bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

// glibc documents its vector math (libmvec) to 4 ulps; its scalar functions are within 1 ulp
// except a few (cbrt, tanh, sinh, erfc, log10 measure up to 3).
constexpr double kMaxUlps = 4.0;

// Inputs for any function: special values, then values spread over many magnitudes.
template <class T> std::vector<T> inputs(size_t n = 4096, uint64_t seed = 1) {
    using L = std::numeric_limits<T>;
    std::vector<T> v = {
        T(0),       T(-0.0),  T(1),          T(-1),           T(0.5),         T(-0.5),
        T(2),       T(0.75),  L::infinity(), -L::infinity(),  L::quiet_NaN(), L::max(),
        -L::max(),  L::min(), -L::min(),     L::denorm_min(), L::epsilon(),   T(88.5),
        T(-100.25), T(709.5), T(1e-7),       T(3.14159),      T(-1.5707963)};
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(-1.0, 1.0), exponent(-12.0, 3.0);
    while (v.size() < n) {
        double x = unit(rng);
        if (v.size() % 3 == 0)
            x *= std::pow(10.0, exponent(rng));
        else if (v.size() % 3 == 1)
            x *= 30;
        v.push_back(static_cast<T>(x));
    }
    return v;
}

template <class T> const char *type_of() {
    return sizeof(T) == 8 ? "float64" : "float32";
}

struct MathCase {
    const char *name;
    long double (*ref)(long double);
    double (*f)(double);
    float (*ff)(float);
};

#define LJ_MATH(np_name, c)                                                                        \
    { np_name, c##l, c, c##f }
const MathCase kUnary[] = {
    LJ_MATH("np.exp", exp),       LJ_MATH("np.exp2", exp2),     LJ_MATH("np.expm1", expm1),
    LJ_MATH("np.log", log),       LJ_MATH("np.log2", log2),     LJ_MATH("np.log10", log10),
    LJ_MATH("np.log1p", log1p),   LJ_MATH("np.sin", sin),       LJ_MATH("np.cos", cos),
    LJ_MATH("np.tan", tan),       LJ_MATH("np.arcsin", asin),   LJ_MATH("np.arccos", acos),
    LJ_MATH("np.arctan", atan),   LJ_MATH("np.sinh", sinh),     LJ_MATH("np.cosh", cosh),
    LJ_MATH("np.tanh", tanh),     LJ_MATH("np.arcsinh", asinh), LJ_MATH("np.arccosh", acosh),
    LJ_MATH("np.arctanh", atanh), LJ_MATH("np.cbrt", cbrt),     LJ_MATH("math.erf", erf),
    LJ_MATH("math.erfc", erfc),   LJ_MATH("np.sqrt", sqrt),
};
#undef LJ_MATH

// Zeros, infinities and NaN give exactly what the C library gives; everything else is within
// kMaxUlps of the true value.
template <class T> void check_unary(const MathCase &c) {
    bool math = std::string(c.name).rfind("math.", 0) == 0; // math.* takes float64 only
    if (math && sizeof(T) == 4)
        return;
    std::string t = type_of<T>();
    CompiledLoop loop =
        compile("x", std::string("(call ") + c.name + " (name x))", t + "(" + t + ")");
    std::vector<T> x = inputs<T>();
    std::vector<T> got = run<T>(loop, x);
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (x[i] == 0 || std::isinf(x[i]) || std::isnan(x[i])) {
            T want = sizeof(T) == 8 ? T(c.f(double(x[i]))) : T(c.ff(float(x[i])));
            EXPECT_TRUE(same_bits(got[i], want)) << c.name << "(" << x[i] << ") = " << got[i];
            continue;
        }
        double err = ulp_error(got[i], c.ref(x[i]));
        worst = std::max(worst, err);
        EXPECT_LE(err, kMaxUlps) << c.name << "(" << x[i] << ") = " << got[i] << " (" << t << ")";
    }
    ::testing::Test::RecordProperty(std::string(c.name) + "." + t + ".max_ulps",
                                    std::to_string(worst));
}

} // namespace

TEST(CoreBuiltins, UnaryMathIsAccurate) {
    for (const MathCase &c : kUnary) {
        check_unary<double>(c);
        check_unary<float>(c);
    }
}

TEST(CoreBuiltins, BinaryMathIsAccurate) {
    struct Case {
        const char *name;
        long double (*ref)(long double, long double);
    };
    const Case cases[] = {{"np.arctan2", atan2l}, {"np.hypot", hypotl}, {"np.power", powl}};
    std::vector<double> x = inputs<double>(4096, 1), y = inputs<double>(4096, 2);
    std::vector<float> xf = inputs<float>(4096, 3), yf = inputs<float>(4096, 4);
    for (const Case &c : cases) {
        std::string expr = std::string("(call ") + c.name + " (name x) (name y))";
        std::vector<double> got =
            run<double>(compile("x y", expr, "float64(float64, float64)"), x, y);
        std::vector<float> gotf =
            run<float>(compile("x y", expr, "float32(float32, float32)"), xf, yf);
        for (size_t i = 0; i < x.size(); ++i) {
            EXPECT_LE(ulp_error(got[i], c.ref(x[i], y[i])), kMaxUlps)
                << c.name << "(" << x[i] << ", " << y[i] << ") = " << got[i];
            EXPECT_LE(ulp_error(gotf[i], c.ref(xf[i], yf[i])), kMaxUlps)
                << c.name << "(" << xf[i] << "f, " << yf[i] << "f) = " << gotf[i];
        }
    }
}

TEST(CoreBuiltins, MathLoopsUseVectorMath) {
    if (!vector_math_available())
        GTEST_SKIP() << "libmvec is not available on this host";
    for (const char *fn : {"np.exp", "np.log", "np.sin", "np.tanh", "np.log1p", "math.erf"}) {
        CompiledLoop loop =
            compile("x", std::string("(call ") + fn + " (name x))", "float64(float64)");
        EXPECT_NE(loop.llvm_ir.find("@_ZGV"), std::string::npos) << fn << "\n" << loop.llvm_ir;
    }
    CompiledLoop loop =
        compile("x y", "(call np.arctan2 (name x) (name y))", "float32(float32, float32)");
    EXPECT_NE(loop.llvm_ir.find("@_ZGV"), std::string::npos) << loop.llvm_ir;
}

TEST(CoreBuiltins, SelectsVectorizeAndKeepNumPySemantics) {
    // Pairs of every special value with every other, many times over, so the vector body runs.
    const double specials[] = {0.0, -0.0, 1.0, -1.0, 2.5, -2.5, INFINITY, -INFINITY, NAN, 1e-310};
    std::vector<double> x, y;
    while (x.size() < 2048)
        for (double a : specials)
            for (double b : specials) {
                x.push_back(a);
                y.push_back(b);
            }
    auto bits_equal = [](double a, double b) {
        return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
    };
    struct Case {
        const char *expr;
        double (*ref)(double, double);
    };
    const Case cases[] = {
        {"(call np.maximum (name x) (name y))",
         [](double a, double b) { return (a > b || std::isnan(a)) ? a : b; }},
        {"(call np.minimum (name x) (name y))",
         [](double a, double b) { return (a < b || std::isnan(a)) ? a : b; }},
        {"(call np.fmax (name x) (name y))",
         [](double a, double b) { return (a >= b || std::isnan(b)) ? a : b; }},
        {"(call np.fmin (name x) (name y))",
         [](double a, double b) { return (a <= b || std::isnan(b)) ? a : b; }},
        {"(call max (name x) (name y))", [](double a, double b) { return b > a ? b : a; }},
        {"(call min (name x) (name y))", [](double a, double b) { return b < a ? b : a; }},
        {"(call np.clip (name x) (name y) (float 0x1p+0))",
         [](double a, double lo) {
             double m = (std::isnan(a) || a >= lo) ? a : lo;
             return (std::isnan(m) || m <= 1.0) ? m : 1.0;
         }},
        {"(call np.copysign (name x) (name y))",
         [](double a, double b) { return std::copysign(a, b); }},
        {"(call np.nextafter (name x) (name y))",
         [](double a, double b) { return std::nextafter(a, b); }},
        {"(call np.heaviside (name x) (name y))",
         [](double a, double b) {
             return std::isnan(a) ? NAN : a == 0 ? b : a < 0 ? 0.0 : 1.0;
         }},
        {"(call np.where (cmp < (name x) (name y)) (name x) (name y))",
         [](double a, double b) { return a < b ? a : b; }},
        {"(call np.sign (name x))",
         [](double a, double) {
             return a > 0 ? 1.0 : a < 0 ? -1.0 : a == 0 ? 0.0 : a;
         }},
        {"(call np.floor (name x))", [](double a, double) { return std::floor(a); }},
        {"(call np.rint (name x))", [](double a, double) { return std::rint(a); }},
        {"(call np.absolute (name x))", [](double a, double) { return std::fabs(a); }},
        {"(call np.round (name x) (int 1))",
         [](double a, double) { return std::rint(a * 10.0) / 10.0; }},
    };
    for (const Case &c : cases) {
        CompiledLoop loop = compile("x y", c.expr, "float64(float64, float64)");
        std::vector<double> got = run<double>(loop, x, y);
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_TRUE(bits_equal(got[i], c.ref(x[i], y[i])))
                << c.expr << " at (" << x[i] << ", " << y[i] << "): " << got[i];
        EXPECT_NE(loop.llvm_ir.find("x double>"), std::string::npos)
            << c.expr << " did not vectorize";
    }
    CompiledLoop isnan = compile("x", "(call np.isnan (name x))", "bool(float64)");
    std::vector<uint8_t> flags = run<uint8_t>(isnan, x);
    for (size_t i = 0; i < x.size(); ++i)
        EXPECT_EQ(flags[i], std::isnan(x[i]) ? 1 : 0);
}

TEST(CoreBuiltins, IntegerBuiltinsOverArrays) {
    std::vector<int32_t> a, b;
    for (int32_t i = -300; i < 300; ++i)
        for (int32_t d : {-7, -1, 0, 1, 3, INT32_MIN, INT32_MAX}) {
            a.push_back(i == -300 ? INT32_MIN : i * 7919);
            b.push_back(d);
        }
    std::vector<int32_t> fmod = run<int32_t>(
        compile("x y", "(call np.fmod (name x) (name y))", "int32(int32, int32)"), a, b);
    std::vector<int32_t> mx = run<int32_t>(
        compile("x y", "(call np.maximum (name x) (name y))", "int32(int32, int32)"), a, b);
    std::vector<int32_t> ab =
        run<int32_t>(compile("x y", "(call abs (name x))", "int32(int32, int32)"), a, b);
    for (size_t i = 0; i < a.size(); ++i) {
        int32_t want = (b[i] == 0 || b[i] == -1) ? 0 : a[i] % b[i];
        EXPECT_EQ(fmod[i], want) << a[i] << " fmod " << b[i];
        EXPECT_EQ(mx[i], std::max(a[i], b[i]));
        EXPECT_EQ(ab[i], a[i] == INT32_MIN ? INT32_MIN : std::abs(a[i]));
    }
}

TEST(CoreBuiltins, TypesFromNumPysLoopTables) {
    // np.sqrt(int16) computes in float32; math.floor returns int64.
    CompiledLoop sq = compile("x", "(call np.sqrt (name x))", "(int16)");
    ASSERT_EQ(sq.outs, std::vector<Scalar>{Scalar::Float32});
    std::vector<float> r = run<float>(sq, std::vector<int16_t>{4, 2, -1});
    EXPECT_EQ(r[0], 2.0f);
    EXPECT_EQ(r[1], std::sqrt(2.0f));
    EXPECT_TRUE(std::isnan(r[2]));
    CompiledLoop fl = compile("x", "(call math.floor (name x))", "(float32)");
    ASSERT_EQ(fl.outs, std::vector<Scalar>{Scalar::Int64});
    EXPECT_EQ(run<int64_t>(fl, std::vector<float>{-2.5f, 3.0f})[0], -3);
    CompiledLoop dm = compile("x y", "(call divmod (name x) (name y))", "(int8, int8)");
    ASSERT_EQ(dm.outs, (std::vector<Scalar>{Scalar::Int8, Scalar::Int8}));
}

TEST(CoreBuiltins, ComplexFunctionsOverArrays) {
    std::vector<std::complex<double>> z;
    for (double re : {-2.0, -0.5, 0.0, 0.25, 3.0, 1e-10})
        for (double im : {-1.0, 0.0, 0.5, 2.0})
            z.emplace_back(re, im);
    using cd = std::complex<double>;
    auto sqrt = run<cd>(compile("x", "(call np.sqrt (name x))", "complex128(complex128)"), z);
    auto log = run<cd>(compile("x", "(call cmath.log (name x))", "complex128(complex128)"), z);
    auto abs = run<double>(compile("x", "(call abs (name x))", "float64(complex128)"), z);
    for (size_t i = 0; i < z.size(); ++i) {
        EXPECT_EQ(sqrt[i], std::sqrt(z[i]));
        EXPECT_EQ(log[i], std::log(z[i]));
        // hypot may be a libmvec variant here: within its accuracy of the true value.
        EXPECT_LE(ulp_error(abs[i], hypotl(z[i].real(), z[i].imag())), kMaxUlps) << z[i];
    }
    using cf = std::complex<float>;
    std::vector<cf> zf(z.begin(), z.end());
    auto expf = run<cf>(compile("x", "(call np.exp (name x))", "complex64(complex64)"), zf);
    for (size_t i = 0; i < zf.size(); ++i)
        EXPECT_EQ(expf[i], std::exp(zf[i]));
}

TEST(CoreBuiltins, ErrorsNameTheFunction) {
    try {
        compile("x", "(call np.fft.fft (name x))", "float64(float64)");
        FAIL() << "no error";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Unsupported);
        EXPECT_EQ(std::string(e.what()), "np.fft.fft is not supported in kernels");
        EXPECT_EQ(e.func, "f");
    }
    try {
        compile("x", "(call math.sqrt (name x))", "float64(complex128)");
        FAIL() << "no error";
    } catch (const CompileError &e) {
        EXPECT_EQ(e.kind, ErrorKind::Typing);
        EXPECT_EQ(std::string(e.what()),
                  "math.sqrt() argument must be a real number, not complex128");
    }
}
