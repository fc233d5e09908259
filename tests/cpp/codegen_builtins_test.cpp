// Builtin calls in kernel codegen: the emitted IR (libm calls LLVM may vectorize, selects rather
// than branches, the complex ABI) and the values, run through the test JIT unoptimized and at O3
// and compared with the C library and with results NumPy gives (written as hex floats).
#include "codegen_helpers.h"

#include <llvm/TargetParser/Host.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

using namespace lj;
using namespace lj::test;

namespace {

bool has(const std::string &ir, const std::string &s) {
    return ir.find(s) != std::string::npos;
}

std::string kernel_ir(const Emitted &e) {
    std::string s;
    llvm::raw_string_ostream os(s);
    e.kernel->print(os);
    return s;
}

// A kernel returning `expr` of parameters x (and y, z).
NodePtr ret(const std::string &expr, const std::string &params = "x") {
    return kernel(params, "(return " + expr + ")");
}

// Keeps the compiler from evaluating a libm call at compile time (with correctly rounded MPFR
// arithmetic that the C library need not match).
template <class T> T opaque(T x) {
    volatile T v = x;
    return v;
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b);
}
bool same_bits(float a, float b) {
    return std::memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b);
}

#define EXPECT_SAME(a, b) EXPECT_TRUE(same_bits((a), (b))) << (a) << " vs " << (b)

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

using cd = std::complex<double>;
using cf = std::complex<float>;

// The values every real function is checked at.
const double kInputs[] = {0.0,    -0.0,  0.5,    -0.5,  1.0,    2.0,  -3.25, 0.75, 1e-300,
                          5e-324, 1e300, -1e300, 700.0, -700.0, kInf, -kInf, kNan};

} // namespace

TEST(CodegenBuiltins, MathCallsAreVectorizableLibmCalls) {
    auto e = emit(ret("(call np.exp (name x))"), "float64");
    std::string ir = e->ir();
    EXPECT_TRUE(has(ir, "call double @exp(double")) << ir;
    llvm::Function *exp = e->module->getFunction("exp");
    ASSERT_NE(exp, nullptr);
    EXPECT_TRUE(exp->doesNotAccessMemory());
    EXPECT_TRUE(exp->doesNotThrow());
    for (auto &bb : *e->kernel)
        for (auto &inst : bb)
            if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst)) {
                EXPECT_TRUE(call->doesNotAccessMemory());
                EXPECT_TRUE(call->hasFnAttr(llvm::Attribute::WillReturn));
            }

    e = emit(ret("(call np.arctan2 (name x) (name y))", "x y"), "float32, float32");
    EXPECT_TRUE(has(e->ir(), "call float @atan2f(float")) << e->ir();
    // float16 computes in float32 and rounds back, as NumPy's float16 loops do.
    e = emit(ret("(call np.tanh (name x))"), "float16");
    ir = kernel_ir(*e);
    EXPECT_TRUE(has(ir, "fpext half")) << ir;
    EXPECT_TRUE(has(ir, "call float @tanhf(float")) << ir;
    EXPECT_TRUE(has(ir, "fptrunc float")) << ir;
    // math.* computes in float64 whatever the argument.
    e = emit(ret("(call math.sin (name x))"), "float32");
    EXPECT_TRUE(has(e->ir(), "call double @sin(double")) << e->ir();
    // Exact operations are intrinsics.
    e = emit(ret("(call np.sqrt (name x))"), "float32");
    EXPECT_TRUE(has(e->ir(), "@llvm.sqrt.f32")) << e->ir();
    e = emit(ret("(call math.floor (name x))"), "float64");
    ir = e->ir();
    EXPECT_TRUE(has(ir, "@llvm.floor.f64")) << ir;
    EXPECT_TRUE(has(ir, "@llvm.fptosi.sat.i64.f64")) << ir;
}

TEST(CodegenBuiltins, PerElementChoicesAreSelects) {
    const char *exprs[] = {
        "(call np.maximum (name x) (name y))",
        "(call np.fmin (name x) (name y))",
        "(call np.clip (name x) (name y) (int 3))",
        "(call np.sign (name x))",
        "(call np.where (name x) (name x) (name y))",
        "(call max (name x) (name y) (int 2))",
        "(call np.heaviside (name x) (name y))",
        "(call np.nextafter (name x) (name y))",
        "(call np.isfinite (name x))",
        "(call np.logaddexp (name x) (name y))",
    };
    for (const char *expr : exprs) {
        auto e = emit(ret(expr, "x y"), "float64, float64");
        EXPECT_EQ(e->kernel->size(), 1u) << expr << "\n" << kernel_ir(*e);
    }
}

TEST(CodegenBuiltins, ComplexCallsUseTheCAbi) {
    auto e = emit(ret("(call np.sqrt (name x))"), "complex128");
    EXPECT_TRUE(has(e->ir(), "declare { double, double } @csqrt(double, double)")) << e->ir();
    e = emit(ret("(call np.exp (name x))"), "complex64");
    EXPECT_TRUE(has(e->ir(), "declare <2 x float> @cexpf(<2 x float>)")) << e->ir();
    e = emit(ret("(call np.absolute (name x))"), "complex64");
    EXPECT_TRUE(has(e->ir(), "@hypotf(float")) << e->ir();
}

TEST(CodegenBuiltins, LgammaAvoidsTheGlobalSign) {
    auto e = emit(ret("(call math.lgamma (name x))"), "float64");
    std::string ir = e->ir();
    EXPECT_TRUE(has(ir, "@lgamma_r(double")) << ir;
    EXPECT_FALSE(has(ir, "@lgamma(")) << ir;
    Kernel k(ret("(call math.lgamma (name x))"), "float64");
    int sign = 0;
    EXPECT_SAME(k.call<double>(-2.5), lgamma_r(opaque(-2.5), &sign));
    EXPECT_NEAR(k.call<double>(-2.5), -0.05624371649767405067, 3e-17); // log(sqrt(pi) / 1.875)
    Kernel g(ret("(call math.gamma (name x))"), "float64");
    EXPECT_SAME(g.call<double>(4.5), std::tgamma(opaque(4.5)));
}

TEST(CodegenBuiltins, RealFunctionsEqualTheCLibrary) {
    struct Case {
        const char *name;
        double (*f)(double);
        float (*ff)(float);
    };
    const Case cases[] = {
        {"np.exp", std::exp, std::exp},         {"np.expm1", std::expm1, std::expm1},
        {"np.exp2", std::exp2, std::exp2},      {"np.log", std::log, std::log},
        {"np.log2", std::log2, std::log2},      {"np.log10", std::log10, std::log10},
        {"np.log1p", std::log1p, std::log1p},   {"np.sin", std::sin, std::sin},
        {"np.cos", std::cos, std::cos},         {"np.tan", std::tan, std::tan},
        {"np.arcsin", std::asin, std::asin},    {"np.arccos", std::acos, std::acos},
        {"np.arctan", std::atan, std::atan},    {"np.sinh", std::sinh, std::sinh},
        {"np.cosh", std::cosh, std::cosh},      {"np.tanh", std::tanh, std::tanh},
        {"np.arcsinh", std::asinh, std::asinh}, {"np.arccosh", std::acosh, std::acosh},
        {"np.arctanh", std::atanh, std::atanh}, {"np.cbrt", std::cbrt, std::cbrt},
        {"np.sqrt", std::sqrt, std::sqrt},      {"math.erf", std::erf, std::erf},
        {"math.erfc", std::erfc, std::erfc},    {"np.floor", std::floor, std::floor},
        {"np.ceil", std::ceil, std::ceil},      {"np.trunc", std::trunc, std::trunc},
        {"np.rint", std::rint, std::rint},      {"np.fabs", std::fabs, std::fabs},
    };
    for (const Case &c : cases) {
        std::string expr = std::string("(call ") + c.name + " (name x))";
        bool math = std::string(c.name).rfind("math.", 0) == 0; // float64 even for float32
        Kernel d(ret(expr), "float64");
        Kernel f(ret(expr), "float32", "float32");
        for (double x : kInputs) {
            EXPECT_SAME(d.call<double>(x), c.f(opaque(x))) << c.name << "(" << x << ")";
            float xf = static_cast<float>(x);
            float want = math ? static_cast<float>(c.f(opaque<double>(xf))) : c.ff(opaque(xf));
            EXPECT_SAME(f.call<float>(xf), want) << c.name << "(" << xf << "f)";
        }
    }
    Kernel atan2(ret("(call np.arctan2 (name x) (name y))", "x y"), "float64, float64");
    Kernel hypot(ret("(call np.hypot (name x) (name y))", "x y"), "float64, float64");
    Kernel copysign(ret("(call np.copysign (name x) (name y))", "x y"), "float64, float64");
    Kernel fmod(ret("(call np.fmod (name x) (name y))", "x y"), "float64, float64");
    Kernel next(ret("(call np.nextafter (name x) (name y))", "x y"), "float64, float64");
    Kernel nextf(ret("(call np.nextafter (name x) (name y))", "x y"), "float32, float32");
    Kernel log2arg(ret("(call math.log (name x) (name y))", "x y"), "float64, float64");
    for (double x : kInputs)
        for (double y : kInputs) {
            EXPECT_SAME(atan2.call<double>(x, y), std::atan2(opaque(x), opaque(y)));
            EXPECT_SAME(hypot.call<double>(x, y), std::hypot(opaque(x), opaque(y)));
            EXPECT_SAME(copysign.call<double>(x, y), std::copysign(opaque(x), opaque(y)));
            EXPECT_SAME(fmod.call<double>(x, y), std::fmod(opaque(x), opaque(y)));
            EXPECT_SAME(next.call<double>(x, y), std::nextafter(opaque(x), opaque(y)))
                << x << ", " << y;
            float xf = static_cast<float>(x), yf = static_cast<float>(y);
            EXPECT_SAME(nextf.call<float>(xf, yf), std::nextafter(xf, yf)) << x << ", " << y;
            EXPECT_SAME(log2arg.call<double>(x, y), std::log(opaque(x)) / std::log(opaque(y)));
        }
}

TEST(CodegenBuiltins, Float16NextafterMatchesNumPy) {
    Kernel k(ret("(call np.nextafter (name x) (name y))", "x y"), "float16, float16", "float32");
    auto h = [](double v) { return static_cast<_Float16>(v); };
    EXPECT_FALSE(std::signbit(k.call<float>(h(-0.0), h(0.0))));
    EXPECT_EQ(k.call<float>(h(0.0), h(-1.0)), -0x1p-24f); // the smallest float16 subnormal
    EXPECT_EQ(k.call<float>(h(65504.0), h(kInf)), INFINITY);
    EXPECT_EQ(k.call<float>(h(1.0), h(2.0)), 1.0f + 0x1p-10f);
    EXPECT_EQ(k.call<float>(h(-1.0), h(-2.0)), -1.0f - 0x1p-10f);
    EXPECT_EQ(k.call<float>(h(1.0), h(0.0)), 1.0f - 0x1p-11f);
}

TEST(CodegenBuiltins, Float16RoundsTheFloat32Result) {
    Kernel k(ret("(call np.sin (name x))"), "float16", "float32");
    // sin(1) = 0.84147...; float16 keeps 11 bits: 0.8413.
    EXPECT_EQ(k.call<float>(static_cast<_Float16>(1.0)), 0x1.aecp-1f);
    Kernel deg(ret("(call np.degrees (name x))"), "float16", "float64");
    EXPECT_EQ(deg.call<double>(static_cast<_Float16>(1.0)), 0x1.ca4p+5);
}

TEST(CodegenBuiltins, MaximumAndFriendsMatchNumPyOnZerosAndNaN) {
    Kernel mx(ret("(call np.maximum (name x) (name y))", "x y"), "float64, float64");
    Kernel mn(ret("(call np.minimum (name x) (name y))", "x y"), "float64, float64");
    Kernel fmx(ret("(call np.fmax (name x) (name y))", "x y"), "float64, float64");
    Kernel fmn(ret("(call np.fmin (name x) (name y))", "x y"), "float64, float64");
    Kernel mx16(ret("(call np.maximum (name x) (name y))", "x y"), "float16, float16", "float64");
    // Equal arguments: NumPy's float32/64 maximum and minimum return the second, fmax and fmin
    // (and float16 maximum) the first.
    EXPECT_FALSE(std::signbit(mx.call<double>(-0.0, 0.0)));
    EXPECT_TRUE(std::signbit(mx.call<double>(0.0, -0.0)));
    EXPECT_FALSE(std::signbit(mn.call<double>(-0.0, 0.0)));
    EXPECT_TRUE(std::signbit(mn.call<double>(0.0, -0.0)));
    EXPECT_TRUE(std::signbit(fmx.call<double>(-0.0, 0.0)));
    EXPECT_FALSE(std::signbit(fmx.call<double>(0.0, -0.0)));
    EXPECT_TRUE(std::signbit(fmn.call<double>(-0.0, 0.0)));
    EXPECT_TRUE(
        std::signbit(mx16.call<double>(static_cast<_Float16>(-0.0), static_cast<_Float16>(0.0))));
    EXPECT_TRUE(std::isnan(mx.call<double>(kNan, 1.0)));
    EXPECT_TRUE(std::isnan(mx.call<double>(1.0, kNan)));
    EXPECT_TRUE(std::isnan(mn.call<double>(1.0, kNan)));
    EXPECT_EQ(fmx.call<double>(kNan, 1.0), 1.0);
    EXPECT_EQ(fmx.call<double>(1.0, kNan), 1.0);
    EXPECT_EQ(fmn.call<double>(kNan, 2.0), 2.0);
    EXPECT_EQ(mx.call<double>(2.0, 3.0), 3.0);
    EXPECT_EQ(mn.call<double>(2.0, 3.0), 2.0);

    Kernel imx(ret("(call np.maximum (name x) (name y))", "x y"), "int8, uint8");
    EXPECT_EQ(imx.call<int16_t>(int8_t(-5), uint8_t(200)), 200);
    Kernel umn(ret("(call np.minimum (name x) (name y))", "x y"), "uint64, uint64");
    EXPECT_EQ(umn.call<uint64_t>(uint64_t(1) << 63, uint64_t(3)), 3u);

    // Python's min/max: the first of equals; a NaN only where it comes first.
    Kernel pmin(ret("(call min (name x) (name y))", "x y"), "float64, float64");
    Kernel pmax(ret("(call max (name x) (name y) (float 0x1p+2))", "x y"), "float64, float64");
    EXPECT_TRUE(std::signbit(pmin.call<double>(-0.0, 0.0)));
    EXPECT_FALSE(std::signbit(pmin.call<double>(0.0, -0.0)));
    EXPECT_TRUE(std::isnan(pmin.call<double>(kNan, 1.0)));
    EXPECT_EQ(pmin.call<double>(1.0, kNan), 1.0);
    EXPECT_EQ(pmax.call<double>(1.0, 2.0), 4.0);
    EXPECT_EQ(pmax.call<double>(5.0, 2.0), 5.0);
    Kernel imin(ret("(call min (name x) (name y))", "x y"), "int32, int32");
    EXPECT_EQ(imin.call<int32_t>(-3, 2), -3);
}

TEST(CodegenBuiltins, ClipSignAbsHeaviside) {
    Kernel clip(ret("(call np.clip (name x) (name y) (name z))", "x y z"),
                "float64, float64, float64");
    EXPECT_TRUE(std::signbit(clip.call<double>(-0.0, 0.0, 1.0))); // x kept when equal to a bound
    EXPECT_FALSE(std::signbit(clip.call<double>(0.0, -0.0, 1.0)));
    EXPECT_TRUE(std::signbit(clip.call<double>(-0.0, -1.0, 0.0)));
    EXPECT_TRUE(std::isnan(clip.call<double>(1.0, kNan, 2.0)));
    EXPECT_TRUE(std::isnan(clip.call<double>(1.0, 0.0, kNan)));
    EXPECT_TRUE(std::isnan(clip.call<double>(kNan, 0.0, 1.0)));
    EXPECT_EQ(clip.call<double>(2.0, 3.0, 1.0), 1.0); // lo > hi: hi wins, as in NumPy
    EXPECT_EQ(clip.call<double>(5.0, 0.0, 1.0), 1.0);
    Kernel iclip(ret("(call np.clip (name x) (int 0) (int 3))"), "int8");
    EXPECT_EQ(iclip.call<int8_t>(int8_t(-5)), 0);
    EXPECT_EQ(iclip.call<int8_t>(int8_t(9)), 3);

    Kernel sign(ret("(call np.sign (name x))"), "float64");
    EXPECT_EQ(sign.call<double>(-2.5), -1.0);
    EXPECT_EQ(sign.call<double>(7.0), 1.0);
    EXPECT_FALSE(std::signbit(sign.call<double>(-0.0)));
    EXPECT_TRUE(std::isnan(sign.call<double>(kNan)));
    Kernel isign(ret("(call np.sign (name x))"), "int16");
    EXPECT_EQ(isign.call<int16_t>(int16_t(-7)), -1);
    EXPECT_EQ(isign.call<int16_t>(int16_t(0)), 0);
    Kernel usign(ret("(call np.sign (name x))"), "uint8");
    EXPECT_EQ(usign.call<uint8_t>(uint8_t(200)), 1);

    Kernel iabs(ret("(call abs (name x))"), "int8");
    EXPECT_EQ(iabs.call<int8_t>(int8_t(-128)), -128); // wraps, as NumPy's
    EXPECT_EQ(iabs.call<int8_t>(int8_t(-5)), 5);
    Kernel fabs(ret("(call np.abs (name x))"), "float32");
    EXPECT_SAME(fabs.call<float>(-0.0f), 0.0f);

    Kernel hs(ret("(call np.heaviside (name x) (name y))", "x y"), "float64, float64");
    EXPECT_EQ(hs.call<double>(-1.0, 0.5), 0.0);
    EXPECT_EQ(hs.call<double>(-0.0, 0.5), 0.5);
    EXPECT_EQ(hs.call<double>(2.0, 0.5), 1.0);
    EXPECT_TRUE(std::isnan(hs.call<double>(kNan, 0.5)));
}

TEST(CodegenBuiltins, ClassificationAndSignbit) {
    Kernel isnan(ret("(call np.isnan (name x))"), "float32");
    Kernel isinf(ret("(call math.isinf (name x))"), "float64");
    Kernel isfin(ret("(call np.isfinite (name x))"), "float16");
    Kernel iint(ret("(call np.isfinite (name x))"), "int32");
    Kernel sb(ret("(call np.signbit (name x))"), "float64");
    Kernel sbi(ret("(call np.signbit (name x))"), "int8");
    EXPECT_TRUE(isnan.call<bool>(std::nanf("")));
    EXPECT_FALSE(isnan.call<bool>(1.0f));
    EXPECT_TRUE(isinf.call<bool>(-kInf));
    EXPECT_FALSE(isinf.call<bool>(kNan));
    EXPECT_FALSE(isfin.call<bool>(static_cast<_Float16>(kInf)));
    EXPECT_TRUE(isfin.call<bool>(static_cast<_Float16>(65504.0)));
    EXPECT_TRUE(iint.call<bool>(int32_t(7)));
    EXPECT_TRUE(sb.call<bool>(-0.0));
    EXPECT_FALSE(sb.call<bool>(kNan));
    EXPECT_TRUE(sbi.call<bool>(int8_t(-3)));
}

TEST(CodegenBuiltins, RoundLikeNumPyAndPython) {
    Kernel r2(ret("(call np.round (name x) (int 2))"), "float64");
    EXPECT_SAME(r2.call<double>(2.675), 0x1.570a3d70a3d71p+1);
    Kernel r2f(ret("(call np.round (name x) (int 2))"), "float32");
    EXPECT_SAME(r2f.call<float>(2.675f), 0x1.570a3ep+1f);
    Kernel rn(ret("(call np.round (name x) (name y))", "x y"), "float64, int64");
    EXPECT_SAME(rn.call<double>(1234.5678, int64_t(-2)), 1200.0);
    EXPECT_TRUE(std::isnan(rn.call<double>(1.5, int64_t(400))));
    EXPECT_TRUE(std::isnan(rn.call<double>(1.5, int64_t(-400))));
    EXPECT_SAME(rn.call<double>(-0.5, int64_t(0)), -0.0);
    Kernel ri(ret("(call np.round (name x) (name y))", "x y"), "int64, int64");
    EXPECT_EQ(ri.call<int64_t>(int64_t(1250), int64_t(-2)), 1200);
    EXPECT_EQ(ri.call<int64_t>(int64_t(1350), int64_t(-2)), 1400);
    EXPECT_EQ(ri.call<int64_t>(int64_t(1357), int64_t(3)), 1357);
    Kernel py(ret("(call round (name x))"), "float64");
    EXPECT_EQ(py.call<int64_t>(2.5), 2);
    EXPECT_EQ(py.call<int64_t>(-2.5), -2);
    EXPECT_EQ(py.call<int64_t>(3.5), 4);
    Kernel pyn(ret("(call round (name x) (int -1))"), "int8");
    EXPECT_EQ(pyn.call<int8_t>(int8_t(25)), 20);
}

TEST(CodegenBuiltins, NumPyCompositeFunctions) {
    Kernel lae(ret("(call np.logaddexp (name x) (name y))", "x y"), "float64, float64");
    EXPECT_SAME(lae.call<double>(1.0, 2.0), 0x1.2818f57f7d825p+1);
    EXPECT_EQ(lae.call<double>(kInf, kInf), kInf);
    EXPECT_EQ(lae.call<double>(-kInf, -kInf), -kInf);
    EXPECT_EQ(lae.call<double>(-kInf, 3.0), 3.0);
    EXPECT_TRUE(std::isnan(lae.call<double>(kNan, 1.0)));
    EXPECT_SAME(lae.call<double>(1.0, 1.0), 1.0 + M_LN2);
    Kernel lae32(ret("(call np.logaddexp (name x) (name y))", "x y"), "float32, float32");
    EXPECT_SAME(lae32.call<float>(1.0f, 2.0f), 0x1.2818f6p+1f);
    Kernel lae2(ret("(call np.logaddexp2 (name x) (name y))", "x y"), "float64, float64");
    EXPECT_SAME(lae2.call<double>(1.0, 2.0), 0x1.4ae00d1cfdeb4p+1);

    Kernel deg32(ret("(call np.degrees (name x))"), "float32");
    EXPECT_SAME(deg32.call<float>(1.0f), 0x1.ca5dc0p+5f);
    Kernel deg(ret("(call math.degrees (name x))"), "float64");
    EXPECT_SAME(deg.call<double>(1.0), 0x1.ca5dc1a63c1f8p+5);
    Kernel rad32(ret("(call np.radians (name x))"), "float32");
    EXPECT_SAME(rad32.call<float>(1.0f), 0x1.1df46ap-6f);

    Kernel ldexp(ret("(call np.ldexp (name x) (name y))", "x y"), "float32, int64");
    EXPECT_EQ(ldexp.call<float>(1.5f, int64_t(1) << 40), INFINITY);
    EXPECT_EQ(ldexp.call<float>(1.5f, int64_t(3)), 12.0f);
    Kernel mldexp(ret("(call math.ldexp (name x) (name y))", "x y"), "float64, int64");
    EXPECT_EQ(mldexp.call<double>(1.5, -(int64_t(1) << 40)), 0.0);

    Kernel ifmod(ret("(call np.fmod (name x) (name y))", "x y"), "int32, int32");
    EXPECT_EQ(ifmod.call<int32_t>(-7, 3), -1);
    EXPECT_EQ(ifmod.call<int32_t>(-7, 0), 0);
    EXPECT_EQ(ifmod.call<int32_t>(INT32_MIN, -1), 0);
    Kernel ufmod(ret("(call np.fmod (name x) (name y))", "x y"), "uint8, uint8");
    EXPECT_EQ(ufmod.call<uint8_t>(uint8_t(7), uint8_t(0)), 0);

    Kernel recip(ret("(call np.reciprocal (name x))"), "int64");
    EXPECT_EQ(recip.call<int64_t>(int64_t(0)), INT64_MIN);
    EXPECT_EQ(recip.call<int64_t>(int64_t(-1)), -1);
    EXPECT_EQ(recip.call<int64_t>(int64_t(2)), 0);
    Kernel recip8(ret("(call np.reciprocal (name x))"), "int8");
    EXPECT_EQ(recip8.call<int8_t>(int8_t(0)), 0);
    EXPECT_EQ(recip8.call<int8_t>(int8_t(1)), 1);

    Kernel angle(ret("(call np.angle (name x))"), "float64");
    EXPECT_SAME(angle.call<double>(-0.0), M_PI);
    EXPECT_SAME(angle.call<double>(2.0), 0.0);
}

TEST(CodegenBuiltins, ConversionsAndSimpleUfuncs) {
    Kernel toint(ret("(call int (name x))"), "float64");
    EXPECT_EQ(toint.call<int64_t>(-2.7), -2);
    Kernel tof32(ret("(call np.float32 (name x))"), "float64");
    EXPECT_EQ(tof32.call<float>(0.1), 0.1f);
    Kernel tou8(ret("(call np.uint8 (name x))"), "int64");
    EXPECT_EQ(tou8.call<uint8_t>(int64_t(300)), 44);
    Kernel tob(ret("(call bool (name x))"), "float64");
    EXPECT_TRUE(tob.call<bool>(kNan));
    EXPECT_FALSE(tob.call<bool>(-0.0));
    Kernel cplx(ret("(call complex (name x) (name y))", "x y"), "float32, int8");
    EXPECT_EQ(cplx.call<cd>(1.5f, int8_t(-2)), cd(1.5, -2.0));
    Kernel c64(ret("(call np.complex64 (name x) (name y))", "x y"), "float64, float64");
    EXPECT_EQ(c64.call<cf>(1.5, 2.5), cf(1.5f, 2.5f));

    Kernel dm(ret("(call divmod (name x) (name y))", "x y"), "int32, int32");
    auto r = dm.run(int32_t(-7), int32_t(2));
    EXPECT_EQ(from_slot<int32_t>(r[0]), -4);
    EXPECT_EQ(from_slot<int32_t>(r[1]), 1);
    Kernel where(ret("(call np.where (name x) (name y) (float 0x1p-1))", "x y"), "int8, float32");
    EXPECT_EQ(where.call<float>(int8_t(2), 3.0f), 3.0f);
    EXPECT_EQ(where.call<float>(int8_t(0), 3.0f), 0.5f);
    Kernel land(ret("(call np.logical_xor (name x) (name y))", "x y"), "float64, int8");
    EXPECT_TRUE(land.call<bool>(kNan, int8_t(0)));
    EXPECT_FALSE(land.call<bool>(1.0, int8_t(3)));
    Kernel badd(ret("(call np.add (name x) (name y))", "x y"), "bool, bool");
    EXPECT_TRUE(badd.call<bool>(true, true));
    Kernel power(ret("(call pow (name x) (int 3))"), "int32");
    EXPECT_EQ(power.call<int32_t>(-2), -8);
    Kernel sq(ret("(call np.square (name x))"), "int8");
    EXPECT_EQ(sq.call<int8_t>(int8_t(12)), int8_t(144));
    Kernel neg(ret("(call np.negative (name x))"), "uint8");
    EXPECT_EQ(neg.call<uint8_t>(uint8_t(1)), 255);

    Kernel real(ret("(attr real (name x))"), "complex64");
    EXPECT_EQ(real.call<float>(cf(1.5f, -2.0f)), 1.5f);
    Kernel imag(ret("(attr imag (name x))"), "float64");
    EXPECT_EQ(imag.call<double>(3.0), 0.0);
    Kernel conj(ret("(method conjugate (name x))"), "complex128");
    EXPECT_EQ(conj.call<cd>(cd(1, 2)), cd(1, -2));
}

TEST(CodegenBuiltins, ComplexFunctions) {
    const cd zs[] = {cd(0.5, 0.25), cd(-2, 3), cd(0, 0), cd(1e-10, -1e-10), cd(3, -700)};
    struct Case {
        const char *name;
        cd (*f)(const cd &);
    };
    const Case cases[] = {
        {"np.sqrt", std::sqrt},     {"np.exp", std::exp},       {"np.log", std::log},
        {"np.sin", std::sin},       {"np.cos", std::cos},       {"np.tan", std::tan},
        {"np.arcsin", std::asin},   {"np.arccos", std::acos},   {"np.arctan", std::atan},
        {"np.sinh", std::sinh},     {"np.cosh", std::cosh},     {"np.tanh", std::tanh},
        {"np.arcsinh", std::asinh}, {"np.arccosh", std::acosh}, {"np.arctanh", std::atanh},
        {"cmath.sqrt", std::sqrt},
    };
    for (const Case &c : cases) {
        Kernel k(ret(std::string("(call ") + c.name + " (name x))"), "complex128");
        for (cd z : zs) {
            cd got = k.call<cd>(z), want = c.f(z); // libstdc++ calls the same csqrt, cexp, ...
            EXPECT_SAME(got.real(), want.real()) << c.name << z;
            EXPECT_SAME(got.imag(), want.imag()) << c.name << z;
        }
    }
    Kernel csqrt64(ret("(call np.sqrt (name x))"), "complex64");
    EXPECT_EQ(csqrt64.call<cf>(cf(-4, 0)), std::sqrt(cf(-4, 0)));

    // Formulas NumPy uses, with the values NumPy gives.
    Kernel exp2(ret("(call np.exp2 (name x))"), "complex128");
    EXPECT_EQ(exp2.call<cd>(cd(1, 2)), cd(0x1.77b84a55f6f21p-2, 0x1.f74f6978410f4p+0));
    Kernel log10(ret("(call np.log10 (name x))"), "complex128");
    EXPECT_EQ(log10.call<cd>(cd(1, 2)), cd(0x1.65df657b04301p-2, 0x1.ec5e53b371187p-2));
    Kernel log2(ret("(call np.log2 (name x))"), "complex64");
    EXPECT_EQ(log2.call<cf>(cf(1, 2)), cf(0x1.2934f0p+0f, 0x1.98e736p+0f));
    Kernel expm1(ret("(call np.expm1 (name x))"), "complex128");
    EXPECT_EQ(expm1.call<cd>(cd(2, 3)), cd(-0x1.0a1561c407ab9p+3, 0x1.0af13f8da5098p+0));
    EXPECT_EQ(expm1.call<cd>(cd(1e-10, 1e-10)), cd(0x1.b7cdfd9d7bdbbp-34, 0x1.b7cdfd9e38c0cp-34));
    Kernel log1p(ret("(call np.log1p (name x))"), "complex128");
    EXPECT_EQ(log1p.call<cd>(cd(2, 3)), cd(0x1.71f7b3a6b9186p+0, 0x1.921fb54442d18p-1));
    // Near |1 + z| = 1, where clog(1 + z) loses every digit: log1p(1e-20(1 + i)) = 1e-20(1 + i)
    // and log|1 + z| at z = -1/2 + (sqrt(3)/2)i is -4.345318932600586e-17, not 0.
    cd tiny = log1p.call<cd>(cd(1e-20, 1e-20));
    EXPECT_DOUBLE_EQ(tiny.real(), 1e-20);
    EXPECT_DOUBLE_EQ(tiny.imag(), 1e-20);
    EXPECT_DOUBLE_EQ(log1p.call<cd>(cd(-0.5, 0.8660254037844386)).real(), -4.345318932600586e-17);

    Kernel sign(ret("(call np.sign (name x))"), "complex128");
    EXPECT_EQ(sign.call<cd>(cd(3, 4)), cd(0.6, 0.8));
    EXPECT_EQ(sign.call<cd>(cd(0, 0)), cd(0, 0));
    EXPECT_EQ(sign.call<cd>(cd(kInf, 1)), cd(1, 0));
    EXPECT_EQ(sign.call<cd>(cd(-kInf, kNan)), cd(-1, 0));
    EXPECT_EQ(sign.call<cd>(cd(kNan, kInf)), cd(0, 1));
    EXPECT_TRUE(std::isnan(sign.call<cd>(cd(kInf, kInf)).real()));
    EXPECT_TRUE(std::isnan(sign.call<cd>(cd(kNan, 1)).imag()));

    Kernel recip(ret("(call np.reciprocal (name x))"), "complex128");
    EXPECT_EQ(recip.call<cd>(cd(3, 4)), cd(0.12, -0.16));
    Kernel recipf(ret("(call np.reciprocal (name x))"), "complex64");
    EXPECT_EQ(recipf.call<cf>(cf(1e-30f, 1e-30f)), cf(5e29f, -5e29f));
    Kernel sq(ret("(call np.square (name x))"), "complex128");
    EXPECT_EQ(sq.call<cd>(cd(3, 4)), cd(-7, 24));
    // As NumPy's vectorized loop: one multiply-add per part, fused on CPUs with FMA.
    const double x = 4.605931240927836, y = 0.8970012943391028;
    bool fma = llvm::sys::getHostCPUFeatures().lookup("fma");
    cd want = fma ? cd(std::fma(x, x, -(y * y)), std::fma(x, y, y * x))
                  : cd(x * x - y * y, x * y + y * x);
    EXPECT_EQ(sq.call<cd>(cd(x, y)), want);
    if (fma)
        EXPECT_EQ(want.real(), 20.409991274109007); // NumPy's value on this CPU
    Kernel abs(ret("(call abs (name x))"), "complex128");
    EXPECT_EQ(abs.call<double>(cd(3, 4)), 5.0);
    EXPECT_EQ(abs.call<double>(cd(kNan, -kInf)), kInf);
    Kernel angle(ret("(call np.angle (name x))"), "complex64");
    EXPECT_EQ(angle.call<float>(cf(0, 1)), std::atan2(1.0f, 0.0f));
    Kernel isinf(ret("(call cmath.isinf (name x))"), "complex128");
    EXPECT_TRUE(isinf.call<bool>(cd(kNan, kInf)));
    Kernel rint(ret("(call np.round (name x) (int 1))"), "complex128");
    EXPECT_EQ(rint.call<cd>(cd(1.25, 2.35)), cd(1.2, 2.4));

    Kernel mx(ret("(call np.maximum (name x) (name y))", "x y"), "complex128, complex128");
    Kernel fmx(ret("(call np.fmax (name x) (name y))", "x y"), "complex128, complex128");
    EXPECT_EQ(mx.call<cd>(cd(1, 2), cd(1, 3)), cd(1, 3));
    EXPECT_EQ(mx.call<cd>(cd(2, 0), cd(1, 3)), cd(2, 0));
    EXPECT_TRUE(std::isnan(mx.call<cd>(cd(2, 0), cd(1, kNan)).imag()));
    EXPECT_TRUE(std::isnan(mx.call<cd>(cd(1, kNan), cd(2, 0)).imag()));
    EXPECT_EQ(fmx.call<cd>(cd(1, kNan), cd(2, 0)), cd(2, 0));
    EXPECT_EQ(fmx.call<cd>(cd(2, 0), cd(1, kNan)), cd(2, 0));
}

TEST(CodegenBuiltins, CmathPolarRectAndLog) {
    Kernel polar(ret("(call cmath.polar (name x))"), "complex128");
    auto r = polar.run(cd(3, 4));
    EXPECT_EQ(from_slot<double>(r[0]), 5.0);
    EXPECT_EQ(from_slot<double>(r[1]), std::atan2(4.0, 3.0));
    Kernel rect(ret("(call cmath.rect (name x) (name y))", "x y"), "float64, float64");
    EXPECT_EQ(rect.call<cd>(2.0, 1.0), cd(2 * std::cos(1.0), 2 * std::sin(1.0)));
    // CPython's special values, signed zeros included.
    struct Special {
        double r, phi, re, im;
    };
    const Special specials[] = {
        {kInf, 0.0, kInf, 0.0},   {kInf, -0.0, kInf, -0.0},  {-kInf, -0.0, -kInf, 0.0},
        {2.0, -0.0, 2.0, -0.0},   {-2.0, 0.0, -2.0, -0.0},   {kNan, 0.0, kNan, 0.0},
        {kNan, -0.0, kNan, 0.0},  {0.0, kInf, 0.0, 0.0},     {-0.0, kNan, 0.0, 0.0},
        {kInf, kNan, kInf, kNan}, {-kInf, kNan, kInf, kNan}, {2.0, kNan, kNan, kNan},
        {kInf, 2.0, -kInf, kInf}, {-kInf, 2.0, kInf, -kInf},
    };
    for (const Special &s : specials) {
        cd z = rect.call<cd>(s.r, s.phi);
        EXPECT_SAME(z.real(), s.re) << s.r << ", " << s.phi;
        EXPECT_SAME(z.imag(), s.im) << s.r << ", " << s.phi;
    }
    Kernel clog(ret("(call cmath.log (name x) (name y))", "x y"), "complex128, float64");
    cd got = clog.call<cd>(cd(-8, 0), 2.0);
    EXPECT_NEAR(got.real(), 3.0, 1e-15);
    EXPECT_NEAR(got.imag(), M_PI / M_LN2, 1e-15);
}
