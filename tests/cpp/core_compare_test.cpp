// Comparisons and the builtins made of them through the whole pipeline (compile_elementwise:
// typing, codegen, O3, JIT) over arrays long enough to run the vector loop: NaN compares raise
// no "invalid" flag and still vectorize; integer comparisons are exact by value; np.round of
// integers wraps as NumPy's; np.clip promotes its operands together and accepts Python int
// bounds beyond the dtype.
#include "compiler.h"
#include "kernel_text.h"

#include "core_test_support.h"

#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace lj;
using test::run;
using test::vectorized;

namespace {

CompiledLoop compile(const std::string &params, const std::string &body, const std::string &sig) {
    return test::compile_kernel(params, body, sig);
}

CompiledLoop compile_expr(const std::string &params, const std::string &expr,
                          const std::string &sig) {
    return compile(params, "(return " + expr + ")", sig);
}

// Every special value against every other, repeated past the vector width and with a tail.
template <class T> void special_pairs(std::vector<T> &x, std::vector<T> &y) {
    const T v[] = {T(0), -T(0), T(1), -T(2.5), T(NAN), T(INFINITY), -T(INFINITY), T(1e-40)};
    while (x.size() < 1003)
        for (T a : v)
            for (T b : v) {
                x.push_back(a);
                y.push_back(b);
            }
}

template <class T> void check_quiet(const char *type, const char *elem) {
    std::vector<T> x, y;
    special_pairs(x, y);
    std::string t = type, sig2 = "(" + t + ", " + t + ")";
    struct Cmp {
        const char *op;
        bool (*ref)(T, T);
    };
    const Cmp cmps[] = {{"<", [](T a, T b) { return std::isless(a, b); }},
                        {"<=", [](T a, T b) { return std::islessequal(a, b); }},
                        {">", [](T a, T b) { return std::isgreater(a, b); }},
                        {">=", [](T a, T b) { return std::isgreaterequal(a, b); }}};
    for (const Cmp &c : cmps) {
        CompiledLoop loop =
            compile_expr("x y", std::string("(cmp ") + c.op + " (name x) (name y))", sig2);
        std::feclearexcept(FE_ALL_EXCEPT);
        std::vector<uint8_t> got = run<uint8_t>(loop, x, y);
        EXPECT_FALSE(std::fetestexcept(FE_INVALID)) << type << " " << c.op;
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_EQ(got[i] != 0, c.ref(x[i], y[i])) << x[i] << " " << c.op << " " << y[i];
        EXPECT_TRUE(vectorized(loop, elem)) << type << " " << c.op << loop.llvm_ir;
    }
    const char *selects[] = {
        "(call np.maximum (name x) (name y))",
        "(call np.minimum (name x) (name y))",
        "(call np.fmax (name x) (name y))",
        "(call np.fmin (name x) (name y))",
        "(call max (name x) (name y))",
        "(call min (name x) (name y))",
        "(ifexp (cmp > (name x) (name y)) (name x) (name y))",
        "(call np.clip (name x) (name y) (float 0x1p+0))",
        "(call np.sign (name x))",
    };
    for (const char *e : selects) {
        CompiledLoop loop = compile_expr("x y", e, sig2);
        std::feclearexcept(FE_ALL_EXCEPT);
        run<T>(loop, x, y);
        EXPECT_FALSE(std::fetestexcept(FE_INVALID)) << type << " " << e;
        EXPECT_TRUE(vectorized(loop, elem)) << type << " " << e << loop.llvm_ir;
    }
}

} // namespace

TEST(CoreCompare, NaNComparisonsAreQuietAndVectorize) {
    check_quiet<double>("float64", "double");
    check_quiet<float>("float32", "float");
}

TEST(CoreCompare, InRangeFloatToIntConversionsAreQuiet) {
    std::vector<double> x;
    for (int i = 0; x.size() < 1003; ++i)
        x.push_back((i % 200) * 0.75 - 20.0);
    for (const char *to : {"int8", "int32", "int64", "uint64"}) {
        CompiledLoop loop = compile_expr("x", "(name x)", std::string(to) + "(float64)");
        std::vector<double> in = x;
        if (std::string(to)[0] == 'u')
            for (double &v : in)
                v = std::fabs(v);
        std::feclearexcept(FE_ALL_EXCEPT);
        run<uint64_t>(loop, in); // wide enough for every output type
        EXPECT_FALSE(std::fetestexcept(FE_INVALID)) << to;
    }
}

TEST(CoreCompare, SignedAgainstUInt64IsExactOverArrays) {
    const int64_t s[] = {INT64_MIN,     -1,       0, 1, int64_t(1) << 53, (int64_t(1) << 53) + 1,
                         INT64_MAX - 1, INT64_MAX};
    const uint64_t u[] = {0,
                          1,
                          uint64_t(1) << 53,
                          (uint64_t(1) << 53) + 1,
                          uint64_t(INT64_MAX),
                          uint64_t(1) << 63,
                          UINT64_MAX - 1,
                          UINT64_MAX};
    std::vector<int64_t> x;
    std::vector<uint64_t> y;
    while (x.size() < 515)
        for (int64_t a : s)
            for (uint64_t b : u) {
                x.push_back(a);
                y.push_back(b);
            }
    CompiledLoop lt = compile_expr("x y", "(cmp < (name x) (name y))", "(int64, uint64)");
    CompiledLoop eq = compile_expr("x y", "(cmp == (name y) (name x))", "(int64, uint64)");
    CompiledLoop ge = compile_expr("x y", "(cmp >= (name y) (name x))", "(int64, uint64)");
    auto r_lt = run<uint8_t>(lt, x, y), r_eq = run<uint8_t>(eq, x, y),
         r_ge = run<uint8_t>(ge, x, y);
    for (size_t i = 0; i < x.size(); ++i) {
        __int128 a = x[i], b = y[i];
        ASSERT_EQ(r_lt[i] != 0, a < b) << x[i] << " < " << y[i];
        ASSERT_EQ(r_eq[i] != 0, a == b) << y[i] << " == " << x[i];
        ASSERT_EQ(r_ge[i] != 0, b >= a) << y[i] << " >= " << x[i];
    }
    EXPECT_TRUE(vectorized(lt, "i64")) << lt.llvm_ir;
}

TEST(CoreCompare, RunTimePythonIntsCompareByValue) {
    // n = int(x) - 1 is -1 for x == 0: below every uint8, not 255.
    CompiledLoop loop = compile("x y",
                                "(assign (name n) (binop - (call int (name x)) (int 1))) "
                                "(return (cmp < (name n) (name y)))",
                                "(float64, uint8)");
    std::vector<double> x;
    std::vector<uint8_t> y;
    for (int i = 0; i < 600; ++i) {
        x.push_back(i % 300);
        y.push_back(static_cast<uint8_t>(i * 7));
    }
    auto got = run<uint8_t>(loop, x, y);
    for (size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(got[i] != 0, static_cast<int64_t>(x[i]) - 1 < int64_t(y[i])) << x[i];
}

TEST(CoreCompare, RoundIntegersWrapsLikeNumPyArrays) {
    CompiledLoop i8 = compile_expr("x", "(call np.round (name x) (unary neg (int 1)))", "(int8)");
    std::vector<int8_t> a(19, 127);
    a[3] = -128;
    a[4] = 25;
    auto r8 = run<int8_t>(i8, a);
    EXPECT_EQ(r8[0], -126);
    EXPECT_EQ(r8[3], 126);
    EXPECT_EQ(r8[4], 20);
    EXPECT_EQ(r8[18], -126);
    CompiledLoop u32 =
        compile_expr("x", "(call np.round (name x) (unary neg (int 1)))", "(uint32)");
    std::vector<uint32_t> b(19, UINT32_MAX);
    b[1] = 1234565;
    auto r32 = run<uint32_t>(u32, b);
    EXPECT_EQ(r32[0], 0u);
    EXPECT_EQ(r32[1], 1234560u);
    CompiledLoop i64 = compile_expr("x", "(call round (name x) (unary neg (int 1)))", "(int64)");
    std::vector<int64_t> c(19, INT64_MAX);
    EXPECT_EQ(run<int64_t>(i64, c)[9], INT64_MIN);
}

TEST(CoreCompare, ClipPromotesTogetherAndAcceptsWideBounds) {
    CompiledLoop first =
        compile_expr("x y", "(call np.clip (name x) (int 7) (name y))", "(bool, int8)");
    ASSERT_EQ(first.outs.size(), 1u);
    EXPECT_EQ(first.outs[0], Scalar::Int8);
    auto r = run<int8_t>(first, std::vector<uint8_t>{0, 1, 1}, std::vector<int8_t>{3, 9, 5});
    EXPECT_EQ(r, (std::vector<int8_t>{3, 7, 5}));
    CompiledLoop fl =
        compile_expr("x y", "(call np.clip (name x) (int 7) (name y))", "(bool, float32)");
    EXPECT_EQ(fl.outs[0], Scalar::Float32);

    CompiledLoop wide =
        compile_expr("x", "(call np.clip (name x) (unary neg (int 1)) (int 300))", "(uint8)");
    EXPECT_EQ(wide.outs[0], Scalar::UInt8);
    std::vector<uint8_t> x;
    for (int i = 0; i < 256; ++i)
        x.push_back(static_cast<uint8_t>(i));
    EXPECT_EQ(run<uint8_t>(wide, x), x);

    // A bound computed at run time: int(y) - 1 is -1 for y == 0, which clips nothing.
    CompiledLoop rt = compile_expr(
        "x y", "(call np.clip (name x) (binop - (call int (name y)) (int 1)) (int 300))",
        "(uint8, float64)");
    EXPECT_EQ(rt.outs[0], Scalar::UInt8);
    std::vector<double> y(x.size(), 0.0);
    y[200] = 251.0;
    auto got = run<uint8_t>(rt, x, y);
    for (size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(got[i], i == 200 ? 250 : x[i]) << i;
}
